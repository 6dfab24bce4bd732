"""The cart: a guest's found by a signed cookie, grouped by producer at current prices,
quantities capped by stock, merged into the account's cart at login."""

from __future__ import annotations

import re

import pytest

from storefront.cart import services
from storefront.cart.identity import COOKIE_NAME
from storefront.cart.models import Cart, CartLine
from storefront.catalog.models import Variant
from tests.accounts.helpers import log_in, make_user
from tests.conftest import csrf_token_from
from tests.factories import VINH_LONG, VINH_LONG_WARD, make_producer, make_product
from tests.orders.helpers import add_to_cart, variant_of

COUNT = re.compile(r'class="cart-count">(\d+)<')


def header_count(html: str) -> int:
    match = COUNT.search(html)
    assert match, "no cart count in the header"
    return int(match.group(1))


def lines_in_db(session) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return [
        (line.variant_id, line.quantity)
        for line in session.query(CartLine).order_by(CartLine.id)  # noqa: S608 - test read
    ]


def test_a_guest_adds_from_the_product_page_and_sees_lines_grouped_by_producer(client, session):
    honey = make_product(
        session, make_producer(session, "HTX Mật ong Mường Phăng"), "Mật ong hoa Ban", price=350_000
    )
    vinh_long = make_producer(
        session, "HTX Dừa Trà Vinh", province_code=VINH_LONG, ward_code=VINH_LONG_WARD
    )
    candy = make_product(session, vinh_long, "Kẹo dừa", price=45_000)
    session.commit()
    assert header_count(client.get("/").text) == 0

    response = add_to_cart(client, honey, variant_of(session, honey).id, 2)
    assert response.status_code == 302
    assert response.headers["Location"] == f"/products/{honey.slug}"
    assert COOKIE_NAME in response.headers["Set-Cookie"]
    add_to_cart(client, candy, variant_of(session, candy).id, 1)

    page = client.get("/cart")
    assert page.status_code == 200
    assert header_count(page.text) == 3
    body = page.text[page.text.index('<section class="cart">') :]
    assert body.index("HTX Mật ong Mường Phăng") < body.index("Mật ong hoa Ban")
    assert body.index("Mật ong hoa Ban") < body.index("HTX Dừa Trà Vinh") < body.index("Kẹo dừa")
    assert "700.000" in body and "45.000" in body


def test_the_cart_shows_the_current_price_not_the_price_when_added(client, session):
    product = make_product(session, price=100_000)
    session.commit()
    variant = variant_of(session, product)
    add_to_cart(client, product, variant.id, 1)
    variant.price_vnd = 120_000
    session.commit()
    page = client.get("/cart").text
    assert "120.000" in page and "100.000" not in page


def test_quantities_are_capped_by_stock_with_a_message(client, session):
    product = make_product(session, name="Lạc đỏ Na Son", stock=3)
    session.commit()
    variant = variant_of(session, product)
    add_to_cart(client, product, variant.id, 2)
    add_to_cart(client, product, variant.id, 5)
    assert lines_in_db(session) == [(variant.id, 3)]
    page = client.get("/cart").text
    assert "Chỉ còn 3 sản phẩm Lạc đỏ Na Son" in page


@pytest.mark.parametrize("quantity", ["0", "-5", "abc", "1.5", "", "1e9"])
def test_nonsense_quantities_are_refused_without_an_error_page(client, session, quantity):
    product = make_product(session, stock=5)
    session.commit()
    response = add_to_cart(client, product, variant_of(session, product).id, quantity)
    assert response.status_code == 302
    if quantity == "":  # an empty box means one
        assert lines_in_db(session) == [(variant_of(session, product).id, 1)]
    else:
        assert lines_in_db(session) == []
        assert "Số lượng phải là số nguyên" in client.get("/cart").text


def test_an_absurdly_large_quantity_is_cut_to_the_stock(client, session):
    product = make_product(session, stock=7)
    session.commit()
    variant = variant_of(session, product)
    response = add_to_cart(client, product, variant.id, "1000000000000")
    assert response.status_code == 302
    assert lines_in_db(session) == [(variant.id, 7)]


def test_out_of_stock_and_unpublished_products_cannot_be_added(client, session):
    empty = make_product(session, name="Khoai sọ Phì Nhừ", stock=0)
    hidden = make_product(session, published=False)
    on_sale = make_product(session, stock=5)
    session.commit()
    token = csrf_token_from(client.get(f"/products/{on_sale.slug}").text)
    client.post(
        "/cart/add", data={"variant_id": variant_of(session, empty).id, "csrf_token": token}
    )
    assert "Khoai sọ Phì Nhừ (Hộp 500 g) đã hết hàng." in client.get("/cart").text
    client.post(
        "/cart/add", data={"variant_id": variant_of(session, hidden).id, "csrf_token": token}
    )
    assert "không còn được bán" in client.get("/cart").text
    client.post("/cart/add", data={"variant_id": 999_999, "csrf_token": token})
    assert lines_in_db(session) == []


