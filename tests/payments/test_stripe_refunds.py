"""Refunds by an admin: through Stripe for card orders (once per key), recorded by hand for
cash and transfer orders; a part or the whole order; quantities back on the shelf."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storefront.accounts.models import Role
from storefront.catalog.models import Producer
from storefront.orders import fulfilment
from storefront.orders.models import OrderEmail, OrderPart, PartStatus
from storefront.payments import refunds
from storefront.payments.models import Refund, RefundMethod, RefundStatus
from tests.accounts.helpers import log_in, make_member, make_user
from tests.conftest import csrf_token_from
from tests.factories import VINH_LONG, VINH_LONG_WARD, make_producer, make_product
from tests.orders.helpers import place, stock_of, variant_of
from tests.payments.stripe_fake import (
    SECRET_KEY,
    card_order,
    deliver,
    event,
    install,
    open_card_session,
)


@pytest.fixture
def stripe_api(app, monkeypatch):  # type: ignore[no-untyped-def]
    return install(app, monkeypatch)


@pytest.fixture
def goods(session):  # type: ignore[no-untyped-def]
    """Honey (150.000 ₫) from Điện Biên and candy (45.000 ₫) from Vĩnh Long, 10 of each."""
    honey = make_product(session, make_producer(session, "HTX Mường Phăng"), "Mật ong", 150_000)
    vinh_long = make_producer(session, "HTX Dừa", province_code=VINH_LONG, ward_code=VINH_LONG_WARD)
    candy = make_product(session, vinh_long, "Kẹo dừa", price=45_000)
    session.commit()
    return variant_of(session, honey).id, variant_of(session, candy).id


@pytest.fixture
def paid(app, client, session, stripe_api, goods):  # type: ignore[no-untyped-def]
    """A card order paid through Stripe: 2 honey + 1 candy, 35.000 ₫ shipping per part."""
    honey, candy = goods
    order = card_order(session, [(honey, 2), (candy, 1)])
    payment = open_card_session(session, app, order)
    deliver(client, event("checkout.session.completed", stripe_api.pay(payment.session_id)))
    session.expire_all()
    return order


@pytest.fixture
def admin(client, session):  # type: ignore[no-untyped-def]
    user = make_user(session, role=Role.ADMIN)
    session.commit()
    log_in(client, user.email)
    return user


def parts_of(session, order):  # type: ignore[no-untyped-def]
    return list(
        session.execute(
            select(OrderPart).where(OrderPart.order_id == order.id).order_by(OrderPart.id)
        ).scalars()
    )


def deliver_part(session, part_id: int) -> None:  # type: ignore[no-untyped-def]
    fulfilment.confirm_part(session, part_id)
    fulfilment.ship_part(session, part_id, "Viettel Post", "VTP123")
    fulfilment.deliver_part(session, part_id)
    session.commit()


def post_refund(client, order, **fields):  # type: ignore[no-untyped-def]
    page = client.get(f"/admin/payments/orders/{order.number}")
    assert page.status_code == 200
    data = {"csrf_token": csrf_token_from(page.text), "reason": "Hàng vỡ", **fields}
    return client.post(f"/admin/payments/orders/{order.number}/refunds", data=data)


def test_a_delivered_part_is_refunded_through_stripe_with_returned_goods(
    client, session, stripe_api, paid, admin, goods
):
    honey, _ = goods
    honey_part, _ = parts_of(session, paid)
    deliver_part(session, honey_part.id)
    line = session.execute(select(OrderPart).where(OrderPart.id == honey_part.id)).scalar_one()
    line_id = refunds.load_order(session, paid.id).parts[0].lines[0].id
    assert stock_of(session, honey) == 8
    response = post_refund(
        client, paid, part_id=line.id, amount="150.000 ₫", **{f"restock-{line_id}": "1"}
    )
    assert response.status_code == 302
    [call] = stripe_api.calls("post", "/v1/refunds")
    intent = next(iter(stripe_api.sessions.values()))["payment_intent"]
    assert call.api_key == SECRET_KEY
    assert call.params["payment_intent"] == intent
    assert call.params["amount"] == "150000"  # VND, zero-decimal
    assert call.idempotency_key == f"refund-{paid.number}-1"
    refund = session.execute(select(Refund)).scalar_one()
    assert (refund.status, refund.method, refund.amount_vnd) == (
        RefundStatus.SUCCEEDED,
        RefundMethod.CARD,
        150_000,
    )
    assert refund.stripe_refund_id == next(iter(stripe_api.refunds))
    assert stock_of(session, honey) == 9  # one jar came back
    emails = session.execute(select(OrderEmail.kind).where(OrderEmail.kind == "refund_issued"))
    assert len(emails.all()) == 1
    # What is left of the part: 2 × 150.000 + 35.000 − 150.000.
    page = client.get(f"/admin/payments/orders/{paid.number}")
    assert "185.000" in page.text
    # Stripe confirms with charge.refunded: nothing more is recorded.
    confirm = event("charge.refunded", stripe_api.charge(intent, 150_000))
    assert deliver(client, confirm).json["outcome"] == "refund_confirmed"
    assert session.execute(select(func.count()).select_from(Refund)).scalar_one() == 1


def test_the_whole_order_is_refunded_part_by_part(client, session, stripe_api, paid, admin, goods):
    honey, candy = goods
    response = post_refund(client, paid)
    assert response.status_code == 302
    calls = stripe_api.calls("post", "/v1/refunds")
    assert sorted(int(c.params["amount"]) for c in calls) == [80_000, 335_000]
    assert len({c.idempotency_key for c in calls}) == 2
    # Neither part had shipped: both are cancelled and their stock returned, once.
    assert [p.status for p in parts_of(session, paid)] == [PartStatus.CANCELLED] * 2
    assert (stock_of(session, honey), stock_of(session, candy)) == (10, 10)
    again = post_refund(client, paid)
    assert again.status_code == 400
    assert "không còn khoản nào đã thu để hoàn" in again.text
    assert len(stripe_api.calls("post", "/v1/refunds")) == 2
    assert (stock_of(session, honey), stock_of(session, candy)) == (10, 10)


def test_amounts_and_quantities_beyond_what_was_paid_are_refused(
    client, session, stripe_api, paid, admin
):
    honey_part, candy_part = parts_of(session, paid)
    too_much = post_refund(client, paid, part_id=candy_part.id, amount="80001")
    assert too_much.status_code == 400 and "80.000" in too_much.text
    nonsense = post_refund(client, paid, part_id=candy_part.id, amount="-5")
    assert nonsense.status_code == 400
    deliver_part(session, honey_part.id)
    line_id = refunds.load_order(session, paid.id).parts[0].lines[0].id
    restock = post_refund(client, paid, part_id=honey_part.id, **{f"restock-{line_id}": "3"})
    assert restock.status_code == 400
    assert stripe_api.calls("post", "/v1/refunds") == []
    assert session.execute(select(func.count()).select_from(Refund)).scalar_one() == 0


def test_a_lost_answer_leaves_the_refund_pending_and_a_retry_refunds_once(
    client, session, stripe_api, paid, admin
):
    _, candy_part = parts_of(session, paid)
    stripe_api.fail_next(1, kind="lost")  # Stripe refunded; the answer was lost
    stripe_api.fail_next(2)  # and the library's retries could not get through
    response = post_refund(client, paid, part_id=candy_part.id)
    assert response.status_code == 302
    refund = session.execute(select(Refund)).scalar_one()
    assert refund.status == RefundStatus.PENDING and refund.stripe_refund_id is None
    assert "chưa gửi được tới Stripe" in client.get(response.headers["Location"]).text
    page = client.get("/admin/payments/")
    assert "Gửi lại tới Stripe" in page.text
    retry = client.post(
        f"/admin/payments/refunds/{refund.id}/send",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    assert retry.status_code == 302
    session.expire_all()
    refund = session.execute(select(Refund)).scalar_one()
    assert refund.status == RefundStatus.SUCCEEDED
    keys = {c.idempotency_key for c in stripe_api.calls("post", "/v1/refunds")}
    assert keys == {f"refund-{paid.number}-1"}
    assert len(stripe_api.refunds) == 1  # the same key never refunds twice


def test_stripe_refusing_marks_the_refund_failed(client, session, stripe_api, paid, admin):
    _, candy_part = parts_of(session, paid)
    stripe_api.refuse_next("Charge ch_1 has been disputed.", code="charge_disputed")
    response = post_refund(client, paid, part_id=candy_part.id)
    page = client.get(response.headers["Location"])
    assert "Charge ch_1 has been disputed." in page.text
    refund = session.execute(select(Refund)).scalar_one()
    assert refund.status == RefundStatus.FAILED
    # A failed refund does not count: the part can still be refunded in full.
    balances = refunds.balances(session, refunds.load_order(session, paid.id))
    assert balances[1].refundable_vnd == 80_000
    assert parts_of(session, paid)[1].status == PartStatus.PLACED


def test_cash_on_delivery_is_refunded_by_hand_once_delivered(client, session, admin, goods):
    honey, candy = goods
    order = place(session, [(honey, 1), (candy, 2)])
    honey_part, candy_part = parts_of(session, order)
    refused = post_refund(client, order, part_id=honey_part.id)
    assert refused.status_code == 400  # nothing was collected yet
    deliver_part(session, honey_part.id)
    line_id = refunds.load_order(session, order.id).parts[0].lines[0].id
    response = post_refund(client, order, part_id=honey_part.id, **{f"restock-{line_id}": "1"})
    assert response.status_code == 302
    refund = session.execute(select(Refund)).scalar_one()
    assert (refund.method, refund.status, refund.amount_vnd) == (
        RefundMethod.MANUAL,
        RefundStatus.SUCCEEDED,
        185_000,
    )
    assert stock_of(session, honey) == 10
    # The whole order: only the delivered part had money to give back.
    assert post_refund(client, order).status_code == 400


def test_a_paid_transfer_order_is_refunded_by_hand(client, session, admin, goods):
    honey, _ = goods
    order = place(session, [(honey, 1)], method="bank_transfer", awaiting=True)
    fulfilment.mark_paid(session, order.id)
    session.commit()
    [part] = parts_of(session, order)
    response = post_refund(client, order, part_id=part.id, amount="50000")
    assert response.status_code == 302
    refund = session.execute(select(Refund)).scalar_one()
    assert (refund.method, refund.amount_vnd, refund.cancels_part) == (
        RefundMethod.MANUAL,
        50_000,
        False,
    )
    assert parts_of(session, order)[0].status == PartStatus.PLACED  # a partial refund


def test_a_part_cancelled_before_payment_is_not_refundable(session, goods, app):
    honey, candy = goods
    order = place(session, [(honey, 1), (candy, 1)], method="bank_transfer", awaiting=True)
    _, candy_part = parts_of(session, order)
    fulfilment.cancel_part(session, candy_part.id, actor="buyer")
    fulfilment.mark_paid(session, order.id)
    session.commit()
    balances = refunds.balances(session, refunds.load_order(session, order.id))
    assert [b.collected_vnd for b in balances] == [185_000, 0]


def test_only_admins_open_the_refund_pages(client, session, paid):
    member = make_member(session, session.execute(select(Producer)).scalars().first())
    session.commit()
    log_in(client, member.email)
    assert client.get(f"/admin/payments/orders/{paid.number}").status_code == 403
    assert client.get("/admin/payments/").status_code == 403
