"""Meeting slots and meetings: the exhibitor opens slots, a business buyer books one, the
exhibitor accepts or declines, either side cancels before the start. Only flushes; views
and commands commit.

Every state change is a conditional UPDATE on the state it leaves (`WHERE state = old`)
and checks its row count, so two clicks, two tabs or two people at once have one
outcome. A slot moves open -> booked by such an update before its meeting is written,
and `Meeting.active_slot_id` is unique: two buyers can never both hold one slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager, joinedload

from storefront.accounts.models import User
from storefront.dates import format_day
from storefront.errors import DomainError, NotFound
from storefront.extensions import Session, rowcount
from storefront.fairs.models import ExhibitorStatus, Fair, FairExhibitor, FairState, as_utc
from storefront.i18n import N_
from storefront.meetings import emails
from storefront.meetings.models import (
    Meeting,
    MeetingSlot,
    MeetingState,
    SlotMode,
    SlotState,
)
from storefront.timeutil import VIETNAM_TZ

LENGTHS = (15, 20, 30, 45, 60, 90, 120)  # minutes an exhibitor may offer
MAX_SLOTS_PER_BOOTH = 200
MAX_NOTE = 500
MAX_REASON = 500
DAY_REMINDER = timedelta(hours=24)
HOUR_REMINDER = timedelta(hours=1)
BUYER, EXHIBITOR = "buyer", "exhibitor"
LIVE = (MeetingState.REQUESTED, MeetingState.ACCEPTED)


class MeetingError(DomainError):
    """A slot or meeting change the shop refuses; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


class SlotTaken(MeetingError):
    """Someone else booked the slot first (or it was withdrawn or has started)."""

    def __init__(self) -> None:
        super().__init__(N_("Khung giờ này vừa có người đặt hoặc không còn mở. Hãy chọn giờ khác."))


class NotABusinessBuyer(MeetingError):
    """Only accounts with a business profile book meetings."""

    def __init__(self) -> None:
        super().__init__(N_("Chỉ người mua doanh nghiệp (có hồ sơ doanh nghiệp) mới đặt lịch gặp."))


@dataclass(frozen=True)
class SlotData:
    """A slot as the exhibitor enters it: a naive Vietnam wall-clock start."""

    starts_local: datetime
    minutes: int
    mode: str
    link: str = ""


def vietnam_to_utc(local: datetime) -> datetime:
    """A naive Asia/Ho_Chi_Minh wall-clock time as an aware UTC datetime."""
    return local.replace(tzinfo=VIETNAM_TZ).astimezone(UTC)


def is_business_buyer(session: Session, user_id: int) -> bool:
    """Whether the account has a business profile (storefront/business)."""
    from storefront.business.services import is_business_buyer as has_profile

    return has_profile(user_id, session)


# Slots ------------------------------------------------------------------------------------


def _checked_link(mode: SlotMode, link: str) -> str:
    link = link.strip()
    if mode == SlotMode.BOOTH:
        return ""
    try:
        parts = urlsplit(link) if len(link) <= 500 else None
        host = parts.hostname if parts is not None else None
    except ValueError:  # "https://[::1" and the like
        parts, host = None, None
    unsafe = any(ord(char) <= 32 or ord(char) == 127 for char in link)
    if parts is None or parts.scheme != "https" or not host or unsafe:
        raise MeetingError(
            N_("Gặp trực tuyến cần đường dẫn cuộc gọi bắt đầu bằng https:// (tối đa 500 ký tự)."),
            field="link",
        )
    return link


