"""Offtake agreements (hợp đồng bao tiêu): a business buyer and a producer agree on one
pack, a schedule of deliveries at agreed prices and an address; each delivery becomes an
order when it falls due.

An agreement's terms live in numbered versions. The side that writes a version proposes
it; the other side accepts it (or declines). The terms in force are copied onto the
agreement when a version is accepted, and the open deliveries are replaced by its lines.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.catalog.models import str_enum
from storefront.extensions import Model
from storefront.outbox import OutboxColumns
from storefront.timeutil import utcnow


class AgreementState(enum.StrEnum):
    """proposed → active → completed; proposed → declined or withdrawn. Only forward."""

    PROPOSED = "proposed"  # the first version waits for the other side
    ACTIVE = "active"  # signed: deliveries fall due (a change may be pending)
    COMPLETED = "completed"  # every delivery became an order
    DECLINED = "declined"  # the other side said no to the first version
    WITHDRAWN = "withdrawn"  # its author took the first version back


class Side(enum.StrEnum):
    BUYER = "buyer"
    PRODUCER = "producer"

    @property
    def other(self) -> Side:
        return Side.PRODUCER if self is Side.BUYER else Side.BUYER


class PriceMode(enum.StrEnum):
    FIXED = "fixed"  # one unit price for every delivery
    PER_DELIVERY = "per_delivery"  # each delivery line has its own unit price


class VersionStatus(enum.StrEnum):
    """pending → accepted, declined, withdrawn (by its author) or superseded (a newer one)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    SUPERSEDED = "superseded"


class DeliveryState(enum.StrEnum):
    """scheduled → ordered, or → shortfall → ordered (retried by `flask offtake due`);
    scheduled or shortfall → superseded when an accepted change replaces the schedule."""

    SCHEDULED = "scheduled"
    ORDERED = "ordered"
    SHORTFALL = "shortfall"
    SUPERSEDED = "superseded"


OPEN_DELIVERY_STATES = (DeliveryState.SCHEDULED, DeliveryState.SHORTFALL)


