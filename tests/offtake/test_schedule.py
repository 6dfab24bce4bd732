"""The schedule generator and the terms' checks."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from storefront.offtake.services import (
    MAX_DELIVERIES,
    LineTerms,
    OfftakeError,
    check_terms,
    generate_schedule,
)
from storefront.timeutil import today_in_vietnam as today
from tests.offtake.helpers import terms


def test_200_units_a_month_from_march_to_august():
    lines = generate_schedule(date(2027, 3, 1), date(2027, 8, 31), "month", 200)
    assert [line.due_on for line in lines] == [date(2027, m, 1) for m in range(3, 9)]
    assert {line.quantity for line in lines} == {200}
    assert sum(line.quantity or 0 for line in lines) == 1200


def test_months_count_from_the_start_so_a_31st_does_not_drift():
    lines = generate_schedule(date(2027, 1, 31), date(2027, 4, 30), "month", 5)
    assert [line.due_on for line in lines] == [
        date(2027, 1, 31),
        date(2027, 2, 28),
        date(2027, 3, 31),
        date(2027, 4, 30),
    ]


def test_weeks_and_two_weeks():
    weekly = generate_schedule(date(2027, 3, 1), date(2027, 3, 29), "week", 10)
    assert len(weekly) == 5 and weekly[1].due_on == date(2027, 3, 8)
    fortnightly = generate_schedule(date(2027, 3, 1), date(2027, 3, 29), "two_weeks", 10, 9000)
    assert [line.due_on.day for line in fortnightly if line.due_on] == [1, 15, 29]
    assert {line.unit_price_vnd for line in fortnightly} == {9000}


@pytest.mark.parametrize(
    ("start", "end", "interval", "quantity", "field"),
    [
        (None, date(2027, 3, 1), "month", 5, "start"),
        (date(2027, 3, 1), None, "month", 5, "end"),
        (date(2027, 3, 2), date(2027, 3, 1), "month", 5, "end"),
        (date(2027, 3, 1), date(2027, 4, 1), "daily", 5, "interval"),
        (date(2027, 3, 1), date(2027, 4, 1), "month", 0, "quantity"),
        (date(2027, 3, 1), date(2027, 4, 1), "month", 1000, "quantity"),
        (date(2027, 3, 1), date(2027, 3, 1) + timedelta(weeks=MAX_DELIVERIES), "week", 5, "end"),
    ],
)
def test_a_schedule_that_cannot_be_made_says_why(start, end, interval, quantity, field):
    with pytest.raises(OfftakeError) as refused:
        generate_schedule(start, end, interval, quantity)
    assert refused.value.field == field


def test_fixed_price_fills_every_line_and_lines_are_sorted():
    proposed = terms([(today() + timedelta(days=20), 5), (today(), 7)], price=100_000)
    checked = check_terms(proposed, today())
    assert [line.due_on for line in checked.lines] == [today(), today() + timedelta(days=20)]
    assert {line.unit_price_vnd for line in checked.lines} == {100_000}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"price_mode": "free"}, "price_mode"),
        ({"unit_price_vnd": None}, "unit_price"),
        ({"unit_price_vnd": 0}, "unit_price"),
        ({"lines": []}, "lines"),
        ({"lines": lambda day: [LineTerms(day - timedelta(days=1), 5)]}, "lines-0"),
        ({"lines": [LineTerms(None, 5)]}, "lines-0"),
        ({"lines": lambda day: [LineTerms(day, None)]}, "lines-0"),
        ({"lines": lambda day: [LineTerms(day, 1000)]}, "lines-0"),
        ({"province_code": 0}, "province"),
        ({"ward_code": 3127}, "ward"),  # a ward of Điện Biên, not of Vĩnh Long
        ({"address_line": "  "}, "street"),
        ({"note": "x" * 1001}, "note"),
    ],
)
def test_wrong_terms_are_refused_with_the_field(change, field):
    day = today()  # a day is worked out when the test runs, never at collection
    change = {key: value(day) if callable(value) else value for key, value in change.items()}
    with pytest.raises(OfftakeError) as refused:
        check_terms(replace(terms(), **change), day)
    assert refused.value.field == field


def test_per_delivery_prices_need_a_price_on_every_line():
    per_delivery = replace(
        terms(mode="per_delivery"),
        lines=[LineTerms(today(), 5, 90_000), LineTerms(today(), 5, None)],
    )
    with pytest.raises(OfftakeError) as refused:
        check_terms(per_delivery, today())
    assert refused.value.field == "lines-1"


def test_a_value_beyond_the_integer_columns_is_refused():
    huge = terms([(today(), 999)] * 3, price=1_000_000_000)
    with pytest.raises(OfftakeError):
        check_terms(huge, today())
