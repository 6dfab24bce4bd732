"""Diacritic-insensitive full-text search over products, forgiving of typos.

Each product carries `search_name`, its folded name (no diacritics, đ→d, lower case),
and `search_text`, the folded text of its name, description, group, producer and
province, old province names included, so "tra vinh" finds products of Vĩnh Long. The
index differs by database, both created by the migrations:

- SQLite: FTS5 tables `product_fts` (search_text) and `product_fts_name`
  (search_name) holding only listed products (published, of an active producer), kept
  by triggers, with prefix indexes for one to three letters.
- PostgreSQL: stored generated columns search_name_tsv and search_tsv
  (to_tsvector('simple', …)) with GIN indexes.

Queries are folded the same way; the last word matches as a prefix, so a buyer typing
"mat on" already finds "Mật ong", while earlier words must match whole. Relevance is a
tier, then the newest listing first:

0. the name holds every word as typed, whole;
1. the name holds every word, the last as a prefix;
2. the search text holds every word, the last as a prefix;
3. and 4. the same as 1. and 2. for the words as catalog.spelling corrected them.

Each tier is read in index order (product id, newest first) and stops after as many
rows as the page needs, so ranking never sorts every match of a broad word; the same
tiers give the same order on both databases.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    CTE,
    BindParameter,
    ColumnElement,
    Integer,
    Select,
    String,
    Subquery,
    bindparam,
    column,
    false,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    union_all,
)

from storefront.catalog.groups import GROUPS_BY_CODE
from storefront.catalog.models import Producer, Product
from storefront.catalog.spelling import note_search_text
from storefront.extensions import Session
from storefront.places.services import alias_names, get_province, get_ward
from storefront.text import fold

MAX_TERMS = 8
_TERM = re.compile(r"[a-z0-9]+")

# Two FTS5 tables on SQLite: names alone, and the whole search text.
_FTS_TABLES = {
    "name": table("product_fts_name", column("rowid")),
    "text": table("product_fts", column("rowid")),
}
# Exist on PostgreSQL only (created by the migrations, not mapped on the model).
_TSVECTOR: dict[str, ColumnElement[Any]] = {
    "name": literal_column("product.search_name_tsv"),
    "text": literal_column("product.search_tsv"),
}
CORRECTED_TIER = 3
# Where reading PostgreSQL's id index beats reading every match from the GIN index.
# Measured at 100,000 products: walking the ids tests a row in ~0.4 µs, the GIN index
# costs ~1 µs a match for one word and 3-7 µs for several words (its bitmap, then the
# heap), so the walk for a page of 24 is cheaper once a tier matches about 700.
PG_WALK_FROM = 700
# Counting stops at about a hundred (queries.PG_EXACT_COUNT): the walk reads four times
# as far as for a page, and is cheaper once about 2,000 match (1.6 against 2 ms for
# one word; 3 against 17 ms for "tom kho th", 2,093 matches).
PG_COUNT_WALK_FROM = 2_000
# A short last word read as a prefix ("la:*") spreads over many GIN entries (lam, lang,
# lao…): "nuoc & yen & la:*" cost 5.7 ms to read from the index for 1,758 matches. When
# the whole words alone are expected to match fewer products than this, the index reads
# only them and the rows found are checked against the prefix (0.8 ms for "cam vinh son
# la" in descriptions, 5.6 ms read whole).
PG_CHECK_UNDER = 1_000


def query_terms(raw: str) -> list[str]:
    """The folded words of a search box entry, at most MAX_TERMS of them."""
    return _TERM.findall(fold(raw))[:MAX_TERMS]


# The search's values, bound when its statements run: a statement is built once per
# shape (catalog.shapes), whatever the words.
SEARCH_DEPTH = bindparam("search_depth", type_=Integer)  # rows each tier reads at most
SEARCH_ANY = bindparam("search_any", type_=String)  # SQLite: any broadest tier's query

# How PostgreSQL reads a tier or the count: from the GIN index, along the id index, or
# as its planner chooses (when other filters change how many rows match).
INDEX, WALK, PLANNER = "index", "walk", "planner"


@dataclass(frozen=True)
class Tier:
    rank: int
    field: str  # "name" or "text"
    words: tuple[str, ...]
    last_is_prefix: bool

    @property
    def key(self) -> str:
        """The name of the parameter the tier's query is bound to."""
        return f"search_tier_{self.rank}"

    @property
    def index_key(self) -> str:
        """PostgreSQL: the parameter of what pg_indexed reads from the GIN index."""
        return f"{self.key}_index"

    @property
    def check_key(self) -> str:
        """PostgreSQL: the parameter of what pg_indexed checks on the rows read."""
        return f"{self.key}_check"

    def fts5(self) -> str:
        """The FTS5 query; words are [a-z0-9]+, so quoting them keeps them plain words."""
        words = [f'"{w}"' for w in self.words]
        if self.last_is_prefix:
            words[-1] += "*"
        return f"({' '.join(words)})"

    def tsquery_text(self) -> str:
        words = list(self.words)
        if self.last_is_prefix:
            words[-1] += ":*"
        return " & ".join(words)

    def fts5_match(self) -> ColumnElement[bool]:
        return _fts5_match(self.field, bindparam(self.key, type_=String))

    def tsquery(self) -> ColumnElement[object]:
        return _to_tsquery(bindparam(self.key, type_=String))

    def pg_match(self) -> ColumnElement[bool]:
        return _TSVECTOR[self.field].op("@@")(self.tsquery())

    def pg_indexed(self) -> ColumnElement[bool]:
        """pg_match, for reading from the GIN index: the index reads the query bound to
        `index_key`; the rows it finds are checked against the tier's own query unless
        `check_key` is bound empty (see `pg_values`)."""
        tsv = _TSVECTOR[self.field]
        index_query = bindparam(self.index_key, type_=String)
        check = bindparam(self.check_key, type_=String)
        # The check is hidden from the index (see _walked) and dropped by the planner
        # when it is bound empty.
        checked = or_(check == "", func.coalesce(tsv.op("@@")(_to_tsquery(check)), false()))
        return tsv.op("@@")(_to_tsquery(index_query)) & checked

    def pg_values(self, matches: Callable[[Tier], int] | None) -> dict[str, str]:
        """The tier's query, and what pg_indexed reads from the index and checks: the
        whole words alone, then the prefix on the rows found, when `matches` expects the
        whole words to match fewer than PG_CHECK_UNDER products; else the query itself."""
        query = self.tsquery_text()
        whole = Tier(self.rank, self.field, self.words[:-1], last_is_prefix=False)
        if (
            self.last_is_prefix
            and whole.words
            and matches is not None
            and matches(whole) < PG_CHECK_UNDER
        ):
            index_query, check = whole.tsquery_text(), query
        else:
            index_query, check = query, ""
        return {self.key: query, self.index_key: index_query, self.check_key: check}


