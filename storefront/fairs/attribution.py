"""Remembering which fair a buyer came through, and recording it on the order.

Visiting an open fair's page stores the fair's id and closing time in the signed session
cookie (no server state). At order placement `attributed_fair_id` reads it back and checks
the fair is still open in the database; `record_fair_order` links the order to the fair.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from storefront.extensions import Session
from storefront.fairs.models import Fair, FairOrder, FairState, as_utc

SESSION_KEY = "fair_visit"


def remember_fair_visit(cookie: MutableMapping[str, Any], fair: Fair, now: datetime) -> bool:
    """Store the visit in `cookie` (Flask's session) while the fair is open; True if stored."""
    if not fair.is_open(as_utc(now)):
        return False
    value = {"id": fair.id, "until": int(as_utc(fair.closes_at).timestamp())}
    if cookie.get(SESSION_KEY) != value:
        cookie[SESSION_KEY] = value
    return True


def attributed_fair_id(
    session: Session, cookie: MutableMapping[str, Any], now: datetime
) -> int | None:
    """The fair the buyer came through, if it is still open at `now`; forgets stale visits."""
    visit = cookie.get(SESSION_KEY)
    if not isinstance(visit, dict):
        return None
    fair_id, until = visit.get("id"), visit.get("until")
    now = as_utc(now)
    if not isinstance(fair_id, int) or not isinstance(until, int) or now.timestamp() >= until:
        cookie.pop(SESSION_KEY, None)
        return None
    open_fair = session.execute(
        select(Fair.id).where(
            Fair.id == fair_id,
            Fair.state == FairState.PUBLISHED,
            Fair.opens_at <= now,
            Fair.closes_at > now,
        )
    ).scalar_one_or_none()
    if open_fair is None:
        cookie.pop(SESSION_KEY, None)
    return open_fair


def record_fair_order(session: Session, order_id: int, fair_id: int | None) -> FairOrder | None:
    """Attribute a placed order to a fair (nothing when fair_id is None; idempotent)."""
    if fair_id is None:
        return None
    existing = session.get(FairOrder, order_id)
    if existing is not None:
        return existing
    link = FairOrder(order_id=order_id, fair_id=fair_id)
    session.add(link)
    session.flush()
    return link
