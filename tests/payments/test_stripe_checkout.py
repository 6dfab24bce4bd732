"""Paying by card at checkout: the real `stripe` library talking to a local fake API."""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from storefront.catalog.models import Producer
from storefront.orders.models import Order, OrderEmail, PaymentStatus
from storefront.payments.models import CardPayment, CardPaymentStatus
from storefront.payments.registry import available_methods
from tests.accounts.helpers import make_member
from tests.accounts.mail import smtp_inbox  # noqa: F401
from tests.conftest import csrf_token_from
from tests.factories import VINH_LONG, VINH_LONG_WARD, make_producer, make_product
from tests.orders.helpers import (
    add_to_cart,
    checkout_form,
    delivery_fields,
    latest_order,
    stock_of,
    variant_of,
)
from tests.payments.stripe_fake import SECRET_KEY, card_order, deliver, event, install


@pytest.fixture
def stripe_api(app, monkeypatch):  # type: ignore[no-untyped-def]
    return install(app, monkeypatch)


@pytest.fixture
def cart(client, session):  # type: ignore[no-untyped-def]
    """Honey from Điện Biên (2 × 150.000 ₫) and candy from Vĩnh Long (1 × 45.000 ₫)."""
    honey = make_product(
        session, make_producer(session, "HTX Mường Phăng"), "Mật ong hoa Ban", price=150_000
    )
    vinh_long = make_producer(session, "HTX Dừa", province_code=VINH_LONG, ward_code=VINH_LONG_WARD)
    candy = make_product(session, vinh_long, "Kẹo dừa", price=45_000)
    session.commit()
    add_to_cart(client, honey, variant_of(session, honey).id, 2)
    add_to_cart(client, candy, variant_of(session, candy).id, 1)
    return variant_of(session, honey).id, variant_of(session, candy).id


def place_card_order(client):  # type: ignore[no-untyped-def]
    hidden = checkout_form(client)
    return client.post("/checkout", data={**hidden, **delivery_fields(payment_method="card")})


def test_the_card_option_needs_both_keys(app, monkeypatch):
    assert "card" not in [m.code for m in available_methods(app.config)]
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_test_x")
    assert "card" not in [m.code for m in available_methods(app.config)]
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", "whsec_x")
    assert [m.code for m in available_methods(app.config)][-1] == "card"


def test_checkout_offers_the_card_only_when_configured(client, session, cart, app, monkeypatch):
    assert 'value="card"' not in client.get("/checkout").text
    # A forged card choice without keys is refused like any unknown method.
    response = place_card_order(client)
    assert response.status_code == 303 and latest_order(session) is None
    assert "Vui lòng chọn cách thanh toán." in client.get("/checkout").text
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", "sk_test_x")
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", "whsec_x")
    assert 'value="card"' in client.get("/checkout").text


def test_a_card_order_takes_stock_and_opens_a_session_from_the_stored_order(
    client, session, cart, app, stripe_api
):
    honey, candy = cart
    before = time.time()
    response = place_card_order(client)
    order = latest_order(session)
    assert order is not None and order.payment_method == "card"
    assert order.payment_status == PaymentStatus.AWAITING
    assert (stock_of(session, honey), stock_of(session, candy)) == (8, 9)

    [call] = stripe_api.calls("post", "/v1/checkout/sessions")
    session_id = next(iter(stripe_api.sessions))
    assert response.status_code == 303
    assert response.headers["Location"] == f"https://checkout.stripe.com/c/pay/{session_id}"
    params = call.params
    assert call.api_key == SECRET_KEY
    assert call.idempotency_key == f"checkout-session-{order.number}-1"
    assert params["mode"] == "payment"
    assert params["customer_email"] == "minh@example.vn"
    assert params["client_reference_id"] == order.number
    assert params["metadata"] == {"order_number": order.number, "attempt": "1"}
    assert params["payment_intent_data"]["metadata"]["order_number"] == order.number
    items = [
        (
            i["price_data"]["product_data"]["name"],
            i["price_data"]["currency"],
            int(i["price_data"]["unit_amount"]),
            int(i["quantity"]),
        )
        for i in params["line_items"]
    ]
    # VND is zero-decimal: 150.000 ₫ is 150000, not 15000000.
    assert items == [
        ("Mật ong hoa Ban (Hộp 500 g)", "vnd", 150_000, 2),
        ("Phí vận chuyển: HTX Mường Phăng", "vnd", 35_000, 1),
        ("Kẹo dừa (Hộp 500 g)", "vnd", 45_000, 1),
        ("Phí vận chuyển: HTX Dừa", "vnd", 35_000, 1),
    ]
    assert sum(price * quantity for _, _, price, quantity in items) == order.total_vnd == 415_000
    expires_at = int(params["expires_at"])
    # The stock hold: 30 minutes (plus a minute for the network), as Stripe requires.
    assert before + 30 * 60 < expires_at <= time.time() + 31 * 60 + 1
    base = app.config["PUBLIC_BASE_URL"]
    assert params["success_url"] == f"{base}/payments/card/{order.number}?returned=1"
    assert params["cancel_url"] == f"{base}/payments/card/{order.number}?cancelled=1"
    payment = session.execute(select(CardPayment)).scalar_one()
    assert (payment.session_id, payment.status, payment.amount_vnd) == (
        session_id,
        CardPaymentStatus.OPEN,
        415_000,
    )


