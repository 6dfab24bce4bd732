"""A search that forgives: typos, glued and split words, telex and VNI leftovers.

The typo table runs on the demo catalogue, on whichever database the suite uses (CI runs
it on both), so the same typed queries give the same first result on SQLite and
PostgreSQL.
"""

from __future__ import annotations

import pytest

from storefront.catalog import services
from storefront.catalog.models import SearchTerm
from storefront.catalog.queries import parse_filters, search_catalog
from storefront.catalog.spelling import (
    Vocabulary,
    correct,
    rebuild_search_terms,
    vocabulary,
)
from storefront.timeutil import today_in_vietnam
from tests.factories import make_producer, make_product

# (typed, the first result's name, the suggestion offered or None when the words as
# typed found something)
TYPO_TABLE = [
    ("mat ongg", "Mật ong rừng U Minh", "mật ong"),  # one edit
    ("mat onh", "Mật ong rừng U Minh", "mật ong"),
    ("mật ongg", "Mật ong rừng U Minh", "mật ong"),
    ("matong", "Mật ong rừng U Minh", "mật ong"),  # glued
    ("maatj ong", "Mật ong rừng U Minh", "mật ong"),  # telex
    ("ma65t ong", "Mật ong rừng U Minh", "mật ong"),  # VNI
    ("ma ong", "Mật ong rừng U Minh", "mật ong"),  # unfinished word
    ("cafe", "Cà phê Arabica Sơn La", "cà phê"),  # respelled and glued
    ("caphe", "Cà phê Arabica Sơn La", "cà phê"),
    ("ca phe", "Cà phê Arabica Sơn La", None),
    ("ca fe", "Cà phê Arabica Sơn La", "cà phê"),
    ("yensao", "Nước yến sào Chư Sê đường phèn", "yến sào"),
    ("yeens saof", "Nước yến sào Chư Sê đường phèn", "yến sào"),
    ("dienbien", "Thịt lợn khô Điện Biên Đông", "điện biên"),
    ("lacj ddor", "Lạc đỏ Na Son", "lạc đỏ"),
    ("lac doo", "Lạc đỏ Na Son", "lạc đỏ"),
    ("khaoi so", "Khoai sọ Phì Nhừ", "khoai sọ"),  # two edits (a swap counts one)
    ("nuocdua", "Nước dừa xiêm Bến Tre", "nước dừa"),
    ("banh trangg", "Bánh tráng phơi sương Trảng Bàng", "bánh tráng"),
    ("gaonangthom", "Gạo Nàng thơm Chợ Đào", "gạo nàng thơm"),  # three glued words
    ("gao nang thon", "Gạo Nàng thơm Chợ Đào", "gạo nàng thơm"),  # a real word, misplaced
    ("bat trag", "Bình hút lộc gốm men rạn Bát Tràng", "bát tràng"),
    ("tinhdau hoi", "Tinh dầu hồi Lạng Sơn", "tinh dầu hồi"),
    ("ruouw mau son", "Rượu Mẫu Sơn", "rượu mẫu sơn"),
    ("che shan tuyeet", "Chè Shan tuyết cổ thụ Tủa Chùa", "chè shan tuyết"),
    ("tom khoo", "Tôm khô Rạch Gốc", "tôm khô"),
    ("cua gahc", "Cua gạch Cà Mau", "cua gạch"),
    ("mai vag bonsai", "Mai vàng bonsai Cái Mơn", "mai vàng bonsai"),
    ("tra vinh", "Bưởi da xanh Chợ Lách", None),  # the old province name, now Vĩnh Long
    ("bac lieu", "Cua gạch Cà Mau", None),  # Bạc Liêu merged into Cà Mau
]


@pytest.fixture
def demo_catalogue(app, session):
    from storefront.demo.load import load_demo

    load_demo(session, app.config["MEDIA_ROOT"], today_in_vietnam())
    rebuild_search_terms(session)
    session.commit()


def search(session, q: str, **args: str):
    return search_catalog(session, parse_filters({"q": q, **args}), today_in_vietnam(), 24)


def test_the_typo_table_finds_what_buyers_meant(session, demo_catalogue):
    assert len(TYPO_TABLE) == 30
    wrong = []
    for typed, first, suggestion in TYPO_TABLE:
        page = search(session, typed)
        found = page.cards[0].product.name if page.cards else None
        if (found, page.suggestion) != (first, suggestion):
            wrong.append(
                f"{typed!r}: {found!r}, {page.suggestion!r}; wanted {first!r}, {suggestion!r}"
            )
    assert not wrong, "\n".join(wrong)