@dataclass(frozen=True)
class SearchClause:
    """One search: the words as typed and, when the vocabulary corrected them, as meant.

    Its statements bind the words (`values`), so each is built once per `shape`."""

    terms: tuple[str, ...]
    corrected: tuple[str, ...] | None = None

    def tiers(self) -> list[Tier]:
        tiers = [
            Tier(0, "name", self.terms, last_is_prefix=False),
            Tier(1, "name", self.terms, last_is_prefix=True),
            Tier(2, "text", self.terms, last_is_prefix=True),
        ]
        if self.corrected:
            tiers += [
                Tier(CORRECTED_TIER, "name", self.corrected, last_is_prefix=True),
                Tier(CORRECTED_TIER + 1, "text", self.corrected, last_is_prefix=True),
            ]
        return tiers

    def _broadest(self) -> list[Tier]:
        """The tiers every match belongs to at least one of."""
        return [t for t in self.tiers() if t.field == "text"]

    def values(
        self, dialect: str, depth: int, matches: Callable[[Tier], int] | None = None
    ) -> dict[str, object]:
        """The parameters the search's statements bind; `depth` as for `ranked`,
        `matches` as for `plans` (what PostgreSQL reads from the index, Tier.pg_values)."""
        bound: dict[str, object] = {SEARCH_DEPTH.key: depth}
        if dialect == "postgresql":
            for tier in self.tiers():
                bound |= tier.pg_values(matches)
        else:
            bound |= {tier.key: tier.fts5() for tier in self.tiers()}
            bound[SEARCH_ANY.key] = " OR ".join(tier.fts5() for tier in self._broadest())
        return bound

    def plans(
        self, dialect: str, filtered: bool, matches: Callable[[Tier], int] | None
    ) -> tuple[str, ...]:
        """How PostgreSQL reads each tier: `matches` estimates how many products a tier
        matches (see Vocabulary.matches); a tier expected to match few products is read
        from its GIN index and sorted, one expected to match many in id order until
        enough rows match. PostgreSQL's planner, left to itself, misjudges both for words
        that come together ("mat ong") or hardly ever do. Other filters (`filtered`)
        change how many rows match: the planner's choice then."""
        if dialect != "postgresql":
            return ()
        if filtered or matches is None:
            return tuple(PLANNER for _ in self.tiers())
        return tuple(INDEX if matches(t) < PG_WALK_FROM else WALK for t in self.tiers())

    def count_plan(
        self, dialect: str, filtered: bool, matches: Callable[[Tier], int] | None
    ) -> str:
        """How PostgreSQL reads the matches to count them (see matching_ids)."""
        if dialect != "postgresql" or filtered or matches is None:
            return INDEX
        expected = sum(matches(t) for t in self._broadest())
        return INDEX if expected < PG_COUNT_WALK_FROM else WALK

    def shape(self) -> bool:
        """What the statements' structure depends on besides the plans: corrected or not."""
        return self.corrected is not None

    def shares_text_matches(self, dialect: str, plans: Sequence[str], count_plan: str) -> bool:
        """Whether PostgreSQL reads the text tiers and the count from the GIN index alike,
        so one read (`text_matches`) can serve them all instead of one each (the same
        bitmap of "son & la:*" cost 5-6 ms each time at 100,000 products)."""
        if dialect != "postgresql" or count_plan != INDEX:
            return False
        text = [
            plan for tier, plan in zip(self.tiers(), plans, strict=True) if tier.field == "text"
        ]
        return all(plan == INDEX for plan in text)

    def text_matches(self) -> CTE:
        """Every listed product matching a text tier, read once from the GIN index, with
        which of the text tiers it matches (`tier_2`, `tier_4`)."""
        broadest = self._broadest()
        flags = [tier.pg_match().label(f"tier_{tier.rank}") for tier in broadest]
        return (
            select(Product.id.label("product_id"), *flags)
            .where(Product.listed(), or_(*(tier.pg_indexed() for tier in broadest)))
            .cte("text_matches")
            .prefix_with("MATERIALIZED")
        )

    def ranked(
        self,
        dialect: str,
        conditions: Sequence[ColumnElement[bool]],
        plans: Sequence[str],
        text_matches: CTE | None = None,
    ) -> Select[Any]:
        """(product_id, tier) of the best SEARCH_DEPTH matches of each tier, each product
        once with its best tier. Unordered: the caller orders by (tier, product_id desc).
        `plans`: how PostgreSQL reads each tier (see `plans`); `text_matches`: the text
        tiers' matches read once (see `shares_text_matches`)."""
        parts = []
        for i, tier in enumerate(self.tiers()):
            if text_matches is not None and tier.field == "text":
                part = (
                    select(text_matches.c.product_id, literal(tier.rank).label("tier"))
                    .where(text_matches.c[f"tier_{tier.rank}"])
                    .order_by(text_matches.c.product_id.desc())
                    .limit(SEARCH_DEPTH)
                )
            elif dialect == "postgresql":
                part = _pg_tier(tier, conditions, plans[i])
            else:
                fts = _FTS_TABLES[tier.field]
                part = select(
                    fts.c.rowid.label("product_id"), literal(tier.rank).label("tier")
                ).where(tier.fts5_match())
                if conditions:
                    part = part.join(Product, Product.id == fts.c.rowid).where(*conditions)
                part = part.order_by(fts.c.rowid.desc()).limit(SEARCH_DEPTH)
            # Wrapped, so each member keeps its own ORDER BY and LIMIT in the union.
            parts.append(select(part.subquery()))
        union = union_all(*parts).subquery("tiers")
        return select(union.c.product_id, func.min(union.c.tier).label("tier")).group_by(
            union.c.product_id
        )

    def matching(self, dialect: str) -> ColumnElement[bool]:
        """A condition on Product: it matches the search (as typed or as corrected)."""
        if dialect == "postgresql":
            return or_(*(tier.pg_match() for tier in self._broadest()))
        fts = _FTS_TABLES["text"]
        return Product.id.in_(select(fts.c.rowid).where(_fts5_match("text", SEARCH_ANY)))

    def matching_ids(
        self, dialect: str, conditions: Sequence[ColumnElement[bool]], plan: str = INDEX
    ) -> Select[Any]:
        """Ids of every listed product matching the search (for counting, up to a cap).

        On PostgreSQL, with the WALK plan (many expected), newest first along the id
        index, so counting to the cap reads few rows; otherwise from the GIN index."""
        if dialect == "postgresql":
            if plan != WALK:
                indexed = or_(*(t.pg_indexed() for t in self._broadest()))
                return select(Product.id).where(Product.listed(), indexed, *conditions)
            match = or_(*(t.pg_match() for t in self._broadest()))
            # Along the id index, stopping at the cap (see _walked).
            walked = select(Product.id).where(Product.listed(), _walked(match), *conditions)
            return walked.order_by(Product.id.desc())
        fts = _FTS_TABLES["text"]
        ids = select(fts.c.rowid).where(_fts5_match("text", SEARCH_ANY))
        if conditions:
            ids = ids.join(Product, Product.id == fts.c.rowid).where(*conditions)
        return ids


