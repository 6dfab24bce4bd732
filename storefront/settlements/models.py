"""Commission rates and settlements recorded as paid.

Stripe Connect does not onboard Vietnamese businesses, so the shop collects card and
transfer payments itself and pays each producer by bank transfer. A part of an order is
settled at most once (`settlement_part.part_id` is unique), and so is a refund.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import Model
from storefront.timeutil import utcnow


class CommissionRate(Model):
    """The shop's commission on goods, in basis points (1 % = 100), from a date on."""

    __tablename__ = "commission_rate"
    __table_args__ = (CheckConstraint("rate_bp >= 0 AND rate_bp <= 10000", name="rate_range"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rate_bp: Mapped[int] = mapped_column(Integer)
    effective_from: Mapped[date] = mapped_column(Date, index=True)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    set_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Settlement(Model):
    """A statement paid to (or, when negative, collected from) a producer."""

    __tablename__ = "settlement"
    __table_args__ = (UniqueConstraint("producer_id", "digest"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    # The statement as the admin saw it: recording the same statement again finds this row.
    digest: Mapped[str] = mapped_column(String(64))
    collected_vnd: Mapped[int] = mapped_column(Integer)  # what the shop collected for the parts
    refunds_vnd: Mapped[int] = mapped_column(Integer)
    commission_vnd: Mapped[int] = mapped_column(Integer)
    payout_vnd: Mapped[int] = mapped_column(Integer)  # negative: the producer owes the shop
    bank_reference: Mapped[str] = mapped_column(String(100))
    paid_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SettlementPart(Model):
    """A delivered part as it was settled; each part is settled once."""

    __tablename__ = "settlement_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlement.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("order_part.id"), unique=True)
    collected_vnd: Mapped[int] = mapped_column(Integer)
    refunded_vnd: Mapped[int] = mapped_column(Integer)
    rate_bp: Mapped[int] = mapped_column(Integer)
    commission_vnd: Mapped[int] = mapped_column(Integer)


class SettlementRefund(Model):
    """A refund deducted in a settlement; each refund is deducted once. A refund made after
    its part was settled also gives back the commission charged on that money."""

    __tablename__ = "settlement_refund"

    id: Mapped[int] = mapped_column(primary_key=True)
    settlement_id: Mapped[int] = mapped_column(ForeignKey("settlement.id"), index=True)
    refund_id: Mapped[int] = mapped_column(ForeignKey("refund.id"), unique=True)
    amount_vnd: Mapped[int] = mapped_column(Integer)
    commission_credit_vnd: Mapped[int] = mapped_column(Integer, default=0)