def open_slot(
    session: Session, exhibitor: FairExhibitor, data: SlotData, now: datetime
) -> MeetingSlot:
    """Offer a meeting slot in the exhibitor's booth: inside the fair's days (Vietnam
    time), in the future, never overlapping the exhibitor's other slots that are not
    closed. The exhibitor row is locked first (PostgreSQL) so two slots opened at once
    are checked one after the other."""
    if exhibitor.status != ExhibitorStatus.ACCEPTED:
        raise MeetingError(N_("Chỉ gian hàng đã tham gia hội chợ mới mở lịch gặp."))
    fair = session.get(Fair, exhibitor.fair_id)
    if fair is None or fair.state == FairState.CLOSED:
        raise MeetingError(N_("Hội chợ này đã đóng."))
    try:
        mode = SlotMode(data.mode)
    except ValueError:
        raise MeetingError(N_("Vui lòng chọn hình thức gặp."), field="mode") from None
    if data.minutes not in LENGTHS:
        raise MeetingError(N_("Vui lòng chọn thời lượng trong danh sách."), field="minutes")
    link = _checked_link(mode, data.link)
    local = data.starts_local.replace(second=0, microsecond=0, tzinfo=None)
    outside_days = MeetingError(
        N_("Lịch gặp phải nằm trong những ngày hội chợ diễn ra (%(start)s – %(end)s)."),
        field="starts_local",
        start=format_day(fair.starts_on),
        end=format_day(fair.ends_on),
    )
    if not fair.starts_on <= local.date() <= fair.ends_on:
        raise outside_days
    try:  # a fair at the calendar's edges (year 1 or 9999) overflows here
        end_local = local + timedelta(minutes=data.minutes)
        last_moment = datetime.combine(fair.ends_on + timedelta(days=1), datetime.min.time())
        starts_at = vietnam_to_utc(local)
    except OverflowError:
        raise outside_days from None
    if end_local > last_moment:
        raise outside_days
    ends_at = starts_at + timedelta(minutes=data.minutes)
    if starts_at <= as_utc(now):
        raise MeetingError(N_("Giờ bắt đầu phải ở tương lai."), field="starts_local")
    session.execute(
        select(FairExhibitor.id).where(FairExhibitor.id == exhibitor.id).with_for_update()
    )
    live = (MeetingSlot.exhibitor_id == exhibitor.id) & (MeetingSlot.state != SlotState.CLOSED)
    overlapping = session.execute(
        select(
            exists().where(live, MeetingSlot.starts_at < ends_at, MeetingSlot.ends_at > starts_at)
        )
    ).scalar()
    if overlapping:
        raise MeetingError(
            N_("Khung giờ này trùng với một lịch gặp khác của gian hàng."), field="starts_local"
        )
    count = session.execute(
        select(MeetingSlot.id)
        .where(MeetingSlot.exhibitor_id == exhibitor.id)
        .limit(MAX_SLOTS_PER_BOOTH + 1)
    ).all()
    if len(count) >= MAX_SLOTS_PER_BOOTH:
        raise MeetingError(N_("Mỗi gian hàng mở tối đa %(n)s lịch gặp."), n=MAX_SLOTS_PER_BOOTH)
    slot = MeetingSlot(
        exhibitor_id=exhibitor.id,
        starts_at=starts_at,
        ends_at=ends_at,
        minutes=data.minutes,
        mode=mode,
        link=link,
        state=SlotState.OPEN,
    )
    session.add(slot)
    session.flush()
    return slot


def close_slot(session: Session, slot: MeetingSlot) -> MeetingSlot:
    """Withdraw an open slot (a booked one is cancelled through its meeting first)."""
    closed = session.execute(
        update(MeetingSlot)
        .where(MeetingSlot.id == slot.id, MeetingSlot.state == SlotState.OPEN)
        .values(state=SlotState.CLOSED)
    )
    if rowcount(closed) != 1:
        raise MeetingError(N_("Chỉ đóng được khung giờ còn trống; hãy hủy lịch gặp trước."))
    session.refresh(slot)
    return slot


def get_slot(session: Session, slot_id: int) -> MeetingSlot:
    """A slot with its exhibitor, the exhibitor's producer and fair (NotFound if none)."""
    slot = session.execute(
        select(MeetingSlot)
        .options(
            joinedload(MeetingSlot.exhibitor, innerjoin=True).joinedload(FairExhibitor.producer),
            joinedload(MeetingSlot.exhibitor, innerjoin=True).joinedload(FairExhibitor.fair),
        )
        .where(MeetingSlot.id == slot_id)
    ).scalar_one_or_none()
    if slot is None:
        raise NotFound(N_("Không tìm thấy lịch gặp."))
    return slot


