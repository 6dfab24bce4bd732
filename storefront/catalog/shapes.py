"""The listing's statements, built once per shape and run with their values bound.

Building a listing page's two statements (the count and the page's cards) and working
out the cache key SQLAlchemy compiles them under cost about as much as running them
at 100,000 products. Their structure depends only on which filters are set, the sort
order and the plan chosen, not on the values (this province, that page), so the
filters are written as bound parameters (`narrowing`, `filter_values`) and each
structure is built once per process (`built`), keeping its memoised cache key.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import ColumnElement, Integer, String, bindparam, select

from storefront.catalog.models import Producer, Product

if TYPE_CHECKING:
    from storefront.catalog.queries import CatalogFilters

MAX_SHAPES = 1_000  # filters present × sort × plan: a few hundred at most
_built: dict[Hashable, Any] = {}
T = TypeVar("T")

# The values a page binds when its statements run.
PAGE_LIMIT = bindparam("page_limit", type_=Integer)
PAGE_OFFSET = bindparam("page_offset", type_=Integer)
_GROUP = bindparam("filter_group", type_=String)
_PROVINCE = bindparam("filter_province", type_=Integer)
_MIN_PRICE = bindparam("filter_min_price", type_=Integer)
_MAX_PRICE = bindparam("filter_max_price", type_=Integer)
_STARS = bindparam("filter_stars", type_=Integer)


def built(key: Hashable, build: Callable[[], T]) -> T:
    """What `build` makes for `key`, made once per process."""
    try:
        found: T = _built[key]
        return found
    except KeyError:
        pass
    if len(_built) >= MAX_SHAPES:
        _built.clear()
    made = _built[key] = build()
    return made


def shape(filters: CatalogFilters) -> tuple[bool, ...]:
    """Which of the narrowing filters are set: what `narrowing`'s conditions depend on."""
    return (
        bool(filters.group),
        filters.province is not None,
        filters.min_price is not None,
        filters.max_price is not None,
        bool(filters.stars),
    )


def narrowing(
    filters: CatalogFilters, price_from: ColumnElement[Any] | None = None
) -> list[ColumnElement[bool]]:
    """The filters beyond the search words, as conditions on Product with their values
    bound (`filter_values`). `price_from`: the expression the price range tests
    (`price_from + 0` keeps SQLite off its price index)."""
    price = Product.price_from if price_from is None else price_from
    has_group, has_province, has_min, has_max, has_stars = shape(filters)
    conditions: list[ColumnElement[bool]] = []
    if has_group:
        conditions.append(Product.group_code == _GROUP)
    if has_province:
        # As a set of producer ids, so the database walks the index by producer for
        # those producers instead of testing every product.
        in_province = select(Producer.id).where(Producer.province_code == _PROVINCE)
        conditions.append(Product.producer_id.in_(in_province))
    if has_min:
        conditions.append(price >= _MIN_PRICE)
    if has_max:
        conditions.append(price <= _MAX_PRICE)
    if has_stars:
        conditions.append(Product.stars >= _STARS)  # kept by catalog.stars
    return conditions


def filter_values(filters: CatalogFilters) -> dict[str, Any]:
    """The values `narrowing`'s conditions bind."""
    return {
        "filter_group": filters.group,
        "filter_province": filters.province.code if filters.province else None,
        "filter_min_price": filters.min_price,
        "filter_max_price": filters.max_price,
        "filter_stars": filters.stars,
    }
