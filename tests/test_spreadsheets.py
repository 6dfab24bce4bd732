"""CSV exports: one writer that every export uses, guarding against formula injection."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

import storefront
from storefront.spreadsheets import SpreadsheetCsv, protect, unprotect


@pytest.mark.parametrize("text", ["=1+1", "+84912345678", "-3", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_would_start_a_formula_is_protected_and_read_back_unchanged(text):
    assert protect(text) == "'" + text
    assert unprotect(str(protect(text))) == text


@pytest.mark.parametrize("value", ["Mật ong hoa Ban", "'quoted", "", 150000, -3, None])
def test_other_values_pass_as_they_are(value):
    assert protect(value) == value


def test_the_csv_has_a_bom_crlf_lines_and_protected_cells():
    sheet = SpreadsheetCsv()
    sheet.writerow(["ten", "gia"])
    sheet.writerow(['=HYPERLINK("http://x")', -150000])
    text = sheet.text()
    assert text.startswith("\ufeff") and text.count("\r\n") == 2
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["ten", "gia"], ['\'=HYPERLINK("http://x")', "-150000"]]


def test_every_csv_export_goes_through_the_spreadsheet_writer():
    package = Path(storefront.__file__).parent
    writers = [
        path.relative_to(package).as_posix()
        for path in package.rglob("*.py")
        if "csv.writer(" in path.read_text(encoding="utf-8")
    ]
    assert writers == ["spreadsheets.py"]
