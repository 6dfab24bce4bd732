"""The catalogue listing: filters, sorting, paging and bad values."""

from __future__ import annotations

import re

import pytest

from storefront.catalog import cache, deep_pages
from storefront.catalog.queries import parse_filters, search_catalog
from storefront.timeutil import today_in_vietnam
from tests.factories import VINH_LONG, VINH_LONG_WARD, make_producer, make_product


def listed(session, **args: str) -> list[str]:
    page = search_catalog(session, parse_filters(args), today_in_vietnam(), per_page=24)
    return [card.product.name for card in page.cards]


@pytest.fixture
def shelf(session):
    dien_bien = make_producer(session)
    vinh_long = make_producer(session, province_code=VINH_LONG, ward_code=VINH_LONG_WARD)
    make_product(session, dien_bien, name="A 3 sao 50k", stars=3, price=50_000)
    make_product(session, dien_bien, name="B 4 sao 150k", stars=4, price=150_000)
    make_product(session, vinh_long, name="C 5 sao 400k", stars=5, price=400_000)
    make_product(session, vinh_long, name="D hết hạn 90k", stars=5, price=90_000, expired=True)
    make_product(session, vinh_long, name="E không sao 20k", stars=None, price=20_000)
    make_product(session, vinh_long, name="F chưa đăng", published=False)
    make_product(
        session,
        dien_bien,
        name="G đồ uống",
        stars=4,
        price=30_000,
        group=("do-uong", "do-uong-khong-con"),
    )
    session.commit()


def test_unpublished_products_are_never_listed(session, shelf):
    assert "F chưa đăng" not in listed(session)


def test_stars_filter_counts_only_valid_certificates(session, shelf):
    assert sorted(listed(session, stars="4")) == ["B 4 sao 150k", "C 5 sao 400k", "G đồ uống"]
    assert listed(session, stars="5") == ["C 5 sao 400k"]


def test_province_filter_by_slug_or_old_name(session, shelf):
    vinh_long = {"C 5 sao 400k", "D hết hạn 90k", "E không sao 20k"}
    assert set(listed(session, province="vinh-long")) == vinh_long
    assert set(listed(session, province="Trà Vinh")) == vinh_long


def test_group_and_price_filters_combine(session, shelf):
    assert listed(session, group="thuc-pham", min_price="60.000", max_price="200000") == [
        "D hết hạn 90k",
        "B 4 sao 150k",
    ]


@pytest.mark.parametrize(
    ("sort", "first"),
    [("price_asc", "E không sao 20k"), ("price_desc", "C 5 sao 400k"), ("stars", "C 5 sao 400k")],
)
def test_sorting(session, shelf, sort, first):
    assert listed(session, sort=sort)[0] == first


def test_stars_sort_puts_expired_with_the_unranked(session, shelf):
    order = listed(session, sort="stars")
    assert order.index("D hết hạn 90k") > order.index("A 3 sao 50k")


@pytest.mark.parametrize(
    "args",
    [
        {"stars": "7"},
        {"stars": "abc"},
        {"province": "atlantis"},
        {"group": "<script>"},
        {"min_price": "-5"},
        {"max_price": "1e9"},
        {"sort": "DROP"},
        {"page": "0"},
        {"page": "999999999999"},
        {"page": "x"},
    ],
)
def test_bad_filter_values_are_ignored(client, shelf, args):
    page = client.get("/products", query_string=args)
    assert page.status_code == 200
    assert "6 sản phẩm" in page.get_data(as_text=True)


def test_swapped_price_range_is_understood(session, shelf):
    assert listed(session, min_price="200000", max_price="100000") == ["B 4 sao 150k"]