def bookable(slot: MeetingSlot, now: datetime) -> bool:
    """Whether a buyer may book the slot now (its exhibitor and fair already loaded)."""
    exhibitor = slot.exhibitor
    return (
        slot.state == SlotState.OPEN
        and as_utc(slot.starts_at) > as_utc(now)
        and exhibitor.status == ExhibitorStatus.ACCEPTED
        and exhibitor.fair.state == FairState.PUBLISHED
        and exhibitor.producer.is_active
    )


# Meetings ---------------------------------------------------------------------------------


def book_slot(session: Session, slot_id: int, buyer: User, note: str, now: datetime) -> Meeting:
    """A business buyer books an open slot with a short note; the exhibitor's members
    are emailed. One live meeting per slot (conditional update, unique constraint) and
    per buyer and booth (a second booking with the same exhibitor is refused)."""
    if not is_business_buyer(session, buyer.id):
        raise NotABusinessBuyer()
    note = note.strip()
    if len(note) > MAX_NOTE:
        raise MeetingError(N_("Lời nhắn tối đa %(n)s ký tự."), field="note", n=MAX_NOTE)
    slot = get_slot(session, slot_id)
    if not bookable(slot, now):
        raise SlotTaken()
    already = session.execute(
        select(
            exists().where(
                Meeting.buyer_id == buyer.id,
                Meeting.state.in_(LIVE),
                Meeting.slot_id == MeetingSlot.id,
                MeetingSlot.exhibitor_id == slot.exhibitor_id,
            )
        )
    ).scalar()
    if already:
        raise MeetingError(N_("Bạn đã có lịch gặp với gian hàng này tại hội chợ."))
    taken = session.execute(
        update(MeetingSlot)
        .where(
            MeetingSlot.id == slot.id,
            MeetingSlot.state == SlotState.OPEN,
            MeetingSlot.starts_at > as_utc(now),
        )
        .values(state=SlotState.BOOKED)
        .execution_options(synchronize_session=False)
    )
    if rowcount(taken) != 1:
        raise SlotTaken()
    session.expire(slot, ["state"])
    meeting = Meeting(
        slot=slot,
        active_slot_id=slot.id,
        buyer_id=buyer.id,
        note=note,
        state=MeetingState.REQUESTED,
        created_at=now,
    )
    try:
        with session.begin_nested():
            session.add(meeting)
    except IntegrityError:  # only if the slot's state and its meeting ever disagree
        raise SlotTaken() from None
    emails.queue_for_producer(session, meeting, slot.exhibitor.producer_id, emails.REQUESTED)
    return meeting


def get_meeting(session: Session, meeting_id: int) -> Meeting:
    """A meeting with its slot, exhibitor, producer and fair, and its buyer."""
    meeting = session.execute(
        select(Meeting)
        .options(
            joinedload(Meeting.slot, innerjoin=True)
            .joinedload(MeetingSlot.exhibitor, innerjoin=True)
            .joinedload(FairExhibitor.producer),
            joinedload(Meeting.slot, innerjoin=True)
            .joinedload(MeetingSlot.exhibitor, innerjoin=True)
            .joinedload(FairExhibitor.fair),
            joinedload(Meeting.buyer),
        )
        .where(Meeting.id == meeting_id)
    ).scalar_one_or_none()
    if meeting is None:
        raise NotFound(N_("Không tìm thấy lịch gặp."))
    return meeting


def _move(session: Session, meeting: Meeting, old: tuple[MeetingState, ...], **values: Any) -> bool:
    """The conditional UPDATE of one step; the changed columns are read again after it."""
    moved = session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id, Meeting.state.in_(old))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    session.expire(meeting, ["state", *values])
    return rowcount(moved) == 1


