"""Meeting emails through a real SMTP server on loopback: the exhibitor hears of a
booking, both sides get the calendar file when it is accepted, and each reminder is sent
once, queued by the job worker's own pass (never by a request)."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from sqlalchemy import func, select, update

from storefront.jobs.worker import run_once
from storefront.meetings import services
from storefront.meetings.emails import REMINDER_DAY, REMINDER_HOUR, queue_due_reminders
from storefront.meetings.models import Meeting, MeetingEmail
from storefront.timeutil import utcnow
from tests.meetings.helpers import open_slot


def _calendar_of(message):  # type: ignore[no-untyped-def]
    parts = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    assert len(parts) == 1, "no calendar file attached"
    return icalendar.Calendar.from_ical(parts[0].get_content())


def _accepted(session, world, hours):  # type: ignore[no-untyped-def]
    slot = open_slot(session, world["exhibitor"], hours_ahead=hours)
    meeting = services.book_slot(session, slot.id, world["buyer"], "Giá sỉ?", utcnow())
    services.accept_meeting(session, meeting, utcnow())
    session.commit()
    return meeting


def test_booking_and_accepting_email_both_sides_with_the_calendar(session, world, smtp_inbox):
    slot = open_slot(session, world["exhibitor"], hours_ahead=30)
    meeting = services.book_slot(session, slot.id, world["buyer"], "Cần 200 hộp", utcnow())
    session.commit()
    [request] = smtp_inbox.to("htx@example.vn")
    assert "Siêu thị Xanh" in str(request["Subject"])
    assert "Cần 200 hộp" in smtp_inbox.text_of(request)
    meeting = services.get_meeting(session, meeting.id)
    services.accept_meeting(session, meeting, utcnow())
    session.commit()
    [to_buyer] = smtp_inbox.to("sieuthi@example.vn")
    assert "HTX Ong mật Mường Phăng" in str(to_buyer["Subject"])
    [vevent] = _calendar_of(to_buyer).walk("VEVENT")
    assert vevent.decoded("DTSTART").replace(tzinfo=None) == slot.starts_at.replace(tzinfo=None)
    assert "Siêu thị Xanh" in str(vevent["SUMMARY"])
    assert f"/account/meetings/{meeting.id}/calendar.ics" in smtp_inbox.text_of(to_buyer)
    copies = smtp_inbox.to("htx@example.vn")
    assert len(copies) == 2
    _calendar_of(copies[1])


def test_the_decline_reason_reaches_the_buyer(session, world, smtp_inbox):
    slot = open_slot(session, world["exhibitor"])
    meeting = services.book_slot(session, slot.id, world["buyer"], "", utcnow())
    services.decline_meeting(session, meeting, "Đã kín lịch buổi sáng", utcnow())
    session.commit()
    [message] = smtp_inbox.to("sieuthi@example.vn")
    assert "Đã kín lịch buổi sáng" in smtp_inbox.text_of(message)


def test_each_reminder_is_queued_once_however_often_workers_pass(session, world):
    meeting = _accepted(session, world, hours=30)
    day_due = utcnow() + timedelta(hours=6, minutes=1)
    assert queue_due_reminders(session, utcnow()) == 0  # not due yet
    assert queue_due_reminders(session, day_due) == 1
    assert queue_due_reminders(session, day_due) == 0
    hour_due = utcnow() + timedelta(hours=29, minutes=1)
    assert queue_due_reminders(session, hour_due) == 1
    assert queue_due_reminders(session, hour_due + timedelta(minutes=5)) == 0
    kinds = session.execute(
        select(MeetingEmail.kind, func.count())
        .where(MeetingEmail.meeting_id == meeting.id, MeetingEmail.kind.like("reminder%"))
        .group_by(MeetingEmail.kind)
    ).all()
    # Each to the buyer and the exhibitor's one member.
    assert dict(kinds) == {REMINDER_DAY: 2, REMINDER_HOUR: 2}


def test_a_late_worker_sends_only_the_hour_reminder(session, world):
    meeting = _accepted(session, world, hours=30)
    assert queue_due_reminders(session, utcnow() + timedelta(hours=29, minutes=30)) == 1
    kinds = set(
        session.execute(
            select(MeetingEmail.kind).where(MeetingEmail.kind.like("reminder%"))
        ).scalars()
    )
    assert kinds == {REMINDER_HOUR}
    session.refresh(meeting)
    assert meeting.day_reminder_at is None and meeting.hour_reminder_at is None


def test_the_worker_pass_sends_a_due_reminder_once(session, world, smtp_inbox):
    meeting = _accepted(session, world, hours=30)
    smtp_inbox.messages  # the booking and acceptance emails  # noqa: B018
    before = len(smtp_inbox.handler.received)
    session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id)
        .values(day_reminder_at=utcnow() - timedelta(minutes=1))
    )
    session.commit()
    run_once(session)
    run_once(session)
    reminders = smtp_inbox.handler.received[before:]
    assert sorted(str(m["To"]) for m in reminders) == ["htx@example.vn", "sieuthi@example.vn"]
    assert all("Nhắc lịch" in str(m["Subject"]) for m in reminders)
    _calendar_of(reminders[0])


def test_no_reminder_for_a_cancelled_meeting(session, world, smtp_inbox):
    meeting = _accepted(session, world, hours=3)
    session.execute(
        update(Meeting)
        .where(Meeting.id == meeting.id)
        .values(hour_reminder_at=utcnow() - timedelta(minutes=1))
    )
    session.commit()
    meeting = services.get_meeting(session, meeting.id)
    services.cancel_meeting(session, meeting, services.BUYER, utcnow())
    session.commit()
    assert queue_due_reminders(session) == 0
    assert not [m for m in smtp_inbox.messages if "Nhắc lịch" in str(m["Subject"])]
