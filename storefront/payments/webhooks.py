"""Stripe's webhook events, verified by the view, applied here.

Each event id is stored (unique) in the same transaction as its effect, so an event
delivered again changes nothing. An order's payment only moves forward: awaiting →
paid, or awaiting → expired; a late `expired` leaves a paid order paid. Money that cannot
be applied to an order as it stands (a different amount or currency, an order cancelled
meanwhile, a second payment) is never marked paid: it is flagged for an admin.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import selectinload

from storefront.extensions import Session
from storefront.numbers import INT_MAX, whole_number
from storefront.orders import emails
from storefront.orders.fulfilment import expire_order, mark_paid
from storefront.orders.models import Order, OrderPart, PaymentStatus
from storefront.payments import refunds
from storefront.payments.card import CODE as CARD
from storefront.payments.emails import CARD_PAYMENT_FAILED, queue_refund_email
from storefront.payments.models import (
    LIVE_STATUSES,
    CardPayment,
    CardPaymentStatus,
    IssueKind,
    PaymentIssue,
    Refund,
    RefundMethod,
    RefundStatus,
    StripeEvent,
)
from storefront.timeutil import utcnow

Object = Mapping[str, Any]


@dataclass(frozen=True)
class EventResult:
    outcome: str  # what the event did: paid, duplicate, ignored, amount_mismatch, ...
    order_id: int | None = None


def is_known(session: Session, event_id: str) -> bool:
    """Whether this event was handled already."""
    found = session.execute(select(StripeEvent.id).where(StripeEvent.event_id == event_id))
    return found.first() is not None


def handle_event(session: Session, event: Mapping[str, Any]) -> EventResult:
    """Apply a verified event once. Writes the event's row first: a concurrent delivery of
    the same event then fails on the unique id (IntegrityError: roll back, it was handled)
    instead of applying it twice. Only flushes; the caller commits."""
    event_id = str(event["id"])[:255]
    if is_known(session, event_id):
        return EventResult("duplicate")
    kind = str(event.get("type") or "")[:100]
    record = StripeEvent(event_id=event_id, type=kind)
    session.add(record)
    session.flush()
    data = event.get("data")
    obj = data.get("object") if isinstance(data, Mapping) else None
    handler = HANDLERS.get(kind)
    if handler is None or not isinstance(obj, Mapping):
        result = EventResult("ignored")
    else:
        result = handler(session, obj)
    record.outcome = result.outcome
    record.order_id = result.order_id
    session.flush()
    return result


def _order(session: Session, **where: Any) -> Order | None:
    query = select(Order).options(selectinload(Order.parts).selectinload(OrderPart.lines))
    for column, value in where.items():
        query = query.where(getattr(Order, column) == value)
    return session.execute(query).scalar_one_or_none()


def _attempt(session: Session, obj: Object) -> tuple[CardPayment | None, Order | None]:
    """The attempt a Checkout Session event is about (by session id, else by the order
    number and attempt in its metadata), and its order."""
    session_id = str(obj.get("id") or "")
    payment = session.execute(
        select(CardPayment).where(CardPayment.session_id == session_id)
    ).scalar_one_or_none()
    if payment is not None:
        return payment, _order(session, id=payment.order_id)
    raw = obj.get("metadata")
    metadata: Mapping[str, Any] = raw if isinstance(raw, Mapping) else {}
    number = metadata.get("order_number") or obj.get("client_reference_id")
    order = _order(session, number=str(number)) if number else None
    if order is None:
        return None, None
    attempt = whole_number(str(metadata.get("attempt") or ""), 1, INT_MAX)
    if attempt is not None:
        payment = session.execute(
            select(CardPayment).where(
                CardPayment.order_id == order.id, CardPayment.attempt == attempt
            )
        ).scalar_one_or_none()
        if payment is not None and payment.session_id is None:
            payment.session_id = session_id  # Stripe created it; our call never heard back
    return payment, order


def _flag(
    session: Session, kind: IssueKind, order: Order | None, obj: Object, expected: int | None
) -> None:
    amount = _vnd(obj.get("amount_total", obj.get("amount_refunded")))
    session.add(
        PaymentIssue(
            order_id=order.id if order is not None else None,
            kind=kind,
            expected_vnd=expected,
            received_amount=amount,  # None when absent or beyond what the column holds
            received_currency=str(obj.get("currency") or "")[:3],
            reference=str(obj.get("id") or "")[:255],
        )
    )
    session.flush()


def _vnd(value: object) -> int | None:
    """An amount from an event as the shop's integer columns hold it, or None: a signed
    event can still say 10¹² (an amount no order has), which must flag, not fail."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value if 0 <= value <= INT_MAX else None