def _reminders(starts_at: datetime, now: datetime) -> dict[str, datetime | None]:
    """When each reminder falls due; none when the meeting is accepted that late (the
    acceptance email itself is then the reminder)."""
    day, hour = starts_at - DAY_REMINDER, starts_at - HOUR_REMINDER
    return {
        "day_reminder_at": day if now < day else None,
        "hour_reminder_at": hour if now < hour else None,
    }


def accept_meeting(session: Session, meeting: Meeting, now: datetime) -> Meeting:
    """The exhibitor accepts a requested meeting before it starts: both sides get the
    calendar file, and reminders are set for 24 hours and 1 hour before."""
    starts_at = as_utc(meeting.slot.starts_at)
    if starts_at <= as_utc(now) or not _move(
        session,
        meeting,
        (MeetingState.REQUESTED,),
        state=MeetingState.ACCEPTED,
        decided_at=now,
        sequence=meeting.sequence + 1,
        **_reminders(starts_at, as_utc(now)),
    ):
        raise MeetingError(N_("Chỉ nhận được lịch gặp đang chờ trả lời và chưa bắt đầu."))
    emails.queue_for_buyer(session, meeting, emails.ACCEPTED)
    emails.queue_for_producer(
        session, meeting, meeting.slot.exhibitor.producer_id, emails.ACCEPTED_COPY
    )
    return meeting


def _free_slot(session: Session, slot: MeetingSlot, withdraw: bool, now: datetime) -> None:
    """The booked slot is bookable again, or withdrawn when the exhibitor cancelled or
    it has already started."""
    reopen = not withdraw and as_utc(slot.starts_at) > as_utc(now)
    session.execute(
        update(MeetingSlot)
        .where(MeetingSlot.id == slot.id, MeetingSlot.state == SlotState.BOOKED)
        .values(state=SlotState.OPEN if reopen else SlotState.CLOSED)
    )
    session.expire(slot, ["state"])


def decline_meeting(session: Session, meeting: Meeting, reason: str, now: datetime) -> Meeting:
    """The exhibitor declines a requested meeting with a reason the buyer is emailed;
    the slot opens for other buyers."""
    reason = " ".join(reason.split())
    if not 3 <= len(reason) <= MAX_REASON:
        raise MeetingError(
            N_("Vui lòng ghi lý do từ chối (3 đến %(n)s ký tự)."), field="reason", n=MAX_REASON
        )
    if not _move(
        session,
        meeting,
        (MeetingState.REQUESTED,),
        state=MeetingState.DECLINED,
        active_slot_id=None,
        decline_reason=reason,
        decided_at=now,
    ):
        raise MeetingError(N_("Chỉ từ chối được lịch gặp đang chờ trả lời."))
    _free_slot(session, meeting.slot, False, now)
    emails.queue_for_buyer(session, meeting, emails.DECLINED)
    return meeting


def cancel_meeting(session: Session, meeting: Meeting, by: str, now: datetime) -> Meeting:
    """Either side calls off a requested or accepted meeting before it starts; the other
    side is emailed. A buyer's cancellation reopens the slot, an exhibitor's withdraws it
    (the exhibitor cannot make that time)."""
    if by not in (BUYER, EXHIBITOR):
        raise ValueError(by)
    if as_utc(meeting.slot.starts_at) <= as_utc(now) or not _move(
        session,
        meeting,
        LIVE,
        state=MeetingState.CANCELLED,
        active_slot_id=None,
        cancelled_by=by,
        cancelled_at=now,
        sequence=meeting.sequence + 1,
        day_reminder_at=None,
        hour_reminder_at=None,
    ):
        raise MeetingError(N_("Chỉ hủy được lịch gặp chưa bắt đầu và chưa bị hủy, từ chối."))
    _free_slot(session, meeting.slot, by == EXHIBITOR, now)
    if by == BUYER:
        emails.queue_for_producer(
            session, meeting, meeting.slot.exhibitor.producer_id, emails.CANCELLED
        )
    else:
        emails.queue_for_buyer(session, meeting, emails.CANCELLED)
    return meeting