def test_update_and_remove(client, session):
    product = make_product(session, stock=10)
    session.commit()
    variant = variant_of(session, product)
    add_to_cart(client, product, variant.id, 1)
    token = csrf_token_from(client.get("/cart").text)
    client.post("/cart/update", data={"variant_id": variant.id, "quantity": 4, "csrf_token": token})
    assert lines_in_db(session) == [(variant.id, 4)]
    client.post(
        "/cart/update", data={"variant_id": variant.id, "quantity": 50, "csrf_token": token}
    )
    assert lines_in_db(session) == [(variant.id, 10)]
    client.post(
        "/cart/update", data={"variant_id": variant.id, "quantity": -1, "csrf_token": token}
    )
    assert lines_in_db(session) == [(variant.id, 10)]
    client.post("/cart/remove", data={"variant_id": variant.id, "csrf_token": token})
    assert lines_in_db(session) == []


def test_another_producers_variant_cannot_be_slipped_in_through_the_update_form(client, session):
    mine = make_product(session, stock=10)
    theirs = make_product(session, make_producer(session), stock=10)
    session.commit()
    add_to_cart(client, mine, variant_of(session, mine).id, 1)
    token = csrf_token_from(client.get("/cart").text)
    response = client.post(
        "/cart/update",
        data={"variant_id": variant_of(session, theirs).id, "quantity": 3, "csrf_token": token},
    )
    assert response.status_code == 302
    assert lines_in_db(session) == [(variant_of(session, mine).id, 1)]
    assert "không có trong giỏ hàng" in client.get("/cart").text


def test_a_forged_cookie_finds_no_cart(app, client, session):
    product = make_product(session, stock=10)
    session.commit()
    add_to_cart(client, product, variant_of(session, product).id, 2)
    cart = session.query(Cart).one()  # noqa: S608
    other = app.test_client()
    other.set_cookie(COOKIE_NAME, cart.token)  # the raw token without a valid signature
    assert header_count(other.get("/").text) == 0
    assert "Giỏ hàng của bạn đang trống." in other.get("/cart").text


def test_the_header_count_costs_one_query_with_a_cart_and_none_without(
    client, session, count_queries
):
    product = make_product(session, stock=10)
    session.commit()
    with count_queries() as without:
        client.get("/cart")
    assert without.count == 0
    add_to_cart(client, product, variant_of(session, product).id, 2)
    stranger = client.__class__(client.application)
    client.get("/products"), stranger.get("/products")  # the listing may be cached: warm it
    with count_queries() as counted:
        page = client.get("/products")
    with count_queries() as baseline:
        stranger.get("/products")
    assert header_count(page.text) == 2
    assert counted.count == baseline.count + 1


def test_a_guest_cart_merges_into_the_account_cart_at_login(client, session):
    honey = make_product(session, stock=5)
    nuts = make_product(session, stock=10)
    user = make_user(session)
    session.commit()
    own = services.get_or_create_cart(session, user_id=user.id)
    services.add_item(session, own, variant_of(session, honey).id, 2)
    session.commit()

    add_to_cart(client, honey, variant_of(session, honey).id, 4)
    add_to_cart(client, nuts, variant_of(session, nuts).id, 1)
    response = log_in(client, user.email)
    assert response.status_code == 302
    page = client.get("/cart")
    assert header_count(page.text) == 6  # honey capped at its stock of 5, plus 1
    assert sorted(lines_in_db(session)) == sorted(
        [(variant_of(session, honey).id, 5), (variant_of(session, nuts).id, 1)]
    )
    assert session.query(Cart).count() == 1  # noqa: S608 - the guest cart is gone
    assert client.get_cookie(COOKIE_NAME) is None


def test_a_guest_cart_becomes_the_account_cart_when_it_has_none(client, session):
    product = make_product(session, stock=5)
    user = make_user(session)
    session.commit()
    add_to_cart(client, product, variant_of(session, product).id, 2)
    log_in(client, user.email)
    assert header_count(client.get("/").text) == 2
    cart = session.query(Cart).one()  # noqa: S608
    assert cart.user_id == user.id


def test_a_variant_withdrawn_after_adding_is_flagged_in_the_cart(client, session):
    product = make_product(session, stock=5)
    session.commit()
    variant = variant_of(session, product)
    add_to_cart(client, product, variant.id, 2)
    session.get(Variant, variant.id).is_active = False
    session.commit()
    assert "không còn được bán" in client.get("/cart").text
