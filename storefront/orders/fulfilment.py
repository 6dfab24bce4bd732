"""A part's life after placing: confirm, ship, deliver or cancel; and the order's payment.

Every change is a conditional update (``WHERE status = <the status we saw>``), so two
people acting at once cannot both move a part, and stock is returned exactly once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from flask_babel import lazy_gettext
from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload

from storefront.errors import NotFound
from storefront.extensions import Session, rowcount
from storefront.i18n import N_
from storefront.orders import emails
from storefront.orders.errors import OrderError, TransitionRefused
from storefront.orders.models import (
    Order,
    OrderPart,
    OrderStatusChange,
    PartStatus,
    PaymentStatus,
)
from storefront.orders.stock import count_sold, return_stock
from storefront.timeutil import utcnow

# Which status a part may move to from each status; anything else is refused.
ALLOWED_TRANSITIONS: dict[PartStatus, frozenset[PartStatus]] = {
    PartStatus.PLACED: frozenset({PartStatus.CONFIRMED, PartStatus.CANCELLED}),
    PartStatus.CONFIRMED: frozenset({PartStatus.SHIPPED, PartStatus.CANCELLED}),
    PartStatus.SHIPPED: frozenset({PartStatus.DELIVERED}),
    PartStatus.DELIVERED: frozenset(),
    PartStatus.CANCELLED: frozenset(),
}
ACTORS = ("buyer", "producer", "admin", "system")


def can_move(current: PartStatus, target: PartStatus) -> bool:
    """Whether the table allows a part in `current` to move to `target`."""
    return target in ALLOWED_TRANSITIONS[current]


def get_part(session: Session, part_id: int, producer_id: int | None = None) -> OrderPart:
    """A part with its order and lines; with `producer_id`, only that producer's own part
    (NotFound otherwise, so other producers' part ids cannot be probed)."""
    part = session.execute(
        select(OrderPart)
        .options(joinedload(OrderPart.order), selectinload(OrderPart.lines))
        .where(OrderPart.id == part_id)
    ).scalar_one_or_none()
    if part is None or (producer_id is not None and part.producer_id != producer_id):
        raise NotFound(N_("Không tìm thấy đơn hàng."))
    return part


def _move(
    session: Session,
    part: OrderPart,
    target: PartStatus,
    actor: str,
    note: str = "",
    **values: object,
) -> None:
    if actor not in ACTORS:
        raise ValueError(f"unknown actor {actor!r}")
    current = PartStatus(part.status)
    if not can_move(current, target):
        raise TransitionRefused(
            N_("Không thể chuyển đơn hàng từ “%(current)s” sang “%(target)s”."),
            current=lazy_gettext(STATUS_LABELS[current]),
            target=lazy_gettext(STATUS_LABELS[target]),
        )
    now = utcnow()
    result = session.execute(
        update(OrderPart)
        .where(OrderPart.id == part.id, OrderPart.status == current)
        .values(status=target, updated_at=now, **values)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        raise TransitionRefused(
            N_("Đơn hàng vừa được người khác cập nhật, vui lòng tải lại trang.")
        )
    session.expire(part, ["status", "updated_at", *values])
    session.add(
        OrderStatusChange(
            part_id=part.id,
            from_status=current,
            to_status=target,
            actor=actor,
            note=note[:300],
            changed_at=now,
        )
    )
    session.flush()


def confirm_part(session: Session, part_id: int, producer_id: int | None = None) -> OrderPart:
    """The producer accepts its part of the order (placed → confirmed)."""
    part = get_part(session, part_id, producer_id)
    _move(session, part, PartStatus.CONFIRMED, "producer" if producer_id else "admin")
    emails.queue_email(session, part.order, emails.PART_CONFIRMED, [part.order.email], part)
    return part


def ship_part(
    session: Session,
    part_id: int,
    carrier: str,
    tracking_number: str,
    producer_id: int | None = None,
) -> OrderPart:
    """The parcel left with a carrier (confirmed → shipped); needs the carrier and tracking
    number, and refuses while the order still awaits a bank transfer."""
    part = get_part(session, part_id, producer_id)
    carrier, tracking_number = " ".join(carrier.split()), tracking_number.strip()
    if not carrier or len(carrier) > 80:
        raise OrderError(N_("Vui lòng nhập đơn vị vận chuyển."), field="carrier")
    if not tracking_number or len(tracking_number) > 80:
        raise OrderError(N_("Vui lòng nhập mã vận đơn."), field="tracking_number")
    if part.order.payment_status == PaymentStatus.AWAITING:
        raise TransitionRefused(N_("Đơn hàng chưa được thanh toán, chưa thể gửi hàng."))
    _move(
        session,
        part,
        PartStatus.SHIPPED,
        "producer" if producer_id else "admin",
        note=f"{carrier} {tracking_number}",
        carrier=carrier,
        tracking_number=tracking_number,
    )
    emails.queue_email(session, part.order, emails.PART_SHIPPED, [part.order.email], part)
    return part


def deliver_part(session: Session, part_id: int, producer_id: int | None = None) -> OrderPart:
    """The buyer received the parcel (shipped → delivered); its units count as sold."""
    part = get_part(session, part_id, producer_id)
    _move(session, part, PartStatus.DELIVERED, "producer" if producer_id else "admin")
    sold: dict[int, int] = {}
    for line in part.lines:
        sold[line.product_id] = sold.get(line.product_id, 0) + line.quantity
    count_sold(session, sold)
    emails.queue_email(session, part.order, emails.PART_DELIVERED, [part.order.email], part)
    return part


def _cancel(
    session: Session,
    part: OrderPart,
    order: Order,
    actor: str,
    note: str = "",
    actor_id: int | None = None,
) -> None:
    _move(session, part, PartStatus.CANCELLED, actor, note=note)
    quantities: dict[int, int] = {}
    for line in part.lines:
        quantities[line.variant_id] = quantities.get(line.variant_id, 0) + line.quantity
    return_stock(session, quantities, note=order.number, actor_id=actor_id)


def cancel_part(
    session: Session,
    part_id: int,
    actor: str,
    producer_id: int | None = None,
    reason: str = "",
    actor_id: int | None = None,
) -> OrderPart:
    """Cancel a part not yet shipped and return its stock (recorded in each variant's
    stock history, with `actor_id` when an account acted). The other side is told by
    email: the producer when the buyer cancels, the buyer otherwise. When no part is left
    of an order still awaiting payment, there is nothing more to pay."""
    part = get_part(session, part_id, producer_id)
    order = part.order
    _cancel(session, part, order, actor, reason, actor_id)
    if actor == "buyer":
        recipients = emails.producer_emails(session, [part.producer_id])[part.producer_id]
    else:
        recipients = [order.email]
    emails.queue_email(session, order, emails.PART_CANCELLED, recipients, part)
    open_parts = session.execute(
        select(OrderPart.id).where(
            OrderPart.order_id == order.id, OrderPart.status != PartStatus.CANCELLED
        )
    ).first()
    if open_parts is None:
        session.execute(
            update(Order)
            .where(Order.id == order.id, Order.payment_status == PaymentStatus.AWAITING)
            .values(payment_status=PaymentStatus.CANCELLED)
            .execution_options(synchronize_session=False)
        )
        session.expire(order, ["payment_status"])
    session.flush()
    return part


def buyer_cancel_part(session: Session, order: Order, part_id: int) -> OrderPart:
    """The buyer cancels one producer's part of their own order before it ships."""
    part = get_part(session, part_id)
    if part.order_id != order.id:
        raise NotFound(N_("Không tìm thấy đơn hàng."))
    if part.status not in (PartStatus.PLACED, PartStatus.CONFIRMED):
        raise TransitionRefused(N_("Phần đơn hàng này đã được gửi đi hoặc đã huỷ, không thể huỷ."))
    return cancel_part(session, part_id, actor="buyer", actor_id=order.user_id)


def mark_paid(session: Session, order_id: int, actor: str = "admin") -> Order:
    """Record that the money for an order awaiting payment arrived (admin, or a payment
    provider later). Refused unless the order is still awaiting payment."""
    now = utcnow()
    result = session.execute(
        update(Order)
        .where(Order.id == order_id, Order.payment_status == PaymentStatus.AWAITING)
        .values(payment_status=PaymentStatus.PAID, paid_at=now)
        .execution_options(synchronize_session=False)
    )
    order = session.execute(
        select(Order).options(selectinload(Order.parts)).where(Order.id == order_id)
    ).scalar_one_or_none()
    if order is None:
        raise NotFound(N_("Không tìm thấy đơn hàng."))
    session.refresh(order, ["payment_status", "paid_at"])
    if rowcount(result) != 1:
        raise TransitionRefused(
            N_("Đơn hàng %(number)s không ở trạng thái chờ thanh toán."), number=order.number
        )
    emails.queue_email(session, order, emails.PAYMENT_RECEIVED, [order.email])
    return order


def expire_order(session: Session, order_id: int) -> Order | None:
    """Cancel one order still awaiting payment and return its stock. The order is claimed
    by a conditional update first, so when two runs reach it at once only one cancels it;
    the other gets None, as it does for an order paid or cancelled meanwhile."""
    claimed = session.execute(
        update(Order)
        .where(Order.id == order_id, Order.payment_status == PaymentStatus.AWAITING)
        .values(payment_status=PaymentStatus.EXPIRED)
        .execution_options(synchronize_session=False)
    )
    if rowcount(claimed) != 1:
        return None
    order = session.execute(
        select(Order)
        .options(selectinload(Order.parts).selectinload(OrderPart.lines))
        .where(Order.id == order_id)
    ).scalar_one()
    session.refresh(order, ["payment_status"])
    for part in order.parts:
        if part.status in (PartStatus.PLACED, PartStatus.CONFIRMED):
            _cancel(session, part, order, "system", note="unpaid")
    emails.queue_email(session, order, emails.ORDER_EXPIRED, [order.email])
    return order


def expire_unpaid(
    session: Session, payment_method: str, placed_before: datetime, limit: int = 500
) -> list[str]:
    """Cancel orders of `payment_method` still awaiting payment that were placed before
    the cutoff, returning their stock (see expire_order: safe when runs overlap, from
    cron at any frequency or on several hosts). Returns the numbers of those expired."""
    candidates: Sequence[int] = list(
        session.execute(
            select(Order.id)
            .where(
                Order.payment_method == payment_method,
                Order.payment_status == PaymentStatus.AWAITING,
                Order.placed_at < placed_before,
            )
            .order_by(Order.id)
            .limit(limit)
        ).scalars()
    )
    expired = [order for order_id in candidates if (order := expire_order(session, order_id))]
    session.flush()
    return [order.number for order in expired]


STATUS_LABELS: dict[PartStatus, str] = {
    PartStatus.PLACED: N_("Đã đặt"),
    PartStatus.CONFIRMED: N_("Đã xác nhận"),
    PartStatus.SHIPPED: N_("Đang giao"),
    PartStatus.DELIVERED: N_("Đã giao"),
    PartStatus.CANCELLED: N_("Đã huỷ"),
}
PAYMENT_LABELS: dict[PaymentStatus, str] = {
    PaymentStatus.ON_DELIVERY: N_("Thanh toán khi nhận hàng"),
    PaymentStatus.AWAITING: N_("Chờ thanh toán"),
    PaymentStatus.PAID: N_("Đã thanh toán"),
    PaymentStatus.EXPIRED: N_("Đã huỷ do quá hạn thanh toán"),
    PaymentStatus.CANCELLED: N_("Đã huỷ"),
}
