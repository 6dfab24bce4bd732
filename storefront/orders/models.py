"""Orders as placed: names, prices and weights copied from the catalogue at that moment."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
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


class PaymentStatus(enum.StrEnum):
    """Where the money of an order stands."""

    ON_DELIVERY = "on_delivery"  # cash on delivery: the carrier collects it
    AWAITING = "awaiting"  # waiting for a bank transfer (or a card payment)
    PAID = "paid"
    EXPIRED = "expired"  # not paid in time: the order was cancelled, stock returned
    CANCELLED = "cancelled"  # every part was cancelled before any payment


class PartStatus(enum.StrEnum):
    """A producer's part of an order: placed → confirmed → shipped → delivered, or cancelled."""

    PLACED = "placed"
    CONFIRMED = "confirmed"
    SHIPPED = "shipped"
    DELIVERED = "delivered"
    CANCELLED = "cancelled"


class Order(Model):
    # "order" is a reserved word in SQL.
    __tablename__ = "customer_order"
    __table_args__ = (
        Index("ix_customer_order_payment", "payment_method", "payment_status", "placed_at"),
        # The province dashboards read the orders placed since their rollup's last day.
        Index("ix_customer_order_placed_at", "placed_at"),
        CheckConstraint("total_vnd = items_total_vnd + shipping_total_vnd", name="total_adds_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    # The hidden token of the checkout form: the same submission always finds this order.
    checkout_token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    contact_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))
    email: Mapped[str] = mapped_column(String(254))
    province_code: Mapped[int] = mapped_column(Integer)
    ward_code: Mapped[int] = mapped_column(Integer)
    street: Mapped[str] = mapped_column(String(300))
    note: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(2), default="vi")
    payment_method: Mapped[str] = mapped_column(String(20))
    payment_status: Mapped[PaymentStatus] = mapped_column(str_enum(PaymentStatus))
    items_total_vnd: Mapped[int] = mapped_column(Integer)
    shipping_total_vnd: Mapped[int] = mapped_column(Integer)
    total_vnd: Mapped[int] = mapped_column(Integer)
    placed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A business buyer's invoice (hóa đơn), copied at placement; empty when none was
    # asked for (orders/invoices.py).
    invoice_company_name: Mapped[str] = mapped_column(String(200), default="", server_default="")
    invoice_tax_code: Mapped[str] = mapped_column(String(14), default="", server_default="")
    invoice_address: Mapped[str] = mapped_column(String(500), default="", server_default="")

    parts: Mapped[list[OrderPart]] = relationship(
        back_populates="order", order_by="OrderPart.id", lazy="raise"
    )

    @property
    def wants_invoice(self) -> bool:
        return bool(self.invoice_tax_code)

    @property
    def amount_due_vnd(self) -> int:
        """What the buyer owes for the parts not cancelled (needs `parts` loaded)."""
        return sum(p.total_vnd for p in self.parts if p.status != PartStatus.CANCELLED)


class OrderPart(Model):
    """One producer's share of an order: one parcel with its own shipping and status."""

    __tablename__ = "order_part"
    __table_args__ = (UniqueConstraint("order_id", "producer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("customer_order.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    producer_name: Mapped[str] = mapped_column(String(200))
    origin_province_code: Mapped[int] = mapped_column(Integer)
    status: Mapped[PartStatus] = mapped_column(str_enum(PartStatus), default=PartStatus.PLACED)
    items_total_vnd: Mapped[int] = mapped_column(Integer)
    shipping_fee_vnd: Mapped[int] = mapped_column(Integer)
    weight_grams: Mapped[int] = mapped_column(Integer)
    carrier: Mapped[str] = mapped_column(String(80), default="")
    tracking_number: Mapped[str] = mapped_column(String(80), default="")
    # Indexed: the dashboards' rollup sums again the days of parts changed since it ran.
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, index=True
    )

    order: Mapped[Order] = relationship(back_populates="parts", lazy="raise")
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="part", order_by="OrderLine.id", lazy="raise"
    )
    history: Mapped[list[OrderStatusChange]] = relationship(
        back_populates="part", order_by="OrderStatusChange.id", lazy="raise"
    )

    @property
    def total_vnd(self) -> int:
        return self.items_total_vnd + self.shipping_fee_vnd


class OrderLine(Model):
    """A variant as bought: its name, label, price and weight copied at the time."""

    __tablename__ = "order_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("order_part.id"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    product_name: Mapped[str] = mapped_column(String(200))
    variant_label: Mapped[str] = mapped_column(String(120))
    sku: Mapped[str] = mapped_column(String(64))
    unit_price_vnd: Mapped[int] = mapped_column(Integer)
    unit_weight_grams: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)

    part: Mapped[OrderPart] = relationship(back_populates="lines", lazy="raise")

    @property
    def line_total_vnd(self) -> int:
        return self.unit_price_vnd * self.quantity


class OrderStatusChange(Model):
    """A step in a part's history, with when (UTC) and who moved it."""

    __tablename__ = "order_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("order_part.id"), index=True)
    from_status: Mapped[PartStatus | None] = mapped_column(str_enum(PartStatus))
    to_status: Mapped[PartStatus] = mapped_column(str_enum(PartStatus))
    actor: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(String(300), default="")
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    part: Mapped[OrderPart] = relationship(back_populates="history", lazy="raise")


class OrderEmail(OutboxColumns, Model):
    """An email an order state change calls for: the outbox row is written in the same
    transaction as the change, and `key` (kind and order, part or refund) is unique, so
    each email exists once; the job worker delivers it (storefront/outbox.py)."""

    __tablename__ = "order_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("customer_order.id"), index=True)
    part_id: Mapped[int | None] = mapped_column(ForeignKey("order_part.id"))
    kind: Mapped[str] = mapped_column(String(40))
    recipients: Mapped[str] = mapped_column(Text)
