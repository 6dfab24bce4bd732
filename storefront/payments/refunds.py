"""Refunds an admin makes: a whole order, or one producer's part of it.

Card orders are refunded through Stripe's Refund API with an idempotency key recorded
before Stripe is asked, so a retry never refunds twice; cash and transfer orders get a
recorded manual refund (the shop pays the buyer back itself). A refund that goes through
can put quantities back on the shelf, and a full refund of a part not yet shipped cancels
the part (its stock returns with the cancellation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from storefront.errors import NotFound
from storefront.extensions import Session, rowcount
from storefront.i18n import N_
from storefront.money import vnd
from storefront.orders import fulfilment
from storefront.orders.errors import OrderError, TransitionRefused
from storefront.orders.models import Order, OrderLine, OrderPart, PartStatus, PaymentStatus
from storefront.orders.stock import return_stock
from storefront.payments import stripe_gateway as gateway
from storefront.payments.card import CODE as CARD
from storefront.payments.emails import queue_refund_email
from storefront.payments.models import (
    CardPayment,
    CardPaymentStatus,
    Refund,
    RefundLine,
    RefundMethod,
    RefundStatus,
)
from storefront.timeutil import utcnow

UNSHIPPED = (PartStatus.PLACED, PartStatus.CONFIRMED)
SENT = (PartStatus.SHIPPED, PartStatus.DELIVERED)


class RefundError(OrderError):
    """A refund the order's state or the amounts do not allow."""


@dataclass(frozen=True)
class RefundRequest:
    order_id: int
    part_id: int | None  # None: every part with money left to refund, in full
    amount_vnd: int | None = None  # None: all that is left of the part
    restock: Mapping[int, int] = field(default_factory=dict)  # order line id -> quantity
    reason: str = ""
    actor_id: int | None = None


@dataclass(frozen=True)
class PartBalance:
    """A part's money: what the shop collected for it and what went back already."""

    part: OrderPart
    collected_vnd: int
    refunded_vnd: int  # succeeded or still pending
    restocked: Mapping[int, int]  # order line id -> quantity already put back

    @property
    def refundable_vnd(self) -> int:
        return max(0, self.collected_vnd - self.refunded_vnd)

    def can_restock(self) -> bool:
        return self.part.status in SENT


def load_order(session: Session, order_id: int) -> Order:
    order = session.execute(
        select(Order)
        .options(
            selectinload(Order.parts).selectinload(OrderPart.lines),
            selectinload(Order.parts).selectinload(OrderPart.history),
        )
        .where(Order.id == order_id)
    ).scalar_one_or_none()
    if order is None:
        raise NotFound(N_("Không tìm thấy đơn hàng."))
    return order


def _collected(order: Order, part: OrderPart) -> int:
    """What the buyer paid for the part: cash on delivery once delivered; card or transfer
    once the order was paid, unless the part had been cancelled before the payment."""
    if order.payment_status == PaymentStatus.ON_DELIVERY:
        return part.total_vnd if part.status == PartStatus.DELIVERED else 0
    if order.payment_status != PaymentStatus.PAID or order.paid_at is None:
        return 0
    if part.status == PartStatus.CANCELLED:
        cancelled = [c.changed_at for c in part.history if c.to_status == PartStatus.CANCELLED]
        paid_at = _utc(order.paid_at)
        if not cancelled or _utc(cancelled[-1]) < paid_at:
            return 0
    return part.total_vnd


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def balances(session: Session, order: Order) -> list[PartBalance]:
    """Each part's balance (needs parts, lines and history loaded)."""
    live = Refund.status != RefundStatus.FAILED
    refunded: dict[int | None, int] = {
        part_id: int(total)
        for part_id, total in session.execute(
            select(Refund.part_id, func.sum(Refund.amount_vnd))
            .where(Refund.order_id == order.id, live)
            .group_by(Refund.part_id)
        ).tuples()
    }
    restocked: dict[int, int] = {
        line_id: int(total)
        for line_id, total in session.execute(
            select(RefundLine.order_line_id, func.sum(RefundLine.quantity))
            .join(Refund, Refund.id == RefundLine.refund_id)
            .where(Refund.order_id == order.id, live)
            .group_by(RefundLine.order_line_id)
        ).tuples()
    }
    return [
        PartBalance(
            part,
            _collected(order, part),
            int(refunded.get(part.id) or 0),
            {line.id: int(restocked.get(line.id) or 0) for line in part.lines},
        )
        for part in order.parts
    ]


