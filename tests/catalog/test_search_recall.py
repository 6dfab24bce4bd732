"""No silent loss of recall: what the fast search path shows is what ranking every match
would show.

The pages read each relevance tier in index order and stop early, skip the count when
the first page holds everything, and on PostgreSQL pick how to read each tier from the
vocabulary's estimates. Here a plain reference, written independently in Python over
every listed product's search text, ranks the same queries with no shortcut at all; the
pages must list exactly its products, in its order, and count them the same.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from storefront.catalog.models import Producer, Product
from storefront.catalog.queries import parse_filters, search_catalog
from storefront.catalog.search import CORRECTED_TIER, query_terms
from storefront.catalog.spelling import correct, rebuild_search_terms, vocabulary
from storefront.demo.generate import generate_catalogue
from storefront.timeutil import today_in_vietnam

WORD = re.compile(r"[a-z0-9]+")
PER_PAGE = 7
PAGES = 3
SAMPLE = [
    "mat ong",
    "mat ong h",
    "gao nep c",
    "Mật ong hoa ban",
    "gao",
    "g",
    "ch",
    "tra",
    "ca phe",
    "caphe",
    "dien bien",
    "tra vinh",
    "yen sao",
    "thit trau gac bep",
    "banh trang tay ninh",
    "mat ongg",
    "maatj ong",
    "gaonep",
    "hoa",
    "htx",
    "che shan tuyet",
    "ruou",
    "nuoc mam",
    "bo",
    "xyzzyq",
]


@pytest.fixture
def catalogue(app, session):
    generate_catalogue(
        session, 400, seed=5, media_root=app.config["MEDIA_ROOT"], today=today_in_vietnam()
    )
    session.commit()
    rebuild_search_terms(session)
    session.commit()


def _holds(words: set[str], wanted: tuple[str, ...], last_is_prefix: bool) -> bool:
    *whole, last = wanted
    if not all(w in words for w in whole):
        return False
    return any(w.startswith(last) for w in words) if last_is_prefix else last in words


def reference(session, q: str) -> list[int]:
    """Every match of `q`, best first, ranked the long way round."""
    terms = tuple(query_terms(q))
    if not terms:
        return []
    correction = correct(list(terms), vocabulary(session))
    rows = session.execute(
        select(Product.id, Product.search_name, Product.search_text)
        .join(Product.producer)
        .where(Product.is_published.is_(True), Producer.is_active.is_(True))
    ).all()
    ranked = []
    for product_id, search_name, search_text in rows:
        name, text = set(WORD.findall(search_name)), set(WORD.findall(search_text))
        tiers = []
        if _holds(name, terms, last_is_prefix=False):
            tiers.append(0)
        if _holds(name, terms, last_is_prefix=True):
            tiers.append(1)
        if _holds(text, terms, last_is_prefix=True):
            tiers.append(2)
        if correction and _holds(name, correction.terms, last_is_prefix=True):
            tiers.append(CORRECTED_TIER)
        if correction and _holds(text, correction.terms, last_is_prefix=True):
            tiers.append(CORRECTED_TIER + 1)
        if tiers:
            ranked.append((min(tiers), -product_id, product_id))
    return [product_id for _, _, product_id in sorted(ranked)]


@pytest.fixture(
    params=[
        "as estimated",
        "always the GIN index",
        "the whole words from the GIN index, then the prefix checked",
        "always the id walk",
    ]
)
def reads(request, is_postgres, monkeypatch):
    """How PostgreSQL reads each tier, which must not change what the pages show."""
    from storefront.catalog import search

    if request.param != "as estimated":
        if not is_postgres:
            pytest.skip("SQLite reads every tier one way")
        threshold = 0 if request.param == "always the id walk" else 10**9
        monkeypatch.setattr(search, "PG_WALK_FROM", threshold)
        monkeypatch.setattr(search, "PG_COUNT_WALK_FROM", threshold)
        checked = request.param.endswith("checked")
        monkeypatch.setattr(search, "PG_CHECK_UNDER", 10**9 if checked else 0)
    return request.param


@pytest.mark.parametrize("q", SAMPLE)
def test_pages_list_what_ranking_every_match_lists(session, reads, catalogue, q):
    expected = reference(session, q)
    shown = []
    for page in range(1, PAGES + 1):
        result = search_catalog(
            session, parse_filters({"q": q, "page": str(page)}), today_in_vietnam(), PER_PAGE
        )
        if result.page != page:
            break  # past the last page
        shown += [card.product.id for card in result.cards]
    assert shown == expected[: PER_PAGE * PAGES]
    first = search_catalog(session, parse_filters({"q": q}), today_in_vietnam(), PER_PAGE)
    if not first.total_is_estimate and not first.total_is_capped:
        assert first.total == len(expected)
    else:
        assert len(expected) > PER_PAGE
