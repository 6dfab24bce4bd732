"""Meeting test data: business buyers, a fair with an exhibiting producer, slots."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from storefront.accounts.models import User
from storefront.fairs.models import FairExhibitor
from storefront.meetings import services
from storefront.meetings.models import MeetingSlot
from storefront.timeutil import utcnow
from tests.business import helpers as business_helpers
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD
from tests.fairs.helpers import vietnam_now
from tests.orders.helpers import GIA_LAI, GIA_LAI_WARD, HA_NOI, HA_NOI_WARD


def make_business_buyer(
    session: Session, email: str, name: str = "Siêu thị Xanh", province_code: int = HA_NOI
) -> User:
    """A buyer account with a business profile registered in `province_code` (Hà Nội, Gia
    Lai or Điện Biên: a ward of that province is picked)."""
    ward = {HA_NOI: HA_NOI_WARD, GIA_LAI: GIA_LAI_WARD, DIEN_BIEN: DIEN_BIEN_WARD}[province_code]
    user, _ = business_helpers.make_business_buyer(
        session, email=email, name=name, province_code=province_code, ward_code=ward
    )
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
