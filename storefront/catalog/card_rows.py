"""Products as a card shows them, read as plain rows in one statement.

A listing, search or home page shows two dozen cards. Loading them as ORM objects (an
identity map entry, instrumented attributes and a second statement for the photos)
cost more than the SQL itself at 100,000 products, yet a card only reads a dozen
columns and never changes what it read. So the card statements select those columns,
with the product's first photo joined in the same statement, into small frozen rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Date, Select, bindparam
from sqlalchemy.orm import aliased

from storefront.catalog.models import Producer, Product, ProductPhoto, current_stars_expr
from storefront.extensions import Session, read_columns
from storefront.media import HasThumbnail


@dataclass(frozen=True, slots=True)
class CardPhoto(HasThumbnail):
    path: str
    alt: str
    width: int
    height: int


@dataclass(frozen=True, slots=True)
class CardProducer:
    id: int
    slug: str
    name: str
    province_code: int


@dataclass(frozen=True, slots=True)
class CardProduct:
    """The columns of a product a card (or the API's product summary) shows."""

    id: int
    slug: str
    name: str
    name_en: str
    group_code: str
    price_from: int | None
    rating_count: int
    rating_sum: int
    sold_count: int
    created_at: datetime
    producer: CardProducer
    photos: tuple[CardPhoto, ...]  # the first photo, or none

    @property
    def rating_average(self) -> float | None:
        return self.rating_sum / self.rating_count if self.rating_count else None


_PRODUCT_COLUMNS = (
    Product.id,
    Product.slug,
    Product.name,
    Product.name_en,
    Product.group_code,
    Product.price_from,
    Product.rating_count,
    Product.rating_sum,
    Product.sold_count,
    Product.created_at,
)
_PRODUCER_COLUMNS = (Producer.id, Producer.slug, Producer.name, Producer.province_code)
# Made once: building an alias and the correlated subquery costs more per page than
# running them.
_photo = aliased(ProductPhoto, name="card_photo")
_first = aliased(ProductPhoto, name="first_photo")
_FIRST_PHOTO_ID = (
    Select(_first.id)
    .where(_first.product_id == Product.id)
    .order_by(_first.position, _first.id)
    .limit(1)
    .correlate(Product)
    .scalar_subquery()
)
_PHOTO_COLUMNS = (_photo.path, _photo.alt, _photo.width, _photo.height)


# The day the card's stars are for, bound when the statement runs, so that a statement
# built once (the home page's) serves every day.
CARD_TODAY = bindparam("card_today", type_=Date)


def card_select(stmt: Select[Any], extra: Sequence[ColumnElement[Any]] = ()) -> Select[Any]:
    """`stmt` (a select of Product joined to its Producer, with its conditions and
    order) selecting what a card shows, then the `extra` columns; run by read_cards."""
    columns = (
        *_PRODUCT_COLUMNS,
        *_PRODUCER_COLUMNS,
        *_PHOTO_COLUMNS,
        current_stars_expr(CARD_TODAY),
        *extra,
    )
    return stmt.with_only_columns(*columns, maintain_column_froms=False).outerjoin(
        _photo, _photo.id == _FIRST_PHOTO_ID
    )


def read_cards(
    session: Session, stmt: Select[Any], today: date, params: Mapping[str, Any] | None = None
) -> list[tuple[CardProduct, int | None, tuple[Any, ...]]]:
    """Run a `card_select` statement: (product, stars today, extra values) per row."""
    rows = read_columns(session, stmt, {"card_today": today, **(params or {})}).all()
    n_product, n_producer = len(_PRODUCT_COLUMNS), len(_PRODUCER_COLUMNS)
    cards = []
    for row in rows:
        producer = CardProducer(*row[n_product : n_product + n_producer])
        path, alt, width, height, stars, *values = row[n_product + n_producer :]
        photos = (CardPhoto(path, alt, width, height),) if path is not None else ()
        product = CardProduct(*row[:n_product], producer, photos)  # type: ignore[call-arg]
        cards.append((product, stars, tuple(values)))
    return cards
