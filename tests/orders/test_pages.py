"""Order pages: who may see an order, the guest lookup, cancelling, the admin's list."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storefront.accounts.models import Role
from storefront.orders import fulfilment
from storefront.orders.models import Order, OrderPart, PartStatus, PaymentStatus
from tests.accounts.helpers import log_in, make_user
from tests.conftest import csrf_token_from
from tests.factories import make_product
from tests.orders.helpers import place, stock_of, variant_of

SECRET_LINE = "Mật ong hoa Ban"


@pytest.fixture
def order(session):  # type: ignore[no-untyped-def]
    product = make_product(session, name=SECRET_LINE, price=350_000, stock=10)
    session.commit()
    return place(
        session,
        [(variant_of(session, product).id, 2)],
        phone="0912 345 678",
        email="Lan@Example.vn",
    )


def product_of(session):  # type: ignore[no-untyped-def]
    from storefront.catalog.models import Product

    return session.execute(select(Product)).scalar_one()


def lookup(client, number: str, contact: str):  # type: ignore[no-untyped-def]
    token = csrf_token_from(client.get(f"/orders/{number}").text)
    return client.post(f"/orders/{number}", data={"contact": contact, "csrf_token": token})


def test_a_stranger_sees_only_the_lookup_form(client, order):
    page = client.get(f"/orders/{order.number}")
    assert page.status_code == 200
    assert SECRET_LINE not in page.text and "Nguyễn Thị Lan" not in page.text
    assert 'name="contact"' in page.text


def test_an_unknown_number_looks_the_same_and_a_malformed_one_is_404(client, order):
    unknown = client.get("/orders/OC-2611-ZZZZZZ")
    known = client.get(f"/orders/{order.number}")
    assert unknown.status_code == known.status_code == 200
    assert unknown.text.replace("OC-2611-ZZZZZZ", "N").count("<form") == known.text.replace(
        order.number, "N"
    ).count("<form")
    assert client.get("/orders/not-a-number").status_code == 404
    assert client.get("/orders/OC-2611-ZZZZZZ/placed").status_code == 302


@pytest.mark.parametrize(
    "contact", ["lan@example.vn", " LAN@EXAMPLE.VN ", "0912345678", "+84 912 345 678"]
)
def test_the_orders_email_or_phone_opens_it(client, order, contact):
    response = lookup(client, order.number, contact)
    assert response.status_code == 302
    page = client.get(f"/orders/{order.number}")
    assert SECRET_LINE in page.text and "Nguyễn Thị Lan" in page.text


@pytest.mark.parametrize("contact", ["other@example.vn", "0987654321", "lan", "x" * 300])
def test_a_wrong_answer_gets_404_and_nothing_shown(client, order, contact):
    response = lookup(client, order.number, contact)
    assert response.status_code in (400, 404)
    assert SECRET_LINE not in response.text
    assert SECRET_LINE not in client.get(f"/orders/{order.number}").text


def test_another_signed_in_buyer_cannot_see_it_but_its_owner_can(client, session):
    owner = make_user(session)
    other = make_user(session)
    product = make_product(session, name=SECRET_LINE, stock=5)
    session.commit()
    order = place(session, [(variant_of(session, product).id, 1)], user_id=owner.id)
    log_in(client, other.email)
    assert SECRET_LINE not in client.get(f"/orders/{order.number}").text
    assert order.number not in client.get("/account/orders").text
    client.post("/account/logout", data={"csrf_token": csrf_token_from(client.get("/").text)})
    log_in(client, owner.email)
    assert SECRET_LINE in client.get(f"/orders/{order.number}").text
    assert order.number in client.get("/account/orders").text


def test_the_order_history_needs_an_account(client):
    response = client.get("/account/orders")
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_buyer_cancels_a_part_from_the_order_page(client, session, order):
    lookup(client, order.number, "lan@example.vn")
    page = client.get(f"/orders/{order.number}").text
    part = session.execute(select(OrderPart)).scalar_one()
    action = f"/orders/{order.number}/parts/{part.id}/cancel"
    assert action in page
    response = client.post(action, data={"csrf_token": csrf_token_from(page)})
    assert response.status_code == 302
    session.expire_all()
    assert session.get(OrderPart, part.id).status == PartStatus.CANCELLED
    assert stock_of(session, variant_of(session, product_of(session)).id) == 10
    assert "Đã huỷ" in client.get(f"/orders/{order.number}").text


def test_cancelling_is_refused_once_shipped_and_for_strangers(client, session, order, app):
    part = session.execute(select(OrderPart)).scalar_one()
    fulfilment.confirm_part(session, part.id)
    fulfilment.ship_part(session, part.id, "GHN", "GHN42")
    session.commit()
    stranger = app.test_client()
    token = csrf_token_from(stranger.get(f"/orders/{order.number}").text)
    assert (
        stranger.post(
            f"/orders/{order.number}/parts/{part.id}/cancel", data={"csrf_token": token}
        ).status_code
        == 404
    )
    token = csrf_token_from(client.get(f"/orders/{order.number}").text)  # the lookup form's
    lookup(client, order.number, "0912345678")
    page = client.get(f"/orders/{order.number}").text
    assert SECRET_LINE in page and "/cancel" not in page
    response = client.post(
        f"/orders/{order.number}/parts/{part.id}/cancel", data={"csrf_token": token}
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(OrderPart, part.id).status == PartStatus.SHIPPED
    assert "không thể huỷ" in client.get(f"/orders/{order.number}").text


def test_an_admin_marks_a_transfer_paid(client, session):
    product = make_product(session, stock=5)
    admin = make_user(session, role=Role.ADMIN)
    session.commit()
    variant_id = variant_of(session, product).id
    order = place(session, [(variant_id, 1)], method="bank_transfer", awaiting=True)
    log_in(client, admin.email)
    page = client.get("/admin/orders")
    assert page.status_code == 200 and order.number in page.text
    compact = order.number.replace("-", "")  # as a bank app may print the transfer note
    assert order.number in client.get(f"/admin/orders?q={compact}").text
    response = client.post(
        f"/admin/orders/{order.number}/paid", data={"csrf_token": csrf_token_from(page.text)}
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Order, order.id).payment_status == PaymentStatus.PAID
    assert f'href="/orders/{order.number}"' not in client.get("/admin/orders").text
    again = client.post(
        f"/admin/orders/{order.number}/paid", data={"csrf_token": csrf_token_from(page.text)}
    )
    assert again.status_code == 302
    assert "không ở trạng thái chờ thanh toán" in client.get("/admin/orders").text
    assert stock_of(session, variant_id) == 4
    # the audit log holds the one change, with who made it; the refused retry adds nothing
    from storefront.audit.models import AuditEntry

    [entry] = session.execute(select(AuditEntry)).scalars()
    assert (entry.action, entry.actor_id, entry.target_id) == (
        "order.mark_paid",
        admin.id,
        str(order.id),
    )


def test_only_admins_mark_orders_paid(client, session):
    product = make_product(session, stock=5)
    buyer = make_user(session)
    session.commit()
    order = place(
        session, [(variant_of(session, product).id, 1)], method="bank_transfer", awaiting=True
    )
    assert client.get("/admin/orders").status_code == 302
    log_in(client, buyer.email)
    token = csrf_token_from(client.get("/").text)
    assert client.get("/admin/orders").status_code == 403
    assert (
        client.post(f"/admin/orders/{order.number}/paid", data={"csrf_token": token}).status_code
        == 403
    )
    session.expire_all()
    assert session.get(Order, order.id).payment_status == PaymentStatus.AWAITING


def test_the_order_page_stops_showing_the_qr_once_paid(client, session):
    product = make_product(session, price=100_000, stock=5)
    session.commit()
    order = place(
        session, [(variant_of(session, product).id, 1)], method="bank_transfer", awaiting=True
    )
    lookup(client, order.number, "0912345678")
    assert 'class="vietqr"' in client.get(f"/orders/{order.number}").text
    fulfilment.mark_paid(session, order.id)
    session.commit()
    page = client.get(f"/orders/{order.number}").text
    assert 'class="vietqr"' not in page and "Đã thanh toán" in page


def test_the_payment_line_says_each_thing_once(client, order):
    """Cash on delivery is both the method and, in words, the status: say it once."""
    lookup(client, order.number, "lan@example.vn")
    for url in (f"/orders/{order.number}", f"/orders/{order.number}/placed"):
        page = client.get(url).text
        box = page[page.index('class="order-payment"') : page.index('class="order-delivery"')]
        assert box.count("Thanh toán khi nhận hàng") == 1, box
