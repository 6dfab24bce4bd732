"""Wholesale tiers: what a producer may save, which price a buyer gets (tiers against
fair prices, business-only tiers), and the same price on every page and the order."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from storefront.accounts.models import Role
from storefront.business import wholesale
from storefront.business.models import WholesaleTier
from storefront.business.wholesale import TierInput, WholesaleError
from storefront.errors import NotFound
from storefront.fairs import services as fairs
from storefront.pricing import PriceContext, price_packs
from storefront.timeutil import utcnow
from tests.accounts.helpers import log_in, make_member, make_user
from tests.business.helpers import make_business_buyer
from tests.conftest import csrf_token_from
from tests.factories import make_producer, make_product
from tests.fairs.helpers import make_fair
from tests.orders.helpers import (
    add_to_cart,
    checkout_form,
    delivery_fields,
    latest_order,
    variant_of,
)

AMOUNT = r"([\d.]+)\s*₫"


def _tiers(*pairs: tuple[str, str]) -> list[TierInput]:
    return [TierInput(q, p) for q, p in pairs]


@pytest.fixture
def honey(session):
    producer = make_producer(session, name="HTX Mật ong Mường Phăng")
    product = make_product(session, producer, name="Mật ong hoa Ban", price=200_000, stock=500)
    owner = make_member(session, producer, email="htx@example.vn")
    session.commit()
    return producer, product, variant_of(session, product), owner


def _count(session) -> int:
    return session.execute(select(func.count()).select_from(WholesaleTier)).scalar_one()


def test_tiers_are_saved_and_replaced(session, honey):
    producer, _, variant, _ = honey
    saved = wholesale.set_tiers(
        session, producer.id, variant.id, _tiers(("10", "180.000"), ("", ""), ("50", "150000 ₫"))
    )
    assert [(t.min_quantity, t.price_vnd) for t in saved] == [(10, 180_000), (50, 150_000)]
    wholesale.set_tiers(session, producer.id, variant.id, _tiers(("20", "170.000")), True)
    got = wholesale.tiers_for(session, [variant.id])[variant.id]
    assert [(t.min_quantity, t.price_vnd, t.business_only) for t in got] == [(20, 170_000, True)]
    wholesale.set_tiers(session, producer.id, variant.id, _tiers(("", "")))
    assert _count(session) == 0


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        ([("10", "200.000")], "thấp hơn giá bán lẻ"),  # equal to retail
        ([("10", "250.000")], "thấp hơn giá bán lẻ"),
        ([("10", "0")], "thấp hơn giá bán lẻ"),
        ([("10", "180.000"), ("10", "170.000")], "lớn hơn bậc trước"),
        ([("20", "180.000"), ("10", "170.000")], "lớn hơn bậc trước"),
        ([("10", "180.000"), ("20", "180.000")], "thấp hơn bậc trước"),
        ([("10", "170.000"), ("20", "180.000")], "thấp hơn bậc trước"),
        ([("1", "180.000")], "từ 2 đến"),
        ([("1000", "180.000")], "từ 2 đến"),
        ([("10", "180.000,5")], "số đồng nguyên"),
        ([("10", "180000.5")], "số đồng nguyên"),
        ([("mười", "180.000")], "số nguyên"),
        ([("-10", "180.000")], "số nguyên"),
        ([("10", "")], "cả số lượng và giá"),
        ([(str(n), str(190_000 - n)) for n in range(2, 8)], "Tối đa 5"),
    ],
)
def test_bad_tiers_are_refused_and_keep_the_old_ones(session, honey, rows, message):
    producer, _, variant, _ = honey
    wholesale.set_tiers(session, producer.id, variant.id, _tiers(("5", "190.000")))
    with pytest.raises(WholesaleError, match=message):
        wholesale.set_tiers(session, producer.id, variant.id, _tiers(*rows))
    assert [t.min_quantity for t in wholesale.tiers_for(session, [variant.id])[variant.id]] == [5]


def test_another_producer_cannot_set_tiers(session, honey):
    _, _, variant, _ = honey
    other = make_producer(session)
    with pytest.raises(NotFound):
        wholesale.set_tiers(session, other.id, variant.id, _tiers(("10", "180.000")))
    assert _count(session) == 0


def _price(session, variant, quantity, buyer_id=None) -> int:
    context = PriceContext(utcnow(), quantities={variant.id: quantity}, buyer_id=buyer_id)
    return price_packs(session, {variant.id: variant.price_vnd}, context)[variant.id].unit_vnd


def test_the_tier_the_quantity_reaches_applies(session, honey):
    producer, _, variant, _ = honey
    wholesale.set_tiers(
        session, producer.id, variant.id, _tiers(("10", "180.000"), ("50", "150.000"))
    )
    assert [_price(session, variant, n) for n in (1, 9, 10, 49, 50, 400)] == [
        200_000,
        200_000,
        180_000,
        180_000,
        150_000,
        150_000,
    ]


def test_business_only_tiers_need_a_business_profile(session, honey):
    producer, _, variant, _ = honey
    wholesale.set_tiers(session, producer.id, variant.id, _tiers(("10", "160.000")), True)
    retail_buyer = make_user(session)
    business_buyer, _ = make_business_buyer(session)
    assert _price(session, variant, 10) == 200_000  # a guest
    assert _price(session, variant, 10, retail_buyer.id) == 200_000
    assert _price(session, variant, 10, business_buyer.id) == 160_000


def test_the_buyer_gets_the_lower_of_fair_price_and_tier(session, honey):
    producer, _, variant, _ = honey
    organiser = make_user(session, role=Role.ORGANISER)
    fair = make_fair(session, organiser)
    fairs.accept_invitation(session, fairs.invite_exhibitor(session, fair, producer.id))
    fairs.feature_variant(session, fair, variant.id, 0, 170_000)
    wholesale.set_tiers(
        session, producer.id, variant.id, _tiers(("10", "180.000"), ("50", "150.000"))
    )
    assert _price(session, variant, 1) == 170_000  # the fair price
    assert _price(session, variant, 10) == 170_000  # the fair beats the first tier
    assert _price(session, variant, 50) == 150_000  # the second tier beats the fair


def test_a_tier_above_a_lowered_retail_price_no_longer_applies(session, honey):
    producer, _, variant, _ = honey
    wholesale.set_tiers(session, producer.id, variant.id, _tiers(("10", "180.000")))
    variant.price_vnd = 170_000
    session.flush()
    assert _price(session, variant, 10) == 170_000


def test_pricing_a_cart_of_many_packs_is_one_statement(session, count_queries):
    producer = make_producer(session)
    variants = []
    for n in range(6):
        product = make_product(session, producer, price=100_000 + n)
        variant = variant_of(session, product)
        wholesale.set_tiers(session, producer.id, variant.id, _tiers(("3", "90.000")))
        variants.append(variant)
    session.commit()
    retail = {v.id: v.price_vnd for v in variants}
    source = wholesale.WholesalePrices()
    for some in (variants[:1], variants):
        context = PriceContext(utcnow(), quantities={v.id: 5 for v in some}, buyer_id=1)
        with count_queries() as counted:
            offers = source.offers(session, retail, context)
        assert counted.count == 1 and len(offers) == len(some)
    with count_queries() as single_units:  # a product page: nothing to ask
        source.offers(session, retail, PriceContext(utcnow(), quantities={}))
    assert single_units.count == 0


def _amount(html: str, element_id: str) -> int:
    match = re.search(rf'id="{element_id}">{AMOUNT}', html.replace("\xa0", " "))
    assert match, f"no #{element_id}"
    return int(match.group(1).replace(".", ""))


def test_cart_checkout_and_order_charge_the_tier(client, session, honey):
    producer, product, variant, _ = honey
    wholesale.set_tiers(
        session, producer.id, variant.id, _tiers(("10", "180.000"), ("50", "150.000"))
    )
    session.commit()
    page = client.get(f"/products/{product.slug}").text.replace("\xa0", " ")
    assert "Giá sỉ: từ 10 sp 180.000 ₫" in page and "từ 50 sp 150.000 ₫" in page
    add_to_cart(client, product, variant.id, 12)
    cart = client.get("/cart").text
    assert _amount(cart, "cart-items-total") == 12 * 180_000
    assert "wholesale-badge" in cart  # the line says why it is cheaper
    hidden = checkout_form(client)
    assert _amount(client.get("/checkout").text, "checkout-items-total") == 12 * 180_000
    placed = client.post("/checkout", data={**hidden, **delivery_fields()})
    assert placed.status_code == 303
    assert latest_order(session).items_total_vnd == 12 * 180_000


def test_business_only_tier_in_the_cart_of_a_business_buyer(client, session, honey, app):
    producer, product, variant, _ = honey
    wholesale.set_tiers(session, producer.id, variant.id, _tiers(("10", "160.000")), True)
    make_business_buyer(session, email="shop@example.vn")
    session.commit()
    add_to_cart(client, product, variant.id, 10)  # a guest: retail
    assert _amount(client.get("/cart").text, "cart-items-total") == 10 * 200_000
    shop = app.test_client()
    log_in(shop, "shop@example.vn")
    add_to_cart(shop, product, variant.id, 10)
    assert _amount(shop.get("/cart").text, "cart-items-total") == 10 * 160_000


def test_producer_sets_tiers_on_the_product_page(client, session, honey):
    producer, product, variant, _ = honey
    log_in(client, "htx@example.vn")
    edit = client.get(f"/producer/{producer.id}/products/{product.id}")
    assert edit.status_code == 200 and f"/variants/{variant.id}/wholesale" in edit.text
    prefix = f"w{variant.id}-"
    data = {
        f"{prefix}csrf_token": csrf_token_from(edit.text),
        f"{prefix}q1": "10",
        f"{prefix}p1": "180.000",
        f"{prefix}q2": "5",
        f"{prefix}p2": "170.000",
    }
    url = f"/producer/{producer.id}/variants/{variant.id}/wholesale"
    refused = client.post(url, data=data)
    assert refused.status_code == 400 and "lớn hơn bậc trước" in refused.text
    assert 'value="5"' in refused.text  # shown as typed
    assert _count(session) == 0
    data[f"{prefix}q2"] = "50"
    data[f"{prefix}p2"] = "150.000"
    data[f"{prefix}business_only"] = "y"
    saved = client.post(url, data=data)
    assert saved.status_code == 302
    tiers = wholesale.tiers_for(session, [variant.id])[variant.id]
    assert [(t.min_quantity, t.price_vnd, t.business_only) for t in tiers] == [
        (10, 180_000, True),
        (50, 150_000, True),
    ]
    again = client.get(f"/producer/{producer.id}/products/{product.id}")
    assert 'value="180000"' in again.text


def test_another_producer_cannot_open_or_post_the_tiers(client, session, honey):
    producer, _, variant, _ = honey
    other = make_producer(session)
    make_member(session, other, email="other@example.vn")
    session.commit()
    log_in(client, "other@example.vn")
    page = client.get(f"/producer/{other.id}/products")
    token = csrf_token_from(page.text)
    for pid in (producer.id, other.id):
        url = f"/producer/{pid}/variants/{variant.id}/wholesale"
        assert client.get(url).status_code == 404
        posted = client.post(
            url,
            data={
                f"w{variant.id}-csrf_token": token,
                f"w{variant.id}-q1": "10",
                f"w{variant.id}-p1": "1000",
            },
        )
        assert posted.status_code == 404
    assert _count(session) == 0


def test_the_cart_page_costs_the_same_statements_for_one_or_many_tiered_packs(
    client, session, count_queries
):
    producer = make_producer(session)
    products = []
    for n in range(5):
        product = make_product(session, producer, price=100_000 + n, stock=50)
        variant = variant_of(session, product)
        wholesale.set_tiers(session, producer.id, variant.id, _tiers(("3", "90.000")))
        products.append((product, variant))
    session.commit()
    add_to_cart(client, products[0][0], products[0][1].id, 4)
    client.get("/cart")
    with count_queries() as one:
        page = client.get("/cart")
    assert _amount(page.text, "cart-items-total") == 4 * 90_000
    for product, variant in products[1:]:
        add_to_cart(client, product, variant.id, 4)
    client.get("/cart")
    with count_queries() as many:
        page = client.get("/cart")
    assert _amount(page.text, "cart-items-total") == 5 * 4 * 90_000
    assert many.count == one.count


def test_the_product_page_asks_for_tiers_only_when_a_pack_on_sale_has_some(
    client, session, honey, count_queries
):
    """The product statement says whether any pack on sale has a tier (business's fact):
    without, no "Giá sỉ" box and no statement for it."""
    producer, product, variant, _ = honey
    url = f"/products/{product.slug}"

    def visit() -> tuple[str, int]:
        with count_queries() as counter:
            page = client.get(url).text.replace("\xa0", " ")
        return page, counter.count

    plain, without = visit()
    assert "Giá sỉ" not in plain
    wholesale.set_tiers(session, producer.id, variant.id, _tiers(("10", "180.000")))
    session.commit()
    tiered, with_tiers = visit()
    assert "Giá sỉ: từ 10 sp 180.000 ₫" in tiered and with_tiers == without + 1
    variant.is_active = False  # withdrawn from sale: its tiers are not shown
    session.commit()
    withdrawn, count = visit()
    assert "Giá sỉ" not in withdrawn and count == without