def _pg_tier(tier: Tier, conditions: Sequence[ColumnElement[bool]], plan: str) -> Select[Any]:
    if plan == INDEX:
        # Behind OFFSET 0 the planner cannot walk the id index instead: every match
        # comes from the GIN index, then the best SEARCH_DEPTH by id.
        found = (
            select(Product.id.label("product_id"))
            .where(Product.listed(), tier.pg_indexed(), *conditions)
            .offset(0)
            .subquery()
        )
        return (
            select(found.c.product_id, literal(tier.rank).label("tier"))
            .order_by(found.c.product_id.desc())
            .limit(SEARCH_DEPTH)
        )
    # Many matches: walk the id index newest first, testing each row, until enough
    # match. Other filters change how many rows match: the planner's choice then.
    match = tier.pg_match() if plan == PLANNER else _walked(tier.pg_match())
    return (
        select(Product.id.label("product_id"), literal(tier.rank).label("tier"))
        .where(Product.listed(), match, *conditions)
        .order_by(Product.id.desc())
        .limit(SEARCH_DEPTH)
    )


def _walked(match: ColumnElement[bool]) -> ColumnElement[bool]:
    """`match`, written so that PostgreSQL walks the id index to answer it: it can
    neither read coalesce(…) from the GIN index nor estimate it (it takes it for half the
    rows, so a page's worth lies just ahead along the ids). Left to itself, the planner
    multiplies the words' shares as if independent and, for words that come together
    ("thit trau gac bep": 2,503 matches, it expects one), reads every match from the GIN
    index and sorts them, 6-20 ms where the walk takes under one. The vocabulary's
    estimate can run high too, for words that pair up but never all together ("thit lon
    kho ca": 2,108 expected, 36 found), and the walk then reads most ids (about 80 ms):
    1 of 300 cold searches, where most searches of several words save 10-20 ms."""
    return func.coalesce(match, false())


def _to_tsquery(query: BindParameter[str]) -> ColumnElement[object]:
    return func.to_tsquery(literal_column("'simple'::regconfig"), query)


def _fts5_match(field: str, query: BindParameter[str]) -> ColumnElement[bool]:
    fts = _FTS_TABLES[field]
    return literal_column(fts.name).op("MATCH")(query)


def ranked_subquery(
    ranked: Select[Any], limit: BindParameter[int], offset: BindParameter[int]
) -> Subquery:
    """The page's slice of a ranked (product_id, tier) selection, best first."""
    return (
        ranked.order_by(literal_column("tier"), literal_column("product_id").desc())
        .limit(limit)
        .offset(offset)
        .subquery("page")
    )


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
    index follows by trigger (SQLite) or by index maintenance (PostgreSQL), and the
    spelling vocabulary learns any new words."""
    for product in products:
        before = (product.search_name or "", product.search_text or "")
        product.search_name, product.search_text = build_search_text(product, product.producer)
        if (product.search_name, product.search_text) != before:
            after = (product.search_name, product.search_text)
            note_search_text(session, before, after, product.name)
    session.flush()
