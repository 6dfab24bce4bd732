"""Dates and times: stored in UTC, reasoned about in Vietnam's calendar."""

from __future__ import annotations

import calendar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

VIETNAM_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def utcnow() -> datetime:
    """The current moment as an aware UTC datetime."""
    return datetime.now(UTC)


def today_in_vietnam() -> date:
    """Today's date on the calendar Vietnamese buyers and certifiers use."""
    return datetime.now(VIETNAM_TZ).date()


def add_months(start: date, months: int) -> date:
    """The same day `months` later, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = start.month - 1 + months
    year = start.year + month_index // 12
    month = month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def parse_day(text: str | None) -> date | None:
    """A calendar day typed as YYYY-MM-DD, or None when it is not one. The first and
    last years of Python's calendar are refused too: filters add a day and convert to
    UTC, which overflows there, and no order or log entry is dated then."""
    if not text or len(text) > 10 or not text.isascii():
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if 1 < day.year < 9999 else None