def _has_open_issue(session: Session, order_id: int) -> bool:
    return bool(
        session.execute(
            select(
                exists().where(
                    PaymentIssue.order_id == order_id, PaymentIssue.resolved_at.is_(None)
                )
            )
        ).scalar()
    )


def _session_paid(session: Session, obj: Object) -> EventResult:
    """Money arrived for a session: mark the order paid if it matches, else flag it."""
    payment, order = _attempt(session, obj)
    if order is None:
        _flag(session, IssueKind.UNKNOWN_ORDER, None, obj, None)
        return EventResult("unknown_order")
    if payment is not None and payment.session_id != str(obj.get("id") or ""):
        # The metadata names an attempt whose session is another: whoever paid this one,
        # it is not the payment the attempt asked for. Neither attempt nor order moves.
        _flag(session, IssueKind.SESSION_MISMATCH, order, obj, order.amount_due_vnd)
        return EventResult("session_mismatch", order.id)
    if payment is not None and payment.status == CardPaymentStatus.COMPLETE:
        return EventResult("already_paid", order.id)  # this very session, told again
    outcome = _payment_outcome(session, order, obj)
    if payment is not None:  # checked: the money arrived on this attempt's own session
        payment.status = CardPaymentStatus.COMPLETE
        payment.payment_intent_id = _intent(obj)
    if outcome == "paid":
        mark_paid(session, order.id, actor="system")
    return EventResult(outcome, order.id)


def _payment_outcome(session: Session, order: Order, obj: Object) -> str:
    """Whether the money of a session can pay the order as it stands; if not, flag why."""
    if order.payment_status == PaymentStatus.PAID:
        _flag(session, IssueKind.DUPLICATE_PAYMENT, order, obj, order.amount_due_vnd)
        return "duplicate_payment"
    if order.payment_method != CARD or order.payment_status != PaymentStatus.AWAITING:
        _flag(session, IssueKind.PAID_AFTER_CANCEL, order, obj, None)
        return "paid_after_cancel"
    expected = order.amount_due_vnd
    currency = str(obj.get("currency") or "").lower()
    if currency != "vnd" or obj.get("amount_total") != expected:
        _flag(session, IssueKind.AMOUNT_MISMATCH, order, obj, expected)
        return "amount_mismatch"
    return "paid"


def _intent(obj: Object) -> str | None:
    intent = obj.get("payment_intent")
    if isinstance(intent, Mapping):
        intent = intent.get("id")
    return str(intent)[:255] if intent else None


def session_completed(session: Session, obj: Object) -> EventResult:
    """checkout.session.completed: paid only when `payment_status` is `paid`; a delayed
    method (payment_status `unpaid`) waits for async_payment_succeeded or _failed."""
    if obj.get("payment_status") == "paid":
        return _session_paid(session, obj)
    payment, order = _attempt(session, obj)
    if payment is not None and payment.status in (
        CardPaymentStatus.CREATING,
        CardPaymentStatus.OPEN,
    ):
        payment.status = CardPaymentStatus.PROCESSING
        payment.payment_intent_id = _intent(obj)
    return EventResult("processing", order.id if order else None)


def async_payment_succeeded(session: Session, obj: Object) -> EventResult:
    """checkout.session.async_payment_succeeded: the delayed payment arrived."""
    return _session_paid(session, obj)


