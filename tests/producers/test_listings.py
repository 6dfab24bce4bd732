"""Listings and stock as services: Vietnamese numbers, scoped getters, atomic stock with
history, publishing rules, photo order."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storefront.catalog import services as catalog
from storefront.catalog.models import Product, StockMovement, StockReason, Variant
from storefront.errors import NotFound
from storefront.producers import listings, photos, stock
from tests.accounts.helpers import make_member
from tests.factories import make_producer, make_product
from tests.orders.helpers import stock_of, variant_of


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("150000", 150_000),
        ("150.000", 150_000),
        ("150.000 ₫", 150_000),
        ("150.000đ", 150_000),
        ("1.500.000 VNĐ", 1_500_000),
        ("1 500 000", 1_500_000),
        ("150,000", 150_000),
        (" 85000 ", 85_000),
    ],
)
def test_prices_as_vietnamese_write_them(typed, value):
    assert listings.parse_vnd(typed) == value


@pytest.mark.parametrize(
    "typed", ["", "abc", "150.00", "1,5", "150.000,50", "-5", "0", "1.50.000", "9" * 20]
)
def test_prices_that_are_not_whole_dong_are_refused_in_vietnamese(typed):
    with pytest.raises(listings.ListingError) as refused:
        listings.parse_vnd(typed)
    assert "Giá" in str(refused.value)


def _input(**changes):
    values = {
        "sku": "MO-500",
        "label": "Hũ 500 g",
        "price": "150.000",
        "weight_grams": "650",
        "low_stock_threshold": "5",
        "stock": "30",
    }
    return listings.VariantInput(**{**values, **changes})


def _product_data(**changes):
    values = {
        "name": "Mật ong hoa Ban",
        "group_code": "thuc-pham",
        "subgroup_code": "thuc-pham-che-bien",
        "description": "Mật ong rừng Mường Phăng.",
    }
    return catalog.ProductData(**{**values, **changes})


def test_a_new_listing_is_hidden_with_its_opening_stock_in_the_history(session):
    producer = make_producer(session)
    owner = make_member(session, producer)
    product = listings.create_listing(session, producer, _product_data(), _input(), owner.id)
    assert product.is_published is False
    variant = variant_of(session, product)
    assert (variant.price_vnd, variant.weight_grams, stock_of(session, variant.id)) == (
        150_000,
        650,
        30,
    )
    [movement] = session.execute(select(StockMovement)).scalars()
    assert (movement.delta, movement.stock_after, movement.reason, movement.actor_id) == (
        30,
        30,
        StockReason.DELIVERY,
        owner.id,
    )
    catalog.set_published(session, product, True)
    assert product.is_published


def test_bad_input_changes_nothing(session):
    producer = make_producer(session)
    with pytest.raises(listings.ListingError, match="Giá"):
        listings.create_listing(session, producer, _product_data(), _input(price="mười"), None)
    session.rollback()
    assert session.execute(select(Product)).first() is None
    product = make_product(session, producer, price=90_000)
    variant = variant_of(session, product)
    with pytest.raises(listings.ListingError, match="Khối lượng"):
        listings.update_variant(session, variant, _input(weight_grams="nặng"))
    assert (variant.price_vnd, variant.weight_grams) == (90_000, 500)


def test_publishing_needs_a_variant_on_sale(session):
    producer = make_producer(session)
    product = catalog.create_product(session, producer, _product_data(is_published=False))
    with pytest.raises(catalog.CatalogError, match="quy cách"):
        catalog.set_published(session, product, True)
    assert product.is_published is False


def test_updating_a_variant_keeps_skus_unique_and_the_from_price_right(session):
    producer = make_producer(session)
    product = make_product(session, producer, price=150_000)
    other = make_product(session, producer)
    variant = variant_of(session, product)
    with pytest.raises(catalog.CatalogError, match="SKU"):
        listings.update_variant(session, variant, _input(sku=variant_of(session, other).sku))
    listings.update_variant(session, variant, _input(price="120.000"))
    session.refresh(product)
    assert (variant.sku, variant.price_vnd, product.price_from) == ("MO-500", 120_000, 120_000)


def test_getters_are_scoped_to_the_producer(session):
    mine, theirs = make_producer(session), make_producer(session)
    product = make_product(session, theirs)
    photo = catalog.add_photo(session, product, "products/x.jpg", 800, 600)
    variant = variant_of(session, product)
    with pytest.raises(NotFound):
        listings.get_product(session, mine.id, product.id)
    with pytest.raises(NotFound):
        listings.get_variant(session, mine.id, variant.id)
    with pytest.raises(NotFound):
        listings.get_photo(session, mine.id, photo.id)
    with pytest.raises(NotFound):
        stock.adjust(session, mine.id, variant.id, "+5", "delivery", None)
    assert stock_of(session, variant.id) == 10


def test_stock_changes_are_atomic_never_negative_and_recorded(session):
    producer = make_producer(session)
    owner = make_member(session, producer)
    variant = variant_of(session, make_product(session, producer, stock=10))
    assert (
        stock.adjust(session, producer.id, variant.id, "+20", "delivery", owner.id, "Lô mới") == 30
    )
    assert stock.adjust(session, producer.id, variant.id, "3", "breakage", owner.id) == 27
    assert stock.adjust(session, producer.id, variant.id, "-7", "correction", owner.id) == 20
    with pytest.raises(catalog.CatalogError, match="Không đủ"):
        stock.adjust(session, producer.id, variant.id, "-21", "correction", owner.id)
    with pytest.raises(catalog.CatalogError):
        catalog.adjust_stock(session, variant.id, 5, StockReason.BREAKAGE)  # wrong sign
    with pytest.raises(listings.ListingError, match="lý do"):
        stock.adjust(session, producer.id, variant.id, "+1", "order", owner.id)  # not manual
    with pytest.raises(listings.ListingError):
        stock.adjust(session, producer.id, variant.id, "0", "delivery", owner.id)
    assert stock_of(session, variant.id) == 20
    rows = stock.history(session, variant.id)
    assert [(r.movement.delta, r.movement.stock_after, r.movement.reason) for r in rows] == [
        (-7, 20, StockReason.CORRECTION),
        (-3, 27, StockReason.BREAKAGE),
        (20, 30, StockReason.DELIVERY),
    ]
    assert rows[-1].movement.note == "Lô mới" and rows[0].actor_name == owner.full_name


def test_adjusting_uses_one_conditional_update(session, count_queries):
    producer = make_producer(session)
    variant = variant_of(session, make_product(session, producer, stock=4))
    session.commit()
    with count_queries() as counter:
        catalog.adjust_stock(session, variant.id, -4, StockReason.CORRECTION)
    updates = [s for s in counter.statements if s.lstrip().upper().startswith("UPDATE VARIANT")]
    assert len(updates) == 1 and "stock + " in updates[0] and ">=" in updates[0]
    assert session.get(Variant, variant.id).stock == 0


def test_photos_are_reordered_and_deleted_within_their_product(session):
    producer = make_producer(session)
    product = make_product(session, producer)
    first, second, third = (
        catalog.add_photo(session, product, f"products/{n}.jpg", 800, 600) for n in "abc"
    )
    photos.move_photo(session, third, -1)
    session.expire_all()
    order = list(
        session.execute(
            select(catalog.ProductPhoto.path)
            .where(catalog.ProductPhoto.product_id == product.id)
            .order_by(catalog.ProductPhoto.position)
        ).scalars()
    )
    assert order == ["products/a.jpg", "products/c.jpg", "products/b.jpg"]
    with pytest.raises(catalog.CatalogError):
        catalog.reorder_photos(session, product.id, [first.id, second.id])
    assert (
        photos.delete_photo(session, session.get(catalog.ProductPhoto, first.id))
        == "products/a.jpg"
    )
    positions = list(
        session.execute(
            select(catalog.ProductPhoto.position)
            .where(catalog.ProductPhoto.product_id == product.id)
            .order_by(catalog.ProductPhoto.position)
        ).scalars()
    )
    assert positions == [0, 1]
