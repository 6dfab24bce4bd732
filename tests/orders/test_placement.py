"""Placing an order through the service: all or nothing, once per token, DB prices."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storefront.catalog.models import Variant
from storefront.orders.errors import OrderError, OutOfStock
from storefront.orders.models import (
    Order,
    OrderEmail,
    OrderLine,
    OrderPart,
    OrderStatusChange,
    PartStatus,
    PaymentStatus,
)
from storefront.orders.placement import NUMBER_PATTERN, place_order
from tests.accounts.helpers import make_member
from tests.factories import DIEN_BIEN, VINH_LONG, VINH_LONG_WARD, make_producer, make_product
from tests.orders.helpers import (
    GIA_LAI_WARD,
    HA_NOI,
    HA_NOI_WARD,
    order_request,
    place,
    stock_of,
    variant_of,
)


def count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.execute(select(func.count()).select_from(model)).scalar_one()


@pytest.fixture
def two_producers(session):  # type: ignore[no-untyped-def]
    dien_bien = make_producer(session, "HTX Mường Phăng")
    honey = make_product(session, dien_bien, "Mật ong hoa Ban", price=350_000, stock=10)
    vinh_long = make_producer(
        session, "HTX Dừa Trà Vinh", province_code=VINH_LONG, ward_code=VINH_LONG_WARD
    )
    candy = make_product(session, vinh_long, "Kẹo dừa", price=45_000, stock=10)
    session.commit()
    return variant_of(session, honey), variant_of(session, candy)


def test_an_order_is_split_into_one_part_per_producer_with_copied_lines(session, two_producers):
    honey, candy = two_producers
    honey.weight_grams = 700
    session.commit()
    order = place(session, [(honey.id, 2), (candy.id, 3)], province=VINH_LONG, ward=VINH_LONG_WARD)

    assert NUMBER_PATTERN.fullmatch(order.number)
    assert order.phone == "0912345678" and order.email == "mua.hang@example.vn"
    assert order.payment_status == PaymentStatus.ON_DELIVERY
    parts = session.execute(select(OrderPart).order_by(OrderPart.id)).scalars().all()
    assert [p.producer_name for p in parts] == ["HTX Mường Phăng", "HTX Dừa Trà Vinh"]
    # 1.4 kg from Điện Biên to Vĩnh Long: elsewhere, one started kilogram over the first.
    assert (parts[0].weight_grams, parts[0].shipping_fee_vnd) == (1400, 40_000)
    # 1.5 kg within Vĩnh Long: same province.
    assert (parts[1].weight_grams, parts[1].shipping_fee_vnd) == (1500, 25_000)
    assert order.items_total_vnd == 2 * 350_000 + 3 * 45_000
    assert order.shipping_total_vnd == 65_000
    assert order.total_vnd == order.items_total_vnd + 65_000
    lines = session.execute(select(OrderLine).order_by(OrderLine.id)).scalars().all()
    assert [(x.product_name, x.variant_label, x.unit_price_vnd, x.quantity) for x in lines] == [
        ("Mật ong hoa Ban", "Hộp 500 g", 350_000, 2),
        ("Kẹo dừa", "Hộp 500 g", 45_000, 3),
    ]
    assert (stock_of(session, honey.id), stock_of(session, candy.id)) == (8, 7)
    history = session.execute(select(OrderStatusChange)).scalars().all()
    assert {(h.from_status, h.to_status) for h in history} == {(None, PartStatus.PLACED)}


def test_the_order_keeps_its_prices_when_the_catalogue_changes(session, two_producers):
    honey, _ = two_producers
    order = place(session, [(honey.id, 1)])
    session.get(Variant, honey.id).price_vnd = 999_000
    session.commit()
    line = session.execute(select(OrderLine)).scalar_one()
    assert line.unit_price_vnd == 350_000
    assert session.get(Order, order.id).items_total_vnd == 350_000


def test_the_same_token_places_the_order_once(session, two_producers):
    honey, _ = two_producers
    request = order_request([(honey.id, 2)])
    first = place_order(session, request)
    session.commit()
    second = place_order(session, request)
    session.commit()
    assert first.created and not second.created
    assert second.order.id == first.order.id
    assert count(session, Order) == 1
    assert stock_of(session, honey.id) == 8


def test_a_short_line_takes_nothing_and_names_what_remains(session, two_producers):
    honey, candy = two_producers
    with pytest.raises(OutOfStock) as caught:
        place_order(session, order_request([(honey.id, 2), (candy.id, 11)]))
    session.rollback()
    assert caught.value.variant_id == candy.id
    assert caught.value.remaining == 10
    assert str(caught.value) == "Kẹo dừa (Hộp 500 g) chỉ còn 10, bạn đặt 11."
    assert (stock_of(session, honey.id), stock_of(session, candy.id)) == (10, 10)
    assert count(session, Order) == 0


def test_a_sold_out_line_says_so(session, two_producers):
    honey, _ = two_producers
    session.get(Variant, honey.id).stock = 0
    session.commit()
    with pytest.raises(OutOfStock, match="Mật ong hoa Ban \\(Hộp 500 g\\) đã hết hàng."):
        place_order(session, order_request([(honey.id, 1)]))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"phone": "12345"}, "phone"),
        ({"phone": "0212345678"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"province": 9999}, "province"),
        ({"ward": 12345678}, "ward"),
        ({"ward": GIA_LAI_WARD}, "ward"),  # a real ward, of another province
    ],
)
def test_bad_contact_or_address_is_refused_naming_the_field(session, two_producers, changes, field):
    honey, _ = two_producers
    with pytest.raises(OrderError) as caught:
        place_order(session, order_request([(honey.id, 1)], **changes))
    assert caught.value.field == field
    session.rollback()
    assert stock_of(session, honey.id) == 10


@pytest.mark.parametrize("quantity", [0, -3, 1000, 10**12])
def test_quantities_below_one_or_absurdly_large_are_refused(session, two_producers, quantity):
    honey, _ = two_producers
    with pytest.raises(OrderError):
        place_order(session, order_request([(honey.id, quantity)]))
    session.rollback()
    assert stock_of(session, honey.id) == 10


def test_unknown_or_withdrawn_variants_are_refused(session, two_producers):
    honey, candy = two_producers
    with pytest.raises(OrderError):
        place_order(session, order_request([(999_999, 1)]))
    session.rollback()
    session.get(Variant, candy.id).is_active = False
    session.commit()
    with pytest.raises(OrderError, match="không còn được bán"):
        place_order(session, order_request([(honey.id, 1), (candy.id, 1)]))
    session.rollback()
    assert stock_of(session, honey.id) == 10


def test_an_empty_order_or_a_bad_token_is_refused(session, two_producers):
    with pytest.raises(OrderError):
        place_order(session, order_request([]))
    with pytest.raises(OrderError):
        place_order(session, order_request([(two_producers[0].id, 1)], token="short"))


def test_emails_are_queued_for_the_buyer_and_each_producer_with_members(session):
    with_members = make_producer(session, "HTX Có người")
    without = make_producer(session, "HTX Không ai", province_code=DIEN_BIEN)
    make_member(session, with_members, email="chu@htx.vn")
    a = make_product(session, with_members, stock=5)
    b = make_product(session, without, stock=5)
    session.commit()
    order = place(session, [(variant_of(session, a).id, 1), (variant_of(session, b).id, 1)])
    emails = session.execute(select(OrderEmail).order_by(OrderEmail.id)).scalars().all()
    assert [(e.kind, e.recipients) for e in emails] == [
        ("order_placed", order.email),
        ("part_placed", "chu@htx.vn"),
    ]
    assert all(e.status == "pending" for e in emails)


def test_order_numbers_are_unique_and_unguessable(session, two_producers):
    honey, _ = two_producers
    numbers = {place(session, [(honey.id, 1)]).number for _ in range(5)}
    assert len(numbers) == 5
    assert all(NUMBER_PATTERN.fullmatch(n) for n in numbers)


def test_a_transfer_order_awaits_payment(session, two_producers):
    honey, _ = two_producers
    order = place(
        session,
        [(honey.id, 1)],
        method="bank_transfer",
        awaiting=True,
        province=HA_NOI,
        ward=HA_NOI_WARD,
    )
    assert order.payment_status == PaymentStatus.AWAITING
    assert order.payment_method == "bank_transfer"