def async_payment_failed(session: Session, obj: Object) -> EventResult:
    """checkout.session.async_payment_failed: the order stays unpaid; the buyer may try
    again or choose cash on delivery, and is told so once."""
    payment, order = _attempt(session, obj)
    if order is None:
        return EventResult("unknown_order")
    if payment is not None and payment.status in LIVE_STATUSES:
        payment.status = CardPaymentStatus.FAILED
        payment.error = "async_payment_failed"
    if order.payment_status != PaymentStatus.AWAITING:
        return EventResult("ignored", order.id)
    emails.queue_email(session, order, CARD_PAYMENT_FAILED, [order.email])
    return EventResult("payment_failed", order.id)


def session_expired(session: Session, obj: Object) -> EventResult:
    """checkout.session.expired: cancel the order and return its stock, unless it is paid
    or moved on, another of its sessions can still be paid, or an admin must look at it."""
    payment, order = _attempt(session, obj)
    if payment is not None and payment.status in (
        CardPaymentStatus.CREATING,
        CardPaymentStatus.OPEN,
    ):
        payment.status = CardPaymentStatus.EXPIRED
    if order is None:
        return EventResult("unknown_order")
    if order.payment_method != CARD or order.payment_status != PaymentStatus.AWAITING:
        return EventResult("ignored", order.id)
    session.flush()
    now = utcnow()
    still_open = session.execute(
        select(CardPayment.id).where(
            CardPayment.order_id == order.id,
            (CardPayment.status == CardPaymentStatus.PROCESSING)
            | (CardPayment.status.in_(LIVE_STATUSES) & (CardPayment.expires_at > now)),
        )
    ).first()
    if still_open is not None:
        return EventResult("another_session_open", order.id)
    if _has_open_issue(session, order.id):
        return EventResult("held_for_review", order.id)
    expired = expire_order(session, order.id)
    return EventResult("order_expired" if expired else "ignored", order.id)


def charge_refunded(session: Session, obj: Object) -> EventResult:
    """charge.refunded: confirm the shop's pending card refunds; money refunded in Stripe's
    dashboard beyond them is recorded (no part named) and flagged to an admin."""
    intent = _intent(obj)
    payment = None
    if intent:
        payment = session.execute(
            select(CardPayment).where(CardPayment.payment_intent_id == intent).limit(1)
        ).scalar_one_or_none()
    order = _order(session, id=payment.order_id) if payment is not None else None
    if order is None:
        return EventResult("unknown_order")
    raw = obj.get("amount_refunded")
    refunded = _vnd(raw)
    if refunded is None:
        if isinstance(raw, int):  # a number, but more than any order: an admin looks
            _flag(session, IssueKind.EXTERNAL_REFUND, order, obj, None)
        return EventResult("ignored", order.id)
    ours = list(
        session.execute(
            select(Refund)
            .where(
                Refund.order_id == order.id,
                Refund.method == RefundMethod.CARD,
                Refund.status != RefundStatus.FAILED,
            )
            .order_by(Refund.id)
        ).scalars()
    )
    recorded = sum(r.amount_vnd for r in ours)
    if refunded >= recorded:
        for refund in ours:
            if refund.status == RefundStatus.PENDING and refund.stripe_refund_id:
                refunds.complete_refund(session, refund)
    if refunded <= recorded:
        return EventResult("refund_confirmed", order.id)
    outside = Refund(
        order_id=order.id,
        part_id=None,
        amount_vnd=refunded - recorded,
        method=RefundMethod.CARD,
        status=RefundStatus.SUCCEEDED,
        reason="Stripe Dashboard",
        completed_at=utcnow(),
    )
    session.add(outside)
    session.flush()
    _flag(session, IssueKind.EXTERNAL_REFUND, order, obj, recorded)
    queue_refund_email(session, order, outside)
    return EventResult("refund_recorded", order.id)


HANDLERS: dict[str, Callable[[Session, Object], EventResult]] = {
    "checkout.session.completed": session_completed,
    "checkout.session.async_payment_succeeded": async_payment_succeeded,
    "checkout.session.async_payment_failed": async_payment_failed,
    "checkout.session.expired": session_expired,
    "charge.refunded": charge_refunded,
}
