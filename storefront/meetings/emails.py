"""Meeting emails: written to the outbox with the change (one row per recipient, unique
key), delivered by the job worker in the recipient's language, with the meeting's
calendar file attached once it is accepted. Reminders 24 hours and 1 hour before an
accepted meeting are queued by the worker's pass too (`queue_due_reminders`), each once.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app, has_request_context
from flask_babel import force_locale, gettext
from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from storefront import outbox
from storefront.accounts.emails import compose, public_url
from storefront.accounts.models import ProducerMember, User
from storefront.dates import format_moment
from storefront.extensions import Session, rowcount
from storefront.fairs.models import FairExhibitor, as_utc
from storefront.mail import Attachment, MailError, send_email
from storefront.meetings.ics import CalendarEvent, calendar_file
from storefront.meetings.models import Meeting, MeetingEmail, MeetingSlot, MeetingState, SlotMode
from storefront.timeutil import utcnow

logger = logging.getLogger(__name__)

# kind -> who gets it
REQUESTED = "requested"  # the exhibitor's members: a buyer booked a slot
ACCEPTED = "accepted"  # the buyer, with the calendar file
ACCEPTED_COPY = "accepted_copy"  # the exhibitor's members, with the calendar file
DECLINED = "declined"  # the buyer, with the reason
CANCELLED = "cancelled"  # the other side of the one who cancelled
REMINDER_DAY = "reminder_day"  # both sides, 24 hours before
REMINDER_HOUR = "reminder_hour"  # both sides, 1 hour before
WITH_CALENDAR = {ACCEPTED, ACCEPTED_COPY, REMINDER_DAY, REMINDER_HOUR}
ONLY_IF_ACCEPTED = {REMINDER_DAY, REMINDER_HOUR}


def _queue(session: Session, meeting: Meeting, kind: str, user_ids: list[int]) -> None:
    for user_id in user_ids:
        session.add(
            MeetingEmail(
                key=f"{kind}:meeting:{meeting.id}:user:{user_id}",
                meeting_id=meeting.id,
                user_id=user_id,
                kind=kind,
            )
        )
    session.flush()


def _member_ids(session: Session, producer_id: int) -> list[int]:
    return list(
        session.execute(
            select(User.id)
            .join(ProducerMember, ProducerMember.user_id == User.id)
            .where(ProducerMember.producer_id == producer_id, User.is_active.is_(True))
            .order_by(User.id)
        ).scalars()
    )


def queue_for_buyer(session: Session, meeting: Meeting, kind: str) -> None:
    """An email of `kind` to the meeting's buyer."""
    session.flush()
    _queue(session, meeting, kind, [meeting.buyer_id])


def queue_for_producer(session: Session, meeting: Meeting, producer_id: int, kind: str) -> None:
    """An email of `kind` to each active member of the exhibiting producer."""
    session.flush()
    _queue(session, meeting, kind, _member_ids(session, producer_id))


# Reminders --------------------------------------------------------------------------------


