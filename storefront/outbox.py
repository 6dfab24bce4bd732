"""The email outbox: rows written in the business transaction, delivered by the job
worker (`flask jobs worker`), never by a request.

Each outbox table (orders' OrderEmail, accounts' AccountEmail) has a unique `key`, so an
email exists once per (kind, order or part, ...) however often the change is retried,
and the columns of `OutboxColumns`. Delivery:

- `due_ids` picks rows that are `pending` and due (`next_attempt_at` passed), or
  `sending` whose lease ran out (the worker delivering them died or hung);
- `claim` takes one with a conditional UPDATE (`sending`, attempts + 1, a lease of
  LEASE_SECONDS): two workers never hold the same row, and only the lease holder may
  finish it (`finish` checks the attempt number it claimed);
- on failure the row goes back to `pending` with an exponential backoff (1, 2, 4 … 60
  minutes) and the error kept, until MAX_ATTEMPTS, then `failed`.

A worker killed between the SMTP server's "250 OK" and `finish` sends that email again
once its lease runs out: the only way an email is sent twice, and only after a crash.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    DateTime,
    Integer,
    String,
    Text,
    case,
    func,
    or_,
    select,
    union_all,
    update,
)
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import Session, rowcount
from storefront.timeutil import utcnow

MAX_ATTEMPTS = 8
LEASE_SECONDS = 300  # far beyond MAIL_TIMEOUT × the few SMTP round trips of one email
FIRST_RETRY_SECONDS = 60
LAST_RETRY_SECONDS = 3600

PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"


class OutboxColumns:
    """The delivery state every outbox row carries."""

    status: Mapped[str] = mapped_column(String(10), default=PENDING, index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    lease_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_error: Mapped[str] = mapped_column(Text, default="")
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


@dataclass(frozen=True)
class Claim:
    id: int
    attempt: int


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next try after `attempts` failed ones."""
    seconds = FIRST_RETRY_SECONDS * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, LAST_RETRY_SECONDS))


def _due(model: Any, now: datetime) -> Any:
    return or_(
        (model.status == PENDING) & (model.next_attempt_at <= now),
        (model.status == SENDING) & (model.lease_until < now),
    )


def due_ids(session: Session, model: Any, limit: int = 100, **where: Any) -> list[int]:
    """Rows ready for a delivery attempt, oldest first."""
    query = select(model.id).where(_due(model, utcnow())).order_by(model.id).limit(limit)
    for column, value in where.items():
        query = query.where(getattr(model, column) == value)
    ids = list(session.execute(query).scalars())
    session.commit()
    return ids


def claim(session: Session, model: Any, row_id: int) -> Claim | None:
    """Take the row for one attempt, committed; None when another worker has it."""
    now = utcnow()
    current = session.execute(select(model.attempts).where(model.id == row_id)).scalar()
    if current is None:
        session.commit()
        return None
    taken = session.execute(
        update(model)
        .where(model.id == row_id, model.attempts == current, _due(model, now))
        .values(
            status=SENDING,
            attempts=current + 1,
            lease_until=now + timedelta(seconds=LEASE_SECONDS),
        )
    )
    session.commit()
    return Claim(row_id, current + 1) if rowcount(taken) == 1 else None


def finish(session: Session, model: Any, claimed: Claim, error: str | None = None) -> bool:
    """Record the attempt's result, committed, if the lease is still this worker's."""
    if error is None:
        values: dict[str, Any] = {"status": SENT, "sent_at": utcnow(), "lease_until": None}
    else:
        values = {
            "status": FAILED if claimed.attempt >= MAX_ATTEMPTS else PENDING,
            "next_attempt_at": utcnow() + backoff(claimed.attempt),
            "lease_until": None,
            "last_error": error[:2000],
        }
    done = session.execute(
        update(model)
        .where(model.id == claimed.id, model.status == SENDING, model.attempts == claimed.attempt)
        .values(**values)
    )
    session.commit()
    return rowcount(done) == 1


@dataclass(frozen=True)
class Backlog:
    """What the outboxes hold undelivered, for /metrics."""

    pending: int  # not yet sent: waiting, retrying after a failure, or being sent
    failed: int  # given up after MAX_ATTEMPTS
    oldest_due: datetime | None  # since when the longest-waiting due row has been due


def backlog(session: Session, models: Sequence[Any], now: datetime | None = None) -> Backlog:
    """Counts over every outbox table in one statement; only undelivered rows are read
    (through the status index), so it stays cheap however many emails were sent."""
    now = now or utcnow()
    parts = [
        select(
            model.status.label("status"),
            case(
                ((model.status == PENDING) & (model.next_attempt_at <= now), model.next_attempt_at),
                ((model.status == SENDING) & (model.lease_until < now), model.lease_until),
            ).label("due_since"),
        ).where(model.status.in_((PENDING, SENDING, FAILED)))
        for model in models
    ]
    rows = union_all(*parts).subquery()
    waiting, failed, oldest = session.execute(
        select(
            func.coalesce(func.sum(case((rows.c.status != FAILED, 1), else_=0)), 0),
            func.coalesce(func.sum(case((rows.c.status == FAILED, 1), else_=0)), 0),
            func.min(rows.c.due_since),
        )
    ).one()
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)  # SQLite hands back naive UTC datetimes
    return Backlog(int(waiting), int(failed), oldest)
