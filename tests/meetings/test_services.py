"""Slots and meetings: what an exhibitor may open, what a business buyer may book, and
the meeting's states moving only forward."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from storefront.fairs import services as fair_services
from storefront.fairs.models import ExhibitorStatus, FairState, as_utc
from storefront.meetings import services
from storefront.meetings.emails import ACCEPTED, ACCEPTED_COPY, CANCELLED, DECLINED, REQUESTED
from storefront.meetings.models import (
    Meeting,
    MeetingEmail,
    MeetingSlot,
    MeetingState,
    SlotState,
)
from storefront.timeutil import utcnow
from tests.meetings.helpers import local_in, open_slot


def _emails(session, kind):  # type: ignore[no-untyped-def]
    return list(
        session.execute(select(MeetingEmail.user_id).where(MeetingEmail.kind == kind)).scalars()
    )


# Slots ------------------------------------------------------------------------------------


def test_an_exhibitor_opens_a_slot_in_vietnam_time(session, world):
    local = local_in(3)
    slot = services.open_slot(
        session, world["exhibitor"], services.SlotData(local, 45, "booth"), utcnow()
    )
    assert slot.state == SlotState.OPEN
    assert slot.minutes == 45
    # Stored in UTC: 7 hours behind Vietnam's clock.
    assert as_utc(slot.starts_at).replace(tzinfo=None) == local - timedelta(hours=7)
    assert slot.ends_at - slot.starts_at == timedelta(minutes=45)


@pytest.mark.parametrize(
    ("hours", "minutes", "mode", "link", "field"),
    [
        (-1, 30, "booth", "", "starts_local"),  # in the past
        (24 * 5, 30, "booth", "", "starts_local"),  # after the fair's last day
        (-24 * 3, 30, "booth", "", "starts_local"),  # before its first day
        (3, 25, "booth", "", "minutes"),  # not a length on offer
        (3, 30, "video", "", "mode"),
        (3, 30, "online", "", "link"),  # online needs a link
        (3, 30, "online", "http://meet.example.vn/abc", "link"),  # https only
        (3, 30, "online", "javascript:alert(1)", "link"),
        (3, 30, "online", "https://meet.example.vn/a b", "link"),
        (3, 30, "online", "https://[::1", "link"),
    ],
)
def test_a_slot_outside_the_rules_is_refused(session, world, hours, minutes, mode, link, field):
    with pytest.raises(services.MeetingError) as refused:
        services.open_slot(
            session,
            world["exhibitor"],
            services.SlotData(local_in(hours), minutes, mode, link),
            utcnow(),
        )
    assert refused.value.field == field
    assert session.execute(select(func.count()).select_from(MeetingSlot)).scalar() == 0


def test_an_online_slot_keeps_its_link(session, world):
    slot = open_slot(session, world["exhibitor"], mode="online", link="https://meet.example.vn/x")
    assert slot.link == "https://meet.example.vn/x"


def test_slots_of_one_exhibitor_never_overlap(session, world):
    first = open_slot(session, world["exhibitor"], hours_ahead=3, minutes=60)
    with pytest.raises(services.MeetingError, match="trùng"):
        open_slot(session, world["exhibitor"], hours_ahead=3.5, minutes=30)
    with pytest.raises(services.MeetingError, match="trùng"):
        open_slot(session, world["exhibitor"], hours_ahead=2.5, minutes=45)
    # Back to back is fine, and another booth may use the same time.
    open_slot(session, world["exhibitor"], hours_ahead=4, minutes=30)
    open_slot(session, world["other_exhibitor"], hours_ahead=3, minutes=60)
    # A closed slot frees its time.
    services.close_slot(session, first)
    open_slot(session, world["exhibitor"], hours_ahead=3, minutes=30)


def test_only_an_accepted_booth_of_an_open_fair_opens_slots(session, world):
    exhibitor = world["exhibitor"]
    exhibitor.status = ExhibitorStatus.INVITED
    session.flush()
    with pytest.raises(services.MeetingError):
        open_slot(session, exhibitor)
    exhibitor.status = ExhibitorStatus.ACCEPTED
    fair_services.set_state(session, world["fair"], FairState.CLOSED)
    with pytest.raises(services.MeetingError):
        open_slot(session, exhibitor)


def test_a_booked_slot_cannot_be_closed(session, world):
    slot = open_slot(session, world["exhibitor"])
    services.book_slot(session, slot.id, world["buyer"], "", utcnow())
    with pytest.raises(services.MeetingError):
        services.close_slot(session, slot)


# Booking ----------------------------------------------------------------------------------


def test_a_business_buyer_books_and_the_exhibitor_is_told(session, world):
    slot = open_slot(session, world["exhibitor"])
    meeting = services.book_slot(
        session, slot.id, world["buyer"], "  Cần 200 hộp mật ong mỗi tháng  ", utcnow()
    )
    session.refresh(slot)
    assert slot.state == SlotState.BOOKED
    assert meeting.state == MeetingState.REQUESTED
    assert meeting.active_slot_id == slot.id
    assert meeting.note == "Cần 200 hộp mật ong mỗi tháng"
    assert _emails(session, REQUESTED) == [world["owner"].id]


def test_a_retail_buyer_cannot_book(session, world):
    slot = open_slot(session, world["exhibitor"])
    with pytest.raises(services.NotABusinessBuyer):
        services.book_slot(session, slot.id, world["retail"], "", utcnow())
    session.refresh(slot)
    assert slot.state == SlotState.OPEN


def test_a_booked_slot_cannot_be_booked_again(session, world):
    slot = open_slot(session, world["exhibitor"])
    services.book_slot(session, slot.id, world["buyer"], "", utcnow())
    with pytest.raises(services.SlotTaken):
        services.book_slot(session, slot.id, world["other_buyer"], "", utcnow())
    assert session.execute(select(func.count()).select_from(Meeting)).scalar() == 1


def test_the_unique_live_meeting_holds_even_past_the_slot_state(session, world):
    """The database refuses a second live meeting of one slot even if the slot's state
    were wrong (the constraint behind the conditional update)."""
    slot = open_slot(session, world["exhibitor"])
    services.book_slot(session, slot.id, world["buyer"], "", utcnow())
    session.commit()
    slot.state = SlotState.OPEN  # as if the state had been lost
    session.commit()
    with pytest.raises(services.SlotTaken):
        services.book_slot(session, slot.id, world["other_buyer"], "", utcnow())
    session.rollback()
    assert session.execute(select(func.count()).select_from(Meeting)).scalar() == 1


def test_one_live_meeting_per_buyer_and_booth(session, world):
    first = open_slot(session, world["exhibitor"], hours_ahead=3)
    second = open_slot(session, world["exhibitor"], hours_ahead=5)
    elsewhere = open_slot(session, world["other_exhibitor"], hours_ahead=5)
    services.book_slot(session, first.id, world["buyer"], "", utcnow())
    with pytest.raises(services.MeetingError, match="đã có lịch gặp"):
        services.book_slot(session, second.id, world["buyer"], "", utcnow())
    services.book_slot(session, elsewhere.id, world["buyer"], "", utcnow())


def test_no_booking_of_a_started_closed_or_draft_slot(session, world):
    slot = open_slot(session, world["exhibitor"])
    with pytest.raises(services.SlotTaken):
        services.book_slot(session, slot.id, world["buyer"], "", utcnow() + timedelta(hours=4))
    services.close_slot(session, slot)
    with pytest.raises(services.SlotTaken):
        services.book_slot(session, slot.id, world["buyer"], "", utcnow())
    again = open_slot(session, world["exhibitor"], hours_ahead=6)
    fair_services.set_state(session, world["fair"], FairState.DRAFT)
    with pytest.raises(services.SlotTaken):
        services.book_slot(session, again.id, world["buyer"], "", utcnow())


def test_a_long_note_is_refused(session, world):
    slot = open_slot(session, world["exhibitor"])
    with pytest.raises(services.MeetingError) as refused:
        services.book_slot(session, slot.id, world["buyer"], "x" * 501, utcnow())
    assert refused.value.field == "note"


# Answering and cancelling -------------------------------------------------------------------


def _booked(session, world, hours=3):  # type: ignore[no-untyped-def]
    slot = open_slot(session, world["exhibitor"], hours_ahead=hours)
    return services.book_slot(session, slot.id, world["buyer"], "Xin gặp", utcnow())


def test_accepting_sends_both_sides_and_sets_the_reminders(session, world):
    meeting = _booked(session, world, hours=30)
    services.accept_meeting(session, meeting, utcnow())
    assert meeting.state == MeetingState.ACCEPTED
    assert meeting.sequence == 1
    starts = as_utc(meeting.slot.starts_at)
    assert as_utc(meeting.day_reminder_at) == starts - timedelta(hours=24)
    assert as_utc(meeting.hour_reminder_at) == starts - timedelta(hours=1)
    assert _emails(session, ACCEPTED) == [world["buyer"].id]
    assert _emails(session, ACCEPTED_COPY) == [world["owner"].id]
    with pytest.raises(services.MeetingError):
        services.accept_meeting(session, meeting, utcnow())  # a second click: one outcome
    assert len(_emails(session, ACCEPTED)) == 1


def test_accepted_within_a_day_gets_only_the_hour_reminder(session, world):
    meeting = _booked(session, world, hours=3)
    services.accept_meeting(session, meeting, utcnow())
    assert meeting.day_reminder_at is None
    assert meeting.hour_reminder_at is not None


def test_no_accepting_once_the_meeting_has_started(session, world):
    meeting = _booked(session, world)
    with pytest.raises(services.MeetingError):
        services.accept_meeting(session, meeting, utcnow() + timedelta(hours=4))
    assert meeting.state == MeetingState.REQUESTED


def test_declining_needs_a_reason_and_reopens_the_slot(session, world):
    meeting = _booked(session, world)
    with pytest.raises(services.MeetingError) as refused:
        services.decline_meeting(session, meeting, "  ", utcnow())
    assert refused.value.field == "reason"
    services.decline_meeting(session, meeting, "Hết hàng mùa này", utcnow())
    assert meeting.state == MeetingState.DECLINED
    assert meeting.active_slot_id is None
    assert meeting.decline_reason == "Hết hàng mùa này"
    assert _emails(session, DECLINED) == [world["buyer"].id]
    session.refresh(meeting.slot)
    assert meeting.slot.state == SlotState.OPEN
    # Another buyer may now book the same slot; the declined one cannot be accepted.
    services.book_slot(session, meeting.slot_id, world["other_buyer"], "", utcnow())
    with pytest.raises(services.MeetingError):
        services.accept_meeting(session, meeting, utcnow())


def test_the_buyer_cancels_and_the_slot_reopens(session, world):
    meeting = _booked(session, world)
    services.accept_meeting(session, meeting, utcnow())
    services.cancel_meeting(session, meeting, services.BUYER, utcnow())
    assert meeting.state == MeetingState.CANCELLED
    assert meeting.cancelled_by == "buyer"
    assert meeting.hour_reminder_at is None
    assert _emails(session, CANCELLED) == [world["owner"].id]
    session.refresh(meeting.slot)
    assert meeting.slot.state == SlotState.OPEN
    with pytest.raises(services.MeetingError):
        services.cancel_meeting(session, meeting, services.BUYER, utcnow())


def test_the_exhibitor_cancels_and_the_slot_is_withdrawn(session, world):
    meeting = _booked(session, world)
    services.cancel_meeting(session, meeting, services.EXHIBITOR, utcnow())
    assert _emails(session, CANCELLED) == [world["buyer"].id]
    session.refresh(meeting.slot)
    assert meeting.slot.state == SlotState.CLOSED


def test_no_cancelling_after_the_start(session, world):
    meeting = _booked(session, world)
    services.accept_meeting(session, meeting, utcnow())
    with pytest.raises(services.MeetingError):
        services.cancel_meeting(session, meeting, services.BUYER, utcnow() + timedelta(hours=4))
    assert meeting.state == MeetingState.ACCEPTED


def test_a_stale_copy_cannot_move_a_meeting_back(session, world):
    """Two tabs: one declined, the other still shows the request and accepts: refused,
    because the update is conditional on the state in the database."""
    meeting = _booked(session, world)
    session.commit()
    meeting = services.get_meeting(session, meeting.id)  # the other tab's page load
    session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id)
        .values(state=MeetingState.DECLINED)
        .execution_options(synchronize_session=False)
    )
    assert meeting.state == MeetingState.REQUESTED  # what the other tab holds
    with pytest.raises(services.MeetingError):
        services.accept_meeting(session, meeting, utcnow())
    session.refresh(meeting)
    assert meeting.state == MeetingState.DECLINED


def test_a_slot_running_past_the_last_day_or_at_the_calendars_end_is_refused(session, world):
    from datetime import datetime

    last_day = world["fair"].ends_on
    late = datetime(last_day.year, last_day.month, last_day.day, 23, 45)
    for starts in (late, datetime(9999, 12, 31, 23, 30), datetime(1, 1, 1, 0, 0)):
        with pytest.raises(services.MeetingError) as refused:
            services.open_slot(
                session, world["exhibitor"], services.SlotData(starts, 30, "booth"), utcnow()
            )
        assert refused.value.field == "starts_local"
