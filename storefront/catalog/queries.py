"""What the catalogue pages show, each loaded in a fixed number of queries."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal, select
from sqlalchemy.orm import QueryableAttribute, contains_eager, selectinload

from storefront.catalog.groups import GROUPS_BY_CODE
from storefront.catalog.models import (
    OcopCertificate,
    Producer,
    Product,
    ProductPhoto,
    current_stars_expr,
)
from storefront.catalog.search import SearchClause, query_terms
from storefront.catalog.services import MAX_PRICE_VND
from storefront.extensions import Session
from storefront.money import vnd_or_none
from storefront.numbers import page_number, whole_number
from storefront.places.services import Province, find_province

SORTS = ("relevance", "newest", "price_asc", "price_desc", "stars")
# Counting stops here: "more than 10.000 products" says enough, and an exact count of a
# 100,000-product catalogue costs more than the page itself.
COUNT_CAP = 10_000
MAX_PAGE = 10_000


@dataclass(frozen=True)
class CatalogFilters:
    """The catalogue's query string, validated: bad values are dropped, never an error."""

    q: str = ""
    group: str | None = None
    stars: int | None = None
    province: Province | None = None
    min_price: int | None = None
    max_price: int | None = None
    sort: str = "newest"
    page: int = 1

    @property
    def is_search(self) -> bool:
        return bool(query_terms(self.q))

    @property
    def default_sort(self) -> str:
        return "relevance" if self.is_search else "newest"

    @property
    def is_narrowed(self) -> bool:
        """Whether the visitor set any filter beyond the search words and sort order."""
        narrowing = (self.group, self.stars, self.province, self.min_price, self.max_price)
        return any(value is not None for value in narrowing)

    def query_args(self) -> dict[str, str]:
        """The filters as query arguments, to carry them across pages and forms."""
        args = {
            "q": self.q,
            "group": self.group or "",
            "stars": str(self.stars or ""),
            "province": self.province.slug if self.province else "",
            "min_price": str(self.min_price or ""),
            "max_price": str(self.max_price or ""),
            "sort": "" if self.sort == self.default_sort else self.sort,
        }
        return {key: value for key, value in args.items() if value}


def parse_filters(args: Mapping[str, str]) -> CatalogFilters:
    """Read catalogue filters from a query string, ignoring anything malformed."""
    q = (args.get("q") or "").strip()[:200]
    group = args.get("group")
    province_raw = (args.get("province") or "").strip()[:80]
    # Prices as typed anywhere in the shop ("250.000 ₫"); a bad one is ignored.
    min_price = vnd_or_none(args.get("min_price"), 0, MAX_PRICE_VND)
    max_price = vnd_or_none(args.get("max_price"), 0, MAX_PRICE_VND)
    if min_price is not None and max_price is not None and min_price > max_price:
        min_price, max_price = max_price, min_price
    default_sort = "relevance" if query_terms(q) else "newest"
    sort = args.get("sort") or default_sort
    if sort not in SORTS or (sort == "relevance" and not query_terms(q)):
        sort = default_sort
    return CatalogFilters(
        q=q,
        group=group if group in GROUPS_BY_CODE else None,
        stars=whole_number(args.get("stars"), 3, 5),
        province=find_province(province_raw) if province_raw else None,
        min_price=min_price,
        max_price=max_price,
        sort=sort,
        page=page_number(args.get("page"), last=MAX_PAGE),
    )


@dataclass
class ProductCard:
    """A product as the catalogue lists it, with its stars as of today."""

    product: Product
    stars: int | None

    @property
    def photo(self) -> ProductPhoto | None:
        return self.product.photos[0] if self.product.photos else None


@dataclass
class CatalogPage:
    filters: CatalogFilters
    cards: list[ProductCard]
    total: int
    per_page: int
    total_is_capped: bool = False
    pages: int = field(init=False)

    def __post_init__(self) -> None:
        self.pages = max(1, math.ceil(self.total / self.per_page))

    @property
    def page(self) -> int:
        return self.filters.page


def _published() -> Select[tuple[Product]]:
    return (
        select(Product)
        .join(Product.producer)
        .where(Product.is_published.is_(True), Producer.is_active.is_(True))
    )


def _load_cards(session: Session, stmt: Select[tuple[Product]], today: date) -> list[ProductCard]:
    """Run a product query, loading what a card shows in two extra queries at most."""
    stars = current_stars_expr(today).label("stars")
    rows = session.execute(
        stmt.add_columns(stars).options(
            contains_eager(Product.producer), selectinload(Product.photos)
        )
    ).all()
    return [ProductCard(product=row[0], stars=row[1]) for row in rows]


