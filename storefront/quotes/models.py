"""Quotes (yêu cầu báo giá): a business buyer asks one producer for prices on some packs,
the producer answers or declines, the buyer asks again or accepts (an order).

A quote moves through rounds. Each round the buyer asks (lines and quantities, where
and when), then the producer answers it (a unit price per line, shipping, lead time,
valid until, conditions) or declines it with a reason. Lines are kept per round, so
every earlier offer stays readable; the quote row holds the current round's request and
answer. Every step and every message is a QuoteEvent: the quote's thread.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.accounts.models import User
from storefront.catalog.models import Producer, str_enum
from storefront.extensions import Model
from storefront.outbox import OutboxColumns
from storefront.timeutil import today_in_vietnam, utcnow


class QuoteState(enum.StrEnum):
    """Whose turn it is. Only forward: requested → quoted or declined; quoted → accepted
    or expired; quoted, declined or expired → requested again in the next round."""

    REQUESTED = "requested"  # the buyer asked (or asked again): the producer's turn
    QUOTED = "quoted"  # the producer answered with prices: the buyer's turn
    DECLINED = "declined"  # the producer declined this round, with a reason
    ACCEPTED = "accepted"  # the buyer accepted: an order was placed (final)
    EXPIRED = "expired"  # quoted, not accepted by its valid-until day


class Quote(Model):
    __tablename__ = "quote"
    __table_args__ = (
        CheckConstraint("round >= 1", name="round_positive"),
        CheckConstraint("shipping_fee_vnd >= 0", name="shipping_not_negative"),
        CheckConstraint("lead_time_days >= 0", name="lead_time_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    # The ask form's one-time token: a resubmitted form finds this quote, and the order
    # placed on acceptance uses it as its checkout token (one order per quote).
    token: Mapped[str] = mapped_column(String(64), unique=True)
    buyer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    # The fair whose booth it was asked from (the fair report's business side).
    fair_id: Mapped[int | None] = mapped_column(ForeignKey("fair.id"), index=True)
    state: Mapped[QuoteState] = mapped_column(str_enum(QuoteState), index=True)
    round: Mapped[int] = mapped_column(Integer, default=1)
    # The current round's request.
    delivery_province_code: Mapped[int] = mapped_column(Integer)
    wanted_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")
    # The producer's answer to the current round (empty while requested).
    shipping_fee_vnd: Mapped[int | None] = mapped_column(Integer)
    lead_time_days: Mapped[int | None] = mapped_column(Integer)
    valid_until: Mapped[date | None] = mapped_column(Date)
    conditions: Mapped[str] = mapped_column(Text, default="")
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    order_id: Mapped[int | None] = mapped_column(ForeignKey("customer_order.id"), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, index=True
    )

    buyer: Mapped[User] = relationship(lazy="raise")
    producer: Mapped[Producer] = relationship(lazy="raise")
    lines: Mapped[list[QuoteLine]] = relationship(
        back_populates="quote", order_by="(QuoteLine.round, QuoteLine.id)", lazy="raise"
    )
    events: Mapped[list[QuoteEvent]] = relationship(
        back_populates="quote", order_by="QuoteEvent.id", lazy="raise"
    )

    @property
    def shown_state(self) -> QuoteState:
        """The state to show: a quote past its valid-until day is expired even before
        `flask quotes expire` records it (and can no longer be accepted either way)."""
        if (
            self.state == QuoteState.QUOTED
            and self.valid_until is not None
            and self.valid_until < today_in_vietnam()
        ):
            return QuoteState.EXPIRED
        return self.state

    def round_lines(self, round_number: int | None = None) -> list[QuoteLine]:
        """The lines of a round (the current one by default); needs `lines` loaded."""
        wanted = self.round if round_number is None else round_number
        return [line for line in self.lines if line.round == wanted]

    @property
    def current_lines(self) -> list[QuoteLine]:
        return self.round_lines()

    @property
    def items_total_vnd(self) -> int | None:
        """The current round's goods at the quoted prices, None until answered."""
        lines = self.current_lines
        if not lines or any(line.unit_price_vnd is None for line in lines):
            return None
        return sum(line.line_total_vnd or 0 for line in lines)

    @property
    def total_vnd(self) -> int | None:
        items = self.items_total_vnd
        if items is None or self.shipping_fee_vnd is None:
            return None
        return items + self.shipping_fee_vnd


class QuoteLine(Model):
    """A pack and quantity asked in one round, and the producer's unit price for it."""

    __tablename__ = "quote_line"
    __table_args__ = (
        UniqueConstraint("quote_id", "round", "variant_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("unit_price_vnd > 0", name="price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quote.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id"))
    # Copied when asked, so the thread reads the same after the catalogue changes.
    product_name: Mapped[str] = mapped_column(String(200))
    variant_label: Mapped[str] = mapped_column(String(120))
    retail_price_vnd: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price_vnd: Mapped[int | None] = mapped_column(Integer)

    quote: Mapped[Quote] = relationship(back_populates="lines", lazy="raise")

    @property
    def line_total_vnd(self) -> int | None:
        return None if self.unit_price_vnd is None else self.unit_price_vnd * self.quantity


class EventKind(enum.StrEnum):
    ASKED = "asked"
    QUOTED = "quoted"
    DECLINED = "declined"
    ASKED_AGAIN = "asked_again"
    ACCEPTED = "accepted"
    EXPIRED = "expired"
    MESSAGE = "message"


class Side(enum.StrEnum):
    BUYER = "buyer"
    PRODUCER = "producer"
    SYSTEM = "system"  # the expiry command


class QuoteEvent(Model):
    """One step of a quote, or a message: the thread both sides read."""

    __tablename__ = "quote_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quote.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)
    kind: Mapped[EventKind] = mapped_column(str_enum(EventKind))
    side: Mapped[Side] = mapped_column(str_enum(Side))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    body: Mapped[str] = mapped_column(Text, default="")
    # A message form's one-time token: the same submission twice is one message.
    token: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    quote: Mapped[Quote] = relationship(back_populates="events", lazy="raise")
    author: Mapped[User | None] = relationship(lazy="raise")


class QuoteEmail(OutboxColumns, Model):
    """The email a quote event sends the other side: written with the event, keyed by it
    (one email per event however often a step is retried), delivered by the job worker."""

    __tablename__ = "quote_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    quote_id: Mapped[int] = mapped_column(ForeignKey("quote.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("quote_event.id"))
    kind: Mapped[str] = mapped_column(String(40))
    recipients: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(2), default="vi")
