"""How the shop writes money: integer VND (no minor unit) in the reader's language."""

from __future__ import annotations

import flask_babel
from babel.numbers import format_currency


def vnd(amount: int | None) -> str:
    """150.000 ₫ as Vietnamese shoppers write it (₫150,000 in English): in the language of
    the request or of `force_locale`, Vietnamese outside both. None gives ""."""
    if amount is None:
        return ""
    try:
        locale = flask_babel.get_locale()
    except RuntimeError:  # an app context without a request: no visitor to ask
        locale = None
    return str(format_currency(int(amount), "VND", locale=locale or "vi"))
