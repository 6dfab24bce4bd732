"""Typed models of traceability: production batches, their chain of steps, daily scan
counts of their stamps, and which batch went out in which order part."""

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

from storefront.catalog.models import OcopCertificate, Producer, Product, Variant, str_enum
from storefront.extensions import Model
from storefront.timeutil import utcnow


class StepKind(enum.StrEnum):
    """The links of a batch's chain (TCVN 12850:2019 calls them công đoạn)."""

    GROWING = "growing"  # trồng trọt, chăn nuôi, thu hoạch
    PROCESSING = "processing"  # chế biến
    PACKING = "packing"  # đóng gói
    OTHER = "other"


class Batch(Model):
    """A production batch (lô sản xuất) of one variant, with the public code on its stamps.

    `producer_id` and `product_id` are copied from the variant when the batch is recorded,
    so the producer's lists and the trace page need no extra joins to check ownership.
    """

    __tablename__ = "batch"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("expires_on > produced_on", name="expires_after_production"),
        Index("ix_batch_producer_created", "producer_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(11), unique=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id"), index=True)
    # The certificate in force when the batch was recorded (see services.create_batch).
    certificate_id: Mapped[int | None] = mapped_column(ForeignKey("ocop_certificate.id"))
    produced_on: Mapped[date] = mapped_column(Date)
    expires_on: Mapped[date] = mapped_column(Date)  # hạn sử dụng or best before
    quantity: Mapped[int] = mapped_column(Integer)  # packs of the variant
    province_code: Mapped[int] = mapped_column(Integer)
    ward_code: Mapped[int] = mapped_column(Integer)
    place_detail: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    producer: Mapped[Producer] = relationship(lazy="raise")
    product: Mapped[Product] = relationship(lazy="raise")
    variant: Mapped[Variant] = relationship(lazy="raise")
    certificate: Mapped[OcopCertificate | None] = relationship(lazy="raise")
    steps: Mapped[list[BatchStep]] = relationship(
        back_populates="batch",
        order_by=lambda: [BatchStep.happened_on, BatchStep.position],
        lazy="raise",
        cascade="all, delete-orphan",
    )


class BatchStep(Model):
    """One step of a batch's chain: what was done, when, where."""

    __tablename__ = "batch_step"

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[StepKind] = mapped_column(str_enum(StepKind))
    happened_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    batch: Mapped[Batch] = relationship(back_populates="steps", lazy="raise")


class BatchScanDay(Model):
    """How many times a batch's trace page was opened on one day (Vietnam's calendar).

    Only the count: nothing about who scanned is stored."""

    __tablename__ = "batch_scan_day"

    batch_id: Mapped[int] = mapped_column(
        ForeignKey("batch.id", ondelete="CASCADE"), primary_key=True
    )
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    scans: Mapped[int] = mapped_column(Integer, default=0)


class ShippedBatch(Model):
    """A batch that went out in a producer's part of an order (chosen at fulfilment)."""

    __tablename__ = "shipped_batch"
    __table_args__ = (UniqueConstraint("order_part_id", "batch_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_part_id: Mapped[int] = mapped_column(ForeignKey("order_part.id"), index=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batch.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    batch: Mapped[Batch] = relationship(lazy="raise")
