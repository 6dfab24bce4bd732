"""Stripe's webhook: signed as Stripe signs, applied once, only forwards, never a wrong paid."""

from __future__ import annotations

import json
import time

import pytest
from sqlalchemy import func, select

from storefront.orders.models import Order, OrderEmail, PaymentStatus
from storefront.payments.models import (
    CardPayment,
    CardPaymentStatus,
    IssueKind,
    PaymentIssue,
    Refund,
    StripeEvent,
)
from tests.accounts.helpers import log_in, make_user
from tests.accounts.mail import smtp_inbox  # noqa: F401
from tests.factories import make_product
from tests.orders.helpers import stock_of, variant_of
from tests.payments.stripe_fake import (
    WEBHOOK_SECRET,
    card_order,
    deliver,
    event,
    install,
    open_card_session,
    sign,
)


@pytest.fixture
def stripe_api(app, monkeypatch):  # type: ignore[no-untyped-def]
    return install(app, monkeypatch)


@pytest.fixture
def opened(app, session, stripe_api):  # type: ignore[no-untyped-def]
    """A card order of 2 × 150.000 ₫ + 35.000 ₫ shipping, its Checkout Session open."""
    product = make_product(session, price=150_000, stock=10)
    session.commit()
    variant_id = variant_of(session, product).id
    order = card_order(session, [(variant_id, 2)])
    payment = open_card_session(session, app, order)
    return order.id, payment.session_id, variant_id


def order_of(session, order_id: int) -> Order:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.get(Order, order_id)


def count(session, model, **where) -> int:  # type: ignore[no-untyped-def]
    query = select(func.count()).select_from(model)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    return session.execute(query).scalar_one()


def test_a_completed_session_marks_the_order_paid(client, session, stripe_api, opened):
    order_id, session_id, _ = opened
    response = deliver(client, event("checkout.session.completed", stripe_api.pay(session_id)))
    assert response.status_code == 200 and response.json["outcome"] == "paid"
    order = order_of(session, order_id)
    assert order.payment_status == PaymentStatus.PAID and order.paid_at is not None
    payment = session.execute(select(CardPayment)).scalar_one()
    assert payment.status == CardPaymentStatus.COMPLETE and payment.payment_intent_id


def test_the_same_event_five_times_changes_the_order_once(client, session, stripe_api, opened):
    order_id, session_id, _ = opened
    completed = event("checkout.session.completed", stripe_api.pay(session_id))
    outcomes = [deliver(client, completed).json["outcome"] for _ in range(5)]
    assert outcomes == ["paid", "duplicate", "duplicate", "duplicate", "duplicate"]
    assert order_of(session, order_id).payment_status == PaymentStatus.PAID
    assert count(session, StripeEvent) == 1
    assert count(session, OrderEmail, kind="payment_received") == 1


def test_expired_after_completed_leaves_the_order_paid(client, session, stripe_api, opened):
    order_id, session_id, variant_id = opened
    deliver(client, event("checkout.session.completed", stripe_api.pay(session_id)))
    late = dict(stripe_api.sessions[session_id], status="expired")
    assert deliver(client, event("checkout.session.expired", late)).status_code == 200
    order = order_of(session, order_id)
    assert order.payment_status == PaymentStatus.PAID
    assert stock_of(session, variant_id) == 8  # nothing returned to the shelf
    assert session.execute(select(CardPayment.status)).scalar_one() == CardPaymentStatus.COMPLETE


def test_an_expired_session_cancels_the_order_and_returns_its_stock(
    client, session, stripe_api, opened
):
    order_id, session_id, variant_id = opened
    assert stock_of(session, variant_id) == 8
    response = deliver(client, event("checkout.session.expired", stripe_api.expire(session_id)))
    assert response.json["outcome"] == "order_expired"
    assert order_of(session, order_id).payment_status == PaymentStatus.EXPIRED
    assert stock_of(session, variant_id) == 10
    # Delivered again: the stock is not returned twice.
    again = event("checkout.session.expired", stripe_api.sessions[session_id])
    deliver(client, again)
    deliver(client, again)
    assert stock_of(session, variant_id) == 10
    assert count(session, OrderEmail, kind="order_expired") == 1
    # Completed after expiry (events out of order): flagged, never paid.
    paid = event("checkout.session.completed", stripe_api.pay(session_id))
    assert deliver(client, paid).json["outcome"] == "paid_after_cancel"
    assert order_of(session, order_id).payment_status == PaymentStatus.EXPIRED
    assert count(session, PaymentIssue, kind=IssueKind.PAID_AFTER_CANCEL) == 1


