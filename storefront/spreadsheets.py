"""CSV that spreadsheet programs read correctly and open safely.

Files start with a UTF-8 BOM (so Excel reads the Vietnamese letters) and end lines with
CRLF. Text that a spreadsheet would run as a formula (CSV injection: a cell starting
with = + - @, a tab or a carriage return) gets a leading apostrophe, which spreadsheets
hide and `unprotect` removes when such a file is read back in.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def protect(value: object) -> object:
    """The value as a cell, with an apostrophe before text that would start a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def unprotect(text: str) -> str:
    """A cell read back from a file we exported: stripped, without `protect`'s apostrophe."""
    text = text.strip()
    if text.startswith("'") and text[1:2] in FORMULA_START:
        return text[1:]
    return text


class SpreadsheetCsv:
    """Rows written to CSV text, every cell through `protect`."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self._buffer.write("\ufeff")
        self._writer = csv.writer(self._buffer, lineterminator="\r\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([protect(value) for value in row])

    def text(self) -> str:
        return self._buffer.getvalue()
