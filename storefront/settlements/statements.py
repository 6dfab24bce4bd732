"""Settlement statements: what the shop owes each producer for a period.

A statement lists the producer's parts delivered in the period whose money was collected:
card and transfer orders are collected by the shop; cash on delivery is collected by the
producer's carrier, so those parts only owe the commission. From the shop's collections
it deducts refunds (the shop pays them) and its commission on the goods (shipping is not
commissioned), at the rate in force on the delivery date. Refunds made after a part was
settled are deducted in the next statement, giving back the commission on that money.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from storefront.catalog.models import Producer
from storefront.errors import DomainError, NotFound
from storefront.extensions import Session
from storefront.i18n import N_
from storefront.orders.models import (
    Order,
    OrderPart,
    OrderStatusChange,
    PartStatus,
    PaymentStatus,
)
from storefront.payments.models import Refund, RefundStatus
from storefront.settlements.models import CommissionRate, SettlementPart, SettlementRefund
from storefront.timeutil import VIETNAM_TZ, add_months, parse_day

MAX_PERIOD_DAYS = 366


class SettlementError(DomainError):
    """A settlement step the statement does not allow."""


@dataclass(frozen=True)
class Period:
    """Days on Vietnam's calendar, both ends included."""

    start: date
    end: date

    @classmethod
    def month_of(cls, day: date) -> Period:
        first = day.replace(day=1)
        return cls(first, add_months(first, 1) - timedelta(days=1))

    def utc_bounds(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.start, time.min, tzinfo=VIETNAM_TZ)
        end = datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=VIETNAM_TZ)
        return start.astimezone(UTC), end.astimezone(UTC)


def parse_period(start: str | None, end: str | None, today: date) -> Period:
    """The period from ISO dates (YYYY-MM-DD); this month when both are missing."""
    if not start and not end:
        return Period.month_of(today)
    first, last = parse_day(start), parse_day(end)
    if first is None or last is None:
        raise SettlementError(N_("Ngày không hợp lệ, hãy dùng dạng năm-tháng-ngày."))
    period = Period(first, last)
    if period.end < period.start or (period.end - period.start).days >= MAX_PERIOD_DAYS:
        raise SettlementError(
            N_("Kỳ đối soát phải bắt đầu trước khi kết thúc và dài tối đa %(n)s ngày."),
            n=MAX_PERIOD_DAYS,
        )
    return period


def commission(base_vnd: int, rate_bp: int) -> int:
    """The commission on `base_vnd` at `rate_bp` basis points, rounded half up to 1 ₫."""
    return (max(0, base_vnd) * rate_bp + 5000) // 10000


@dataclass(frozen=True)
class StatementLine:
    """A delivered part: what the shop collected, refunded and keeps for it."""

    part_id: int
    order_number: str
    delivered_on: date
    payment_method: str
    collected_by_shop: bool
    part_total_vnd: int
    refunded_vnd: int
    rate_bp: int
    commission_vnd: int
    settlement_id: int | None = None
    refund_ids: tuple[int, ...] = ()

    @property
    def collected_vnd(self) -> int:
        return self.part_total_vnd if self.collected_by_shop else 0

    @property
    def payout_vnd(self) -> int:
        return self.collected_vnd - self.refunded_vnd - self.commission_vnd


@dataclass(frozen=True)
class Adjustment:
    """A refund made after its part was settled."""

    refund_id: int
    part_id: int
    order_number: str
    refunded_on: date
    amount_vnd: int
    commission_credit_vnd: int

    @property
    def payout_vnd(self) -> int:
        return self.commission_credit_vnd - self.amount_vnd


@dataclass(frozen=True)
class Statement:
    producer_id: int
    producer_name: str
    period: Period
    lines: list[StatementLine] = field(default_factory=list)
    adjustments: list[Adjustment] = field(default_factory=list)

    @property
    def open_lines(self) -> list[StatementLine]:
        return [line for line in self.lines if line.settlement_id is None]

    @property
    def collected_vnd(self) -> int:
        return sum(line.collected_vnd for line in self.open_lines)

    @property
    def refunds_vnd(self) -> int:
        lines = sum(line.refunded_vnd for line in self.open_lines)
        return lines + sum(a.amount_vnd for a in self.adjustments)

    @property
    def commission_vnd(self) -> int:
        lines = sum(line.commission_vnd for line in self.open_lines)
        return lines - sum(a.commission_credit_vnd for a in self.adjustments)

    @property
    def payout_vnd(self) -> int:
        return self.collected_vnd - self.refunds_vnd - self.commission_vnd

    @property
    def is_empty(self) -> bool:
        return not self.open_lines and not self.adjustments

    @property
    def digest(self) -> str:
        """A fingerprint of what would be settled: recording it twice finds one row."""
        parts = [f"{self.producer_id}|{self.period.start}|{self.period.end}"]
        parts += [
            f"p{x.part_id}:{x.collected_vnd}:{x.refunded_vnd}:{x.commission_vnd}:{x.refund_ids}"
            for x in self.open_lines
        ]
        parts += [
            f"r{a.refund_id}:{a.amount_vnd}:{a.commission_credit_vnd}" for a in self.adjustments
        ]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def rates(session: Session) -> list[CommissionRate]:
    """Every commission rate set, oldest first."""
    return list(
        session.execute(
            select(CommissionRate).order_by(CommissionRate.effective_from, CommissionRate.id)
        ).scalars()
    )


def rate_on(history: list[CommissionRate], day: date) -> int:
    """The rate in force on `day` (basis points; 0 before any was set)."""
    current = 0
    for rate in history:
        if rate.effective_from <= day:
            current = rate.rate_bp
    return current


