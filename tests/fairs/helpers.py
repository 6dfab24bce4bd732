"""Fairs for tests, made through the fair services."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from storefront.accounts.models import User
from storefront.fairs import services
from storefront.fairs.models import Fair, FairState
from storefront.timeutil import VIETNAM_TZ, utcnow
from tests.factories import DIEN_BIEN

_sequence = itertools.count(1)


def vietnam_now() -> datetime:
    """The current Vietnam wall-clock time, naive, to the minute."""
    return utcnow().astimezone(VIETNAM_TZ).replace(tzinfo=None, second=0, microsecond=0)


def make_fair(
    session: Session,
    organiser: User,
    opens_local: datetime | None = None,
    closes_local: datetime | None = None,
    state: FairState = FairState.PUBLISHED,
    name: str | None = None,
) -> Fair:
    """A fair whose online window is open now unless times are given (Vietnam wall clock)."""
    now = vietnam_now()
    opens_local = opens_local or now - timedelta(days=1)
    closes_local = closes_local or now + timedelta(days=2)
    fair = services.create_fair(
        session,
        organiser,
        services.FairData(
            name=name or f"Hội chợ OCOP thử {next(_sequence)}",
            description="Hội chợ sản phẩm OCOP vùng Tây Bắc.",
            venue="Quảng trường 7/5",
            province_code=DIEN_BIEN,
            starts_on=date(opens_local.year, opens_local.month, opens_local.day),
            ends_on=date(closes_local.year, closes_local.month, closes_local.day),
            opens_local=opens_local,
            closes_local=closes_local,
        ),
    )
    if state != FairState.DRAFT:
        services.set_state(session, fair, state)
    return fair
