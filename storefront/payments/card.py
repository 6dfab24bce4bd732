"""Paying by card through Stripe Checkout.

A card order is placed like any other (the stock is taken), then a Checkout Session is
opened from the order as stored. Each session is a CardPayment attempt whose idempotency
key and expiry are recorded before Stripe is called. The order is marked paid only by a
verified webhook (webhooks.py), never by the buyer's browser coming back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask_babel import force_locale, gettext
from sqlalchemy import exists, select, update
from sqlalchemy.orm import selectinload

from storefront.errors import DomainError, NotFound
from storefront.extensions import Session, rowcount
from storefront.i18n import N_
from storefront.orders import emails
from storefront.orders.fulfilment import expire_order
from storefront.orders.models import Order, OrderPart, PartStatus, PaymentStatus
from storefront.payments import stripe_gateway as gateway
from storefront.payments.models import (
    LIVE_STATUSES,
    CardPayment,
    CardPaymentStatus,
    PaymentIssue,
)
from storefront.timeutil import utcnow

CODE = "card"
CASH_ON_DELIVERY = "cod"  # payments.methods.CASH_ON_DELIVERY.code
MAX_ATTEMPTS = 5
# Stripe wants expires_at at least 30 minutes after it receives the request: a margin for
# the network and clocks.
CLOCK_MARGIN = timedelta(minutes=1)
# An open session is offered again only if the buyer still has this long to pay on it.
REUSE_MARGIN = timedelta(minutes=2)
# A session being created this recently is still in flight in another request.
IN_FLIGHT = timedelta(minutes=2)
SWITCHED_TO_COD = "switched_to_cod"  # email kind, to each producer of the order


class CardPaymentError(DomainError):
    """A card payment step the order's state does not allow."""


def is_available(config: Mapping[str, Any]) -> bool:
    """Card payment is offered only when both Stripe keys are configured."""
    return bool(config.get("STRIPE_SECRET_KEY") and config.get("STRIPE_WEBHOOK_SECRET"))


def load_order(session: Session, number: str) -> Order:
    """A card order with its parts and lines, or NotFound."""
    order = session.execute(
        select(Order)
        .options(selectinload(Order.parts).selectinload(OrderPart.lines))
        .where(Order.number == number)
    ).scalar_one_or_none()
    if order is None:
        raise NotFound(N_("Không tìm thấy đơn hàng."))
    return order


def attempts_of(session: Session, order_id: int) -> list[CardPayment]:
    """The order's Checkout Session attempts, oldest first."""
    return list(
        session.execute(
            select(CardPayment)
            .where(CardPayment.order_id == order_id)
            .order_by(CardPayment.attempt)
        ).scalars()
    )


@dataclass(frozen=True)
class CardState:
    """What the card payment page shows: the truth from the database, not the URL."""

    order: Order
    attempts: list[CardPayment]

    @property
    def awaiting(self) -> bool:
        return self.order.payment_status == PaymentStatus.AWAITING

    @property
    def processing(self) -> bool:
        return any(a.status == CardPaymentStatus.PROCESSING for a in self.attempts)

    @property
    def last_error(self) -> str:
        return self.attempts[-1].error if self.attempts else ""


def card_state(session: Session, number: str) -> CardState:
    order = load_order(session, number)
    return CardState(order, attempts_of(session, order.id))


def _check_awaiting_card(order: Order) -> None:
    if order.payment_method != CODE or order.payment_status != PaymentStatus.AWAITING:
        raise CardPaymentError(
            N_("Đơn hàng %(number)s không chờ thanh toán bằng thẻ."), number=order.number
        )


