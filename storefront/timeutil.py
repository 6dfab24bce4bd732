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
