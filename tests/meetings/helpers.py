"""Meeting test data: business buyers, a fair with an exhibiting producer, slots."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from storefront.accounts.models import User
from storefront.fairs.models import FairExhibitor
from storefront.meetings import services
from storefront.meetings.models import MeetingSlot
from storefront.timeutil import utcnow
from tests.accounts.helpers import make_user
from tests.fairs.helpers import vietnam_now
from tests.orders.helpers import HA_NOI


def make_business_buyer(
    session: Session, email: str, name: str = "Siêu thị Xanh", province_code: int = HA_NOI
) -> User:
    """A buyer account with a business profile registered in `province_code`."""
    from storefront.business.models import BusinessProfile

    user = make_user(session, email=email)
    session.add(
        BusinessProfile(user_id=user.id, name=name, tax_code="0101243150", province_code=province_code)
    )
    session.flush()
    return user


def local_in(hours: float) -> datetime:
    """Vietnam wall-clock time `hours` from now, to the minute (naive)."""
    return vietnam_now() + timedelta(hours=hours)


def open_slot(
    session: Session,
    exhibitor: FairExhibitor,
    hours_ahead: float = 3,
    minutes: int = 30,
    mode: str = "booth",
    link: str = "",
) -> MeetingSlot:
    return services.open_slot(
        session,
        exhibitor,
        services.SlotData(local_in(hours_ahead), minutes, mode, link),
        utcnow(),
    )
