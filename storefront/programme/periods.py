"""The dashboard's period selector: the last 4, 12 or 52 weeks, or a calendar year, on
Vietnam's calendar. Parsed from a GET parameter and checked; anything else is refused."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from storefront.i18n import N_

WEEK_CHOICES = (4, 12, 52)
DEFAULT_PERIOD = "12w"
FIRST_YEAR = 2024  # the shop's first orders; earlier years hold nothing
INVALID_PERIOD = N_("Khoảng thời gian không hợp lệ: đang hiển thị 12 tuần gần nhất.")


@dataclass(frozen=True)
class Period:
    key: str  # "12w" or "2025": what the GET parameter says
    first_day: date
    last_day: date  # inclusive, never after today

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1

    def previous(self) -> Period:
        """The period of the same length just before this one (for the trend)."""
        last = self.first_day - timedelta(days=1)
        return Period(self.key, last - timedelta(days=self.days - 1), last)


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def parse_period(text: str | None, today: date) -> Period | None:
    """The period a GET parameter names ("4w", "12w", "52w" or a year from FIRST_YEAR up
    to this one), ending today at the latest; None for anything else."""
    text = (text or DEFAULT_PERIOD).strip()
    if text.endswith("w") and text[:-1] in {str(w) for w in WEEK_CHOICES}:
        weeks = int(text[:-1])
        return Period(text, week_start(today) - timedelta(weeks=weeks - 1), today)
    if len(text) == 4 and text.isascii() and text.isdigit():
        year = int(text)
        if FIRST_YEAR <= year <= today.year:
            return Period(text, date(year, 1, 1), min(date(year, 12, 31), today))
    return None


def period_choices(today: date) -> list[tuple[str, str, dict[str, int]]]:
    """(key, msgid, msgid arguments) for the selector: weeks first, then years, newest first."""
    choices: list[tuple[str, str, dict[str, int]]] = [
        (f"{weeks}w", N_("%(num)d tuần gần nhất"), {"num": weeks}) for weeks in WEEK_CHOICES
    ]
    choices += [
        (str(year), N_("Năm %(year)d"), {"year": year})
        for year in range(today.year, FIRST_YEAR - 1, -1)
    ]
    return choices
