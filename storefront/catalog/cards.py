"""Rendered product cards, remembered by everything they show.

A listing, search or home page renders two dozen cards, and rendering one
(card_html.product_card: photo, stars, price, rating, links) is still the largest
share of a page that reads no new rows. The same products come back on
page after page (the newest lead most searches), so each process keeps the HTML of the
cards it rendered, keyed by every value the card's markup is made of: the product's
slug, name, producer, photo, stars today, price and rating, the page language and where
the app is mounted. A change to any of them is a different key, so a remembered card
is never stale and needs no invalidation; the oldest are dropped when the cache fills.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from flask import request
from flask_babel import get_locale
from markupsafe import Markup

from storefront.catalog.card_html import product_card

if TYPE_CHECKING:
    from storefront.catalog.queries import ProductCard

MAX_CARDS = 20_000  # a few MiB per process: a card is about 600 bytes of HTML

_cards: dict[tuple[Any, ...], Markup] = {}


def card_key(
    card: ProductCard,
    lazy: bool,
    provinces_by_code: Mapping[int, Any] | None,
    page: tuple[str, str],
) -> tuple[Any, ...]:
    """Every value `product_card` (without a pack price) shows, as a key; `page`: the
    page's language and where the app is mounted."""
    product = card.product
    producer = product.producer
    photo = card.photo
    province = (provinces_by_code or {}).get(producer.province_code)
    return (
        product.id,
        product.slug,
        product.name,
        producer.name,
        province.short_name if province is not None else None,
        (photo.path, photo.width, photo.height) if photo is not None else None,
        card.stars,
        product.price_from,
        product.rating_count,
        product.rating_sum,
        product.sold_count,
        lazy,
        *page,
    )


def card_grid(
    cards: Sequence[ProductCard], eager: int = 0, provinces_by_code: Mapping[int, Any] | None = None
) -> Markup:
    """The cards' HTML, one after the other: each remembered, or rendered by
    card_html.product_card. The first `eager` load their photo at once, the rest lazily."""
    page = (str(get_locale()), request.script_root)
    shown = []
    for n, card in enumerate(cards, start=1):
        lazy = n > eager
        key = card_key(card, lazy, provinces_by_code, page)
        html = _cards.get(key)
        if html is None:
            html = product_card(card, provinces_by_code, lazy=lazy)
            if len(_cards) >= MAX_CARDS:
                _cards.clear()  # simpler than an LRU, and a full cache refills in a few pages
            _cards[key] = html
        shown.append(html)
    return Markup("").join(shown)


def forget_cards() -> None:
    """Drop every remembered card (tests)."""
    _cards.clear()
