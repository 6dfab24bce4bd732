"""Money in the shop: integer VND (no minor unit), written in the reader's language and
read as Vietnamese people type it.

`vnd` writes 150.000 ₫. The one parser of every amount field reads `250000`, `250.000`,
`250.000 ₫`, `250.000đ`, `1.500.000 VNĐ`, `1 500 000` and (from an English keyboard)
`250,000` as 250000 đồng. The đồng has no minor unit, so `150,5`, `150.00` or
`1.50.000` are refused rather than guessed at. The form field `VndField` keeps exactly
what was typed when it is refused, so the person sees it again.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import flask_babel
from babel.numbers import format_currency
from wtforms import Form, StringField
from wtforms.validators import StopValidation

from storefront.i18n import N_
from storefront.numbers import INT_MAX

# Dots, commas or spaces (also the no-break spaces Babel writes before ₫) only between
# groups of three digits, the same separator throughout; or no separator at all. ASCII
# digits only (\d takes "١٢"; see storefront/numbers.py).
_WHOLE_NUMBER = re.compile(r"[0-9]{1,3}(?:([., \u00a0\u202f])[0-9]{3})(?:\1[0-9]{3})*|[0-9]+")
_CURRENCY = re.compile(r"\s*(₫|vnđ|vnd|đồng|đ)$")
MAX_TYPED = 16
NOT_AN_AMOUNT = N_("Nhập số tiền bằng số nguyên đồng, ví dụ 250.000 hoặc 250000.")


def vnd(amount: int | None) -> str:
    """150.000 ₫ as Vietnamese shoppers write it (₫150,000 in English): in the language of
    the request or of `force_locale`, Vietnamese outside both. None gives ""."""
    if amount is None:
        return ""
    try:
        locale = flask_babel.get_locale()
    except RuntimeError:  # an app context without a request: no visitor to ask
        locale = None
    return _formatted(int(amount), str(locale or "vi"))


@lru_cache(maxsize=4096)
def _formatted(amount: int, locale: str) -> str:
    """Babel's formatting, remembered: a listing shows the same few prices many times,
    and each format_currency call parses the locale's pattern afresh."""
    return str(format_currency(amount, "VND", locale=locale))


def parse_whole_number(text: str | None) -> int:
    """A non-negative whole number as typed (`1.500`, `1 500`, `1500`, with or without a
    trailing ₫ or đ); ValueError for anything else, and for more than the shop's integer
    columns hold (2.147.483.647), so no amount or count typed can overflow one."""
    cleaned = _CURRENCY.sub("", (text or "").strip().lower()).strip()
    if len(cleaned) > MAX_TYPED or not _WHOLE_NUMBER.fullmatch(cleaned):
        raise ValueError(text)
    value = int(re.sub(r"[^0-9]", "", cleaned))
    if value > INT_MAX:
        raise ValueError(text)
    return value


def parse_vnd(text: str | None) -> int:
    """An amount in đồng as typed: `250.000 ₫` → 250000; ValueError if not one."""
    return parse_whole_number(text)


def vnd_or_none(text: str | None, low: int, high: int) -> int | None:
    """An amount within [low, high], or None when the text is empty, not an amount or out
    of range (query strings, where a bad value is simply ignored)."""
    try:
        value = parse_vnd(text)
    except ValueError:
        return None
    return value if low <= value <= high else None


class WholeNumberField(StringField):
    """A whole number typed as Vietnamese write it (`1.500`, `1500`). `data` is an int
    (None when left empty); a refused value is shown back exactly as typed."""

    refusal = N_("Vui lòng nhập số nguyên.")

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = None
        if not valuelist or not str(valuelist[0]).strip():
            return
        try:
            self.data = parse_whole_number(str(valuelist[0]))
        except ValueError:
            raise ValueError(self.refusal) from None

    def pre_validate(self, form: Form) -> None:
        if self.process_errors:  # not a number: say only that, not also "out of range"
            raise StopValidation()

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return f"{self.data:,}".replace(",", ".") if isinstance(self.data, int) else ""


class VndField(WholeNumberField):
    """An amount of đồng typed as Vietnamese write it (storefront.money's parser)."""

    refusal = NOT_AN_AMOUNT
