"""The product feed (/feeds/products.xml): Google Merchant RSS that Facebook catalogs read
too, with only what a buyer can put in the cart now, streamed in a fixed number of
statements per batch."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from storefront.accounts.models import Role
from storefront.catalog import services as catalog
from storefront.catalog.models import ProductPhoto
from storefront.fairs import services as fairs
from storefront.seo import feeds
from tests.accounts.helpers import make_user
from tests.factories import make_producer, make_product
from tests.fairs.helpers import make_fair
from tests.orders.helpers import variant_of

G = "{http://base.google.com/ns/1.0}"
BASE = "https://ocop.example.vn"


@pytest.fixture
def base_url(app):  # type: ignore[no-untyped-def]
    before = app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = BASE
    yield BASE
    app.config["PUBLIC_BASE_URL"] = before


def items_of(client) -> dict[str, dict[str, list[str]]]:  # type: ignore[no-untyped-def]
    response = client.get("/feeds/products.xml")
    assert response.status_code == 200
    assert response.is_streamed
    assert response.mimetype == "application/xml"
    root = ET.fromstring(response.data)  # noqa: S314 - the shop's own answer
    assert root.tag == "rss" and root.get("version") == "2.0"
    items = {}
    for item in root.iter("item"):
        fields: dict[str, list[str]] = {}
        for child in item:
            fields.setdefault(child.tag.replace(G, "g:"), []).append(child.text or "")
        items[fields["g:id"][0]] = fields
    return items


def test_a_pack_in_stock_has_every_field_merchants_need(client, session, base_url):
    producer = make_producer(session, name="HTX Ong mật Mường Phăng")
    honey = make_product(
        session, producer, name="Mật ong hoa Ban", price=150_000, description="Mật ong <rừng>"
    )
    session.add(
        ProductPhoto(product_id=honey.id, path="p/mat-ong.jpg", alt="", width=800, height=800)
    )
    session.commit()
    sku = variant_of(session, honey).sku
    [item] = items_of(client).values()
    assert item["g:id"] == [sku]
    assert item["g:title"] == ["Mật ong hoa Ban – Hộp 500 g"]
    assert item["g:description"] == ["Mật ong <rừng>"]  # escaped in the XML, whole here
    assert item["g:link"] == [f"{BASE}/products/{honey.slug}"]
    assert item["g:image_link"] == [f"{BASE}/media/p/mat-ong.jpg"]
    assert item["g:price"] == ["150000 VND"]
    assert "g:sale_price" not in item
    assert item["g:availability"] == ["in_stock"]
    assert item["g:brand"] == ["HTX Ong mật Mường Phăng"]
    assert item["g:condition"] == ["new"]
    assert item["g:item_group_id"] == [honey.slug]


def test_only_published_packs_in_stock_of_active_producers(client, session, base_url):
    shown = make_product(session, name="Mật ong hoa Ban", stock=3)
    sold_out = make_product(session, name="Mận hậu sấy", stock=0)
    hidden = make_product(session, name="Gạo Séng Cù", published=False)
    closed = make_producer(session, name="HTX Đã nghỉ")
    gone = make_product(session, closed, name="Chè Shan Tuyết")
    closed.is_active = False
    # a second pack of the product shown, sold out: not in the feed either
    catalog.add_variant(
        session,
        shown,
        catalog.VariantData(
            sku="MO-1KG", label="Hũ 1 kg", price_vnd=280_000, weight_grams=1000, stock=0
        ),
    )
    session.commit()
    skus = set(items_of(client))
    assert skus == {_first_sku(session, shown)}
    for product in (sold_out, hidden, gone):
        assert _first_sku(session, product) not in skus


def _first_sku(session, product) -> str:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from storefront.catalog.models import Variant

    return (
        session.execute(
            select(Variant.sku).where(Variant.product_id == product.id).order_by(Variant.id)
        )
        .scalars()
        .first()
    )


def test_an_open_fair_price_is_the_sale_price(client, session, base_url):
    organiser = make_user(session, role=Role.ORGANISER)
    producer = make_producer(session)
    product = make_product(session, producer, price=150_000)
    variant = variant_of(session, product)
    fair = make_fair(session, organiser)
    fairs.accept_invitation(session, fairs.invite_exhibitor(session, fair, producer.id))
    fairs.feature_variant(session, fair, variant.id, 0, 120_000)
    session.commit()
    item = items_of(client)[variant.sku]
    assert item["g:price"] == ["150000 VND"] and item["g:sale_price"] == ["120000 VND"]
    # the same price as the product page and the API
    detail = client.get(f"/api/v1/products/{product.slug}").get_json()
    assert detail["packs"][0]["price_vnd"] == 120_000


def test_links_use_the_host_asked_when_no_base_url_is_set(app, client, session):
    product = make_product(session)
    session.commit()
    before = app.config["PUBLIC_BASE_URL"]
    app.config["PUBLIC_BASE_URL"] = ""
    try:
        response = client.get("/feeds/products.xml", base_url="https://cho.example")
    finally:
        app.config["PUBLIC_BASE_URL"] = before
    assert f"<g:link>https://cho.example/products/{product.slug}</g:link>" in response.text


def test_statements_per_batch_are_fixed(client, session, count_queries, monkeypatch):
    monkeypatch.setattr(feeds, "BATCH", 3)
    producer = make_producer(session)

    def statements(products: int) -> int:
        while len(producer_products) < products:
            producer_products.append(make_product(session, producer))
        session.commit()
        with count_queries() as counter:
            response = client.get("/feeds/products.xml")
            assert response.data.count(b"<item>") == products
        return counter.count

    producer_products: list = []
    three, six, twelve = statements(3), statements(6), statements(12)
    per_batch = six - three
    assert per_batch <= 4  # products, photos, packs, fair offers
    assert twelve - six == 2 * per_batch  # the same per batch, none per product
