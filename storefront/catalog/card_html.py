"""The markup of a product card, its photo and its star badge, written once, here.

A listing, search or home page shows two dozen cards, and a cold search shows cards no
page showed before, so each is rendered afresh. Through Jinja macros a card cost about
0.2 ms (a dozen calls into url_for, Babel and nested macros), the largest share of a
cold search page. Here a card is one string formatting with its texts translated once
per language and the product link's prefix worked out once per page. Templates reach
the same functions (`product_card`, `card_image` and `star_badge` in _macros.html call
them), so each piece of markup has one source. The markup is joined with f-strings and
every value passes through `escape` (Markup.format costs ~20 µs a call, most of a card).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Protocol

from flask import request, url_for
from flask_babel import format_decimal, get_locale, gettext
from markupsafe import Markup, escape

from storefront.money import vnd
from storefront.numbers import compact_count
from storefront.storage import media_url

if TYPE_CHECKING:
    from storefront.catalog.queries import ProductCard

CARD_SIZES = "(min-width: 60em) 17rem, (min-width: 40em) 31vw, 47vw"


class CardPhotoLike(Protocol):
    @property
    def thumbnail(self) -> str: ...

    @property
    def thumbnail_size(self) -> tuple[int, int]: ...


@dataclass(frozen=True)
class CardTexts:
    """A card's fixed texts in one language, as gettext gives them."""

    stars_hidden: tuple[Markup, ...]  # "OCOP 3 sao"… by stars (index 0 unused)
    stars_label: tuple[Markup, ...]  # "3 sao"…
    uncertified: Markup
    price_from: Markup  # "từ %(price)s"
    out_of_five: Markup
    reviews: Markup
    sold: Markup  # "Đã bán %(n)s"


@lru_cache(maxsize=8)
def _texts(locale: str) -> CardTexts:
    """Marked safe as a template's `_()` is (a translation may hold markup); the
    values formatted into them later are escaped."""
    del locale  # the cache key: gettext reads the locale in force itself
    stars = range(6)
    return CardTexts(
        stars_hidden=tuple(_safe(gettext("OCOP %(n)s sao", n=n)) for n in stars),
        stars_label=tuple(_safe(gettext("%(n)s sao", n=n)) for n in stars),
        uncertified=_safe(gettext("Chưa có chứng nhận OCOP còn hiệu lực")),
        price_from=_safe(gettext("từ %(price)s", price="%(price)s")),
        out_of_five=_safe(gettext("trên 5 sao")),
        reviews=_safe(gettext("đánh giá")),
        sold=_safe(gettext("Đã bán %(n)s", n="%(n)s")),
    )


def _safe(text: str) -> Markup:
    return Markup(text)  # noqa: S704 - our own message catalogue


def card_texts() -> CardTexts:
    return _texts(str(get_locale() or "vi"))


def star_badge(stars: int | None, texts: CardTexts | None = None) -> Markup:
    """OCOP stars as a badge (★★★★ and "4 sao"), or nothing for none."""
    if not stars:
        return Markup("")
    texts = texts or card_texts()
    n = int(stars)
    return _safe(
        f'<span class="stars stars-{n}"><span aria-hidden="true">{"★" * n}</span>'
        f'<span class="visually-hidden">{texts.stars_hidden[n]}</span>'
        f'<span class="stars-label" aria-hidden="true">{texts.stars_label[n]}</span></span>'
    )


def card_image(
    photo: CardPhotoLike | None, sizes: str = CARD_SIZES, lazy: bool = True, alt: str = ""
) -> Markup:
    """A product photo as a card shows it: the 320 px copy, with its width and height so
    that nothing moves while it loads. `sizes` says how wide the card is drawn (two
    columns on phones, three from 40em, four from 60em in a page at most 72rem wide).
    The large photo is left out of `srcset` on purpose: offered, Chromium takes it on
    every phone of 1.75 device pixels a point or more (the 641 KiB issue 11 measured)."""
    if photo is None:
        return Markup('<span class="no-photo" aria-hidden="true"></span>')
    width, height = (int(side) for side in photo.thumbnail_size)
    src = escape(media_url(photo.thumbnail))
    loading = ' loading="lazy"' if lazy else ""
    return _safe(
        f'<img src="{src}" srcset="{src} {width}w" sizes="{escape(sizes)}" alt="{escape(alt)}" '
        f'width="{width}" height="{height}" decoding="async"{loading}>'
    )


_product_prefixes: dict[str, str] = {}


def product_path(slug: str) -> str:
    """url_for('catalog.product_detail', slug=slug), with url_for called once per mount
    point: slugs are lower-case letters, digits and hyphens, which a URL keeps as is."""
    prefix = _product_prefixes.get(request.script_root)
    if prefix is None:
        prefix = url_for("catalog.product_detail", slug="x")[:-1]
        _product_prefixes[request.script_root] = prefix
    return prefix + slug


def product_card(
    card: ProductCard,
    provinces_by_code: Mapping[int, Any] | None = None,
    price_html: Markup | None = None,
    pack: str | None = None,
    lazy: bool = True,
) -> Markup:
    """One product card for every list of products (listing, search, home, fairs,
    producer pages). The photo sits inside the link beside the product name, so it takes
    an empty alt: a screen reader then reads each card's link once, as the product name.
    `price_html` (a pack's price, such as a fair price) and `pack` show one pack's price;
    without them the card shows the lowest retail price."""
    texts = card_texts()
    product = card.product
    producer = product.producer
    place = ""
    if provinces_by_code and producer.province_code in provinces_by_code:
        place = " · " + provinces_by_code[producer.province_code].short_name
    if pack:
        place += " · " + pack
    price = ""
    if price_html:
        price = f'<span class="card-price">{price_html}</span>'
    elif product.price_from:
        amount = texts.price_from % {"price": vnd(product.price_from)}
        price = f'<span class="price">{amount}</span>'
    certification = (
        star_badge(card.stars, texts)
        if card.stars
        else f'<span class="uncertified">{texts.uncertified}</span>'
    )
    image = card_image(card.photo, lazy=lazy)
    meta = _card_meta(product.rating_count, product.rating_average, product.sold_count, texts)
    return _safe(
        f'<li class="card"><a href="{escape(product_path(product.slug))}">{image}'
        f'<span class="card-name" lang="vi">{escape(product.name)}</span></a>{certification}'
        f'<span class="card-producer" lang="vi">{escape(producer.name)}{escape(place)}</span>'
        f"{price}{meta}</li>"
    )


def _card_meta(count: int, average: float | None, sold: int, texts: CardTexts) -> str:
    """A card's review average and count and units sold, read from the product row: markup
    with every value escaped."""
    if not count and not sold:
        return ""
    rating = sold_html = ""
    if count:
        shown = "" if average is None else escape(format_decimal(average, format="0.0"))
        rating = (
            f'<span class="card-rating"><span aria-hidden="true">★</span> {shown}'
            f'<span class="visually-hidden"> {texts.out_of_five},</span> ({int(count)}'
            f'<span class="visually-hidden"> {texts.reviews}</span>)</span>'
        )
    if sold:
        language = str(get_locale().language) if get_locale() else "vi"
        amount = texts.sold % {"n": compact_count(sold, language)}
        sold_html = f'<span class="card-sold">{amount}</span>'
    return f'<span class="card-meta">{rating}{sold_html}</span>'
