"""Diacritic-insensitive full-text search over products.

Each product carries `search_text`, the folded (no diacritics, đ→d, lower case)
text of its name, description, group, producer and province, old province names
included, so "tra vinh" finds products of Vĩnh Long. The index differs by database,
both created by the migrations:

- SQLite: an FTS5 table `product_fts` over product.search_text, kept by triggers;
  ranked with bm25.
- PostgreSQL: a stored generated column product.search_tsv =
  to_tsvector('simple', search_text) with a GIN index; ranked with ts_rank_cd,
  which reads the stored vector instead of re-parsing every matching text.

Queries are folded the same way; the last word matches as a prefix, so a buyer
typing "mat on" already finds "Mật ong", while earlier words must match whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Select,
    column,
    func,
    literal_column,
    select,
    table,
)

from storefront.catalog.groups import GROUPS_BY_CODE
from storefront.catalog.models import Producer, Product
from storefront.extensions import Session
from storefront.places.services import alias_names, get_province, get_ward
from storefront.text import fold

MAX_TERMS = 8
_TERM = re.compile(r"[a-z0-9]+")

_product_fts = table("product_fts", column("rowid"), column("rank"))
# Exists on PostgreSQL only (created by the migration, not mapped on the model).
_TSVECTOR: ColumnClause[Any] = literal_column("product.search_tsv")


def query_terms(raw: str) -> list[str]:
    """The folded words of a search box entry, at most MAX_TERMS of them."""
    return _TERM.findall(fold(raw))[:MAX_TERMS]


@dataclass(frozen=True)
class SearchClause:
    """How to narrow and rank a product query for one search."""

    terms: list[str]

    def apply(
        self, stmt: Select[tuple[Product]], dialect: str
    ) -> tuple[Select[tuple[Product]], ColumnElement[float]]:
        """Restrict `stmt` to matching products; return it with a relevance expression
        where smaller is better (as FTS5's bm25 rank is)."""
        if dialect == "postgresql":
            words = [*self.terms[:-1], f"{self.terms[-1]}:*"]
            tsquery = func.to_tsquery(literal_column("'simple'::regconfig"), " & ".join(words))
            stmt = stmt.where(_TSVECTOR.op("@@")(tsquery))
            return stmt, -func.ts_rank_cd(_TSVECTOR, tsquery)
        # Materialised so SQLite runs the full-text query once and joins its rows to
        # products; joined directly, the planner may probe the index once per product.
        matches = (
            select(_product_fts.c.rowid.label("product_id"), _product_fts.c.rank.label("rank"))
            .where(literal_column("product_fts").op("MATCH")(self._fts5_query()))
            .cte("search_matches")
            .prefix_with("MATERIALIZED")
        )
        stmt = stmt.join(matches, matches.c.product_id == Product.id)
        return stmt, matches.c.rank

    def _fts5_query(self) -> str:
        words = [f'"{term}"' for term in self.terms[:-1]]
        return " ".join([*words, f'"{self.terms[-1]}"*'])


def build_search_text(product: Product, producer: Producer) -> tuple[str, str]:
    """(search_name, search_text) for a product: everything a buyer might type."""
    return search_fields(
        name=product.name,
        name_en=product.name_en,
        group_code=product.group_code,
        subgroup_code=product.subgroup_code,
        description=product.description,
        producer_name=producer.name,
        province_code=producer.province_code,
        ward_code=producer.ward_code,
    )


def search_fields(
    *,
    name: str,
    name_en: str,
    group_code: str,
    subgroup_code: str,
    description: str,
    producer_name: str,
    province_code: int,
    ward_code: int,
) -> tuple[str, str]:
    """(search_name, search_text) from plain values, for bulk inserts without ORM objects."""
    province = get_province(province_code)
    ward = get_ward(ward_code)
    group = GROUPS_BY_CODE.get(group_code)
    parts = [
        name,
        name_en,
        group.name if group else "",
        group.subgroups.get(subgroup_code, "") if group else "",
        producer_name,
        province.name if province else "",
        ward.name if ward else "",
        " ".join(alias_names(province_code)),
        description,
    ]
    return fold(name), fold(" ".join(part for part in parts if part))


def refresh_search_text(session: Session, products: list[Product]) -> None:
    """Recompute the search fields of `products` (with producers loaded); the database
    index follows by trigger (SQLite) or by index maintenance (PostgreSQL)."""
    for product in products:
        product.search_name, product.search_text = build_search_text(product, product.producer)
    session.flush()
