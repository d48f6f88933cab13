"""Phone numbers in one shape (E.164-like) so the same phone always matches."""

import re


def normalise_phone(text: str) -> str:
    """+1 and ten digits for North American numbers, else + and the digits given ("" if it
    cannot be a phone number)."""
    digits = re.sub(r"\D", "", text or "")
    if len(digits) == 10:
        digits = "1" + digits
    return f"+{digits}" if 8 <= len(digits) <= 15 else ""
