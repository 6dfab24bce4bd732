"""Search ignores diacritics and case, covers producer and province, and ranks."""

from __future__ import annotations

import pytest

from storefront.catalog.queries import parse_filters, search_catalog
from storefront.timeutil import today_in_vietnam
from tests.factories import VINH_LONG, VINH_LONG_WARD, make_producer, make_product


@pytest.fixture
def catalogue(session):
    dien_bien = make_producer(session, name="HTX Nông sản Mường Phăng")
    vinh_long = make_producer(
        session, name="HTX Dừa Càng Long", province_code=VINH_LONG, ward_code=VINH_LONG_WARD
    )
    products = {
        "honey": make_product(session, dien_bien, name="Mật ong hoa Ban", stars=4),
        "peanut": make_product(session, dien_bien, name="Lạc đỏ Na Son", stars=3),
        "pork": make_product(
            session,
            dien_bien,
            name="Thịt lợn khô",
            stars=3,
            description="Gác bếp, tẩm mật ong rừng.",
        ),
        "coconut": make_product(session, vinh_long, name="Kẹo dừa sáp", stars=3),
    }
    session.commit()
    return products


def names(session, q: str, **args: str) -> list[str]:
    filters = parse_filters({"q": q, **args})
    page = search_catalog(session, filters, today_in_vietnam(), per_page=24)
    return [card.product.name for card in page.cards]


def test_search_without_diacritics_finds_the_product(session, catalogue):
    assert names(session, "mat ong")[0] == "Mật ong hoa Ban"
    assert names(session, "MẬT ONG")[0] == "Mật ong hoa Ban"


def test_name_match_ranks_above_description_match(session, catalogue):
    assert names(session, "mat ong") == ["Mật ong hoa Ban", "Thịt lợn khô"]


def test_search_covers_province_and_producer(session, catalogue):
    assert set(names(session, "dien bien")) == {"Mật ong hoa Ban", "Lạc đỏ Na Son", "Thịt lợn khô"}
    assert names(session, "cang long") == ["Kẹo dừa sáp"]


def test_search_with_every_word_folded(session, catalogue):
    assert names(session, "lac do na son") == ["Lạc đỏ Na Son"]


def test_old_province_name_finds_the_merged_province(session, catalogue):
    # Trà Vinh merged into Vĩnh Long in 2025; buyers still type the old name.
    assert names(session, "tra vinh") == ["Kẹo dừa sáp"]


def test_words_match_as_prefixes(session, catalogue):
    assert names(session, "mat on")[0] == "Mật ong hoa Ban"
    # Only the last word is a prefix as typed; an earlier unfinished word is completed
    # by the spelling correction, which says so.
    page = search_catalog(session, parse_filters({"q": "ma ong"}), today_in_vietnam(), 24)
    assert page.suggestion == "mật ong"


def test_search_combines_with_filters(session, catalogue):
    assert names(session, "dien bien", stars="4") == ["Mật ong hoa Ban"]


@pytest.mark.parametrize(
    "hostile", ['"', "mat AND", "*", "NEAR(", "ong) OR (1", "'; DROP TABLE product; --", "ℌ𝔢𝔩𝔩𝔬"]
)
def test_query_syntax_from_the_box_is_harmless(session, catalogue, hostile):
    names(session, hostile)  # no exception: FTS syntax never reaches the database


def test_search_page_through_the_view(client, catalogue):
    page = client.get("/products?q=mat+ong")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Mật ong hoa Ban" in html
    assert "Kẹo dừa sáp" not in html


def test_search_uses_an_index(session, catalogue, is_postgres):
    """The search query is answered from the full-text index, not a scan of products."""
    from sqlalchemy import text

    if is_postgres:
        session.execute(text("SET enable_seqscan = off"))
        plan = session.execute(
            text(
                "EXPLAIN SELECT id FROM product"
                " WHERE search_tsv @@ to_tsquery('simple'::regconfig, 'mat & ong:*')"
            )
        ).all()
        assert "ix_product_search_tsv" in " ".join(row[0] for row in plan)
    else:
        plan = session.execute(
            text(
                "EXPLAIN QUERY PLAN SELECT product.id FROM product JOIN product_fts"
                ' ON product_fts.rowid = product.id WHERE product_fts MATCH \'"mat"* "ong"*\''
            )
        ).all()
        assert "VIRTUAL TABLE INDEX" in " ".join(str(row[-1]) for row in plan)


def test_phrase_in_the_name_outranks_prefix_matches(session, catalogue):
    make_product(session, name="Bánh tráng hoa Bằng", stars=3)
    session.commit()
    assert names(session, "hoa ban")[0] == "Mật ong hoa Ban"