def refunds_of(session: Session, order_id: int) -> list[Refund]:
    """The order's refunds, oldest first."""
    return list(
        session.execute(
            select(Refund).where(Refund.order_id == order_id).order_by(Refund.id)
        ).scalars()
    )


def paid_intent(session: Session, order_id: int) -> str | None:
    """The Stripe PaymentIntent that paid a card order."""
    return session.execute(
        select(CardPayment.payment_intent_id)
        .where(
            CardPayment.order_id == order_id,
            CardPayment.status == CardPaymentStatus.COMPLETE,
            CardPayment.payment_intent_id.is_not(None),
        )
        .order_by(CardPayment.id)
        .limit(1)
    ).scalar_one_or_none()


def _lock(session: Session, order_id: int) -> None:
    # Take the order's row lock (PostgreSQL) or the write lock (SQLite) before reading the
    # balances, so two refunds at once cannot both spend the same money.
    session.execute(
        update(Order)
        .where(Order.id == order_id)
        .values(number=Order.number)
        .execution_options(synchronize_session=False)
    )


def prepare_refunds(session: Session, request: RefundRequest) -> list[Refund]:
    """Record the refunds asked for: one per part. Manual refunds succeed at once (stock
    back, part cancelled, buyer emailed); card refunds stay pending until `send_refund`,
    after the caller commits. Raises RefundError when amounts or quantities do not fit."""
    _lock(session, request.order_id)
    order = load_order(session, request.order_id)
    by_part = {b.part.id: b for b in balances(session, order)}
    if request.part_id is not None:
        if request.part_id not in by_part:
            raise NotFound(N_("Không tìm thấy đơn hàng."))
        chosen = [by_part[request.part_id]]
    else:
        chosen = [b for b in by_part.values() if b.refundable_vnd > 0]
        if request.amount_vnd is not None:
            raise RefundError(N_("Hoàn một số tiền tuỳ chọn chỉ áp dụng cho một phần đơn."))
    if not chosen or all(b.refundable_vnd == 0 for b in chosen):
        raise RefundError(N_("Đơn hàng không còn khoản nào đã thu để hoàn."))
    method = RefundMethod.CARD if order.payment_method == CARD else RefundMethod.MANUAL
    if method == RefundMethod.CARD and paid_intent(session, order.id) is None:
        raise RefundError(N_("Không tìm thấy giao dịch thẻ đã thanh toán của đơn hàng."))
    reason = " ".join(request.reason.split())[:300]
    existing = session.execute(
        select(func.count()).select_from(Refund).where(Refund.order_id == order.id)
    ).scalar_one()
    created = []
    for balance in chosen:
        amount = balance.refundable_vnd if request.amount_vnd is None else request.amount_vnd
        if not 1 <= amount <= balance.refundable_vnd:
            raise RefundError(
                N_("Số tiền hoàn phải từ 1 ₫ đến %(max)s."), max=vnd(balance.refundable_vnd)
            )
        lines = _restock_lines(balance, request.restock)
        existing += 1
        refund = Refund(
            order_id=order.id,
            part_id=balance.part.id,
            amount_vnd=amount,
            method=method,
            status=RefundStatus.PENDING,
            idempotency_key=f"refund-{order.number}-{existing}",
            cancels_part=balance.part.status in UNSHIPPED and amount == balance.refundable_vnd,
            reason=reason,
            created_by_id=request.actor_id,
        )
        session.add(refund)
        session.flush()
        for line_id, quantity in lines.items():
            session.add(RefundLine(refund_id=refund.id, order_line_id=line_id, quantity=quantity))
        created.append(refund)
    session.flush()
    if method == RefundMethod.MANUAL:
        for refund in created:
            complete_refund(session, refund)
    return created