def test_nothing_near_means_nothing_found(session, demo_catalogue):
    page = search(session, "xyzzyq")
    assert page.cards == [] and page.total == 0 and page.suggestion is None


def test_the_page_offers_the_correction_with_a_link(client, demo_catalogue):
    html = client.get("/products?q=mat+ongg&stars=3").get_data(as_text=True)
    assert "Có phải bạn muốn tìm:" in html
    assert 'href="/products?q=m%E1%BA%ADt+ong&amp;stars=3"' in html  # q=mật ong, filters kept
    assert "Mật ong hoa Ban" in html
    exact = client.get("/products?q=mat+ong").get_data(as_text=True)
    assert "Có phải bạn muốn tìm:" not in exact


def test_corrected_matches_come_after_exact_ones(session):
    producer = make_producer(session)
    make_product(session, producer, name="Gạo nàng thơm Chợ Đào")
    make_product(session, producer, name="Gạo nếp nương", description="Gạo nàng, thôn Bản Lác.")
    session.commit()
    page = search(session, "gao nang thon")
    assert [c.product.name for c in page.cards] == ["Gạo nếp nương", "Gạo nàng thơm Chợ Đào"]
    assert page.suggestion is None  # the words as typed found something
    assert page.total == 2


def test_unpublished_products_and_inactive_producers_stay_out_of_search(session):
    producer = make_producer(session)
    honey = make_product(session, producer, name="Mật ong hoa Ban")
    session.commit()
    assert [c.product.name for c in search(session, "mat ongg").cards] == ["Mật ong hoa Ban"]
    services.set_published(session, honey, False)
    session.commit()
    assert search(session, "mat ong").cards == [] and search(session, "mat ongg").total == 0
    services.set_published(session, honey, True)
    producer.is_active = False
    session.commit()
    assert search(session, "mat ong").cards == []
    producer.is_active = True
    session.commit()
    assert [c.product.name for c in search(session, "mat ong").cards] == ["Mật ong hoa Ban"]


# ---------------------------------------------------------------- the vocabulary


def terms(session) -> dict[str, tuple[int, int, str]]:
    rows = session.query(SearchTerm).all()
    return {t.term: (t.products, t.in_names, t.display) for t in rows}


def test_product_changes_top_up_the_vocabulary(session):
    producer = make_producer(session, name="HTX Ong mật U Minh")
    product = make_product(session, producer, name="Mật ong rừng")
    session.flush()
    held = terms(session)
    assert held["mat ong"] == (1, 1, "mật ong")
    assert held["rung"][:2] == (1, 1) and held["minh"][:2] == (1, 0)
    services.update_product(
        session,
        product,
        services.ProductData(
            name="Mật ong hoa Ban",
            group_code=product.group_code,
            subgroup_code=product.subgroup_code,
        ),
    )
    session.commit()
    held = terms(session)
    assert held["ong rung"][:2] == (0, 0) and held["hoa ban"][:2] == (1, 1)
    assert held["rung"][:2] == (0, 0)
    assert correct(["mat", "onh"], vocabulary(session)).terms == ("mat", "ong")


def test_rebuilding_counts_what_the_top_ups_counted(session):
    producer = make_producer(session, name="HTX Dừa Mỏ Cày")
    for name in ("Kẹo dừa Bến Tre", "Nước dừa xiêm", "Dầu dừa nguyên chất"):
        make_product(session, producer, name=name)
    session.commit()
    topped_up = terms(session)
    rebuild_search_terms(session)
    session.commit()
    rebuilt = terms(session)
    assert {t: v[:2] for t, v in rebuilt.items()} == {
        t: v[:2] for t, v in topped_up.items() if v[:2] != (0, 0)
    }
    assert rebuilt["dua"] == (3, 3, "dừa")


def test_common_pairs_of_the_search_text_are_kept_and_counted_on_edits(session, monkeypatch):
    """Pairs only descriptions (or places) hold are kept when common, for the match
    estimate; a product edit counts on a kept pair but adds no new one."""
    from storefront.catalog import spelling

    monkeypatch.setattr(spelling, "TEXT_PAIR_MIN", 2)
    producer = make_producer(session)
    for name in ("Rượu ngô", "Rượu táo mèo"):
        make_product(session, producer, name=name, description="Ủ men lá rừng.")
    make_product(session, producer, name="Chè búp", description="Sao tay trên chảo gang.")
    session.commit()
    rebuild_search_terms(session)
    session.commit()
    held = terms(session)
    assert held["men la"][:2] == (2, 0) and held["la rung"][:2] == (2, 0)
    assert "chao gang" not in held  # one product: too rare to keep
    assert vocabulary(session).text_pairs[("men", "la")] == 2
    make_product(session, producer, name="Rượu thóc", description="Men lá, ủ chum.")
    make_product(session, producer, name="Chè móc câu", description="Sao chảo gang.")
    session.commit()
    held = terms(session)
    assert held["men la"][:2] == (3, 0)
    assert "chao gang" not in held
    assert held["ruou thoc"][:2] == (1, 1)  # a name pair is added as before