@pytest.mark.parametrize(
    "signature",
    [
        lambda body: sign(body, "whsec_someone_else"),
        lambda body: sign(body, WEBHOOK_SECRET, int(time.time()) - 301),  # stale
        lambda body: sign(body + " ", WEBHOOK_SECRET),  # signed another body
        lambda body: "t=abc,v1=def",
        lambda body: "",
    ],
    ids=["wrong-secret", "stale", "other-body", "garbage", "missing"],
)
def test_a_bad_or_stale_signature_is_refused_and_changes_nothing(
    client, session, stripe_api, opened, signature
):
    order_id, session_id, _ = opened
    body = json.dumps(event("checkout.session.completed", stripe_api.pay(session_id)))
    response = client.post(
        "/payments/stripe/webhook",
        data=body.encode(),
        headers={"Stripe-Signature": signature(body)},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert order_of(session, order_id).payment_status == PaymentStatus.AWAITING
    assert count(session, StripeEvent) == 0


def test_a_recent_timestamp_within_tolerance_is_accepted(client, session, stripe_api, opened):
    order_id, session_id, _ = opened
    paid = event("checkout.session.completed", stripe_api.pay(session_id))
    assert deliver(client, paid, timestamp=int(time.time()) - 240).status_code == 200
    assert order_of(session, order_id).payment_status == PaymentStatus.PAID


@pytest.mark.parametrize(
    ("changes", "kind"),
    [({"amount_total": 1}, "amount"), ({"currency": "usd"}, "currency")],
    ids=["amount", "currency"],
)
def test_a_mismatched_payment_is_flagged_to_admins_and_never_marked_paid(
    app, client, session, stripe_api, opened, changes, kind
):
    order_id, session_id, _ = opened
    response = deliver(
        client, event("checkout.session.completed", stripe_api.pay(session_id, **changes))
    )
    assert response.status_code == 200 and response.json["outcome"] == "amount_mismatch"
    order = order_of(session, order_id)
    assert order.payment_status == PaymentStatus.AWAITING
    issue = session.execute(select(PaymentIssue)).scalar_one()
    assert issue.kind == IssueKind.AMOUNT_MISMATCH and issue.order_id == order_id
    assert issue.expected_vnd == 335_000
    # An admin sees it, on the payments page and on the order's refund page.
    admin = make_user(session, role="admin")
    session.commit()
    log_in(client, admin.email)
    page = client.get("/admin/payments/")
    assert (
        "Số tiền hoặc loại tiền không khớp với đơn hàng" in page.text and order.number in page.text
    )
    assert "order-flag" in client.get(f"/admin/payments/orders/{order.number}").text
    # The order is held for the admin: its session expiring does not cancel it.
    assert session.execute(select(CardPayment.status)).scalar_one() == CardPaymentStatus.COMPLETE


def test_a_delayed_payment_is_paid_only_when_it_succeeds(client, session, stripe_api, opened):
    order_id, session_id, _ = opened
    completed = stripe_api.pay(session_id, payment_status="unpaid")
    assert deliver(client, event("checkout.session.completed", completed)).json["outcome"] == (
        "processing"
    )
    assert order_of(session, order_id).payment_status == PaymentStatus.AWAITING
    succeeded = dict(completed, payment_status="paid")
    response = deliver(client, event("checkout.session.async_payment_succeeded", succeeded))
    assert response.json["outcome"] == "paid"
    assert order_of(session, order_id).payment_status == PaymentStatus.PAID


def test_a_failed_delayed_payment_leaves_the_order_unpaid_and_tells_the_buyer_once(
    client, session, stripe_api, opened
):
    order_id, session_id, _ = opened
    completed = stripe_api.pay(session_id, payment_status="unpaid")
    deliver(client, event("checkout.session.completed", completed))
    failed = event("checkout.session.async_payment_failed", completed)
    assert deliver(client, failed).json["outcome"] == "payment_failed"
    deliver(client, failed)
    assert order_of(session, order_id).payment_status == PaymentStatus.AWAITING
    assert count(session, OrderEmail, kind="card_payment_failed") == 1
    assert session.execute(select(CardPayment.status)).scalar_one() == CardPaymentStatus.FAILED


def test_unknown_event_types_are_acknowledged_and_ignored(client, session, stripe_api, opened):
    order_id, _, _ = opened
    response = deliver(client, event("customer.created", {"id": "cus_1", "object": "customer"}))
    assert response.status_code == 200 and response.json["outcome"] == "ignored"
    assert order_of(session, order_id).payment_status == PaymentStatus.AWAITING


def test_an_expired_orphan_session_does_not_cancel_an_order_still_payable(
    app, client, session, stripe_api, opened
):
    order_id, first_session, variant_id = opened
    # The first session was abandoned; the buyer opened a second one, still open.
    session.execute(CardPayment.__table__.update().values(status=CardPaymentStatus.FAILED))
    session.commit()
    second = open_card_session(session, app, order_of(session, order_id))
    assert second.attempt == 2
    response = deliver(client, event("checkout.session.expired", stripe_api.expire(first_session)))
    assert response.json["outcome"] == "another_session_open"
    assert order_of(session, order_id).payment_status == PaymentStatus.AWAITING
    assert stock_of(session, variant_id) == 8


def test_a_session_the_shop_never_heard_back_about_is_found_by_its_metadata(
    app, client, session, stripe_api, opened
):
    order_id, session_id, _ = opened
    # Our call was answered too late: the attempt has no session id recorded.
    session.execute(CardPayment.__table__.update().values(session_id=None))
    session.commit()
    deliver(client, event("checkout.session.completed", stripe_api.pay(session_id)))
    assert order_of(session, order_id).payment_status == PaymentStatus.PAID
    assert session.execute(select(CardPayment.session_id)).scalar_one() == session_id


def test_money_for_an_unknown_order_is_flagged(client, session, stripe_api, opened):
    _, session_id, _ = opened
    stranger = dict(
        stripe_api.pay(session_id), id="cs_other", metadata={}, client_reference_id=None
    )
    assert deliver(client, event("checkout.session.completed", stranger)).json["outcome"] == (
        "unknown_order"
    )
    assert session.execute(select(PaymentIssue.kind)).scalar_one() == IssueKind.UNKNOWN_ORDER


def test_a_second_paid_session_is_flagged_as_a_duplicate(app, client, session, stripe_api, opened):
    order_id, first, _ = opened
    session.execute(CardPayment.__table__.update().values(status=CardPaymentStatus.FAILED))
    session.commit()
    second = open_card_session(session, app, order_of(session, order_id)).session_id
    deliver(client, event("checkout.session.completed", stripe_api.pay(second)))
    response = deliver(client, event("checkout.session.completed", stripe_api.pay(first)))
    assert response.json["outcome"] == "duplicate_payment"
    assert order_of(session, order_id).payment_status == PaymentStatus.PAID
    assert session.execute(select(PaymentIssue.kind)).scalar_one() == IssueKind.DUPLICATE_PAYMENT


def test_a_refund_made_in_stripes_dashboard_is_recorded_and_flagged(
    client, session, stripe_api, opened
):
    order_id, session_id, _ = opened
    deliver(client, event("checkout.session.completed", stripe_api.pay(session_id)))
    intent = stripe_api.sessions[session_id]["payment_intent"]
    refunded = event("charge.refunded", stripe_api.charge(intent, 50_000))
    assert deliver(client, refunded).json["outcome"] == "refund_recorded"
    assert deliver(client, refunded).json["outcome"] == "duplicate"
    refund = session.execute(select(Refund)).scalar_one()
    assert (refund.amount_vnd, refund.part_id, refund.status) == (50_000, None, "succeeded")
    assert session.execute(select(PaymentIssue.kind)).scalar_one() == IssueKind.EXTERNAL_REFUND
    assert count(session, OrderEmail, kind="refund_issued") == 1


def test_the_webhook_is_off_without_keys(client, session, app, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "")
    response = deliver(client, event("checkout.session.completed", {"id": "cs_x"}))
    assert response.status_code == 404


def test_the_webhook_needs_no_csrf_token_but_the_card_pages_do(client, session, stripe_api, opened):
    order_id, _, _ = opened
    number = order_of(session, order_id).number
    assert client.post(f"/payments/card/{number}/pay").status_code == 400  # no CSRF token
    assert deliver(client, event("ping", {"id": "x"})).status_code == 200


def test_a_redelivered_event_after_a_failure_is_applied(
    app, client, session, stripe_api, opened, monkeypatch
):
    from storefront.payments import webhooks

    order_id, session_id, _ = opened
    completed = event("checkout.session.completed", stripe_api.pay(session_id))
    real = webhooks.mark_paid
    calls = []

    def fails_once(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("database went away mid-event")
        return real(*args, **kwargs)

    monkeypatch.setattr(webhooks, "mark_paid", fails_once)
    assert deliver(client, completed).status_code == 500
    assert count(session, StripeEvent) == 0  # the event row went with the failed effect
    assert deliver(client, completed).json["outcome"] == "paid"
    assert order_of(session, order_id).payment_status == PaymentStatus.PAID
    assert count(session, StripeEvent) == 1


def test_the_sweep_cancels_card_orders_whose_sessions_all_expired(
    app, runner, session, stripe_api, opened
):
    from datetime import timedelta

    from storefront.timeutil import utcnow

    order_id, _, variant_id = opened
    result = runner.invoke(args=["payments", "expire-card-orders"])
    assert "Expired 0" in result.output  # its session is still open
    long_ago = utcnow() - timedelta(hours=2)
    session.execute(Order.__table__.update().values(placed_at=long_ago))
    session.execute(CardPayment.__table__.update().values(expires_at=long_ago))
    session.commit()
    result = runner.invoke(args=["payments", "expire-card-orders"])
    assert "Expired 1" in result.output, result.output
    assert order_of(session, order_id).payment_status == PaymentStatus.EXPIRED
    assert stock_of(session, variant_id) == 10
    assert "Expired 0" in runner.invoke(args=["payments", "expire-card-orders"]).output


def test_the_expiry_email_speaks_of_the_card(client, session, stripe_api, opened, smtp_inbox):  # noqa: F811
    _, session_id, _ = opened
    deliver(client, event("checkout.session.expired", stripe_api.expire(session_id)))
    [mail] = [m for m in smtp_inbox.to("mua.hang@example.vn") if "huỷ" in str(m["Subject"])]
    text = smtp_inbox.text_of(mail)
    assert "chưa thanh toán bằng thẻ trong thời hạn" in text and "chuyển khoản" not in text


def test_the_same_event_delivered_at_once_is_applied_once(
    app, session, stripe_api, opened, monkeypatch, is_postgres
):
    """Stripe may deliver an event again while the first delivery is still running."""
    if not is_postgres:
        pytest.skip("concurrent writers need PostgreSQL (SQLite has one writer at a time)")
    import threading

    from storefront.payments import webhooks

    order_id, session_id, _ = opened
    completed = event("checkout.session.completed", stripe_api.pay(session_id))
    real = webhooks.mark_paid

    def slow(*args, **kwargs):  # type: ignore[no-untyped-def]
        time.sleep(0.3)  # hold the transaction open while the others arrive
        return real(*args, **kwargs)

    monkeypatch.setattr(webhooks, "mark_paid", slow)
    outcomes: list[tuple[int, str]] = []

    def one_delivery() -> None:
        response = deliver(app.test_client(), completed)
        outcomes.append((response.status_code, (response.json or {}).get("outcome", "")))

    threads = [threading.Thread(target=one_delivery) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == [(200, "duplicate")] * 4 + [(200, "paid")]
    assert order_of(session, order_id).payment_status == PaymentStatus.PAID
    assert count(session, StripeEvent) == 1
    assert count(session, OrderEmail, kind="payment_received") == 1


@pytest.mark.parametrize("first_paid", [True, False], ids=["after-paid", "before-paid"])
def test_a_paid_session_other_than_the_attempts_is_flagged_not_already_paid(
    client, session, stripe_api, opened, first_paid
):
    """Same order and attempt in the metadata, another Checkout Session id: money the
    shop did not ask for on that attempt, so an admin must see it."""
    order_id, session_id, _ = opened
    paid = stripe_api.pay(session_id)
    if first_paid:
        assert deliver(client, event("checkout.session.completed", paid)).json["outcome"] == "paid"
    other = dict(paid, id="cs_test_someone_elses")
    response = deliver(client, event("checkout.session.completed", other))
    assert response.status_code == 200 and response.json["outcome"] == "session_mismatch"
    issue = session.execute(select(PaymentIssue)).scalar_one()
    assert issue.kind == IssueKind.SESSION_MISMATCH and issue.order_id == order_id
    assert issue.reference == "cs_test_someone_elses"
    payment = session.execute(select(CardPayment)).scalar_one()
    assert payment.session_id == session_id  # the attempt keeps its own session
    expected = CardPaymentStatus.COMPLETE if first_paid else CardPaymentStatus.OPEN
    assert payment.status == expected
    paid_status = PaymentStatus.PAID if first_paid else PaymentStatus.AWAITING
    assert order_of(session, order_id).payment_status == paid_status
