"""Dates read one way everywhere (issue 11, item 9): dd/mm/yyyy in tables, "23 tháng 9
năm 2025" in sentences, never a two-digit year. storefront/dates.py is the one place a
date becomes text; these tests walk the sources, the templates and every page of every
role for any other way."""

from __future__ import annotations

import ast
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from storefront.dates import STYLES, format_day, format_moment
from storefront.site.templating import local_date, local_datetime
from tests.page_walk import walk

ROOT = Path(__file__).resolve().parent.parent
BABEL_DATE_FUNCTIONS = {
    "format_date",
    "format_datetime",
    "format_time",
    "format_skeleton",
    "format_interval",
    "format_timedelta",
}
# strftime codes that print a date for people; `%y` is a two-digit year.
DISPLAY_CODES = re.compile(r"%y|%-?d/%-?m|%-?m/%-?d|%-d|%-m")
# An identifier, not a date shown as one: order numbers are OC-<yymm>-<suffix>.
ALLOWED_CODES = {"storefront/orders/placement.py"}
TWO_DIGIT_YEAR = re.compile(r"(?<![\d/])\d{1,2}/\d{1,2}/\d{2}(?![\d/])")
COMMA_YEAR = re.compile(r"tháng \d{1,2}, \d{4}")
FILTER_CALL = re.compile(r"\|\s*(local_date|local_datetime)\b(\s*\(([^)]*)\))?")


@pytest.mark.parametrize(
    ("style", "locale", "expected"),
    [
        ("short", "vi", "23/09/2025"),
        ("short", "en", "23/09/2025"),
        ("long", "vi", "23 tháng 9 năm 2025"),
        ("long", "en", "23 September 2025"),
        ("day_month", "vi", "23/09"),
    ],
)
def test_a_day_reads_with_its_whole_year(style, locale, expected):
    assert format_day(date(2025, 9, 23), style, locale) == expected


def test_a_moment_reads_on_vietnams_clock():
    utc = datetime(2026, 12, 1, 20, 5, tzinfo=UTC)  # 03:05 on 2 December in Vietnam
    assert format_moment(utc, "short", "vi") == "03:05 02/12/2026"
    assert format_moment(utc.replace(tzinfo=None), "short", "vi") == "03:05 02/12/2026"
    assert format_moment(utc, "long", "vi") == "03:05, 2 tháng 12 năm 2026"
    assert format_moment(utc, "short", "en") == "02/12/2026 03:05"
    assert format_moment(utc, "long", "en") == "2 December 2026, 03:05"


def test_early_years_keep_four_digits_and_nothing_prints_as_nothing():
    assert format_day(date(987, 1, 5)) == "05/01/0987"
    assert format_day(None) == "" and format_moment(None) == ""
    with pytest.raises(ValueError, match="unknown date style"):
        format_day(date(2025, 9, 23), "medium")


def test_the_template_filters_use_the_helper_in_the_pages_language(app):
    day, moment = date(2025, 9, 23), datetime(2025, 9, 23, 1, 30, tzinfo=UTC)
    with app.test_request_context("/", headers={"Accept-Language": "vi"}):
        assert local_date(day) == "23/09/2025"
        assert local_date(day, "long") == "23 tháng 9 năm 2025"
        assert local_datetime(moment) == "08:30 23/09/2025"
    for style in STYLES:
        with app.test_request_context("/"):
            assert not TWO_DIGIT_YEAR.search(local_date(day, style))
            assert not TWO_DIGIT_YEAR.search(local_datetime(moment, style))


def _sources() -> list[Path]:
    return sorted(p for p in (ROOT / "storefront").rglob("*.py") if p.name != "dates.py")


def test_no_source_formats_a_date_but_storefront_dates():
    wrong = []
    for path in _sources():
        name = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and node.module in ("babel.dates", "flask_babel"):
                wrong += [
                    f"{name}: imports {alias.name}"
                    for alias in node.names
                    if alias.name in BABEL_DATE_FUNCTIONS
                ]
            if isinstance(node, ast.Import):
                wrong += [
                    f"{name}: imports babel.dates" for a in node.names if a.name == "babel.dates"
                ]
        if name not in ALLOWED_CODES:
            wrong += [f"{name}: {code}" for code in DISPLAY_CODES.findall(text)]
    assert not wrong, "format dates with storefront/dates.py: " + "; ".join(wrong)


def test_templates_use_only_the_date_filters_and_their_styles():
    wrong = []
    for path in sorted((ROOT / "templates").rglob("*.html")):
        name = path.relative_to(ROOT).as_posix()
        text = path.read_text(encoding="utf-8")
        for word in ("strftime", "format_date", "format_datetime", "datetimeformat"):
            if word in text:
                wrong.append(f"{name}: {word}")
        for _, _, args in FILTER_CALL.findall(text):
            style = args.strip().strip("\"'") if args.strip() else "short"
            if style not in STYLES:
                wrong.append(f"{name}: style {args!r}")
    assert not wrong, wrong


def test_no_page_of_any_role_prints_a_two_digit_year(app, session):
    _, _, pages = walk(app, session)
    wrong = []
    for role, found in pages.items():
        for url, html in found.items():
            for pattern in (TWO_DIGIT_YEAR, COMMA_YEAR):
                wrong += [f"{url} as {role}: {m}" for m in pattern.findall(html)]
    assert not wrong, wrong
