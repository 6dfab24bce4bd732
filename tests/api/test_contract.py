"""The API and the pages tell the same story: for the same query the same products in
the same order, the same total and prices; for a product the same packs, prices (a
fair's price while it is open) and stock state. Read from the HTML a visitor gets,
against the JSON a partner gets."""

from __future__ import annotations

import re

import pytest

from storefront.accounts.models import Role
from storefront.catalog import services as catalog
from storefront.fairs import services as fairs
from tests.accounts.helpers import make_user
from tests.api.helpers import conforms, spec_of
from tests.factories import make_producer, make_product
from tests.fairs.helpers import make_fair

GIA_LAI = 52
CARD = re.compile(r'<li class="card">\s*<a href="/products/([^"]+)"')
CARD_PRICE = re.compile(r'<li class="card">.*?</li>', re.S)
COUNT = re.compile(r'<p class="result-count">([^<]*)</p>')
VARIANTS = re.compile(r'<ul class="variants">(.*?)</ul>', re.S)
VARIANT = re.compile(r'<li>\s*<span class="variant-label"[^>]*>([^<]*)</span>(.*?)</li>', re.S)


def amount(text: str) -> int:
    return int(re.sub(r"\D", "", text))


@pytest.fixture
def shop(session):  # type: ignore[no-untyped-def]
    from storefront.places.services import wards_of

    dien_bien = make_producer(session, name="HTX Ong mật Mường Phăng")
    gia_lai = make_producer(
        session, name="HTX Yến Chư Sê", province_code=GIA_LAI, ward_code=wards_of(GIA_LAI)[0].code
    )
    honey = make_product(session, dien_bien, name="Mật ong hoa Ban", price=150_000, stars=4)
    catalog.add_variant(
        session,
        honey,
        catalog.VariantData(
            sku="MO-1KG", label="Hũ 1 kg", price_vnd=280_000, weight_grams=1000, stock=3
        ),
    )
    make_product(session, dien_bien, name="Mật ong bạc hà", price=210_000, stars=5, stock=0)
    make_product(session, dien_bien, name="Gạo Séng Cù", price=60_000, stars=3)
    make_product(session, dien_bien, name="Chè Shan Tuyết", price=95_000, stars=None)
    make_product(session, gia_lai, name="Yến sào Chư Sê", price=900_000, stars=5)
    make_product(session, gia_lai, name="Hồ tiêu Chư Sê", price=120_000, stars=4)
    make_product(session, gia_lai, name="Cà phê Gia Lai", price=180_000, stars=3, published=False)
    organiser = make_user(session, role=Role.ORGANISER)
    fair = make_fair(session, organiser, name="Hội chợ OCOP Điện Biên")
    fairs.accept_invitation(session, fairs.invite_exhibitor(session, fair, dien_bien.id))
    fairs.feature_variant(session, fair, variant_of_first(session, honey), 0, 120_000)
    session.commit()
    return {"honey": honey}


def variant_of_first(session, product) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from storefront.catalog.models import Variant

    return (
        session.execute(
            select(Variant.id).where(Variant.product_id == product.id).order_by(Variant.id)
        )
        .scalars()
        .first()
    )


EMPTY: list[dict[str, str]] = []  # queries expected to find nothing
QUERIES = [
    {},
    {"q": "mat ong"},
    {"q": "chu se", "sort": "price_asc"},
    {"stars": "4", "sort": "price_desc"},
    {"province": "gia-lai"},
    {"province": "Điện Biên", "sort": "stars"},
    {"min_price": "100.000", "max_price": "500000", "sort": "price_asc"},
    {"q": "mat ong", "sort": "relevance"},
    {"sort": "newest", "stars": "9"},  # a bad value, ignored by both
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.items()))
def test_the_list_is_the_products_page(client, shop, query):
    spec = spec_of(client)
    api = client.get("/api/v1/products", query_string=query)
    conforms(spec, "GET", "/api/v1/products", api)
    body = api.get_json()
    page = client.get("/products", query_string=query)
    assert page.status_code == 200
    slugs = CARD.findall(page.text)
    assert [item["slug"] for item in body["items"]] == slugs
    assert slugs or query in EMPTY, "the query should find something to compare"
    if slugs:
        assert amount(COUNT.search(page.text).group(1)) == body["total"]
    prices = [
        amount(m.group(1)) if (m := re.search(r'class="price">[^<]*?([\d.]+)', card)) else None
        for card in CARD_PRICE.findall(page.text)
    ]
    assert [item["price_from_vnd"] for item in body["items"]] == prices


def test_the_second_page_is_the_cursor_s(app, client, shop):
    before = app.config["PRODUCTS_PER_PAGE"]
    app.config["PRODUCTS_PER_PAGE"] = 2
    try:
        first = client.get("/api/v1/products", query_string={"sort": "price_asc"}).get_json()
        second = client.get(
            "/api/v1/products", query_string={"sort": "price_asc", "cursor": first["next_cursor"]}
        ).get_json()
        page = client.get("/products", query_string={"sort": "price_asc", "page": "2"})
    finally:
        app.config["PRODUCTS_PER_PAGE"] = before
    assert [item["slug"] for item in second["items"]] == CARD.findall(page.text)
    assert len(second["items"]) == 2 and second["total"] == first["total"] == 6


def test_a_product_is_its_page_fair_price_and_stock_included(client, shop):
    honey = shop["honey"]
    spec = spec_of(client)
    api = client.get(f"/api/v1/products/{honey.slug}")
    conforms(spec, "GET", f"/api/v1/products/{honey.slug}", api)
    packs = api.get_json()["packs"]
    html = VARIANTS.search(client.get(f"/products/{honey.slug}").text).group(1)
    shown = []
    for label, rest in VARIANT.findall(html):
        price = re.search(r'class="price( price-fair)?">([^<]*)<', rest)
        retail = re.search(r'<del class="price-normal">.*?</span>([^<]*)</del>', rest, re.S)
        stock = re.search(r'class="stock (in|low|out)"', rest).group(1)
        shown.append(
            {
                "label": label,
                "price_vnd": amount(price.group(2)),
                "retail_vnd": amount(retail.group(1)) if retail else amount(price.group(2)),
                "is_reduced": bool(price.group(1)),
                "stock_state": {"in": "in_stock", "low": "low_stock", "out": "out_of_stock"}[stock],
            }
        )
    assert [{key: pack[key] for key in shown[0]} for pack in packs] == shown
    # the fair's price on the featured pack, retail on the other; 3 left is "low"
    assert [(p["price_vnd"], p["is_reduced"], p["stock_state"]) for p in packs] == [
        (120_000, True, "in_stock"),
        (280_000, False, "low_stock"),
    ]


def test_an_unpublished_product_is_missing_from_both(client, session):
    hidden = make_product(session, name="Cà phê Gia Lai", published=False)
    session.commit()
    assert client.get(f"/products/{hidden.slug}").status_code == 404
    assert client.get(f"/api/v1/products/{hidden.slug}").status_code == 404
