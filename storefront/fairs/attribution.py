"""Remembering which fair a buyer came through, and recording it on the order.

Visiting an open fair's page stores the fair as the buyer's channel in the signed session
cookie (storefront.pricing.channel: no server state). At placement the fair's pricing
source checks the fair is still open in the database (`open_fair_id`) and
`record_fair_order` links the order to the fair.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import datetime
from typing import Any

from sqlalchemy import select

from storefront.extensions import Session
from storefront.fairs.models import Fair, FairOrder, FairState, as_utc
from storefront.pricing import Channel, remember_channel

CHANNEL = "fair"


def remember_fair_visit(cookie: MutableMapping[str, Any], fair: Fair, now: datetime) -> bool:
    """Store the visit in `cookie` (Flask's session) while the fair is open; True if stored."""
    if not fair.is_open(as_utc(now)):
        return False
    remember_channel(cookie, Channel(CHANNEL, fair.id), as_utc(fair.closes_at))
    return True


def open_fair_id(session: Session, fair_id: int | None, now: datetime) -> int | None:
    """`fair_id` if that fair is published and open at `now`, else None."""
    if fair_id is None:
        return None
    now = as_utc(now)
    return session.execute(
        select(Fair.id).where(
            Fair.id == fair_id,
            Fair.state == FairState.PUBLISHED,
            Fair.opens_at <= now,
            Fair.closes_at > now,
        )
    ).scalar_one_or_none()


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
