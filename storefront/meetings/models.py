"""Typed models of business matchmaking at a fair: an exhibitor's meeting slots, the
meetings business buyers book in them, and the emails those meetings send."""

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
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.accounts.models import User
from storefront.catalog.models import str_enum
from storefront.extensions import Model
from storefront.fairs.models import FairExhibitor, as_utc
from storefront.outbox import OutboxColumns
from storefront.timeutil import utcnow


class SlotMode(enum.StrEnum):
    ONLINE = "online"  # a video call at `link`
    BOOTH = "booth"  # at the exhibitor's booth at the fair's venue


class SlotState(enum.StrEnum):
    OPEN = "open"  # bookable
    BOOKED = "booked"  # a meeting is asked for or accepted in it
    CLOSED = "closed"  # withdrawn by the exhibitor


class MeetingState(enum.StrEnum):
    REQUESTED = "requested"  # the buyer booked; the exhibitor has not answered
    ACCEPTED = "accepted"  # both expect to meet
    DECLINED = "declined"  # the exhibitor said no (with a reason); the slot reopened
    CANCELLED = "cancelled"  # one side called it off before the start


class MeetingSlot(Model):
    """A time an exhibitor offers at a fair: `starts_at`/`ends_at` in UTC (entered on
    Vietnam's clock), online at `link` or at the booth. An exhibitor's slots that are
    not closed never overlap (checked by services.open_slot under a row lock)."""

    __tablename__ = "meeting_slot"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("minutes BETWEEN 10 AND 240", name="sensible_length"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    exhibitor_id: Mapped[int] = mapped_column(
        ForeignKey("fair_exhibitor.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    ends_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    minutes: Mapped[int] = mapped_column(Integer)
    mode: Mapped[SlotMode] = mapped_column(str_enum(SlotMode))
    link: Mapped[str] = mapped_column(String(500), default="")
    state: Mapped[SlotState] = mapped_column(str_enum(SlotState), default=SlotState.OPEN)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    exhibitor: Mapped[FairExhibitor] = relationship(lazy="raise")

    def has_started(self, now: datetime) -> bool:
        """Whether the slot's start has passed at `now` (aware)."""
        return as_utc(self.starts_at) <= now


class Meeting(Model):
    """A business buyer's booking of a slot, and what became of it.

    `active_slot_id` holds the slot's id while the meeting is requested or accepted and
    is NULL once it is declined or cancelled: its unique constraint is the database's
    guarantee that a slot has one live meeting, behind the services' conditional update
    of the slot. The reminder columns hold when each reminder is due and are cleared by
    the worker that queues it (one reminder each, however many workers run)."""

    __tablename__ = "meeting"

    id: Mapped[int] = mapped_column(primary_key=True)
    slot_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_slot.id", ondelete="CASCADE"), index=True
    )
    active_slot_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting_slot.id", ondelete="CASCADE"), unique=True
    )
    buyer_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    note: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[MeetingState] = mapped_column(
        str_enum(MeetingState), default=MeetingState.REQUESTED
    )
    decline_reason: Mapped[str] = mapped_column(Text, default="")
    cancelled_by: Mapped[str] = mapped_column(String(10), default="")  # buyer / exhibitor
    # Bumped whenever the calendar event changes (RFC 5545 SEQUENCE).
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    day_reminder_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    hour_reminder_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)

    slot: Mapped[MeetingSlot] = relationship(foreign_keys=[slot_id], lazy="raise")
    buyer: Mapped[User] = relationship(lazy="raise")

    def can_cancel(self, now: datetime) -> bool:
        """Either side may still call it off: requested or accepted, not started (slot
        loaded)."""
        live = self.state in (MeetingState.REQUESTED, MeetingState.ACCEPTED)
        return live and not self.slot.has_started(now)

    def has_calendar(self) -> bool:
        """Whether it has a calendar file: once accepted (and after, if cancelled)."""
        return self.decided_at is not None and self.state != MeetingState.DECLINED


class MeetingEmail(OutboxColumns, Model):
    """An email about a meeting to one account, written in the change's transaction
    (unique `key`: kind, meeting and recipient) and delivered by the job worker
    (storefront/outbox.py), which writes its text and calendar file at delivery."""

    __tablename__ = "meeting_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
