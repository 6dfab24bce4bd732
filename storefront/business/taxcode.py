"""The Vietnamese tax code (mã số thuế, MST): 10 digits, or 10 + "-" + 3 for a branch.

The tenth digit checks the first nine: with weights 31, 29, 23, 19, 17, 13, 7, 5, 3,
check = 10 - (weighted sum mod 11); a sum divisible by 11 would need "10", which no
code carries, so such a code is refused. Digits 3-9 (the sequence number) are never
all zero and a branch number is never 000. Source: python-stdnum's `stdnum.vn.mst`
(arthurdejong/python-stdnum, stdnum/vn/mst.py, which cites vi.wikipedia "Thuế Việt Nam
§ Mã số thuế" and easyinvoice.vn/ma-so-thue), whose examples 0100233488 and
0314409058-002 pass and 0100233480 fails; real codes such as Viettel's 0100109106
pass too (tests/business/test_taxcode.py).
"""

from __future__ import annotations

import re

WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)
_SEPARATORS = re.compile(r"[\s.]")
_SHAPE = re.compile(r"([0-9]{10})(?:-?([0-9]{3}))?")


def check_digit(first_nine: str) -> int | None:
    """The tenth digit the first nine call for; None when no digit fits (sum ≡ 0 mod 11)."""
    total = sum(weight * int(digit) for weight, digit in zip(WEIGHTS, first_nine, strict=True))
    check = 10 - total % 11
    return None if check == 10 else check


def normalize_tax_code(raw: str) -> str | None:
    """The standard form ("0100233488", "0314409058-002") of a valid code, else None.

    Spaces and dots are ignored ("0100 233 488", "01.00.233.488"), and a branch may
    be typed with or without its hyphen, with spaces around it."""
    text = _SEPARATORS.sub("", raw)
    if not text.isascii():  # "٠" and friends are digits to the regex
        return None
    match = _SHAPE.fullmatch(text)
    if match is None:
        return None
    base, branch = match.group(1), match.group(2)
    if base[2:9] == "0000000" or branch == "000":
        return None
    if check_digit(base[:9]) != int(base[9]):
        return None
    return f"{base}-{branch}" if branch else base
