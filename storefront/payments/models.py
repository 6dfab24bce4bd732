"""What the shop records about card payments, Stripe's events, refunds and payment issues.

Orders keep their own payment status (orders.models.PaymentStatus); these tables hold the
detail behind it: each Checkout Session opened for an order, each webhook event handled
(its id unique, written with its effect), each refund, and each problem an admin must
look at (an amount that does not match, money that arrived for a cancelled order).
"""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storefront.catalog.models import str_enum
from storefront.extensions import Model
from storefront.timeutil import utcnow


class CardPaymentStatus(enum.StrEnum):
    """One Checkout Session attempt. `creating` until Stripe answered with a session."""

    CREATING = "creating"
    OPEN = "open"  # the buyer can pay on Stripe's page until expires_at
    PROCESSING = "processing"  # completed, the money (a delayed method) not yet confirmed
    COMPLETE = "complete"  # paid
    FAILED = "failed"  # Stripe refused, could not be reached, or the delayed payment failed
    EXPIRED = "expired"


# Attempts that may still turn into money: an order with one of them is not cancelled.
LIVE_STATUSES = (CardPaymentStatus.CREATING, CardPaymentStatus.OPEN, CardPaymentStatus.PROCESSING)


class CardPayment(Model):
    """A Stripe Checkout Session opened for an order. The idempotency key and the expiry are
    stored before Stripe is called, so a retried call sends exactly the same request."""

    __tablename__ = "card_payment"
    __table_args__ = (UniqueConstraint("order_id", "attempt"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("customer_order.id"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    idempotency_key: Mapped[str] = mapped_column(String(100), unique=True)
    session_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    url: Mapped[str | None] = mapped_column(Text)
    payment_intent_id: Mapped[str | None] = mapped_column(String(255), index=True)
    amount_vnd: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(3), default="vnd")
    status: Mapped[CardPaymentStatus] = mapped_column(
        str_enum(CardPaymentStatus), default=CardPaymentStatus.CREATING
    )
    error: Mapped[str] = mapped_column(String(300), default="")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class StripeEvent(Model):
    """A webhook event handled. The unique event id is written in the same transaction as
    the event's effect, so a redelivered event finds its row and changes nothing."""

    __tablename__ = "stripe_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[str] = mapped_column(String(255), unique=True)
    type: Mapped[str] = mapped_column(String(100))
    order_id: Mapped[int | None] = mapped_column(ForeignKey("customer_order.id"), index=True)
    outcome: Mapped[str] = mapped_column(String(40), default="")
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class IssueKind(enum.StrEnum):
    AMOUNT_MISMATCH = "amount_mismatch"  # paid amount or currency differs from the order
    PAID_AFTER_CANCEL = "paid_after_cancel"  # money arrived for an order no longer awaiting it
    DUPLICATE_PAYMENT = "duplicate_payment"  # a second session of a paid order was paid
    UNKNOWN_ORDER = "unknown_order"  # a paid session names no order of this shop
    EXTERNAL_REFUND = "external_refund"  # refunded in Stripe's dashboard, not through the shop
    # a paid session names an order and attempt whose own session is another one
    SESSION_MISMATCH = "session_mismatch"


class PaymentIssue(Model):
    """A payment an admin must look at; never resolved by the shop on its own."""

    __tablename__ = "payment_issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("customer_order.id"), index=True)
    kind: Mapped[IssueKind] = mapped_column(str_enum(IssueKind))
    expected_vnd: Mapped[int | None] = mapped_column(Integer)
    received_amount: Mapped[int | None] = mapped_column(Integer)
    received_currency: Mapped[str] = mapped_column(String(3), default="")
    reference: Mapped[str] = mapped_column(String(255), default="")  # Stripe object id
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    resolution: Mapped[str] = mapped_column(String(300), default="")


class RefundMethod(enum.StrEnum):
    CARD = "card"  # through Stripe's Refund API
    MANUAL = "manual"  # cash or bank transfer made by the shop, recorded here


class RefundStatus(enum.StrEnum):
    PENDING = "pending"  # recorded; Stripe not yet asked, or its answer not yet known
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class Refund(Model):
    """Money given back for one producer's part of an order (or, when refunded in Stripe's
    dashboard, for the order with no part named)."""

    __tablename__ = "refund"
    __table_args__ = (CheckConstraint("amount_vnd > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("customer_order.id"), index=True)
    part_id: Mapped[int | None] = mapped_column(ForeignKey("order_part.id"), index=True)
    amount_vnd: Mapped[int] = mapped_column(Integer)
    method: Mapped[RefundMethod] = mapped_column(str_enum(RefundMethod))
    status: Mapped[RefundStatus] = mapped_column(
        str_enum(RefundStatus), default=RefundStatus.PENDING
    )
    idempotency_key: Mapped[str | None] = mapped_column(String(100), unique=True)
    stripe_refund_id: Mapped[str | None] = mapped_column(String(255), unique=True)
    # A refund of the whole of a part not yet shipped also cancels the part (stock returns).
    cancels_part: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(String(300), default="")
    error: Mapped[str] = mapped_column(String(300), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class RefundLine(Model):
    """Quantities of an order line put back on the shelf when its refund succeeds."""

    __tablename__ = "refund_line"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    refund_id: Mapped[int] = mapped_column(ForeignKey("refund.id"), index=True)
    order_line_id: Mapped[int] = mapped_column(ForeignKey("order_line.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
