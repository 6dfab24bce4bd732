"""Jinja filters and globals shared by every page."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from urllib.parse import urlencode

from flask import Flask, request
from flask_babel import (
    format_decimal,
    format_number,
    get_locale,
    gettext,
)

from storefront.catalog import card_html, filter_html
from storefront.catalog.cards import card_grid
from storefront.dates import format_day, format_moment
from storefront.money import vnd
from storefront.numbers import compact_count
from storefront.site.template_i18n import TRANSLATED, translated
from storefront.timeutil import today_in_vietnam


def local_datetime(value: datetime | None, style: str = "short") -> str:
    """A stored UTC time shown in Asia/Ho_Chi_Minh (storefront/dates.py)."""
    return format_moment(value, style)


def local_date(value: date | None, style: str = "short") -> str:
    """A calendar day: 23/09/2025, or "long" 23 tháng 9 năm 2025 (storefront/dates.py)."""
    return format_day(value, style)


def url_with(base: Mapping[str, str] | None = None, **changes: object) -> str:
    """The current path with query arguments replaced (None removes one), starting from
    `base` when given (validated filters, so cached fragments link the same way for
    everyone) or else from the request's own arguments."""
    args = (
        {k: [v] for k, v in base.items()} if base is not None else request.args.to_dict(flat=False)
    )
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = [str(value)]
    query = urlencode(args, doseq=True)
    return request.path + ("?" + query if query else "")


def compact(count: int) -> str:
    """Đã bán 1,2k: storefront.numbers.compact_count in the request's language."""
    return compact_count(count, str(get_locale().language) if get_locale() else "vi")


def one_decimal(value: float | None) -> str:
    """An average of stars as "4,8" (4.8 in English), to the nearest tenth."""
    return "" if value is None else str(format_decimal(value, format="0.0"))


def register(app: Flask) -> None:
    app.jinja_env.filters["vnd"] = vnd
    app.jinja_env.filters["format_number"] = format_number  # 7.872 in Vietnamese
    app.jinja_env.filters["local_datetime"] = local_datetime
    app.jinja_env.filters["local_date"] = local_date
    app.jinja_env.filters["compact_count"] = compact  # Đã bán 1,2k
    app.jinja_env.filters["one_decimal"] = one_decimal  # 4,8 sao
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["card_grid"] = card_grid
    app.jinja_env.globals["product_card_html"] = card_html.product_card
    app.jinja_env.globals["card_image_html"] = card_html.card_image
    app.jinja_env.globals["star_badge_html"] = card_html.star_badge
    app.jinja_env.globals["card_sizes"] = card_html.CARD_SIZES
    app.jinja_env.globals["group_options"] = filter_html.group_options
    app.jinja_env.globals["province_options"] = filter_html.province_options
    app.jinja_env.globals["today_in_vietnam"] = today_in_vietnam
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["tr"] = gettext
    app.jinja_env.globals[TRANSLATED] = translated  # `_("…", n=…)`, folded (template_i18n)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
