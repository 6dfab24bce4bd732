"""Settling with producers: the commission rate, recording a statement paid by bank
transfer, the settlements recorded, and statements as CSV (see statements.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from storefront.catalog.models import Producer
from storefront.errors import NotFound
from storefront.extensions import Session
from storefront.i18n import N_
from storefront.orders.models import Order, OrderPart
from storefront.payments.models import Refund
from storefront.settlements.models import (
    CommissionRate,
    Settlement,
    SettlementPart,
    SettlementRefund,
)
from storefront.settlements.statements import (
    Period,
    SettlementError,
    Statement,
    statement_for,
)
from storefront.spreadsheets import SpreadsheetCsv


def set_commission_rate(
    session: Session, rate_bp: int, effective_from: date, actor_id: int | None
) -> CommissionRate:
    """Set the commission from a date on (parts delivered from that day use it)."""
    if not 0 <= rate_bp <= 10000:
        raise SettlementError(N_("Tỷ lệ hoa hồng phải từ 0 đến 100 %."))
    rate = CommissionRate(rate_bp=rate_bp, effective_from=effective_from, set_by_id=actor_id)
    session.add(rate)
    session.flush()
    return rate


def record_settlement(
    session: Session,
    producer_id: int,
    period: Period,
    digest: str,
    bank_reference: str,
    paid_on: date,
    actor_id: int | None,
) -> Settlement:
    """Record the statement the admin saw (`digest`) as paid by bank transfer. Recording the
    same statement again returns the settlement already recorded; a statement that changed
    meanwhile is refused; a part or refund is never settled twice (unique in the database:
    a concurrent attempt fails with IntegrityError and rolls back)."""
    existing = session.execute(
        select(Settlement).where(Settlement.producer_id == producer_id, Settlement.digest == digest)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    reference = " ".join(bank_reference.split())[:100]
    if not reference:
        raise SettlementError(N_("Vui lòng nhập mã giao dịch chuyển khoản."))
    statement = statement_for(session, producer_id, period)
    if statement.digest != digest:
        raise SettlementError(
            N_("Bảng đối soát vừa thay đổi (có đơn mới giao hoặc hoàn tiền), vui lòng xem lại.")
        )
    if statement.is_empty:
        raise SettlementError(N_("Không có khoản nào cần đối soát trong kỳ này."))
    settlement = Settlement(
        producer_id=producer_id,
        period_start=period.start,
        period_end=period.end,
        digest=digest,
        collected_vnd=statement.collected_vnd,
        refunds_vnd=statement.refunds_vnd,
        commission_vnd=statement.commission_vnd,
        payout_vnd=statement.payout_vnd,
        bank_reference=reference,
        paid_on=paid_on,
        recorded_by_id=actor_id,
    )
    session.add(settlement)
    session.flush()
    refunds_by_id = {
        r.id: r
        for r in session.execute(
            select(Refund).where(
                Refund.id.in_([i for line in statement.open_lines for i in line.refund_ids])
            )
        ).scalars()
    }
    for line in statement.open_lines:
        session.add(
            SettlementPart(
                settlement_id=settlement.id,
                part_id=line.part_id,
                collected_vnd=line.collected_vnd,
                refunded_vnd=line.refunded_vnd,
                rate_bp=line.rate_bp,
                commission_vnd=line.commission_vnd,
            )
        )
        for refund_id in line.refund_ids:
            session.add(
                SettlementRefund(
                    settlement_id=settlement.id,
                    refund_id=refund_id,
                    amount_vnd=refunds_by_id[refund_id].amount_vnd,
                )
            )
    for adjustment in statement.adjustments:
        session.add(
            SettlementRefund(
                settlement_id=settlement.id,
                refund_id=adjustment.refund_id,
                amount_vnd=adjustment.amount_vnd,
                commission_credit_vnd=adjustment.commission_credit_vnd,
            )
        )
    session.flush()
    return settlement


def settlements(
    session: Session, producer_id: int | None = None, limit: int = 100
) -> list[tuple[Settlement, str]]:
    """Recorded settlements with the producer's name, newest first."""
    query = (
        select(Settlement, Producer.name)
        .join(Producer, Producer.id == Settlement.producer_id)
        .order_by(Settlement.id.desc())
        .limit(limit)
    )
    if producer_id is not None:
        query = query.where(Settlement.producer_id == producer_id)
    return [(s, name) for s, name in session.execute(query).tuples()]


@dataclass(frozen=True)
class SettlementDetail:
    settlement: Settlement
    producer_name: str
    parts: list[tuple[SettlementPart, str]]  # with the order number
    # Refunds on parts settled earlier (those on this settlement's parts are in `parts`).
    adjustments: list[tuple[SettlementRefund, str]]


def settlement_detail(
    session: Session, settlement_id: int, producer_id: int | None = None
) -> SettlementDetail:
    """A recorded settlement; with `producer_id`, only that producer's (NotFound else)."""
    found = session.execute(
        select(Settlement, Producer.name)
        .join(Producer, Producer.id == Settlement.producer_id)
        .where(Settlement.id == settlement_id)
    ).first()
    if found is None or (producer_id is not None and found[0].producer_id != producer_id):
        raise NotFound(N_("Không tìm thấy bảng đối soát."))
    settlement, name = found
    parts = list(
        session.execute(
            select(SettlementPart, Order.number)
            .join(OrderPart, OrderPart.id == SettlementPart.part_id)
            .join(Order, Order.id == OrderPart.order_id)
            .where(SettlementPart.settlement_id == settlement.id)
            .order_by(SettlementPart.id)
        ).tuples()
    )
    settled = {part.part_id for part, _ in parts}
    refunds = session.execute(
        select(SettlementRefund, Order.number, Refund.part_id)
        .join(Refund, Refund.id == SettlementRefund.refund_id)
        .join(Order, Order.id == Refund.order_id)
        .where(SettlementRefund.settlement_id == settlement.id)
        .order_by(SettlementRefund.id)
    ).tuples()
    adjustments = [(r, number) for r, number, part_id in refunds if part_id not in settled]
    return SettlementDetail(settlement, name, parts, adjustments)


def statement_csv(statement: Statement, headings: list[str], labels: dict[str, str]) -> str:
    """The statement as CSV (with a BOM for spreadsheets): one row per part, then the
    refunds made after settlement, then the totals of what is still to settle."""
    writer = SpreadsheetCsv()
    writer.writerow(headings)
    for line in statement.lines:
        writer.writerow(
            [
                line.order_number,
                line.part_id,
                line.delivered_on.isoformat(),
                labels["shop"] if line.collected_by_shop else labels["producer"],
                line.part_total_vnd,
                line.collected_vnd,
                line.refunded_vnd,
                f"{line.rate_bp / 100:.2f}",
                line.commission_vnd,
                line.payout_vnd,
                (
                    labels["settled"] % {"id": line.settlement_id}
                    if line.settlement_id
                    else labels["open"]
                ),
            ]
        )
    for adjustment in statement.adjustments:
        writer.writerow(
            [
                adjustment.order_number,
                adjustment.part_id,
                adjustment.refunded_on.isoformat(),
                labels["adjustment"],
                "",
                0,
                adjustment.amount_vnd,
                "",
                -adjustment.commission_credit_vnd,
                adjustment.payout_vnd,
                labels["open"],
            ]
        )
    writer.writerow(
        [
            labels["total"],
            "",
            "",
            "",
            "",
            statement.collected_vnd,
            statement.refunds_vnd,
            "",
            statement.commission_vnd,
            statement.payout_vnd,
            labels["open"],
        ]
    )
    return writer.text()
