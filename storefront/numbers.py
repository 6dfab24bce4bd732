"""Whole numbers from what a visitor sent: ASCII digits only, within the column's range.

`str.isdigit()` and `int()` disagree ("²" is a digit to one and not the other, "١٢" is
12 to `int()`), and Python integers have no size while PostgreSQL's `integer` stops at
2³¹ - 1. Every id and amount column of the shop is such an integer, so whatever a
request says is checked here before a query or a row can see it.
"""

from __future__ import annotations

import re

INT_MAX = 2**31 - 1  # PostgreSQL `integer`, the type of every id, amount and count column
INT_MIN = -(2**31)

_UNSIGNED = re.compile(r"[0-9]+")
_SIGNED = re.compile(r"[+-]?[0-9]+")


def whole_number(
    text: object, low: int = 0, high: int = INT_MAX, signed: bool = False
) -> int | None:
    """`text` as an int when it is ASCII digits (a leading sign too when `signed`), with
    spaces around it allowed, and `low <= value <= high`; None for anything else."""
    if isinstance(text, bool) or not isinstance(text, str | int):
        return None
    raw = str(text).strip()
    if len(raw) > 20 or not (_SIGNED if signed else _UNSIGNED).fullmatch(raw):
        return None
    value = int(raw)
    return value if low <= value <= high else None


def page_number(text: object, last: int = 10_000) -> int:
    """A `page` query parameter: 1 to `last`, and 1 for anything else."""
    return whole_number(text, 1, last) or 1


def row_id(text: object) -> int | None:
    """An id as a URL, form or query gives it: 1 to INT_MAX, or None."""
    return whole_number(text, 1, INT_MAX)


def compact_count(count: int, language: str = "vi") -> str:
    """A count as shops show it beside a product: 999, "1,2k", "12,3k", "123k", "1,2tr"
    in Vietnamese ("1.2k", "1.2M" in English). Rounded down, so 1.999 is "1,9k", never
    a count the product has not reached."""
    count = max(0, int(count))
    if count < 1_000:
        return str(count)
    unit, suffix = (1_000, "k") if count < 1_000_000 else (1_000_000, "tr")
    if language == "en" and suffix == "tr":
        suffix = "M"
    tenths = count * 10 // unit
    whole, fraction = divmod(tenths, 10)
    if fraction == 0 or whole >= 100:
        return f"{whole}{suffix}"
    return f"{whole}{',' if language == 'vi' else '.'}{fraction}{suffix}"