def search_catalog(
    session: Session, filters: CatalogFilters, today: date, per_page: int
) -> CatalogPage:
    """One page of the catalogue for these filters, with the total count."""
    stmt = _published()
    relevance = None
    terms = query_terms(filters.q)
    if terms:
        dialect = session.get_bind().dialect.name
        stmt, relevance = SearchClause(terms).apply(stmt, dialect)
    if filters.group:
        stmt = stmt.where(Product.group_code == filters.group)
    if filters.province:
        # As a set of producer ids, so the database walks the (is_published, producer_id)
        # index for those producers instead of testing every product.
        in_province = select(Producer.id).where(Producer.province_code == filters.province.code)
        stmt = stmt.where(Product.producer_id.in_(in_province))
    if filters.min_price is not None:
        stmt = stmt.where(Product.price_from >= filters.min_price)
    if filters.max_price is not None:
        stmt = stmt.where(Product.price_from <= filters.max_price)
    if filters.stars:
        stmt = stmt.where(
            select(OcopCertificate.id)
            .where(
                and_(
                    OcopCertificate.product_id == Product.id,
                    OcopCertificate.status == "verified",
                    OcopCertificate.stars >= filters.stars,
                    OcopCertificate.decision_date <= today,
                    OcopCertificate.expires_on >= today,
                )
            )
            .exists()
        )

    # Count ids over the same joins rather than wrapping the whole row select: the
    # database can answer from indexes without reading the wide product rows.
    ids = stmt.with_only_columns(Product.id, maintain_column_froms=True).limit(COUNT_CAP + 1)
    counted = session.execute(select(func.count()).select_from(ids.subquery())).scalar_one()
    total, capped = min(counted, COUNT_CAP), counted > COUNT_CAP
    pages = max(1, math.ceil(total / per_page))
    page = min(filters.page, pages)
    if page != filters.page:
        filters = replace(filters, page=page)

    orders: dict[str, list[ColumnElement[Any] | QueryableAttribute[Any]]] = {
        "newest": [Product.created_at.desc(), Product.id.desc()],
        "price_asc": [Product.price_from.asc(), Product.id.desc()],
        "price_desc": [Product.price_from.desc(), Product.id.desc()],
        "stars": [current_stars_expr(today).desc().nulls_last(), Product.id.desc()],
    }
    order = orders.get(filters.sort)
    if order is None:  # relevance: names holding the words as typed first, then rank
        phrase = " ".join(terms)
        padded_name = literal(" ") + Product.search_name + literal(" ")
        order = [
            padded_name.contains(f" {phrase} ", autoescape=True).desc(),
            Product.search_name.startswith(phrase, autoescape=True).desc(),
            relevance if relevance is not None else Product.id,
            Product.id.desc(),
        ]
    stmt = stmt.order_by(*order).limit(per_page).offset((page - 1) * per_page)
    cards = _load_cards(session, stmt, today)
    return CatalogPage(
        filters=filters, cards=cards, total=total, per_page=per_page, total_is_capped=capped
    )


def newest_certified(session: Session, today: date, limit: int) -> list[ProductCard]:
    """The newest products that hold a valid certificate today, for the home page."""
    stars = current_stars_expr(today)
    stmt = (
        _published()
        .where(stars.is_not(None))
        .order_by(Product.created_at.desc(), Product.id.desc())
        .limit(limit)
    )
    return _load_cards(session, stmt, today)


def provinces_with_producers(session: Session) -> list[int]:
    """Codes of the provinces where at least one active producer sells."""
    stmt = select(Producer.province_code).where(Producer.is_active.is_(True)).distinct()
    return list(session.execute(stmt).scalars())


def product_detail(session: Session, slug: str) -> Product | None:
    """A published product with producer, variants, photos and certificates: 4 queries."""
    stmt = (
        _published()
        .where(Product.slug == slug)
        .options(
            contains_eager(Product.producer),
            selectinload(Product.variants),
            selectinload(Product.photos),
            selectinload(Product.certificates),
        )
    )
    return session.execute(stmt).unique().scalar_one_or_none()


def producer_detail(session: Session, slug: str) -> Producer | None:
    stmt = select(Producer).where(Producer.slug == slug, Producer.is_active.is_(True))
    return session.execute(stmt).scalar_one_or_none()


def producer_products(
    session: Session, producer: Producer, today: date, limit: int = 200
) -> list[ProductCard]:
    stmt = (
        _published().where(Product.producer_id == producer.id).order_by(Product.name).limit(limit)
    )
    return _load_cards(session, stmt, today)
