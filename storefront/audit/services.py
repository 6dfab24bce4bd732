"""Writing and reading the audit log."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from storefront.accounts.models import User
from storefront.audit.models import AuditEntry
from storefront.extensions import Session
from storefront.timeutil import VIETNAM_TZ

PAGE_SIZE = 50


def _plain(value: Any) -> Any:
    """A JSON-safe copy: dates as ISO text, enums as their values."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set):
        return [_plain(v) for v in value]
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def _target(target: Any) -> tuple[str, str]:
    if isinstance(target, tuple):
        kind, ident = target
        return str(kind), str(ident)
    return target.__tablename__, str(target.id)


def record(
    session: Session,
    actor_id: int | None,
    action: str,
    target: Any,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEntry:
    """Log that `actor_id` did `action` to `target` (a model row with an id, or a
    (type, id) pair), with the changed values before and after. Only flushes, so the entry
    commits or rolls back with the action itself."""
    kind, ident = _target(target)
    email = ""
    if actor_id is not None:
        email = session.execute(select(User.email).where(User.id == actor_id)).scalar() or ""
    entry = AuditEntry(
        actor_id=actor_id,
        actor_email=email,
        action=action[:60],
        target_type=kind[:40],
        target_id=ident[:40],
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
    )
    session.add(entry)
    session.flush()
    return entry


def snapshot(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named attributes of `row`, JSON-safe: a `before` or `after` for record()."""
    return {name: _plain(getattr(row, name)) for name in fields}


@dataclass(frozen=True)
class AuditFilter:
    actor: str = ""  # part of the actor's email
    action: str = ""
    target_type: str = ""
    target_id: str = ""
    since: date | None = None  # Vietnam calendar days, inclusive
    until: date | None = None
    page: int = 1


def _day_start_utc(day: date) -> datetime:
    # Compared in UTC: SQLite keeps the wall time only.
    return datetime(day.year, day.month, day.day, tzinfo=VIETNAM_TZ).astimezone(UTC)


def search(session: Session, f: AuditFilter) -> tuple[list[AuditEntry], int]:
    """Entries matching the filter, newest first, one page of them, and how many match."""
    query = select(AuditEntry)
    if f.actor:
        query = query.where(func.lower(AuditEntry.actor_email).contains(f.actor.lower()))
    if f.action:
        query = query.where(AuditEntry.action == f.action)
    if f.target_type:
        query = query.where(AuditEntry.target_type == f.target_type)
    if f.target_id:
        query = query.where(AuditEntry.target_id == f.target_id)
    if f.since:
        query = query.where(AuditEntry.created_at >= _day_start_utc(f.since))
    if f.until:
        query = query.where(AuditEntry.created_at < _day_start_utc(f.until + timedelta(days=1)))
    total = session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    page = max(f.page, 1)
    rows = session.execute(
        query.order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
        .limit(PAGE_SIZE)
        .offset((page - 1) * PAGE_SIZE)
    ).scalars()
    return list(rows), total


def known_actions(session: Session) -> list[str]:
    """Every action name in the log, for the filter's choices."""
    return list(
        session.execute(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).scalars()
    )


def known_target_types(session: Session) -> list[str]:
    return list(
        session.execute(
            select(AuditEntry.target_type).distinct().order_by(AuditEntry.target_type)
        ).scalars()
    )
