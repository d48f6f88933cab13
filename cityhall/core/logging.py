"""Keep personal data out of logs: email addresses and phone numbers are masked."""

import logging
import re

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
# Not inside a longer token: task ids and other UUIDs hold digit runs that are not phones.
# Request numbers (2026-000123) are not phones either.
PHONE = re.compile(r"(?<![\w-])(?!\d{4}-\d{6}(?![\w-]))\+?\d[\d\s().-]{7,}\d(?![\w-])")


def scrub(text: str) -> str:
    return PHONE.sub("[phone]", EMAIL.sub("[email]", text))


class ScrubPIIFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and not record.exc_text:
            # Render the traceback now, so its text (which can quote input) is scrubbed too.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if isinstance(record.msg, str):
            record.msg = scrub(record.msg)
        if record.args:
            if isinstance(record.args, dict):
                record.args = {
                    k: scrub(v) if isinstance(v, str) else v for k, v in record.args.items()
                }
            else:
                record.args = tuple(scrub(a) if isinstance(a, str) else a for a in record.args)
        return True
