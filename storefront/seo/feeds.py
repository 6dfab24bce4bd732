"""The product feed for marketplaces and ads: `/feeds/products.xml`, RSS 2.0 with the
Google Merchant `g:` namespace, which Facebook (Meta) catalogs read as well.

One item per pack a buyer can put in the cart now: the product published, its producer
active, the pack active and in stock (`g:item_group_id` ties a product's packs
together). Prices are those of storefront.pricing for a visitor who came through no
fair's page: the retail price as `g:price` and, while an open fair sells the pack for
less, that price as `g:sale_price`; the same numbers the product page shows.

Written as it is read: products in keyset batches of BATCH, each batch in four
statements (products with their producers, their packs, their photos, the fair offers),
so a feed of 100,000 products holds one batch in memory and costs the same statements
per batch, never one per product.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import Select, select
from sqlalchemy.orm import contains_eager, selectinload

from storefront.catalog.models import Producer, Product, Variant
from storefront.extensions import Session
from storefront.pricing import PriceContext, price_variants

BATCH = 500
G = "http://base.google.com/ns/1.0"
MAX_TITLE = 150  # Google Merchant's limits
MAX_DESCRIPTION = 5000


def _listed() -> Select[Any]:
    """Published products of active producers with at least one active pack in stock."""
    in_stock = (
        select(Variant.id)
        .where(Variant.product_id == Product.id, Variant.is_active.is_(True), Variant.stock > 0)
        .exists()
    )
    return (
        select(Product)
        .join(Product.producer)
        .where(Product.is_published.is_(True), Producer.is_active.is_(True), in_stock)
    )


def _batches(session: Session) -> Iterator[list[tuple[Product, list[Variant]]]]:
    """The listed products in id order, BATCH at a time, each with its packs in stock."""
    after = 0
    while True:
        stmt = (
            _listed()
            .where(Product.id > after)
            .order_by(Product.id)
            .limit(BATCH)
            .options(contains_eager(Product.producer), selectinload(Product.photos))
        )
        products = list(session.execute(stmt).scalars())
        if not products:
            return
        packs: dict[int, list[Variant]] = {product.id: [] for product in products}
        for variant in session.execute(
            select(Variant)
            .where(
                Variant.product_id.in_(packs),
                Variant.is_active.is_(True),
                Variant.stock > 0,
            )
            .order_by(Variant.product_id, Variant.position, Variant.id)
        ).scalars():
            packs[variant.product_id].append(variant)
        yield [(product, packs[product.id]) for product in products]
        after = products[-1].id


def _text(value: str, limit: int) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


def _tag(name: str, value: str) -> str:
    return f"<{name}>{escape(value)}</{name}>"


def feed_xml(
    session: Session,
    base_url: str,
    now: datetime,
    product_path: Callable[[str], str],
    media_path: Callable[[str], str],
) -> Iterator[str]:
    """The feed as pieces of text; links are `base_url` (no trailing slash) and the path
    `product_path(slug)` or `media_path(file)` gives."""
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield f'<rss version="2.0" xmlns:g="{G}">\n<channel>\n'
    yield _tag("title", "OCOP Storefront") + "\n"
    yield _tag("link", base_url + "/") + "\n"
    yield _tag("description", "Sản phẩm OCOP của Việt Nam") + "\n"
    context = PriceContext(now)
    for batch in _batches(session):
        prices = price_variants(session, [v for _, packs in batch for v in packs], context)
        for product, packs in batch:
            link = base_url + product_path(product.slug)
            image = base_url + media_path(product.photos[0].path) if product.photos else None
            description = _text(product.description or product.name, MAX_DESCRIPTION)
            for variant in packs:
                price = prices[variant.id]
                parts = [
                    "<item>",
                    _tag("g:id", variant.sku),
                    _tag("g:item_group_id", product.slug),
                    _tag("g:title", _text(f"{product.name} – {variant.label}", MAX_TITLE)),
                    _tag("g:description", description),
                    _tag("g:link", link),
                    _tag("g:image_link", image) if image else "",
                    *(
                        _tag("g:additional_image_link", base_url + media_path(photo.path))
                        for photo in product.photos[1:11]
                    ),
                    _tag("g:availability", "in_stock"),
                    _tag("g:price", f"{price.retail_vnd} VND"),
                    _tag("g:sale_price", f"{price.unit_vnd} VND") if price.is_reduced else "",
                    _tag("g:brand", product.producer.name),
                    _tag("g:condition", "new"),
                    _tag("g:identifier_exists", "no"),  # OCOP goods carry no GTIN
                    _tag("g:shipping_weight", f"{variant.weight_grams} g"),
                    "</item>\n",
                ]
                yield "".join(parts)
    yield "</channel>\n</rss>\n"