class OfftakeAgreement(Model):
    __tablename__ = "offtake_agreement"
    __table_args__ = (
        CheckConstraint("version >= 0", name="version_not_negative"),
        Index("ix_offtake_agreement_producer_state", "producer_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    # The fair whose page the agreement was started from (the fair report counts it).
    fair_id: Mapped[int | None] = mapped_column(
        ForeignKey("fair.id", ondelete="SET NULL"), index=True
    )
    started_by: Mapped[Side] = mapped_column(str_enum(Side))
    state: Mapped[AgreementState] = mapped_column(
        str_enum(AgreementState), default=AgreementState.PROPOSED
    )
    # The accepted version in force (0 before signing) and the one awaiting an answer.
    version: Mapped[int] = mapped_column(Integer, default=0)
    pending_version: Mapped[int | None] = mapped_column(Integer)
    # Names as agreed, kept for the pages and the PDF even if the listing changes.
    product_name: Mapped[str] = mapped_column(String(200))
    variant_label: Mapped[str] = mapped_column(String(120))
    producer_name: Mapped[str] = mapped_column(String(200))
    buyer_name: Mapped[str] = mapped_column(String(200))
    # The producer's province when the agreement was started ("outside the province").
    origin_province_code: Mapped[int] = mapped_column(Integer)
    # The terms in force, copied from the accepted version (zero/empty before signing).
    total_quantity: Mapped[int] = mapped_column(Integer, default=0)
    price_mode: Mapped[PriceMode] = mapped_column(str_enum(PriceMode), default=PriceMode.FIXED)
    unit_price_vnd: Mapped[int | None] = mapped_column(Integer)
    committed_vnd: Mapped[int] = mapped_column(Integer, default=0)
    province_code: Mapped[int] = mapped_column(Integer, default=0)
    ward_code: Mapped[int] = mapped_column(Integer, default=0)
    address_line: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    versions: Mapped[list[OfftakeVersion]] = relationship(
        back_populates="agreement", order_by="OfftakeVersion.number", lazy="raise"
    )
    deliveries: Mapped[list[OfftakeDelivery]] = relationship(
        back_populates="agreement",
        order_by="(OfftakeDelivery.due_on, OfftakeDelivery.id)",
        lazy="raise",
    )


class OfftakeVersion(Model):
    """One side's proposed terms; accepted, they become the agreement's terms."""

    __tablename__ = "offtake_version"
    __table_args__ = (UniqueConstraint("agreement_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("offtake_agreement.id", ondelete="CASCADE")
    )
    number: Mapped[int] = mapped_column(Integer)
    proposed_by: Mapped[Side] = mapped_column(str_enum(Side))
    proposed_by_user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[VersionStatus] = mapped_column(
        str_enum(VersionStatus), default=VersionStatus.PENDING
    )
    total_quantity: Mapped[int] = mapped_column(Integer)
    price_mode: Mapped[PriceMode] = mapped_column(str_enum(PriceMode))
    unit_price_vnd: Mapped[int | None] = mapped_column(Integer)
    province_code: Mapped[int] = mapped_column(Integer)
    ward_code: Mapped[int] = mapped_column(Integer)
    address_line: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")
    # How many deliveries had already become orders when this was written: accepting it
    # replaces the open ones, which is only right if no other became an order meanwhile.
    ordered_before: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    agreement: Mapped[OfftakeAgreement] = relationship(back_populates="versions", lazy="raise")
    lines: Mapped[list[OfftakeVersionLine]] = relationship(
        back_populates="version", order_by="OfftakeVersionLine.position", lazy="raise"
    )

    @property
    def value_vnd(self) -> int:
        """What the proposed open deliveries are worth (needs `lines` loaded)."""
        return sum(line.quantity * line.unit_price_vnd for line in self.lines)


class OfftakeVersionLine(Model):
    __tablename__ = "offtake_version_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(
        ForeignKey("offtake_version.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_vnd: Mapped[int] = mapped_column(Integer)

    version: Mapped[OfftakeVersion] = relationship(back_populates="lines", lazy="raise")


class OfftakeDelivery(Model):
    """One scheduled delivery of the terms in force; `flask offtake due` turns it into an
    order on its date (claimed by a conditional update: one order per delivery)."""

    __tablename__ = "offtake_delivery"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        Index("ix_offtake_delivery_due", "state", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("offtake_agreement.id", ondelete="CASCADE"), index=True
    )
    version_number: Mapped[int] = mapped_column(Integer)  # the accepted version it comes from
    due_on: Mapped[date] = mapped_column(Date)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_vnd: Mapped[int] = mapped_column(Integer)
    state: Mapped[DeliveryState] = mapped_column(
        str_enum(DeliveryState), default=DeliveryState.SCHEDULED
    )
    order_id: Mapped[int | None] = mapped_column(ForeignKey("customer_order.id"), unique=True)
    ordered_on: Mapped[date | None] = mapped_column(Date)  # Vietnam day the order was placed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    shortfall_note: Mapped[str] = mapped_column(String(300), default="")
    shortfall_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Set once when the producer was warned that stock is below this delivery.
    warned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    agreement: Mapped[OfftakeAgreement] = relationship(back_populates="deliveries", lazy="raise")

    @property
    def value_vnd(self) -> int:
        return self.quantity * self.unit_price_vnd


class OfftakeEmail(OutboxColumns, Model):
    """An email an agreement step calls for, once per `key` (storefront/outbox.py)."""

    __tablename__ = "offtake_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("offtake_agreement.id", ondelete="CASCADE"), index=True
    )
    delivery_id: Mapped[int | None] = mapped_column(
        ForeignKey("offtake_delivery.id", ondelete="CASCADE")
    )
    kind: Mapped[str] = mapped_column(String(40))
    side: Mapped[Side] = mapped_column(str_enum(Side))  # who it is for: whose page it links
    recipients: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="vi")
