"""Text from outside (forms, texts, emails, partners) made safe to store."""

import re

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: object) -> str:
    """Drop control characters (NUL among them) and surrounding space: PostgreSQL refuses NUL
    in text and JSON, and none of them mean anything in a message. Newlines and tabs stay."""
    return _CONTROL.sub("", str(text or "")).strip()
