"""The buyer's card payment page (go to Stripe, retry, or switch to cash on delivery) and
Stripe's webhook endpoint."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy.exc import IntegrityError

from storefront.errors import DomainError, NotFound
from storefront.extensions import csrf, db
from storefront.orders.access import can_view
from storefront.orders.fulfilment import PAYMENT_LABELS
from storefront.orders.models import Order
from storefront.orders.queries import is_order_number
from storefront.payments import card, webhooks
from storefront.payments import stripe_gateway as gateway

bp = Blueprint("payments", __name__)
logger = logging.getLogger(__name__)
MAX_WEBHOOK_BYTES = 512 * 1024


def _viewable(number: str) -> card.CardState:
    """The card state of an order this browser may see; 404 for anything else (the order
    page has the form that proves a guest's order)."""
    if not is_order_number(number):
        abort(404)
    try:
        state = card.card_state(db.session, number)
    except NotFound:
        abort(404)
    # Card orders, and those switched from card to cash on delivery.
    if not can_view(state.order) or (
        state.order.payment_method != card.CODE and not state.attempts
    ):
        abort(404)
    return state


def start_from_checkout(order: Order) -> str:
    """The checkout's hook after a card order is committed: open a Stripe Checkout Session
    and return its URL; when Stripe cannot be used, say why and return this order's card
    page, where the buyer can retry or switch to cash on delivery."""
    order = card.load_order(db.session, order.number)
    return _go_to_stripe(order)


def _go_to_stripe(order: Order) -> str:
    config = current_app.config
    try:
        payment = card.begin_payment(db.session, order, config)
        db.session.commit()
    except IntegrityError:  # the same attempt started by another request just now
        db.session.rollback()
        flash(gettext("Trang thanh toán đang được mở, vui lòng đợi giây lát rồi thử lại."))
        return url_for("payments.card_payment", number=order.number)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return url_for("payments.card_payment", number=order.number)
    if payment.url:
        return payment.url
    try:
        card.open_session(db.session, payment, config)
    except DomainError as error:
        db.session.commit()  # keep the failed attempt and its reason
        flash(str(error), "error")
        return url_for("payments.card_payment", number=order.number)
    db.session.commit()
    return payment.url or url_for("payments.card_payment", number=order.number)


@bp.get("/payments/card/<number>")
def card_payment(number: str) -> ResponseReturnValue:
    """Where the buyer lands from checkout or back from Stripe: the payment as the shop
    knows it from Stripe's webhooks, never from the query string."""
    state = _viewable(number)
    returned = request.args.get("returned") == "1"
    response = current_app.make_response(
        render_template(
            "payments/card.html",
            state=state,
            order=state.order,
            returned=returned,
            cancelled=request.args.get("cancelled") == "1",
            payment_labels=PAYMENT_LABELS,
            card_available=card.is_available(current_app.config),
        )
    )
    if returned and state.awaiting:
        # Without JavaScript: the browser reloads until the webhook has confirmed.
        response.headers["Refresh"] = "5"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/payments/card/<number>/pay")
def pay(number: str) -> ResponseReturnValue:
    state = _viewable(number)
    if not card.is_available(current_app.config):
        flash(gettext("Thanh toán thẻ hiện không khả dụng."), "error")
        return redirect(url_for("payments.card_payment", number=number))
    return redirect(_go_to_stripe(state.order))


@bp.post("/payments/card/<number>/cash-on-delivery")
def switch_to_cash(number: str) -> ResponseReturnValue:
    state = _viewable(number)
    try:
        card.switch_to_cash_on_delivery(db.session, state.order, current_app.config)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("payments.card_payment", number=number))
    db.session.commit()
    flash(gettext("Đơn hàng đã chuyển sang thanh toán khi nhận hàng."), "success")
    return redirect(url_for("orders.detail", number=number))


@bp.post("/payments/stripe/webhook")
@csrf.exempt
def stripe_webhook() -> ResponseReturnValue:
    """Stripe's events: 400 unless signed with the endpoint secret; 200 once handled (or
    handled before); a 500 makes Stripe deliver the event again later."""
    secret = current_app.config.get("STRIPE_WEBHOOK_SECRET")
    if not card.is_available(current_app.config):
        abort(404)
    if (request.content_length or 0) > MAX_WEBHOOK_BYTES:
        abort(413)
    payload = request.get_data(cache=False)
    if len(payload) > MAX_WEBHOOK_BYTES:
        abort(413)
    try:
        event = gateway.verify_event(
            payload, request.headers.get("Stripe-Signature", ""), str(secret)
        )
    except gateway.InvalidEvent as error:
        logger.warning("stripe webhook refused: %s", error)
        return jsonify(error="invalid signature"), 400
    try:
        result = webhooks.handle_event(db.session, event)
        db.session.commit()
    except IntegrityError:
        # The same event delivered twice at once: the other delivery applied it.
        db.session.rollback()
        if not webhooks.is_known(db.session, str(event["id"])):
            raise
        return jsonify(received=True, outcome="duplicate")
    return jsonify(received=True, outcome=result.outcome)
