"""Public reads: the same products, filters, prices and places as the pages, every answer
matching the document, with cursors, ETags, CORS and problem+json errors."""

from __future__ import annotations

import pytest
from openapi_spec_validator import validate

from storefront.catalog import queries
from storefront.pricing import PriceContext, price_variants
from storefront.timeutil import today_in_vietnam, utcnow
from tests.api.helpers import conforms, spec_of
from tests.factories import make_producer, make_product

GIA_LAI = 52


@pytest.fixture
def spec(client):
    return spec_of(client)


def get(client, spec, path, **kwargs):
    response = client.get(path, **kwargs)
    conforms(spec, "GET", path, response)
    return response


def test_the_live_document_is_valid_openapi_3_1(client, spec):
    assert spec["openapi"] == "3.1.0"
    validate(spec)  # raises on any error
    assert "/api/v1/products" in spec["paths"]
    assert "/api/v1/producer/{producer_id}/packs/{pack_id}/stock" in spec["paths"]


def test_the_docs_page_is_served_from_the_shop_alone(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    assert "/api/v1/products" in page.text
    assert "problem-not-found" in page.text
    assert "https://" not in page.text.split("<main", 1)[-1].replace("https://checkout", "")
    assert "cdn" not in page.text.lower()


def test_products_are_those_of_the_catalogue_page_with_the_same_filters(client, session, spec):
    honey = make_product(session, name="Mật ong hoa Ban", price=250_000, stars=4)
    make_product(session, name="Bí xanh Tìa Dình", price=40_000, stars=3)
    make_product(
        session,
        name="Yến sào Chư Sê",
        stars=5,
        producer=make_producer(session, province_code=GIA_LAI, ward_code=_ward_of(GIA_LAI)),
    )
    session.commit()
    args = {"q": "mat ong", "stars": "4", "min_price": "100.000 ₫", "sort": "price_desc"}
    body = get(client, spec, "/api/v1/products", query_string=args).get_json()
    page = queries.search_catalog(session, queries.parse_filters(args), today_in_vietnam(), 24)
    assert [item["slug"] for item in body["items"]] == [c.product.slug for c in page.cards]
    assert [item["slug"] for item in body["items"]] == [honey.slug]
    assert body["items"][0]["price_from_vnd"] == 250_000
    assert body["items"][0]["stars"] == 4
    in_gia_lai = get(client, spec, "/api/v1/products?province=gia-lai").get_json()
    assert [i["name"] for i in in_gia_lai["items"]] == ["Yến sào Chư Sê"]
    assert in_gia_lai["items"][0]["province"]["slug"] == "gia-lai"


def _ward_of(province_code: int) -> int:
    from storefront.places.services import wards_of

    return wards_of(province_code)[0].code


def test_bad_filters_are_ignored_as_on_the_page(client, session, spec):
    make_product(session)
    session.commit()
    body = get(client, spec, "/api/v1/products?stars=9&min_price=abc&sort=%00").get_json()
    assert len(body["items"]) == 1


def test_cursors_walk_every_product_once_and_only_for_the_same_filters(app, client, session, spec):
    app.config["PRODUCTS_PER_PAGE"] = 2
    try:
        made = {make_product(session).slug for _ in range(5)}
        session.commit()
        seen, cursor, pages = [], None, 0
        while True:
            query = {"cursor": cursor} if cursor else {}
            body = get(client, spec, "/api/v1/products", query_string=query).get_json()
            seen += [item["slug"] for item in body["items"]]
            pages += 1
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert pages == 3 and sorted(seen) == sorted(made)
        first = get(client, spec, "/api/v1/products").get_json()
        other = get(
            client,
            spec,
            "/api/v1/products",
            query_string={"cursor": first["next_cursor"], "sort": "price_asc"},
        )
        assert other.status_code == 400
        assert other.mimetype == "application/problem+json"
        assert other.get_json()["field"] == "cursor"
        forged = get(client, spec, "/api/v1/products?cursor=eyJwIjozfQ.forged")
        assert forged.status_code == 400
    finally:
        app.config["PRODUCTS_PER_PAGE"] = 24


def test_an_unchanged_list_answers_304_to_its_etag(client, session, spec):
    make_product(session)
    session.commit()
    first = get(client, spec, "/api/v1/products")
    etag = first.headers["ETag"]
    again = client.get("/api/v1/products", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert "public" in first.headers["Cache-Control"]


def test_a_product_has_its_packs_prices_stock_certificate_and_photos(client, session, spec):
    product = make_product(session, name="Mật ong hoa Ban", price=250_000, stock=3, stars=4)
    session.commit()
    body = get(client, spec, f"/api/v1/products/{product.slug}").get_json()
    found = queries.product_detail(session, product.slug)
    prices = price_variants(session, found.variants, PriceContext(utcnow()))
    [pack] = body["packs"]
    assert pack["price_vnd"] == prices[pack["id"]].unit_vnd == 250_000
    assert pack["stock_state"] == "low_stock"
    assert body["certificate"]["stars"] == 4 and body["stars"] == 4
    assert body["rating"] == {"average": None, "count": 0}
    assert body["url"].endswith(f"/products/{product.slug}")


def test_an_unknown_or_unpublished_product_is_a_404_problem(client, session, spec):
    hidden = make_product(session, published=False)
    session.commit()
    for slug in ("khong-co", hidden.slug):
        response = get(client, spec, f"/api/v1/products/{slug}")
        assert response.status_code == 404
        problem = response.get_json()
        assert problem["type"].endswith("#problem-not-found")
        assert problem["status"] == 404 and problem["title"] == "Không tìm thấy"


def test_problems_speak_english_when_asked(client, spec):
    response = get(client, spec, "/api/v1/products/khong-co", headers={"Accept-Language": "en"})
    assert response.get_json()["title"] == "Not found"
    assert response.headers["Content-Language"] == "en"


def test_a_producer_and_its_products(client, session, spec):
    producer = make_producer(session, name="HTX Mường Phăng")
    make_product(session, producer=producer, name="Mật ong hoa Ban")
    session.commit()
    body = get(client, spec, f"/api/v1/producers/{producer.slug}").get_json()
    assert body["name"] == "HTX Mường Phăng"
    assert [p["name"] for p in body["products"]] == ["Mật ong hoa Ban"]
    assert body["province"]["slug"] == "dien-bien"
    assert get(client, spec, "/api/v1/producers/khong-co").status_code == 404


def test_provinces_since_2025_with_their_old_names_and_wards(client, spec):
    body = get(client, spec, "/api/v1/provinces").get_json()
    assert len(body["items"]) == 34
    vinh_long = next(p for p in body["items"] if p["slug"] == "vinh-long")
    assert "Trà Vinh" in vinh_long["old_names"]
    wards = get(client, spec, "/api/v1/provinces/dien-bien/wards").get_json()
    assert wards["province"]["name"].endswith("Điện Biên") and len(wards["items"]) > 10
    assert get(client, spec, "/api/v1/provinces/atlantis/wards").status_code == 404


def test_public_reads_are_open_to_other_origins(client):
    response = client.get("/api/v1/provinces", headers={"Origin": "https://portal.example"})
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        "/api/v1/products",
        headers={"Origin": "https://x.example", "Access-Control-Request-Method": "GET"},
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"


def test_a_delivery_quote_is_the_product_pages_fee_and_window(client, session, spec):
    from storefront.shipping.delivery import estimate
    from storefront.shipping.services import current_rates

    product = make_product(session, name="Mật ong hoa Ban")
    session.commit()
    path = f"/api/v1/products/{product.slug}/delivery"
    body = get(client, spec, path, query_string={"province": "tra vinh", "quantity": "3"})
    assert body.status_code == 200
    quote = body.get_json()
    assert quote["province"]["slug"] == "vinh-long"  # Trà Vinh joined Vĩnh Long in 2025
    expected = estimate(current_rates(session), product.producer.province_code, 86, 1500)
    [pack] = quote["packs"]
    assert (pack["weight_grams"], pack["fee_vnd"]) == (1500, expected.fee_vnd)
    assert (pack["days_min"], pack["days_max"]) == expected.days
    nowhere = get(client, spec, path, query_string={"province": "Atlantis"})
    assert nowhere.status_code == 422 and nowhere.get_json()["field"] == "province"
    missing = get(client, spec, path)
    assert missing.status_code == 422 and missing.get_json()["field"] == "province"


def test_the_list_and_a_product_take_a_fixed_number_of_statements(client, session, count_queries):
    producer = make_producer(session)
    made = [make_product(session, producer=producer) for _ in range(2)]
    session.commit()
    client.get("/api/v1/products")  # warm: the stars check, the vocabulary
    with count_queries() as few:
        client.get("/api/v1/products")
    with count_queries() as one:
        client.get(f"/api/v1/products/{made[0].slug}")
    for _ in range(6):
        make_product(session, producer=make_producer(session))
    session.commit()
    client.get("/api/v1/products")
    with count_queries() as many:
        client.get("/api/v1/products")
    with count_queries() as again:
        client.get(f"/api/v1/products/{made[0].slug}")
    assert many.count == few.count
    assert again.count == one.count
