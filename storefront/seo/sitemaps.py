"""Sitemaps: an index of chunks of at most 50,000 URLs each, written as they are read.

Products are listed only while public and certified today (published, producer active,
a verified certificate in force); producers while active with such a product; fairs
once published. Each chunk is a keyset range of ids read in batches, so a sitemap of
100,000 products never holds the whole list in memory.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any
from xml.sax.saxutils import escape

from sqlalchemy import Select, func, select

from storefront.catalog.models import Producer, Product
from storefront.extensions import Session
from storefront.fairs.models import Fair, FairState

CHUNK = 50_000  # the sitemap protocol's limit per file
BATCH = 5_000
KINDS = ("products", "producers", "fairs")


def _listed_products(today: date) -> Select[Any]:
    return (
        select(Product.id, Product.slug, Product.updated_at)
        .join(Producer, Producer.id == Product.producer_id)
        .where(
            Product.is_published.is_(True),
            Producer.is_active.is_(True),
            Product.stars > 0,  # kept on the row by catalog.stars (as the listing reads it)
        )
    )


def _listed_producers(today: date) -> Select[Any]:
    has_listing = _listed_products(today).where(Product.producer_id == Producer.id).exists()
    return select(Producer.id, Producer.slug, Producer.created_at).where(
        Producer.is_active.is_(True), has_listing
    )


def _listed_fairs() -> Select[Any]:
    return select(Fair.id, Fair.slug, Fair.updated_at).where(
        Fair.state.in_([FairState.PUBLISHED, FairState.CLOSED])
    )


def _query(kind: str, today: date) -> Select[Any]:
    if kind == "products":
        return _listed_products(today)
    if kind == "producers":
        return _listed_producers(today)
    return _listed_fairs()


def chunk_counts(session: Session, today: date) -> dict[str, int]:
    """How many sitemap files each kind needs (at least one, even if empty)."""
    counts = {}
    for kind in KINDS:
        total = session.execute(
            select(func.count()).select_from(_query(kind, today).subquery())
        ).scalar_one()
        counts[kind] = max(1, math.ceil(total / CHUNK))
    return counts


def _lastmod(moment: datetime | None) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return f"<lastmod>{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}</lastmod>"


def index_xml(base_url: str, counts: dict[str, int]) -> Iterator[str]:
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    for kind in KINDS:
        for n in range(1, counts[kind] + 1):
            yield f"<sitemap><loc>{escape(base_url)}/sitemaps/{kind}-{n}.xml</loc></sitemap>\n"
    yield "</sitemapindex>\n"


PATHS = {"products": "/products/", "producers": "/producers/", "fairs": "/fairs/"}


def chunk_xml(
    session: Session, base_url: str, kind: str, number: int, today: date
) -> Iterator[str]:
    """The `number`-th chunk of `kind` (1-based): read in id order, BATCH rows at a time
    from where the last batch ended, skipping the chunks before it."""
    stmt = _query(kind, today)
    id_column = stmt.selected_columns[0]
    # The first id of this chunk: skip (number - 1) × CHUNK ids in the index.
    start = session.execute(
        stmt.with_only_columns(id_column).order_by(id_column).offset((number - 1) * CHUNK).limit(1)
    ).scalar()
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    yield '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
    left, after = (CHUNK, start - 1) if start is not None else (0, 0)
    prefix = escape(base_url + PATHS[kind])
    while left > 0:
        rows = session.execute(
            stmt.where(id_column > after).order_by(id_column).limit(min(BATCH, left))
        ).all()
        if not rows:
            break
        for _, slug, changed in rows:
            yield f"<url><loc>{prefix}{escape(slug)}</loc>{_lastmod(changed)}</url>\n"
        left -= len(rows)
        after = rows[-1][0]
    yield "</urlset>\n"
