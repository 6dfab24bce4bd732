"""The meeting rows of a fair's report (fairs.report's business section): meetings held
and meetings booked ahead, with the share whose buyer's business is registered outside
the exhibiting producer's province."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from storefront.catalog.models import Producer
from storefront.extensions import Session
from storefront.fairs.models import FairExhibitor, as_utc
from storefront.fairs.report import BusinessRow
from storefront.i18n import N_
from storefront.meetings.models import Meeting, MeetingSlot, MeetingState
from storefront.orders.reach import outside
from storefront.timeutil import utcnow


def fair_meeting_figures(
    session: Session, fair_id: int, now: datetime | None = None
) -> list[BusinessRow]:
    """Accepted meetings at the fair's booths: held (ended by `now`) and still ahead
    (one query). A buyer without a business profile any more counts as inside."""
    from storefront.business.models import BusinessProfile

    now = as_utc(now or utcnow())
    rows = session.execute(
        select(MeetingSlot.ends_at, Producer.province_code, BusinessProfile.province_code)
        .join(Meeting, Meeting.slot_id == MeetingSlot.id)
        .join(FairExhibitor, FairExhibitor.id == MeetingSlot.exhibitor_id)
        .join(Producer, Producer.id == FairExhibitor.producer_id)
        .outerjoin(BusinessProfile, BusinessProfile.user_id == Meeting.buyer_id)
        .where(FairExhibitor.fair_id == fair_id, Meeting.state == MeetingState.ACCEPTED)
    ).all()
    held = BusinessRow("meetings_held", N_("Buổi gặp giao thương đã diễn ra"), 0)
    ahead = BusinessRow("meetings_ahead", N_("Lịch gặp đã xác nhận, sắp diễn ra"), 0)
    for ends_at, origin, buyer_province in rows:
        row = held if as_utc(ends_at) <= now else ahead
        row.count += 1
        row.outside += buyer_province is not None and outside(origin, buyer_province)
    return [held, ahead]