def _local_date(moment: datetime) -> date:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM_TZ).date()


def build_statements(
    session: Session, period: Period, producer_id: int | None = None
) -> list[Statement]:
    """The statements of one producer, or of every producer with something in the period
    (parts delivered in it, or refunds on settled parts still to deduct)."""
    start, end = period.utc_bounds()
    history = rates(session)
    query = (
        select(
            OrderPart,
            Order.number,
            Order.payment_method,
            Order.payment_status,
            OrderStatusChange.changed_at,
        )
        .join(Order, Order.id == OrderPart.order_id)
        .join(OrderStatusChange, OrderStatusChange.part_id == OrderPart.id)
        .where(
            OrderPart.status == PartStatus.DELIVERED,
            OrderStatusChange.to_status == PartStatus.DELIVERED,
            OrderStatusChange.changed_at >= start,
            OrderStatusChange.changed_at < end,
            Order.payment_status.in_((PaymentStatus.PAID, PaymentStatus.ON_DELIVERY)),
        )
        .order_by(OrderStatusChange.changed_at, OrderPart.id)
    )
    if producer_id is not None:
        query = query.where(OrderPart.producer_id == producer_id)
    rows = session.execute(query).all()
    part_ids = [row[0].id for row in rows]
    settled = {
        sp.part_id: sp
        for sp in session.execute(
            select(SettlementPart).where(SettlementPart.part_id.in_(part_ids))
        ).scalars()
    }
    unsettled_refunds = _unsettled_refunds(session, part_ids)
    lines: dict[int, list[StatementLine]] = defaultdict(list)
    for part, number, method, payment_status, delivered_at in rows:
        day = _local_date(delivered_at)
        done = settled.get(part.id)
        if done is not None:
            line = StatementLine(
                part.id,
                number,
                day,
                method,
                payment_status == PaymentStatus.PAID,
                part.total_vnd,
                done.refunded_vnd,
                done.rate_bp,
                done.commission_vnd,
                settlement_id=done.settlement_id,
            )
        else:
            part_refunds = unsettled_refunds.get(part.id, [])
            refunded = sum(r.amount_vnd for r in part_refunds)
            rate = rate_on(history, day)
            line = StatementLine(
                part.id,
                number,
                day,
                method,
                payment_status == PaymentStatus.PAID,
                part.total_vnd,
                refunded,
                rate,
                commission(part.items_total_vnd - refunded, rate),
                refund_ids=tuple(r.id for r in part_refunds),
            )
        lines[part.producer_id].append(line)
    adjustments = _adjustments(session, end, producer_id)
    producer_ids = sorted(set(lines) | set(adjustments) | ({producer_id} if producer_id else set()))
    names = dict(
        session.execute(select(Producer.id, Producer.name).where(Producer.id.in_(producer_ids)))
        .tuples()
        .all()
    )
    return [
        Statement(pid, names.get(pid, ""), period, lines.get(pid, []), adjustments.get(pid, []))
        for pid in producer_ids
        if pid in names
    ]


def statement_for(session: Session, producer_id: int, period: Period) -> Statement:
    """One producer's statement (NotFound for a producer that does not exist)."""
    found = build_statements(session, period, producer_id)
    if not found:
        raise NotFound(N_("Không tìm thấy chủ thể."))
    return found[0]


def _unsettled_refunds(session: Session, part_ids: list[int]) -> dict[int, list[Refund]]:
    found: dict[int, list[Refund]] = defaultdict(list)
    if not part_ids:
        return found
    query = (
        select(Refund)
        .outerjoin(SettlementRefund, SettlementRefund.refund_id == Refund.id)
        .where(
            Refund.part_id.in_(part_ids),
            Refund.status == RefundStatus.SUCCEEDED,
            SettlementRefund.id.is_(None),
        )
        .order_by(Refund.id)
    )
    for refund in session.execute(query).scalars():
        found[refund.part_id or 0].append(refund)
    return found


def _adjustments(
    session: Session, before: datetime, producer_id: int | None
) -> dict[int, list[Adjustment]]:
    """Refunds completed before `before` on parts already settled, not yet deducted; each
    gives back the commission on its money, never more than was charged on the part."""
    query = (
        select(Refund, SettlementPart, OrderPart.producer_id, Order.number)
        .join(SettlementPart, SettlementPart.part_id == Refund.part_id)
        .join(OrderPart, OrderPart.id == Refund.part_id)
        .join(Order, Order.id == OrderPart.order_id)
        .outerjoin(SettlementRefund, SettlementRefund.refund_id == Refund.id)
        .where(
            Refund.status == RefundStatus.SUCCEEDED,
            Refund.completed_at < before,
            SettlementRefund.id.is_(None),
        )
        .order_by(Refund.id)
    )
    if producer_id is not None:
        query = query.where(OrderPart.producer_id == producer_id)
    rows = session.execute(query).all()
    credited: dict[int, int] = defaultdict(int)
    for part_id, credit in session.execute(
        select(Refund.part_id, SettlementRefund.commission_credit_vnd)
        .join(Refund, Refund.id == SettlementRefund.refund_id)
        .where(Refund.part_id.in_([row[1].part_id for row in rows]))
    ):
        credited[part_id] += credit
    found: dict[int, list[Adjustment]] = defaultdict(list)
    for refund, settled, owner, number in rows:
        left = max(0, settled.commission_vnd - credited[settled.part_id])
        credit = min(left, commission(refund.amount_vnd, settled.rate_bp))
        credited[settled.part_id] += credit
        found[owner].append(
            Adjustment(
                refund.id,
                settled.part_id,
                number,
                _local_date(refund.completed_at or refund.created_at),
                refund.amount_vnd,
                credit,
            )
        )
    return found