# ---------------------------------------------------------------- correct() alone


@pytest.fixture
def words() -> Vocabulary:
    rows = [
        ("mat", 30, 20, "mật"),
        ("ong", 40, 25, "ong"),
        ("anh", 50, 2, "anh"),
        ("mat ong", 20, 20, "mật ong"),
        ("ca", 60, 10, "cá"),
        ("phe", 12, 12, "phê"),
        ("ca phe", 12, 12, "cà phê"),
        ("dien", 30, 5, "điện"),
        ("bien", 35, 6, "biên"),
        ("nuoc", 25, 25, "nước"),
    ]
    return Vocabulary.from_rows(rows)


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        (["mat", "ongg"], ("mat", "ong")),
        (["mat", "onh"], ("mat", "ong")),  # "anh" is as near and commoner, but not a pair
        (["maatj", "ong"], ("mat", "ong")),
        (["ma65t", "ong"], ("mat", "ong")),
        (["nuwowcs"], ("nuoc",)),
        (["matong"], ("mat", "ong")),
        (["cafe"], ("ca", "phe")),
        (["dienbien"], ("dien", "bien")),
        (["mat", "qqqq", "ong"], ("mat", "ong")),  # nothing near: dropped
    ],
)
def test_correct(words, typed, meant):
    assert correct(typed, words).terms == meant


def test_known_words_and_unfinished_last_words_stay(words):
    assert correct(["mat", "ong"], words) is None
    assert correct(["mat", "on"], words) is None  # "ong" is still being typed
    assert correct(["qqqq"], words) is None  # nothing to offer instead
    assert correct(["mat"], Vocabulary()) is None


def test_correction_is_shown_as_names_write_it(words):
    assert correct(["maatj", "onh"], words).display == "mật ong"
    assert correct(["dienbien"], words).display == "điện biên"


def test_the_match_estimate_ends_a_run_of_name_pairs_where_a_word_comes_back():
    """ "ho tieu ho chi minh" is two phrases, hồ tiêu and Hồ Chí Minh: not one run of
    pairs through the repeated "ho" (estimated 2,121 of 100,000 when 77 matched)."""
    rows = [
        ("san", 100_000, 100_000, ""),
        ("ho", 31_000, 6_000, ""),
        ("tieu", 3_000, 3_000, ""),
        ("chi", 3_000, 2_700, ""),
        ("minh", 6_600, 2_600, ""),
        ("mat", 8_000, 8_000, ""),
        ("ong", 8_000, 8_000, ""),
        ("ho tieu", 0, 3_000, "hồ tiêu"),
        ("ho chi", 0, 2_100, "Hồ Chí"),
        ("chi minh", 0, 2_100, "Chí Minh"),
        ("mat ong", 0, 7_900, "mật ong"),
    ]
    words = Vocabulary.from_rows(rows)

    def in_names(*typed: str) -> int:
        return words.matches(typed, in_names=True, last_is_prefix=False)

    assert in_names("ho", "tieu") == 3_000
    assert in_names("ho", "chi", "minh") == 2_100
    assert in_names("ho", "tieu", "ho", "chi", "minh") == round(3_000 * 2_100 / 100_000)
    assert in_names("mat", "ong", "mat") == 7_900  # said again: nothing narrower


def test_words_that_pair_far_above_chance_count_as_one_phrase():
    """ "ninh binh": 2,015 of 100,000 names hold the pair, chance would give 349; an old
    province name such as "kon tum" sits together in the search texts, not in names."""
    rows = [
        ("san", 100_000, 100_000, ""),
        ("ninh", 15_000, 8_624, ""),
        ("binh", 27_000, 4_042, ""),
        ("kon", 2_900, 0, ""),
        ("tum", 3_000, 0, ""),
        ("ninh binh", 4_000, 2_015, "Ninh Bình"),
        ("kon tum", 2_900, 0, ""),
    ]
    words = Vocabulary.from_rows(rows)
    assert words.matches(["ninh", "binh"], in_names=True, last_is_prefix=False) == 2_015
    assert words.matches(["kon", "tum"], in_names=False, last_is_prefix=False) == 2_900
    assert words.matches(["kon", "tum"], in_names=True, last_is_prefix=False) == 0
    assert ("kon", "tum") not in words.pairs  # not offered as a correction's name pair
