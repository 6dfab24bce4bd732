"""The one VND formatter: the reader's language, Vietnamese when nobody is asking."""

from __future__ import annotations

from flask_babel import force_locale

from storefront.money import vnd


def test_vietnamese_writes_dots_and_the_dong_sign_after():
    with force_locale("vi"):
        assert vnd(150000) == "150.000\xa0₫"


def test_english_writes_commas_and_the_sign_first():
    with force_locale("en"):
        assert vnd(1500000) == "₫1,500,000"


def test_without_a_request_it_is_vietnamese(app):
    assert vnd(150000) == "150.000\xa0₫"


def test_in_a_request_it_follows_the_visitor(app):
    with app.test_request_context(headers={"Cookie": "lang=en"}):
        assert vnd(20000) == "₫20,000"


def test_nothing_is_written_as_nothing():
    assert vnd(None) == ""