def test_the_hold_is_configurable(client, session, cart, app, stripe_api, monkeypatch):
    monkeypatch.setitem(app.config, "STRIPE_HOLD_MINUTES", 90)
    place_card_order(client)
    [call] = stripe_api.calls("post", "/v1/checkout/sessions")
    assert int(call.params["expires_at"]) - time.time() == pytest.approx(91 * 60, abs=5)


def test_coming_back_from_stripe_is_not_proof_of_payment(client, session, cart, stripe_api):
    place_card_order(client)
    order = latest_order(session)
    page = client.get(f"/payments/card/{order.number}?returned=1&payment_status=paid")
    assert page.status_code == 200
    assert "Chưa có xác nhận thanh toán" in page.text
    assert page.headers["Refresh"] == "5"  # reloads, without JavaScript, until confirmed
    assert latest_order(session).payment_status == PaymentStatus.AWAITING

    session_id = next(iter(stripe_api.sessions))
    assert (
        deliver(client, event("checkout.session.completed", stripe_api.pay(session_id))).status_code
        == 200
    )
    page = client.get(f"/payments/card/{order.number}?returned=1")
    assert "Đã nhận thanh toán bằng thẻ" in page.text and "Refresh" not in page.headers
    assert "Đã thanh toán" in client.get(f"/orders/{order.number}").text


def test_another_browser_cannot_see_the_card_page(app, client, session, cart, stripe_api):
    place_card_order(client)
    order = latest_order(session)
    stranger = app.test_client()
    assert stranger.get(f"/payments/card/{order.number}").status_code == 404
    token = csrf_token_from(stranger.get("/account/login").text)
    for action in ("pay", "cash-on-delivery"):
        response = stranger.post(
            f"/payments/card/{order.number}/{action}", data={"csrf_token": token}
        )
        assert response.status_code == 404
    assert client.get("/payments/card/not-a-number").status_code == 404


def test_stripe_unreachable_keeps_the_order_unpaid_with_a_clear_way_on(
    client, session, cart, stripe_api
):
    honey, _ = cart
    stripe_api.fail_next(3)  # the library's first try and its two retries
    response = place_card_order(client)
    order = latest_order(session)
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == f"/payments/card/{order.number}"
    calls = stripe_api.calls("post", "/v1/checkout/sessions")
    assert len(calls) == 3
    assert {c.idempotency_key for c in calls} == {f"checkout-session-{order.number}-1"}
    page = client.get(response.headers["Location"])
    assert page.status_code == 200
    assert "Chưa kết nối được với cổng thanh toán thẻ" in page.text
    assert "Chuyển sang thanh toán khi nhận hàng" in page.text
    assert order.payment_status == PaymentStatus.AWAITING
    assert stock_of(session, honey) == 8  # the order still holds its stock

    # Retrying opens a new attempt with its own key; Stripe answers this time.
    token = csrf_token_from(page.text)
    retry = client.post(f"/payments/card/{order.number}/pay", data={"csrf_token": token})
    assert retry.headers["Location"].startswith("https://checkout.stripe.com/c/pay/")
    last = stripe_api.calls("post", "/v1/checkout/sessions")[-1]
    assert last.idempotency_key == f"checkout-session-{order.number}-2"


def test_a_lost_answer_is_retried_with_the_same_key_and_opens_one_session(
    client, session, cart, stripe_api
):
    stripe_api.fail_next(1, kind="lost")  # Stripe opened it, the answer was lost
    response = place_card_order(client)
    calls = stripe_api.calls("post", "/v1/checkout/sessions")
    assert len(calls) == 2 and calls[0].idempotency_key == calls[1].idempotency_key
    assert len(stripe_api.sessions) == 1
    assert response.headers["Location"].startswith("https://checkout.stripe.com/")


def test_stripe_refusing_is_shown_and_the_order_stays_unpaid(client, session, cart, stripe_api):
    stripe_api.refuse_next("Amount must convert to at least 50 cents.", code="amount_too_small")
    response = place_card_order(client)
    order = latest_order(session)
    page = client.get(response.headers["Location"])
    assert "Cổng thanh toán thẻ (Stripe) từ chối yêu cầu" in page.text
    assert "Amount must convert to at least 50 cents." in page.text
    assert order.payment_status == PaymentStatus.AWAITING
    attempt = session.execute(select(CardPayment)).scalar_one()
    assert attempt.status == CardPaymentStatus.FAILED