# Pages ------------------------------------------------------------------------------------


def buyer_meetings(session: Session, buyer_id: int) -> list[Meeting]:
    """A buyer's meetings, soonest first, with slot, booth, producer and fair (one query)."""
    return list(
        session.execute(
            select(Meeting)
            .join(Meeting.slot)
            .options(
                joinedload(Meeting.slot, innerjoin=True)
                .joinedload(MeetingSlot.exhibitor, innerjoin=True)
                .joinedload(FairExhibitor.producer),
                joinedload(Meeting.slot, innerjoin=True)
                .joinedload(MeetingSlot.exhibitor, innerjoin=True)
                .joinedload(FairExhibitor.fair),
            )
            .where(Meeting.buyer_id == buyer_id)
            .order_by(MeetingSlot.starts_at.desc(), Meeting.id.desc())
        ).scalars()
    )


@dataclass
class BoothSchedule:
    """One booth of the producer, its slots and the live meeting of each."""

    exhibitor: FairExhibitor
    slots: list[MeetingSlot]
    meetings: dict[int, Meeting]  # slot id -> its requested or accepted meeting
    past: list[Meeting]  # declined, cancelled or over: the history


def producer_schedule(session: Session, producer_id: int) -> list[BoothSchedule]:
    """The producer's booths at fairs (accepted exhibitors), newest fair first, with
    their slots and meetings: three queries whatever the count."""
    exhibitors = list(
        session.execute(
            select(FairExhibitor)
            .join(FairExhibitor.fair)
            .options(joinedload(FairExhibitor.fair))
            .where(
                FairExhibitor.producer_id == producer_id,
                FairExhibitor.status == ExhibitorStatus.ACCEPTED,
            )
            .order_by(Fair.starts_on.desc(), FairExhibitor.id)
        ).scalars()
    )
    booths = {e.id: BoothSchedule(e, [], {}, []) for e in exhibitors}
    if not booths:
        return []
    for slot in session.execute(
        select(MeetingSlot)
        .where(MeetingSlot.exhibitor_id.in_(list(booths)))
        .order_by(MeetingSlot.starts_at, MeetingSlot.id)
    ).scalars():
        booths[slot.exhibitor_id].slots.append(slot)
    rows = session.execute(
        select(Meeting, MeetingSlot.exhibitor_id)
        .join(Meeting.slot)
        .options(contains_eager(Meeting.slot), joinedload(Meeting.buyer))
        .where(MeetingSlot.exhibitor_id.in_(list(booths)))
        .order_by(Meeting.created_at.desc(), Meeting.id.desc())
    ).all()
    for meeting, exhibitor_id in rows:
        booth = booths[exhibitor_id]
        if meeting.state in LIVE:
            booth.meetings[meeting.slot_id] = meeting
        else:
            booth.past.append(meeting)
    return list(booths.values())


def fair_open_slots(
    session: Session, exhibitor_ids: list[int], now: datetime
) -> dict[int, list[MeetingSlot]]:
    """The bookable future slots of these booths, soonest first (one query)."""
    found: dict[int, list[MeetingSlot]] = {e: [] for e in exhibitor_ids}
    if not exhibitor_ids:
        return found
    for slot in session.execute(
        select(MeetingSlot)
        .where(
            MeetingSlot.exhibitor_id.in_(exhibitor_ids),
            MeetingSlot.state == SlotState.OPEN,
            MeetingSlot.starts_at > as_utc(now),
        )
        .order_by(MeetingSlot.starts_at, MeetingSlot.id)
    ).scalars():
        found[slot.exhibitor_id].append(slot)
    return found


def own_exhibitor(session: Session, producer_id: int, exhibitor_id: int) -> FairExhibitor | None:
    """The producer's own booth with this id (None for another producer's or none)."""
    exhibitor = session.get(FairExhibitor, exhibitor_id)
    if exhibitor is None or exhibitor.producer_id != producer_id:
        return None
    return exhibitor
