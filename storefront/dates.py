"""How days and moments read, everywhere the shop prints one: dd/mm/yyyy in tables, lists
and stamps, "23 tháng 9 năm 2025" in sentences; never a two-digit year, and times in
Vietnam's clock (stored UTC). The one place a date becomes text: tests/test_dates.py
walks the sources and templates for any other.

Styles: "short" (23/09/2025), "long" (23 tháng 9 năm 2025 / 23 September 2025) and
"day_month" (23/09, a chart axis whose year the chart names)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from babel.dates import format_date as babel_format_date

from storefront.timeutil import VIETNAM_TZ

STYLES = ("short", "long", "day_month")


def _language(locale: str | None) -> str:
    if locale is None:
        from flask import has_app_context
        from flask_babel import get_locale

        found = get_locale() if has_app_context() else None
        locale = found.language if found is not None else "vi"
    return "en" if locale.startswith("en") else "vi"


def _checked(style: str) -> str:
    if style not in STYLES:
        raise ValueError(f"unknown date style {style!r}; use one of {STYLES}")
    return style


def format_day(value: date | None, style: str = "short", locale: str | None = None) -> str:
    """A calendar day: "23/09/2025", or "23 tháng 9 năm 2025" (long), or "23/09"."""
    if value is None:
        return ""
    style = _checked(style)
    if style == "short":
        return f"{value.day:02d}/{value.month:02d}/{value.year:04d}"
    if style == "day_month":
        return f"{value.day:02d}/{value.month:02d}"
    if _language(locale) == "en":
        return str(babel_format_date(value, "d MMMM yyyy", locale="en"))
    return f"{value.day} tháng {value.month} năm {value.year:04d}"


def vietnam_time(value: datetime) -> datetime:
    """A stored moment (aware, or naive meaning UTC) on Vietnam's clock."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(VIETNAM_TZ)


def format_moment(value: datetime | None, style: str = "short", locale: str | None = None) -> str:
    """A stored moment in Vietnam's time: "08:19 02/12/2026" ("02/12/2026 08:19" in
    English), or long "08:19, 2 tháng 12 năm 2026" ("2 December 2026, 08:19")."""
    if value is None:
        return ""
    style = _checked(style)
    local = vietnam_time(value)
    clock = f"{local.hour:02d}:{local.minute:02d}"
    day = format_day(local.date(), style, locale)
    if _language(locale) == "en":
        return f"{day}, {clock}" if style == "long" else f"{day} {clock}"
    return f"{clock}, {day}" if style == "long" else f"{clock} {day}"