def _restock_lines(balance: PartBalance, restock: Mapping[int, int]) -> dict[int, int]:
    wanted = {
        line.id: restock.get(line.id, 0) for line in balance.part.lines if restock.get(line.id)
    }
    if not wanted:
        return {}
    if not balance.can_restock():
        raise RefundError(
            N_(
                "Chỉ nhập lại kho hàng đã gửi đi; phần chưa gửi được trả kho khi huỷ, phần đã "
                "huỷ đã được trả kho."
            )
        )
    for line in balance.part.lines:
        quantity = wanted.get(line.id, 0)
        left = line.quantity - balance.restocked.get(line.id, 0)
        if not 0 <= quantity <= left:
            raise RefundError(
                N_("%(name)s: chỉ có thể nhập lại kho từ 0 đến %(left)s."),
                name=line.product_name,
                left=left,
            )
    return wanted


def send_refund(session: Session, refund: Refund, config: Mapping[str, object]) -> Refund:
    """Ask Stripe to refund a pending card refund, with its recorded idempotency key (so
    asking again after a lost answer refunds once). GatewayUnavailable leaves it pending
    to retry; GatewayRefused marks it failed. Only flushes."""
    if refund.method != RefundMethod.CARD or refund.status != RefundStatus.PENDING:
        return refund
    intent = paid_intent(session, refund.order_id)
    if intent is None or refund.idempotency_key is None:
        raise RefundError(N_("Không tìm thấy giao dịch thẻ đã thanh toán của đơn hàng."))
    number = session.execute(select(Order.number).where(Order.id == refund.order_id)).scalar_one()
    try:
        result = gateway.create_refund(
            api_key=str(config["STRIPE_SECRET_KEY"]),
            payment_intent=intent,
            amount_vnd=refund.amount_vnd,
            idempotency_key=refund.idempotency_key,
            metadata={"order_number": number, "refund_id": str(refund.id)},
        )
    except gateway.GatewayUnavailable as error:
        refund.error = str(error)[:300]
        session.flush()
        raise
    except gateway.GatewayRefused as error:
        refund.status = RefundStatus.FAILED
        refund.error = str(error)[:300]
        session.flush()
        raise
    refund.stripe_refund_id = result.id
    refund.error = ""
    if result.status == "succeeded":
        complete_refund(session, refund)
    elif result.status in ("failed", "canceled"):
        refund.status = RefundStatus.FAILED
    session.flush()
    return refund


def complete_refund(session: Session, refund: Refund) -> bool:
    """The money went back: mark the refund succeeded (once: a conditional update), cancel
    the part when the refund asks it and it has not shipped, put the refunded quantities
    back on the shelf, and queue the buyer's email. False if it was completed already."""
    done = session.execute(
        update(Refund)
        .where(Refund.id == refund.id, Refund.status == RefundStatus.PENDING)
        .values(status=RefundStatus.SUCCEEDED, completed_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if rowcount(done) != 1:
        return False
    session.refresh(refund, ["status", "completed_at"])
    order = session.execute(select(Order).where(Order.id == refund.order_id)).scalar_one()
    if refund.cancels_part and refund.part_id is not None:
        status = session.execute(
            select(OrderPart.status).where(OrderPart.id == refund.part_id)
        ).scalar_one()
        if status in UNSHIPPED:
            try:
                fulfilment.cancel_part(
                    session,
                    refund.part_id,
                    actor="admin",
                    reason="refund",
                    actor_id=refund.created_by_id,
                )
            except TransitionRefused:
                pass  # shipped meanwhile: the money is back, the parcel is on its way
    _return_quantities(session, refund, order.number)
    queue_refund_email(session, order, refund)
    return True


def _return_quantities(session: Session, refund: Refund, note: str) -> None:
    rows = session.execute(
        select(OrderLine.variant_id, RefundLine.quantity)
        .join(OrderLine, OrderLine.id == RefundLine.order_line_id)
        .where(RefundLine.refund_id == refund.id)
    ).tuples()
    quantities: dict[int, int] = {}
    for variant_id, quantity in rows:
        quantities[variant_id] = quantities.get(variant_id, 0) + quantity
    if quantities:
        return_stock(session, quantities, note=note, actor_id=refund.created_by_id)


def pending_card_refunds(session: Session, limit: int = 100) -> list[Refund]:
    """Card refunds Stripe has not confirmed yet, oldest first (for the admin page)."""
    return list(
        session.execute(
            select(Refund)
            .where(Refund.status == RefundStatus.PENDING, Refund.method == RefundMethod.CARD)
            .order_by(Refund.id)
            .limit(limit)
        ).scalars()
    )