def test_paging_keeps_the_filters(client, session, app):
    producer = make_producer(session)
    for n in range(30):
        make_product(session, producer, name=f"Trà shan tuyết {n:02d}", stars=4)
    session.commit()
    first = client.get("/products?stars=4&q=tra").get_data(as_text=True)
    assert "30 sản phẩm" in first
    next_link = re.search(r'rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "stars=4" in next_link and "q=tra" in next_link and "page=2" in next_link
    second = client.get(next_link).get_data(as_text=True)
    assert second.count('class="card"') == 30 - app.config["PRODUCTS_PER_PAGE"]


def test_page_past_the_end_shows_the_last_page(client, shelf):
    html = client.get("/products?page=40").get_data(as_text=True)
    assert "Trang" not in html or "1 / 1" in html
    assert "A 3 sao 50k" in html


def test_counting_stops_at_the_cap(app, session, shelf, monkeypatch, client, is_postgres):
    from storefront.catalog import queries

    monkeypatch.setattr(queries, "COUNT_CAP", 3)
    monkeypatch.setattr(queries, "PG_EXACT_COUNT", 3)
    monkeypatch.setitem(app.config, "PRODUCTS_PER_PAGE", 2)
    page = search_catalog(session, parse_filters({}), today_in_vietnam(), per_page=2)
    html = client.get("/products").get_data(as_text=True)
    if is_postgres:  # past the exact count, the planner's estimate
        assert page.total_is_estimate and page.total > 3 and not page.total_is_capped
        assert f"Khoảng {page.total} sản phẩm" in html
    else:
        assert (page.total, page.total_is_capped, page.pages) == (3, True, 2)
        assert "Hơn 3 sản phẩm" in html
    exact = search_catalog(session, parse_filters({"stars": "5"}), today_in_vietnam(), 2)
    assert (exact.total, exact.total_is_capped, exact.total_is_estimate) == (1, False, False)


def test_an_empty_result_advises_only_what_the_visitor_did(client, session):
    """'Remove some filters' only when there are filters; a search alone is told to try
    other words; an empty shop just says so."""
    advice = "Hãy bỏ bớt bộ lọc"
    empty_shop = client.get("/products").text
    assert advice not in empty_shop and "Chưa có sản phẩm nào được bán." in empty_shop
    make_product(session, name="Mật ong hoa Ban", price=290_000)
    session.commit()
    searched = client.get("/products?q=khoai+so").text
    assert advice not in searched and "Hãy thử từ khóa khác." in searched
    filtered = client.get("/products?q=mat+ong&max_price=1000").text
    assert advice in filtered


PRICE_FILTERS = [
    {"min_price": "50000"},
    {"max_price": "100000"},
    {"min_price": "100000", "max_price": "500000", "stars": "4"},
    {"min_price": "20000", "max_price": "60000", "group": "thuc-pham", "sort": "stars"},
    {"max_price": "1000000", "sort": "rating"},
    {"min_price": "90000", "max_price": "150000", "sort": "newest"},
]


@pytest.mark.parametrize("args", PRICE_FILTERS)
def test_price_ranges_list_the_same_whichever_index_the_page_walks(app, session, monkeypatch, args):
    """SQLite walks the sort order's index for a wide price range and the price index for
    a narrow one (queries.PRICE_WALK_SHARE): either way the same products, in order."""
    from storefront.catalog import queries
    from storefront.demo.generate import generate_catalogue

    generate_catalogue(
        session, 300, seed=7, media_root=app.config["MEDIA_ROOT"], today=today_in_vietnam()
    )
    session.commit()
    pages = []
    for share in (0.0, 2.0):  # always walk the sort index; never
        monkeypatch.setattr(queries, "PRICE_WALK_SHARE", share)
        for page in ("1", "2"):
            result = search_catalog(
                session, parse_filters({**args, "page": page}), today_in_vietnam(), per_page=10
            )
            pages.append(([card.product.id for card in result.cards], result.total))
    assert pages[:2] == pages[2:]
    assert pages[0][0]  # the filters find something, so the comparison means something


def _every_page(session, per_page: int) -> list[list[int]]:
    pages = []
    for number in range(1, 40):
        args = parse_filters({"page": str(number)})
        page = search_catalog(session, args, today_in_vietnam(), per_page=per_page)
        if page.page != number:
            break  # past the last page
        pages.append([card.product.id for card in page.cards])
    return pages


def test_deep_pages_read_from_a_mark_list_what_skipping_every_row_lists(
    session, monkeypatch, is_postgres
):
    if not is_postgres:
        pytest.skip("SQLite skips the rows before a deep page itself")
    monkeypatch.setattr(deep_pages, "MARK_EVERY", 2)
    producer = make_producer(session)
    for n in range(23):
        make_product(session, producer, name=f"Sản phẩm {n}")
    session.commit()
    with monkeypatch.context() as unmarked:
        unmarked.setattr(deep_pages, "nearest_mark", lambda *args: None)
        expected = _every_page(session, per_page=2)
    assert len(expected) == 12
    assert _every_page(session, per_page=2) == expected
    assert deep_pages.nearest_mark(session, 7, 2) is not None  # the marks were used

    # A product listed since: the marks are read again (the catalogue version moved).
    make_product(session, producer, name="Sản phẩm mới")
    session.commit()
    cache.catalogue_changed()
    with monkeypatch.context() as unmarked:
        unmarked.setattr(deep_pages, "nearest_mark", lambda *args: None)
        expected = _every_page(session, per_page=2)
    assert _every_page(session, per_page=2) == expected