def begin_payment(
    session: Session, order: Order, config: Mapping[str, Any], now: datetime | None = None
) -> CardPayment:
    """The attempt to send the buyer to: an open session they still have time to pay, or
    a new attempt recorded with its idempotency key and expiry (Stripe is not called yet:
    commit, then `open_session`). Raises CardPaymentError when the order cannot be paid."""
    now = now or utcnow()
    _check_awaiting_card(order)
    attempts = attempts_of(session, order.id)
    for attempt in reversed(attempts):
        if attempt.status == CardPaymentStatus.PROCESSING:
            raise CardPaymentError(
                N_("Khoản thanh toán của bạn đang được xử lý, vui lòng chờ xác nhận.")
            )
        # An open session is offered again if it still charges what is due (the buyer
        # may have cancelled a part since) and leaves the buyer time to pay.
        if attempt.status == CardPaymentStatus.OPEN and attempt.url:
            fresh = attempt.amount_vnd == order.amount_due_vnd
            if fresh and _aware(attempt.expires_at) > now + REUSE_MARGIN:
                return attempt
        if attempt.status == CardPaymentStatus.CREATING:
            if _aware(attempt.created_at) > now - IN_FLIGHT:
                raise CardPaymentError(
                    N_("Trang thanh toán đang được mở, vui lòng đợi giây lát rồi thử lại.")
                )
            attempt.status = CardPaymentStatus.FAILED  # abandoned mid-call
    if len(attempts) >= MAX_ATTEMPTS:
        raise CardPaymentError(
            N_("Đơn hàng đã thử thanh toán thẻ %(n)s lần. Vui lòng chọn thanh toán khi nhận hàng."),
            n=MAX_ATTEMPTS,
        )
    number = max((a.attempt for a in attempts), default=0) + 1
    hold = timedelta(minutes=int(config["STRIPE_HOLD_MINUTES"]))
    payment = CardPayment(
        order_id=order.id,
        attempt=number,
        idempotency_key=f"checkout-session-{order.number}-{number}",
        amount_vnd=order.amount_due_vnd,
        currency=gateway.CURRENCY,
        status=CardPaymentStatus.CREATING,
        expires_at=now + hold + CLOCK_MARGIN,
        created_at=now,
    )
    session.add(payment)
    session.flush()
    return payment


def line_items(order: Order) -> list[gateway.LineItem]:
    """What the buyer pays, from the stored order: each line, then each parcel's shipping
    (parts the buyer cancelled are left out). Needs parts and lines loaded."""
    items: list[gateway.LineItem] = []
    with force_locale(order.language):
        for part in order.parts:
            if part.status == PartStatus.CANCELLED:
                continue
            for line in part.lines:
                name = f"{line.product_name} ({line.variant_label})"
                items.append(gateway.LineItem(name, line.unit_price_vnd, line.quantity))
            if part.shipping_fee_vnd > 0:
                label = gettext("Phí vận chuyển: %(producer)s", producer=part.producer_name)
                items.append(gateway.LineItem(label, part.shipping_fee_vnd, 1))
    return items


def page_url(config: Mapping[str, Any], number: str, query: str = "") -> str:
    """The card payment page of an order, absolute (Stripe sends the buyer back to it)."""
    return f"{config['PUBLIC_BASE_URL']}/payments/card/{number}" + (f"?{query}" if query else "")


def open_session(session: Session, payment: CardPayment, config: Mapping[str, Any]) -> CardPayment:
    """Ask Stripe for the attempt's Checkout Session (with the stored key and expiry) and
    record its id and URL. On GatewayError the attempt is recorded as failed and the error
    re-raised; the order stays unpaid."""
    if payment.status != CardPaymentStatus.CREATING:
        return payment
    order = session.execute(
        select(Order)
        .options(selectinload(Order.parts).selectinload(OrderPart.lines))
        .where(Order.id == payment.order_id)
    ).scalar_one()
    items = line_items(order)
    if sum(i.unit_amount_vnd * i.quantity for i in items) != payment.amount_vnd:
        raise CardPaymentError(N_("Đơn hàng vừa thay đổi, vui lòng thử lại."))
    try:
        created = gateway.create_checkout_session(
            api_key=config["STRIPE_SECRET_KEY"],
            order_number=order.number,
            attempt=payment.attempt,
            line_items=items,
            customer_email=order.email,
            idempotency_key=payment.idempotency_key,
            expires_at=_aware(payment.expires_at),
            success_url=page_url(config, order.number, "returned=1"),
            cancel_url=page_url(config, order.number, "cancelled=1"),
            locale=order.language,
        )
    except gateway.GatewayError as error:
        payment.status = CardPaymentStatus.FAILED
        payment.error = str(error)[:300]
        session.flush()
        raise
    payment.session_id = created.id
    payment.url = created.url
    payment.status = CardPaymentStatus.OPEN
    session.flush()
    return payment


