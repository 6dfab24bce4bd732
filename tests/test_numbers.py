"""Counts shown the way Vietnamese shops show them: "Đã bán 1,2k"."""

from __future__ import annotations

import pytest

from storefront.numbers import compact_count


@pytest.mark.parametrize(
    ("count", "vi", "en"),
    [
        (0, "0", "0"),
        (7, "7", "7"),
        (999, "999", "999"),
        (1_000, "1k", "1k"),
        (1_200, "1,2k", "1.2k"),
        (1_999, "1,9k", "1.9k"),  # rounded down: never more than sold
        (12_345, "12,3k", "12.3k"),
        (99_999, "99,9k", "99.9k"),
        (100_000, "100k", "100k"),
        (123_456, "123k", "123k"),
        (999_999, "999k", "999k"),
        (1_000_000, "1tr", "1M"),
        (1_250_000, "1,2tr", "1.2M"),
        (-5, "0", "0"),
    ],
)
def test_compact_count(count, vi, en):
    assert compact_count(count) == vi
    assert compact_count(count, "en") == en


def test_pages_show_it_in_the_visitors_language(app):
    from flask_babel import refresh

    from storefront.site.templating import compact, one_decimal

    with app.test_request_context("/", headers={"Cookie": "lang=en"}):
        refresh()
        assert compact(1_200) == "1.2k"
        assert one_decimal(4.55) in ("4.5", "4.6")
    with app.test_request_context("/"):
        refresh()  # the test's app context still holds the English request's locale
        assert compact(1_200) == "1,2k"
        assert one_decimal(4.8) == "4,8"
