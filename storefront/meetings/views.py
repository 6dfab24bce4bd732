"""Meeting pages: the business buyer's booking form and /account/meetings, and the
exhibitor's slots and meetings in the producer workspace. Thin: parse, call a service,
commit, flash or redirect."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup

from storefront.accounts.access import require_producer_member, role_required
from storefront.accounts.models import Role, User
from storefront.business.access import business_buyer_required
from storefront.catalog.models import Producer
from storefront.errors import DomainError, NotFound
from storefront.extensions import db
from storefront.fairs.models import Fair, FairState
from storefront.meetings import emails, services
from storefront.meetings.forms import (
    MEETING_STATE_LABELS,
    MODE_LABELS,
    SLOT_STATE_LABELS,
    ActionForm,
    BookForm,
    DeclineForm,
    SlotForm,
)
from storefront.meetings.models import Meeting, MeetingSlot, MeetingState
from storefront.timeutil import utcnow

bp = Blueprint("meetings", __name__)
producer_bp = Blueprint(
    "producer_meetings", __name__, url_prefix="/producer/<id:producer_id>/meetings"
)


def _user() -> User:
    return current_user._get_current_object()


def _field_error(form: SlotForm | BookForm | DeclineForm, error: DomainError) -> None:
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = [*form[field].errors, str(error)]
    else:
        flash(str(error), "error")


def _calendar(meeting: Meeting) -> Response:
    """The meeting's .ics file, once it has been accepted (then cancelled: the same
    event marked cancelled)."""
    if not meeting.has_calendar():
        abort(404)
    body = emails.meeting_event(meeting, emails.company_name(db.session, meeting), utcnow())
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="gap-go-{meeting.id}.ics"'},
    )


# The business buyer -----------------------------------------------------------------------


@bp.get("/account/meetings")
@business_buyer_required
def mine() -> ResponseReturnValue:
    return render_template(
        "meetings/mine.html",
        meetings=services.buyer_meetings(db.session, _user().id),
        action_form=ActionForm(),
        mode_labels=MODE_LABELS,
        state_labels=MEETING_STATE_LABELS,
        now=utcnow(),
        states=MeetingState,
    )


def _public_slot(slot_id: int) -> MeetingSlot:
    """A slot of a fair the public may see; 404 for drafts and unknown ids."""
    try:
        slot = services.get_slot(db.session, slot_id)
    except NotFound:
        abort(404)
    if slot.exhibitor.fair.state == FairState.DRAFT:
        abort(404)
    return slot


@bp.route("/meetings/slots/<id:slot_id>/book", methods=["GET", "POST"])
@business_buyer_required
def book(slot_id: int) -> ResponseReturnValue:
    slot = _public_slot(slot_id)
    form = BookForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                services.book_slot(db.session, slot.id, _user(), form.note.data or "", utcnow())
            except DomainError as error:
                db.session.rollback()
                slot = _public_slot(slot_id)
                _field_error(form, error)
            else:
                db.session.commit()
                flash(
                    gettext("Đã gửi yêu cầu gặp. Chủ thể sẽ xác nhận hoặc từ chối qua email."),
                    "success",
                )
                return redirect(url_for(".mine"))
    return (
        render_template(
            "meetings/book.html",
            slot=slot,
            form=form,
            bookable=services.bookable(slot, utcnow()),
            mode_labels=MODE_LABELS,
        ),
        status,
    )


def _buyer_meeting(meeting_id: int) -> Meeting:
    """The signed-in buyer's own meeting; 404 for anyone else's."""
    try:
        meeting = services.get_meeting(db.session, meeting_id)
    except NotFound:
        abort(404)
    if meeting.buyer_id != _user().id:
        abort(404)
    return meeting


@bp.post("/account/meetings/<id:meeting_id>/cancel")
@business_buyer_required
def cancel(meeting_id: int) -> ResponseReturnValue:
    meeting = _buyer_meeting(meeting_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.cancel_meeting(db.session, meeting, services.BUYER, utcnow())
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(gettext("Đã hủy lịch gặp; chủ thể được báo qua email."), "success")
    return redirect(url_for(".mine"))


@bp.get("/account/meetings/<id:meeting_id>/calendar.ics")
@business_buyer_required
def calendar(meeting_id: int) -> ResponseReturnValue:
    return _calendar(_buyer_meeting(meeting_id))


# The exhibitor ----------------------------------------------------------------------------


def _slot_form(producer_id: int, schedule: list[services.BoothSchedule]) -> SlotForm:
    form = SlotForm()
    form.exhibitor_id.choices = [
        (booth.exhibitor.id, booth.exhibitor.fair.name)
        for booth in schedule
        if booth.exhibitor.fair.state != FairState.CLOSED
    ]
    form.minutes.choices = [(m, gettext("%(n)s phút", n=m)) for m in services.LENGTHS]
    form.mode.choices = [(mode.value, gettext(label)) for mode, label in MODE_LABELS.items()]
    return form


def _index_page(
    producer_id: int, form: SlotForm | None = None, status: int = 200
) -> ResponseReturnValue:
    schedule = services.producer_schedule(db.session, producer_id)
    companies = emails.companies(
        db.session, [m.buyer_id for b in schedule for m in [*b.meetings.values(), *b.past]]
    )
    slot_form = _slot_form(producer_id, schedule)
    if form is not None:  # a refused form keeps what was typed and its errors
        form.exhibitor_id.choices = slot_form.exhibitor_id.choices
        form.minutes.choices = slot_form.minutes.choices
        form.mode.choices = slot_form.mode.choices
        slot_form = form
    return (
        render_template(
            "meetings/producer.html",
            producer=db.get_or_404(Producer, producer_id),
            producer_id=producer_id,
            schedule=schedule,
            companies=companies,
            slot_form=slot_form,
            action_form=ActionForm(),
            mode_labels=MODE_LABELS,
            state_labels=MEETING_STATE_LABELS,
            slot_labels=SLOT_STATE_LABELS,
            now=utcnow(),
            states=MeetingState,
        ),
        status,
    )


@producer_bp.get("")
@role_required(Role.PRODUCER)
def index(producer_id: int) -> ResponseReturnValue:
    require_producer_member(producer_id)
    return _index_page(producer_id)


@producer_bp.post("/slots")
@role_required(Role.PRODUCER)
def open_slot(producer_id: int) -> ResponseReturnValue:
    require_producer_member(producer_id)
    form = _slot_form(producer_id, services.producer_schedule(db.session, producer_id))
    if not form.validate_on_submit():
        return _index_page(producer_id, form, 400)
    exhibitor = services.own_exhibitor(db.session, producer_id, form.exhibitor_id.data or 0)
    if exhibitor is None:
        form.exhibitor_id.errors = [gettext("Vui lòng chọn một hội chợ bạn có gian hàng.")]
        return _index_page(producer_id, form, 400)
    starts: datetime = form.starts_local.data
    data = services.SlotData(
        starts, form.minutes.data or 0, form.mode.data or "", form.link.data or ""
    )
    try:
        services.open_slot(db.session, exhibitor, data, utcnow())
    except DomainError as error:
        db.session.rollback()
        _field_error(form, error)
        return _index_page(producer_id, form, 400)
    db.session.commit()
    flash(gettext("Đã mở khung giờ gặp."), "success")
    return redirect(url_for(".index", producer_id=producer_id))


def _own_slot(producer_id: int, slot_id: int) -> MeetingSlot:
    require_producer_member(producer_id)
    try:
        slot = services.get_slot(db.session, slot_id)
    except NotFound:
        abort(404)
    if slot.exhibitor.producer_id != producer_id:
        abort(404)
    return slot


def _own_meeting(producer_id: int, meeting_id: int) -> Meeting:
    require_producer_member(producer_id)
    try:
        meeting = services.get_meeting(db.session, meeting_id)
    except NotFound:
        abort(404)
    if meeting.slot.exhibitor.producer_id != producer_id:
        abort(404)
    return meeting


def _done(producer_id: int, message: str) -> ResponseReturnValue:
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".index", producer_id=producer_id))


def _refused(producer_id: int, error: DomainError) -> ResponseReturnValue:
    db.session.rollback()
    flash(str(error), "error")
    return redirect(url_for(".index", producer_id=producer_id))


@producer_bp.post("/slots/<id:slot_id>/close")
@role_required(Role.PRODUCER)
def close_slot(producer_id: int, slot_id: int) -> ResponseReturnValue:
    slot = _own_slot(producer_id, slot_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.close_slot(db.session, slot)
    except DomainError as error:
        return _refused(producer_id, error)
    return _done(producer_id, gettext("Đã đóng khung giờ gặp."))


@producer_bp.post("/<id:meeting_id>/accept")
@role_required(Role.PRODUCER)
def accept(producer_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = _own_meeting(producer_id, meeting_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.accept_meeting(db.session, meeting, utcnow())
    except DomainError as error:
        return _refused(producer_id, error)
    return _done(producer_id, gettext("Đã nhận lịch gặp; người mua nhận email kèm tệp lịch."))


@producer_bp.post("/<id:meeting_id>/decline")
@role_required(Role.PRODUCER)
def decline(producer_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = _own_meeting(producer_id, meeting_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return redirect(url_for(".index", producer_id=producer_id))
    try:
        services.decline_meeting(db.session, meeting, form.reason.data or "", utcnow())
    except DomainError as error:
        return _refused(producer_id, error)
    return _done(producer_id, gettext("Đã từ chối lịch gặp; khung giờ mở lại cho người khác."))


@producer_bp.post("/<id:meeting_id>/cancel", endpoint="cancel")
@role_required(Role.PRODUCER)
def cancel_as_exhibitor(producer_id: int, meeting_id: int) -> ResponseReturnValue:
    meeting = _own_meeting(producer_id, meeting_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.cancel_meeting(db.session, meeting, services.EXHIBITOR, utcnow())
    except DomainError as error:
        return _refused(producer_id, error)
    return _done(producer_id, gettext("Đã hủy lịch gặp; người mua được báo qua email."))


@producer_bp.get("/<id:meeting_id>/calendar.ics", endpoint="calendar")
@role_required(Role.PRODUCER)
def exhibitor_calendar(producer_id: int, meeting_id: int) -> ResponseReturnValue:
    return _calendar(_own_meeting(producer_id, meeting_id))


# The fair page's booths --------------------------------------------------------------------


def booth_slots(fair: Fair, exhibitor_ids: list[int], now: datetime) -> dict[int, Markup]:
    """Each booth's bookable slots for the fair page (one query for all booths)."""
    if fair.state != FairState.PUBLISHED:
        return {}
    slots = services.fair_open_slots(db.session, exhibitor_ids, now)
    return {
        exhibitor_id: Markup(  # noqa: S704 - our own rendered template
            render_template(
                "meetings/_booth_slots.html",
                slots=found,
                mode_labels=MODE_LABELS,
                exhibitor_id=exhibitor_id,
            )
        )
        for exhibitor_id, found in slots.items()
        if found
    }