def switch_to_cash_on_delivery(session: Session, order: Order, config: Mapping[str, Any]) -> Order:
    """The buyer gives up on the card and pays cash on delivery instead. Every open
    session is expired at Stripe first, so it can no longer be paid; when one turns out
    to be paid already, the switch is refused. The producers are told to collect cash."""
    _check_awaiting_card(order)
    now = utcnow()
    for attempt in attempts_of(session, order.id):
        if attempt.status == CardPaymentStatus.PROCESSING or (
            attempt.status == CardPaymentStatus.CREATING
            and _aware(attempt.created_at) > now - IN_FLIGHT
        ):
            raise CardPaymentError(
                N_("Khoản thanh toán thẻ đang được xử lý, chưa thể đổi cách thanh toán.")
            )
        if attempt.status != CardPaymentStatus.OPEN or attempt.session_id is None:
            continue
        closed = gateway.expire_checkout_session(config["STRIPE_SECRET_KEY"], attempt.session_id)
        if closed.status == "complete":
            raise CardPaymentError(
                N_("Bạn đã thanh toán bằng thẻ; chúng tôi đang chờ Stripe xác nhận.")
            )
        attempt.status = CardPaymentStatus.EXPIRED
    switched = session.execute(
        update(Order)
        .where(
            Order.id == order.id,
            Order.payment_method == CODE,
            Order.payment_status == PaymentStatus.AWAITING,
        )
        .values(payment_method=CASH_ON_DELIVERY, payment_status=PaymentStatus.ON_DELIVERY)
        .execution_options(synchronize_session=False)
    )
    if rowcount(switched) != 1:
        raise CardPaymentError(
            N_("Đơn hàng %(number)s không chờ thanh toán bằng thẻ."), number=order.number
        )
    session.refresh(order, ["payment_method", "payment_status"])
    open_parts = [p for p in order.parts if p.status != PartStatus.CANCELLED]
    addresses = emails.producer_emails(session, [p.producer_id for p in open_parts])
    for part in open_parts:
        emails.queue_email(session, order, SWITCHED_TO_COD, addresses[part.producer_id], part)
    session.flush()
    return order


def expire_abandoned(
    session: Session, config: Mapping[str, Any], grace: timedelta, now: datetime | None = None
) -> list[str]:
    """Cancel card orders still unpaid whose every session has expired (or could never be
    opened) for longer than `grace`, returning their stock: the safety net for a buyer who
    left, or a webhook that never came. Orders with a payment issue open are left to the
    admin. Returns the numbers of the orders cancelled."""
    now = now or utcnow()
    hold = timedelta(minutes=int(config["STRIPE_HOLD_MINUTES"]))
    live = exists().where(
        CardPayment.order_id == Order.id,
        (CardPayment.status == CardPaymentStatus.PROCESSING)
        | (CardPayment.status.in_(LIVE_STATUSES) & (CardPayment.expires_at > now - grace)),
    )
    flagged = exists().where(PaymentIssue.order_id == Order.id, PaymentIssue.resolved_at.is_(None))
    candidates = session.execute(
        select(Order.id)
        .where(
            Order.payment_method == CODE,
            Order.payment_status == PaymentStatus.AWAITING,
            Order.placed_at < now - hold - grace,
            ~live,
            ~flagged,
        )
        .order_by(Order.id)
        .limit(500)
    ).scalars()
    expired = [order for order_id in list(candidates) if (order := expire_order(session, order_id))]
    session.flush()
    return [order.number for order in expired]


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; they are UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
