"""Checkout through the pages: the summary, placing the order once, and tampered forms."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from storefront.catalog.models import Variant
from storefront.orders.models import Order, OrderPart, PaymentStatus
from storefront.payments.registry import PaymentMethod, register, unregister
from tests.factories import VINH_LONG, VINH_LONG_WARD, make_producer, make_product
from tests.orders.helpers import (
    GIA_LAI,
    GIA_LAI_WARD,
    add_to_cart,
    checkout_form,
    delivery_fields,
    latest_order,
    stock_of,
    variant_of,
)

ORDER_PAGE = re.compile(r"/orders/(OC-\d{4}-[0-9A-Z]{6})/placed$")
SEE_OTHER = 303  # every checkout POST ends in a redirect to a GET


def back_at_the_form(client, data):  # type: ignore[no-untyped-def]
    """POST the checkout form, expect to be sent back to it, and GET what it shows."""
    response = client.post("/checkout", data=data)
    assert response.status_code == SEE_OTHER, response.status_code
    assert response.headers["Location"] == "/checkout#delivery"
    page = client.get("/checkout")
    assert page.status_code == 200
    return page


def orders_count(session) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.execute(select(func.count()).select_from(Order)).scalar_one()


@pytest.fixture
def cart(client, session):  # type: ignore[no-untyped-def]
    """A guest cart with honey from Điện Biên (2 × 350.000) and candy from Vĩnh Long."""
    honey = make_product(
        session,
        make_producer(session, "HTX Mường Phăng"),
        "Mật ong hoa Ban",
        price=350_000,
        stock=10,
    )
    vinh_long = make_producer(session, "HTX Dừa", province_code=VINH_LONG, ward_code=VINH_LONG_WARD)
    candy = make_product(session, vinh_long, "Kẹo dừa", price=45_000, stock=10)
    session.commit()
    add_to_cart(client, honey, variant_of(session, honey).id, 2)
    add_to_cart(client, candy, variant_of(session, candy).id, 1)
    return variant_of(session, honey).id, variant_of(session, candy).id


def test_a_guest_places_a_cash_on_delivery_order(client, session, cart):
    honey, candy = cart
    hidden = checkout_form(client)
    response = client.post("/checkout", data={**hidden, **delivery_fields()})
    assert response.status_code == SEE_OTHER
    match = ORDER_PAGE.search(response.headers["Location"])
    assert match
    order = latest_order(session)
    assert order is not None and order.number == match.group(1)
    assert order.payment_status == PaymentStatus.ON_DELIVERY
    assert order.items_total_vnd == 745_000
    assert order.shipping_total_vnd == 35_000 + 35_000  # both producers ship to Hà Nội
    assert (stock_of(session, honey), stock_of(session, candy)) == (8, 9)

    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert order.number in page.text and "Đặt hàng thành công" in page.text
    assert "HTX Mường Phăng" in page.text and "HTX Dừa" in page.text
    assert 'class="cart-count">0<' in page.text  # the cart was emptied
    assert client.get(f"/orders/{order.number}").status_code == 200


def test_the_summary_shows_each_producers_shipping_for_the_chosen_province(client, session, cart):
    hidden = checkout_form(client)
    fields = delivery_fields(province_code=VINH_LONG, ward_code=0)
    del fields["place"]
    page = back_at_the_form(client, {**hidden, **fields, "choose_province": "1"})
    assert "Phường Trà Vinh" in page.text  # the wards of the chosen province
    fees = re.findall(r'class="price shipping-fee">([^<]+)<', page.text)
    assert [fee.replace("\xa0", " ") for fee in fees] == ["35.000 ₫", "20.000 ₫"]
    assert orders_count(session) == 0


def test_no_province_yet_means_no_fee_and_no_wards(client, cart):
    page = client.get("/checkout")
    assert "chọn tỉnh, thành phố nhận hàng để tính" in page.text


def test_a_double_submission_returns_the_same_order(client, session, cart):
    honey, _ = cart
    hidden = checkout_form(client)
    data = {**hidden, **delivery_fields()}
    first = client.post("/checkout", data=data)
    second = client.post("/checkout", data=data)
    assert first.status_code == second.status_code == SEE_OTHER
    assert first.headers["Location"] == second.headers["Location"]
    assert orders_count(session) == 1
    assert stock_of(session, honey) == 8


def test_a_resent_request_from_another_tab_with_a_new_cart_does_not_order_twice(
    client, session, cart
):
    honey, _ = cart
    hidden = checkout_form(client)
    data = {**hidden, **delivery_fields()}
    client.post("/checkout", data=data)
    product = session.execute(select(Variant).where(Variant.id == honey)).scalar_one().product_id
    from storefront.catalog.models import Product

    add_to_cart(client, session.get(Product, product), honey, 1)
    client.post("/checkout", data=data)  # the old form, resent
    assert orders_count(session) == 1
    assert stock_of(session, honey) == 8


def test_prices_totals_and_lines_in_the_form_are_ignored(client, session, cart):
    honey, candy = cart
    stranger = make_product(session, make_producer(session), price=10_000, stock=10)
    session.commit()
    hidden = checkout_form(client)
    tampered = {
        **hidden,
        **delivery_fields(),
        "price": 1,
        "unit_price_vnd": 1,
        "total": 1,
        "total_vnd": 1,
        "shipping_fee_vnd": 0,
        "quantity": 500,
        "variant_id": variant_of(session, stranger).id,
        "lines-0-variant_id": variant_of(session, stranger).id,
        "lines-0-quantity": 3,
    }
    assert client.post("/checkout", data=tampered).status_code == SEE_OTHER
    order = latest_order(session)
    assert order.items_total_vnd == 745_000 and order.total_vnd == 815_000
    parts = session.execute(select(OrderPart).where(OrderPart.order_id == order.id)).scalars().all()
    assert len(parts) == 2
    assert stock_of(session, variant_of(session, stranger).id) == 10
    assert (stock_of(session, honey), stock_of(session, candy)) == (8, 9)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ward_code": 12345678}, "Vui lòng chọn phường, xã"),
        ({"ward_code": GIA_LAI_WARD}, "Vui lòng chọn phường, xã"),  # a ward of Gia Lai, not Hà Nội
        ({"ward_code": "abc"}, "Vui lòng chọn phường, xã"),
        ({"province_code": 999, "ward_code": GIA_LAI_WARD}, "Vui lòng chọn tỉnh"),
        ({"province_code": "Hà Nội"}, "Vui lòng chọn tỉnh"),
        ({"phone": "12345"}, "Số điện thoại không hợp lệ"),
        ({"email": "lan@"}, "Địa chỉ email không hợp lệ"),
        ({"contact_name": ""}, "Vui lòng điền mục này"),
        ({"street": "x" * 301}, "Vui lòng kiểm tra lại"),
        ({"payment_method": "bitcoin"}, "Vui lòng chọn cách thanh toán"),
    ],
)
def test_bad_delivery_details_are_refused_and_nothing_is_taken(
    client, session, cart, changes, message
):
    honey, candy = cart
    hidden = checkout_form(client)
    response = back_at_the_form(client, {**hidden, **delivery_fields(**changes)})
    assert message in response.text
    assert orders_count(session) == 0
    assert (stock_of(session, honey), stock_of(session, candy)) == (10, 10)
    assert 'class="cart-count">3<' in response.text
    # the form keeps what the buyer typed, the checkout token included
    typed = {**delivery_fields(), **changes}
    for name in ("contact_name", "street"):
        if typed[name]:
            assert f'value="{typed[name]}"' in response.text
    assert hidden["checkout_token"] in response.text


def test_a_line_sold_out_meanwhile_stops_the_whole_order(client, session, cart):
    honey, candy = cart
    session.get(Variant, candy).stock = 0
    session.commit()
    hidden = checkout_form(client)
    response = back_at_the_form(client, {**hidden, **delivery_fields()})
    assert "Kẹo dừa (Hộp 500 g) đã hết hàng." in response.text
    assert orders_count(session) == 0
    assert stock_of(session, honey) == 10


def test_a_line_short_meanwhile_says_how_many_remain(client, session, cart):
    honey, _ = cart
    session.get(Variant, honey).stock = 1
    session.commit()
    hidden = checkout_form(client)
    response = back_at_the_form(client, {**hidden, **delivery_fields()})
    assert "Mật ong hoa Ban (Hộp 500 g) chỉ còn 1, bạn đặt 2." in response.text


def test_an_empty_cart_goes_back_to_the_cart_page(client, session):
    assert client.get("/checkout").headers["Location"] == "/cart"


def test_a_bank_transfer_order_shows_its_vietqr_code(client, session, cart, app):
    hidden = checkout_form(client)
    response = client.post(
        "/checkout",
        data={
            **hidden,
            **delivery_fields(
                payment_method="bank_transfer", province_code=GIA_LAI, ward_code=GIA_LAI_WARD
            ),
        },
    )
    assert response.status_code == SEE_OTHER
    order = latest_order(session)
    assert order.payment_status == PaymentStatus.AWAITING
    page = client.get(response.headers["Location"]).text
    assert "<svg" in page and 'class="vietqr"' in page
    assert app.config["BANK_ACCOUNT_NUMBER"] in page
    assert order.number in page
    assert "815.000" in page  # 745.000 + 2 × 35.000 to Gia Lai


def test_a_third_payment_method_plugs_in_through_the_registry(client, session, cart):
    started = []

    def start(order):  # type: ignore[no-untyped-def]
        started.append(order.number)
        return "https://pay.example/session/1"

    register(
        PaymentMethod(
            code="test_card",
            label="Thẻ thử nghiệm",
            description="Chỉ trong bài kiểm thử.",
            awaiting_payment=True,
            start=start,
        )
    )
    try:
        page = client.get("/checkout").text
        assert 'value="test_card"' in page
        hidden = checkout_form(client)
        response = client.post(
            "/checkout", data={**hidden, **delivery_fields(payment_method="test_card")}
        )
    finally:
        unregister("test_card")
    assert response.headers["Location"] == "https://pay.example/session/1"
    order = latest_order(session)
    assert started == [order.number]
    assert order.payment_method == "test_card" and order.payment_status == PaymentStatus.AWAITING


def test_a_signed_in_buyer_starts_from_their_saved_address(client, session, cart):
    from storefront.accounts.addresses import AddressData, add_address
    from tests.accounts.helpers import log_in, make_user

    user = make_user(session, full_name="Lò Văn Pâng")
    add_address(
        session, user, AddressData("Lò Thị Hoa", "0354 111 222", GIA_LAI, GIA_LAI_WARD, "Thôn 3")
    )
    session.commit()
    log_in(client, user.email)  # the guest cart is merged into the account's
    page = client.get("/checkout").text
    assert 'value="Lò Thị Hoa"' in page and "Thôn 3" in page
    hidden = checkout_form(client)
    data = {
        **hidden,
        **delivery_fields(
            contact_name="Lò Thị Hoa",
            province_code=GIA_LAI,
            ward_code=GIA_LAI_WARD,
            email=user.email,
        ),
    }
    assert client.post("/checkout", data=data).status_code == SEE_OTHER
    order = latest_order(session)
    assert order.user_id == user.id
    history = client.get("/account/orders").text
    assert order.number in history


def test_pages_need_the_csrf_token(client, cart):
    response = client.post("/checkout", data=delivery_fields())
    assert response.status_code == 400


def test_the_header_count_on_checkout(client, cart):
    assert 'class="cart-count">3<' in client.get("/checkout").text


def test_a_signed_in_buyer_switches_to_another_saved_address_but_not_someone_elses(
    client, session, cart
):
    from storefront.accounts.addresses import AddressData, add_address
    from tests.accounts.helpers import log_in, make_user

    user, other = make_user(session), make_user(session)
    add_address(
        session, user, AddressData("Lò Thị Hoa", "0354111222", GIA_LAI, GIA_LAI_WARD, "Thôn 3")
    )
    second = add_address(
        session, user, AddressData("Cầm Văn Xôm", "0354333444", VINH_LONG, VINH_LONG_WARD, "Ấp 7")
    )
    foreign = add_address(
        session, other, AddressData("Người Lạ", "0354555666", VINH_LONG, VINH_LONG_WARD, "Bí mật")
    )
    session.commit()
    log_in(client, user.email)
    hidden = checkout_form(client)
    page = back_at_the_form(client, {**hidden, "saved_address": second.id, "use_address": "1"})
    assert 'value="Cầm Văn Xôm"' in page.text and 'value="Ấp 7"' in page.text
    assert "Phường Trà Vinh" in page.text  # the wards of that address's province
    refused = back_at_the_form(client, {**hidden, "saved_address": foreign.id, "use_address": "1"})
    assert "Không tìm thấy địa chỉ." in refused.text and "Bí mật" not in refused.text


def test_no_checkout_post_answers_with_a_page(client, session, cart):
    """Post/redirect/get: a page answering a POST stays in the history, and Back or a
    refresh on it asks to resubmit the form. Every button and every outcome redirects."""
    hidden = checkout_form(client)
    redraw = {**hidden, **delivery_fields(), "choose_province": "1"}
    del redraw["place"]
    outcomes = [
        redraw,  # choose a province
        {**hidden, "saved_address": "1", "use_address": "1"},  # a guest: nothing to use
        {**hidden, **delivery_fields(phone="12")},  # refused
        {**hidden, **delivery_fields()},  # placed
        {**hidden, **delivery_fields()},  # the same token again
    ]
    for data in outcomes:
        response = client.post("/checkout", data=data)
        assert response.status_code == SEE_OTHER, data
    assert orders_count(session) == 1


def test_the_checkout_page_is_never_cached(client, cart):
    assert client.get("/checkout").headers["Cache-Control"] == "no-store"


def test_the_cart_quotes_shipping_to_the_province_chosen_at_checkout(client, session, cart):
    before = client.get("/cart").text
    assert "20.000 ₫ – 35.000 ₫" in before.replace("\xa0", " ")  # not known yet: the span
    hidden = checkout_form(client)
    fields = delivery_fields(province_code=VINH_LONG, ward_code=0)
    del fields["place"]
    back_at_the_form(client, {**hidden, **fields, "choose_province": "1"})
    page = client.get("/cart").text.replace("\xa0", " ")
    fees = re.findall(r'class="price shipping-fee">([^<]+)<', page)
    assert fees == ["35.000 ₫", "20.000 ₫"]  # Điện Biên → Vĩnh Long, then within Vĩnh Long
    assert "Phí vận chuyển tới Vĩnh Long" in page


def test_placing_the_order_forgets_what_was_typed(client, session, cart):
    hidden = checkout_form(client)
    back_at_the_form(client, {**hidden, **delivery_fields(phone="12")})
    client.post("/checkout", data={**hidden, **delivery_fields()})
    from storefront.cart.models import Cart

    session.expire_all()
    assert all(c.checkout_draft is None for c in session.execute(select(Cart)).scalars())