def test_paying_again_reuses_the_open_session(client, session, cart, stripe_api):
    first = place_card_order(client).headers["Location"]
    order = latest_order(session)
    page = client.get(f"/payments/card/{order.number}?cancelled=1")
    assert "Bạn chưa thanh toán" in page.text
    again = client.post(
        f"/payments/card/{order.number}/pay", data={"csrf_token": csrf_token_from(page.text)}
    )
    assert again.headers["Location"] == first
    assert len(stripe_api.calls("post", "/v1/checkout/sessions")) == 1


def test_switching_to_cash_on_delivery_closes_the_session_first(
    client,
    session,
    cart,
    stripe_api,
    smtp_inbox,  # noqa: F811
):
    for producer in session.execute(select(Producer)).scalars():
        make_member(session, producer)
    session.commit()
    place_card_order(client)
    order = latest_order(session)
    page = client.get(f"/payments/card/{order.number}")
    response = client.post(
        f"/payments/card/{order.number}/cash-on-delivery",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    assert response.status_code == 302
    [expired] = stripe_api.calls("post", "/v1/checkout/sessions/")
    assert expired.path.endswith("/expire")
    assert next(iter(stripe_api.sessions.values()))["status"] == "expired"
    order = latest_order(session)
    assert (order.payment_method, order.payment_status) == ("cod", PaymentStatus.ON_DELIVERY)
    kinds = list(
        session.execute(select(OrderEmail.kind).where(OrderEmail.order_id == order.id)).scalars()
    )
    assert kinds.count("switched_to_cod") == 2  # each producer now collects cash
    producer_mails = [m for m in smtp_inbox.messages if "thu tiền khi giao" in str(m["Subject"])]
    assert len(producer_mails) == 2


def test_switching_is_refused_when_the_buyer_already_paid(client, session, cart, stripe_api):
    place_card_order(client)
    order = latest_order(session)
    stripe_api.pay(next(iter(stripe_api.sessions)))  # paid; the webhook has not arrived yet
    page = client.get(f"/payments/card/{order.number}")
    response = client.post(
        f"/payments/card/{order.number}/cash-on-delivery",
        data={"csrf_token": csrf_token_from(page.text)},
        follow_redirects=True,
    )
    assert "Bạn đã thanh toán bằng thẻ" in response.text
    assert latest_order(session).payment_method == "card"


def test_card_order_emails_speak_of_the_card(app, session, stripe_api, smtp_inbox):  # noqa: F811
    from storefront.orders.emails import send_pending_emails

    product = make_product(session, price=150_000)
    session.commit()
    order = card_order(session, [(variant_of(session, product).id, 1)])
    send_pending_emails(session, order_id=order.id)
    [mail] = smtp_inbox.to("mua.hang@example.vn")
    text = smtp_inbox.text_of(mail)
    assert "thanh toán bằng thẻ qua Stripe" in text and "VietQR" not in text


def test_at_most_five_attempts(client, session, cart, stripe_api):
    place_card_order(client)
    order = latest_order(session)
    for _ in range(4):
        session.execute(CardPayment.__table__.update().values(status=CardPaymentStatus.FAILED))
        session.commit()
        page = client.get(f"/payments/card/{order.number}")
        client.post(
            f"/payments/card/{order.number}/pay", data={"csrf_token": csrf_token_from(page.text)}
        )
    assert session.execute(select(func.count()).select_from(CardPayment)).scalar_one() == 5
    session.execute(CardPayment.__table__.update().values(status=CardPaymentStatus.FAILED))
    session.commit()
    page = client.get(f"/payments/card/{order.number}")
    response = client.post(
        f"/payments/card/{order.number}/pay",
        data={"csrf_token": csrf_token_from(page.text)},
        follow_redirects=True,
    )
    assert "Vui lòng chọn thanh toán khi nhận hàng" in response.text
    assert len(stripe_api.calls("post", "/v1/checkout/sessions")) == 5
    assert session.get(Order, order.id).payment_status == PaymentStatus.AWAITING


def test_a_wrong_key_is_not_shown_to_the_buyer(client, session, cart, stripe_api):
    stripe_api.fail_next(
        kind="status",
        status=401,
        error={
            "type": "invalid_request_error",
            "message": "Invalid API Key provided: sk_test_****",
        },
    )
    response = place_card_order(client)
    page = client.get(response.headers["Location"])
    assert "sự cố kỹ thuật của shop" in page.text and "API Key" not in page.text
    assert latest_order(session).payment_status == PaymentStatus.AWAITING


@pytest.mark.parametrize("minutes", ["29", "1381", "half an hour"])
def test_a_hold_stripe_would_refuse_stops_the_server_starting(tmp_path, minutes):
    from storefront.config import ConfigError, load_config

    with pytest.raises(ConfigError):
        load_config({"STRIPE_HOLD_MINUTES": minutes}, str(tmp_path))
    assert load_config({}, str(tmp_path))["STRIPE_HOLD_MINUTES"] == 30
