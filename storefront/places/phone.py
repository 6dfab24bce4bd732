"""Vietnamese mobile phone numbers: 10 digits starting 03/05/07/08/09, or +84 without the 0."""

import re

_SEPARATORS = re.compile(r"[\s.\-()]")
_NATIONAL = re.compile(r"0[35789][0-9]{8}")


def normalize_vn_phone(raw: str) -> str | None:
    """Return the national form ("0912345678") of a phone number, or None if invalid.

    Accepts spaces, dots, dashes and brackets, and the +84 / 84 / 0084 country
    prefix: "0912 345 678", "0912.345.678", "+84 912 345 678", "84912345678".
    """
    digits = _SEPARATORS.sub("", raw)
    for prefix in ("+84", "0084", "84"):
        if digits.startswith(prefix) and (prefix != "84" or len(digits) == 11):
            digits = "0" + digits.removeprefix(prefix).removeprefix("0")
            break
    return digits if _NATIONAL.fullmatch(digits) else None


def format_vn_phone(raw: str) -> str:
    """Show a phone number as "0912 345 678"; an invalid one is returned stripped."""
    phone = normalize_vn_phone(raw)
    if phone is None:
        return raw.strip()
    return f"{phone[:4]} {phone[4:7]} {phone[7:]}"