def queue_due_reminders(session: Session, now: datetime | None = None) -> int:
    """Queue the reminders that are due for accepted meetings that have not started, and
    commit. Each reminder is claimed by clearing its column with a conditional UPDATE, so
    several workers on several hosts queue it once. A meeting whose day reminder is late
    enough that the hour reminder is due too gets the hour reminder only."""
    now = as_utc(now or utcnow())
    rows = session.execute(
        select(Meeting.id, Meeting.day_reminder_at, Meeting.hour_reminder_at)
        .join(MeetingSlot, MeetingSlot.id == Meeting.slot_id)
        .where(
            Meeting.state == MeetingState.ACCEPTED,
            MeetingSlot.starts_at > now,
            or_(Meeting.day_reminder_at <= now, Meeting.hour_reminder_at <= now),
        )
        .order_by(Meeting.id)
        .limit(500)
    ).all()
    queued = 0
    for meeting_id, _day_at, hour_at in rows:
        hour_due = hour_at is not None and as_utc(hour_at) <= now
        column = Meeting.hour_reminder_at if hour_due else Meeting.day_reminder_at
        values = (
            {"hour_reminder_at": None, "day_reminder_at": None}
            if hour_due
            else {"day_reminder_at": None}
        )
        claimed = session.execute(
            update(Meeting)
            .where(
                Meeting.id == meeting_id,
                Meeting.state == MeetingState.ACCEPTED,
                column.is_not(None),
                column <= now,
            )
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if rowcount(claimed) != 1:
            session.rollback()
            continue  # another worker queued it, or the meeting was cancelled meanwhile
        meeting = session.get(Meeting, meeting_id)
        if meeting is None:  # deleted with its fair meanwhile
            session.rollback()
            continue
        producer_id = session.execute(
            select(FairExhibitor.producer_id)
            .join(MeetingSlot, MeetingSlot.exhibitor_id == FairExhibitor.id)
            .where(MeetingSlot.id == meeting.slot_id)
        ).scalar_one()
        kind = REMINDER_HOUR if hour_due else REMINDER_DAY
        _queue(session, meeting, kind, [meeting.buyer_id, *_member_ids(session, producer_id)])
        session.commit()
        queued += 1
    session.commit()
    return queued


# Delivery ---------------------------------------------------------------------------------


def _load(session: Session, meeting_id: int) -> Meeting | None:
    return session.execute(
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


def companies(session: Session, user_ids: list[int]) -> dict[int, str]:
    """The business names of these buyer accounts (their business profiles; one query)."""
    from storefront.business.models import BusinessProfile

    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(BusinessProfile.user_id, BusinessProfile.name).where(
            BusinessProfile.user_id.in_(wanted)
        )
    ).all()
    return {user_id: name for user_id, name in rows}


def company_name(session: Session, meeting: Meeting) -> str:
    """The buyer's business name, or the account's name if the profile is gone."""
    return companies(session, [meeting.buyer_id]).get(meeting.buyer_id) or (
        meeting.buyer.display_name
    )


def place_of(meeting: Meeting) -> str:
    """Where the meeting is: the call's link, or the booth at the fair's venue."""
    slot = meeting.slot
    if slot.mode == SlotMode.ONLINE:
        return slot.link
    fair = slot.exhibitor.fair
    return gettext(
        "Gian hàng %(producer)s, %(fair)s, %(venue)s",
        producer=slot.exhibitor.producer.name,
        fair=fair.name,
        venue=fair.venue,
    )


def meeting_event(meeting: Meeting, company: str, now: datetime) -> bytes:
    """The meeting's .ics file, in the current locale's words (loaded with its slot)."""
    slot = meeting.slot
    host = urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname or "localhost"
    producer = slot.exhibitor.producer.name
    lines = [
        gettext("Hội chợ: %(fair)s", fair=slot.exhibitor.fair.name),
        gettext("Chủ thể OCOP: %(producer)s", producer=producer),
        gettext("Doanh nghiệp: %(company)s", company=company),
    ]
    if meeting.note:
        lines.append(gettext("Lời nhắn: %(note)s", note=meeting.note))
    event = CalendarEvent(
        uid=f"meeting-{meeting.id}@{host}",
        sequence=meeting.sequence,
        starts_at=as_utc(slot.starts_at),
        ends_at=as_utc(slot.ends_at),
        summary=gettext(
            "Gặp gỡ giao thương: %(producer)s – %(company)s", producer=producer, company=company
        ),
        location=place_of(meeting),
        description="\n".join(lines),
        url=slot.link if slot.mode == SlotMode.ONLINE else "",
        cancelled=meeting.state == MeetingState.CANCELLED,
    )
    return calendar_file(event, now)


def _content(
    session: Session, email: MeetingEmail, meeting: Meeting, user: User
) -> tuple[str, list[str]]:
    slot = meeting.slot
    producer = slot.exhibitor.producer
    fair = slot.exhibitor.fair
    company = company_name(session, meeting)
    when = gettext(
        "%(time)s (%(minutes)s phút, giờ Việt Nam)",
        time=format_moment(slot.starts_at, "long"),
        minutes=slot.minutes,
    )
    to_buyer = user.id == meeting.buyer_id
    other = producer.name if to_buyer else company
    mine = (
        public_url("meetings.mine")
        if to_buyer
        else public_url("producer_meetings.index", producer_id=producer.id)
    )
    hello = gettext("Xin chào %(name)s,", name=user.display_name)
    where = gettext("Địa điểm: %(place)s", place=place_of(meeting))
    kind = email.kind
    if kind == REQUESTED:
        subject = gettext("Yêu cầu gặp gỡ giao thương từ %(company)s", company=company)
        body = [
            gettext(
                "%(company)s muốn gặp %(producer)s tại %(fair)s lúc %(when)s.",
                company=company,
                producer=producer.name,
                fair=fair.name,
                when=when,
            ),
        ]
        if meeting.note:
            body.append(gettext("Lời nhắn: %(note)s", note=meeting.note))
        body += [gettext("Nhận hoặc từ chối lịch gặp tại:"), mine]
    elif kind in (ACCEPTED, ACCEPTED_COPY):
        subject = gettext("Đã xác nhận lịch gặp với %(other)s", other=other)
        body = [
            gettext(
                "Lịch gặp với %(other)s tại %(fair)s đã được xác nhận: %(when)s.",
                other=other,
                fair=fair.name,
                when=when,
            ),
            where,
            gettext("Tệp lịch (.ics) kèm theo email này; bạn cũng tải được tại:"),
            public_url(
                "meetings.calendar" if to_buyer else "producer_meetings.calendar",
                meeting_id=meeting.id,
                **({} if to_buyer else {"producer_id": producer.id}),
            ),
        ]
    elif kind == DECLINED:
        subject = gettext("%(producer)s chưa thể nhận lịch gặp", producer=producer.name)
        body = [
            gettext(
                "%(producer)s đã từ chối lịch gặp lúc %(when)s tại %(fair)s.",
                producer=producer.name,
                when=when,
                fair=fair.name,
            ),
            gettext("Lý do: %(reason)s", reason=meeting.decline_reason),
            gettext("Bạn có thể chọn khung giờ khác trên trang hội chợ:"),
            public_url("fairs.detail", slug=fair.slug),
        ]
    elif kind == CANCELLED:
        subject = gettext("Lịch gặp với %(other)s đã bị hủy", other=other)
        body = [
            gettext(
                "%(other)s đã hủy lịch gặp lúc %(when)s tại %(fair)s.",
                other=other,
                when=when,
                fair=fair.name,
            ),
            mine,
        ]
    elif kind in (REMINDER_DAY, REMINDER_HOUR):
        subject = gettext(
            "Nhắc lịch: gặp %(other)s lúc %(time)s", other=other, time=format_moment(slot.starts_at)
        )
        body = [
            gettext(
                "Bạn có lịch gặp với %(other)s tại %(fair)s: %(when)s.",
                other=other,
                fair=fair.name,
                when=when,
            ),
            where,
            mine,
        ]
    else:
        raise ValueError(f"unknown meeting email kind {kind!r}")
    return subject, [hello, *body]


def _deliver(session: Session, email: MeetingEmail) -> bool:
    """Send one email; False when there is nothing to send any more (a reminder of a
    meeting cancelled after it was queued)."""
    meeting = _load(session, email.meeting_id)
    user = session.get(User, email.user_id)
    if meeting is None or user is None or not user.is_active:
        raise MailError("the meeting or the account is gone")
    if email.kind in ONLY_IF_ACCEPTED and meeting.state != MeetingState.ACCEPTED:
        return False
    context = nullcontext() if has_request_context() else current_app.test_request_context()
    with context, force_locale(user.language):
        subject, paragraphs = _content(session, email, meeting, user)
        attachments = []
        if email.kind in WITH_CALENDAR or (email.kind == CANCELLED and meeting.decided_at):
            attachments.append(
                Attachment(
                    f"gap-go-{meeting.id}.ics",
                    "text",
                    "calendar",
                    meeting_event(meeting, company_name(session, meeting), utcnow()),
                )
            )
    text, html = compose(paragraphs)
    send_email(user.email, subject, text, html, attachments)
    return True


def send_pending_meeting_emails(session: Session, limit: int = 200) -> int:
    """Deliver the meeting emails that are due; the job worker's step (see outbox)."""
    sent = 0
    for email_id in outbox.due_ids(session, MeetingEmail, limit):
        claimed = outbox.claim(session, MeetingEmail, email_id)
        if claimed is None:
            continue
        email = session.get(MeetingEmail, email_id)
        if email is None:
            continue
        try:
            delivered = _deliver(session, email)
        except (MailError, OSError) as error:
            logger.warning(
                "meeting email %s not sent (try %s): %s", email.key, claimed.attempt, error
            )
            session.rollback()
            outbox.finish(session, MeetingEmail, claimed, error=str(error) or type(error).__name__)
        else:
            session.commit()
            if not delivered:
                logger.info("meeting email %s not needed any more: not sent", email.key)
            if outbox.finish(session, MeetingEmail, claimed) and delivered:
                sent += 1
    return sent
