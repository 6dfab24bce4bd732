"""One email policy for every form that takes an address (storefront/email_policy.py):
registration, checkout, finding a guest order and adding a producer member accept and
refuse the same addresses, and the demo accounts (@ocop.test) order through the forms.
Checkout used to refuse the signed-in buyer's own buyer@ocop.test."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from storefront.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo_accounts
from storefront.accounts.models import User
from storefront.email_policy import InvalidEmail, normalize_email
from storefront.orders.models import Order
from tests.accounts.helpers import log_in, make_member, post_form
from tests.conftest import csrf_token_from
from tests.factories import make_producer, make_product
from tests.orders.helpers import (
    add_to_cart,
    checkout_form,
    delivery_fields,
    latest_order,
    place,
    variant_of,
)

# (as typed, as stored)
ACCEPTED = [
    ("buyer@ocop.test", "buyer@ocop.test"),
    ("  Lan.Nguyen@Example.VN ", "lan.nguyen@example.vn"),
    ("an@ví-dụ.vn", "an@xn--v-d-rma6749a.vn"),
]
REFUSED = ["lan@", "lan@localhost", "lan nguyen@example.vn", "x@foo.invalid", "a" * 250 + "@x.vn"]
EMAIL_VALUE = re.compile(r'name="email"[^>]*value="([^"]*)"')


@pytest.mark.parametrize(("typed", "stored"), ACCEPTED)
def test_the_policy_keeps_one_spelling(typed, stored):
    assert normalize_email(typed) == stored


@pytest.mark.parametrize("typed", REFUSED)
def test_the_policy_refuses(typed):
    with pytest.raises(InvalidEmail):
        normalize_email(typed)


def _register(client, email: str):  # type: ignore[no-untyped-def]
    return post_form(
        client,
        "/account/register",
        "/account/register",
        {
            "full_name": "Lò Thị Lan",
            "email": email,
            "password": "đặc sản Tây Bắc",
            "password_confirm": "đặc sản Tây Bắc",
        },
    )


def _check_out(client, session, email: str):  # type: ignore[no-untyped-def]
    product = make_product(session, price=100_000, stock=5)
    session.commit()
    add_to_cart(client, product, variant_of(session, product).id, 1)
    hidden = checkout_form(client)
    return client.post("/checkout", data={**hidden, **delivery_fields(email=email)})


def _add_member(client, session, email: str):  # type: ignore[no-untyped-def]
    producer = make_producer(session)
    owner = make_member(session, producer, email="owner@example.vn")
    session.commit()
    log_in(client, owner.email)
    page = client.get(f"/producer/{producer.id}/members")
    return client.post(
        f"/producer/{producer.id}/members",
        data={"email": email, "csrf_token": csrf_token_from(page.text)},
        follow_redirects=True,
    ).text


@pytest.mark.parametrize(("typed", "stored"), ACCEPTED)
def test_every_form_accepts_the_same_addresses(client, session, app, typed, stored):
    assert _register(client, typed).status_code == 302
    assert session.execute(select(User.email).where(User.email == stored)).scalar_one()
    client.post("/account/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})

    with app.test_client() as guest:
        placed = _check_out(guest, session, typed)
        assert placed.status_code == 303 and "/placed" in placed.headers["Location"]
        order = latest_order(session)
        assert order is not None and order.email == stored

    with app.test_client() as stranger:  # a guest finds the order with the address
        page = stranger.get(f"/orders/{order.number}")
        answer = stranger.post(
            f"/orders/{order.number}",
            data={"contact": typed.upper(), "csrf_token": csrf_token_from(page.text)},
        )
        assert answer.status_code == 302

    with app.test_client() as owner:
        assert "Đã thêm thành viên." in _add_member(owner, session, typed)


@pytest.mark.parametrize("typed", REFUSED)
def test_every_form_refuses_the_same_addresses(client, session, app, typed):
    page = _register(client, typed)
    assert "Địa chỉ email không hợp lệ." in page.text
    assert session.execute(select(User)).first() is None

    with app.test_client() as guest:
        refused = _check_out(guest, session, typed)
        assert refused.headers["Location"] == "/checkout#delivery"
        assert "Địa chỉ email không hợp lệ." in guest.get("/checkout").text
        assert session.execute(select(Order)).first() is None

    order = place(session, [(variant_of(session, make_product(session)).id, 1)])
    with app.test_client() as stranger:
        page = stranger.get(f"/orders/{order.number}")
        answer = stranger.post(
            f"/orders/{order.number}",
            data={"contact": typed, "csrf_token": csrf_token_from(page.text)},
        )
        assert answer.status_code in (400, 404)

    with app.test_client() as owner:
        assert "Đã thêm thành viên." not in _add_member(owner, session, typed)


@pytest.mark.parametrize(("email", "role", "name"), DEMO_ACCOUNTS)
def test_each_demo_account_orders_through_the_forms(app, session, email, role, name):
    load_demo_accounts(session)
    product = make_product(session, price=85_000, stock=5)
    session.commit()
    with app.test_client() as client:
        assert log_in(client, email, DEMO_PASSWORD).status_code == 302
        add_to_cart(client, product, variant_of(session, product).id, 1)
        page = client.get("/checkout").text
        prefilled = EMAIL_VALUE.search(page)
        assert prefilled and prefilled.group(1) == email  # the form starts from the account
        hidden = checkout_form(client)
        placed = client.post(
            "/checkout", data={**hidden, **delivery_fields(email=prefilled.group(1))}
        )
        assert placed.status_code == 303 and "/placed" in placed.headers["Location"]
        order = latest_order(session)
        assert order is not None and order.email == email and order.user_id is not None


def test_a_member_address_that_is_not_one_says_so(client, session):
    assert "Địa chỉ email không hợp lệ." in _add_member(client, session, "lan@")


def test_a_refused_member_address_stays_in_the_form(client, session):
    page = _add_member(client, session, "chua-dang-ky@example.vn")
    assert "Người đó cần đăng ký tài khoản trước." in page
    assert 'value="chua-dang-ky@example.vn"' in page
