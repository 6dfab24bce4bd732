"""The producer area: apply to sell, the producer's landing page, members."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from storefront.accounts.access import (
    is_producer_owner,
    login_required,
    require_producer_member,
    require_producer_owner,
    role_required,
)
from storefront.accounts.forms import set_place_choices
from storefront.accounts.models import Role, User
from storefront.catalog.models import Producer
from storefront.errors import DomainError, NotFound
from storefront.extensions import db
from storefront.producers import certificates, services
from storefront.producers.forms import AddMemberForm, ApplicationForm
from storefront.timeutil import today_in_vietnam

bp = Blueprint("producers", __name__, url_prefix="/producer")


def _user() -> User:
    return current_user._get_current_object()


@bp.get("/")
@role_required(Role.PRODUCER)
def area() -> ResponseReturnValue:
    """The producer's landing page: their producers and each one's products."""
    memberships = services.producers_of(db.session, _user())
    ids = [p.id for p, _ in memberships]
    return render_template(
        "producers/area.html",
        memberships=memberships,
        products=services.products_of(db.session, ids),
        actions=services.action_counts(db.session, ids),
        expiring=certificates.expiring(db.session, ids, today_in_vietnam()),
    )


@bp.route("/apply", methods=["GET", "POST"])
@login_required
def apply() -> ResponseReturnValue:
    user = _user()
    form = ApplicationForm()
    form.kind.choices = [
        (kind.value, gettext(label)) for kind, label in services.KIND_LABELS.items()
    ]
    set_place_choices(form)
    pending = services.pending_application(db.session, user)
    if pending is None and "choose_province" not in request.form and form.validate_on_submit():
        data = services.ApplicationData(
            business_name=form.business_name.data or "",
            kind=form.kind.data or "",
            province_code=form.province_code.data or 0,
            ward_code=form.ward_code.data or 0,
            address=form.address.data or "",
            phone=form.phone.data or "",
            story=form.story.data or "",
        )
        try:
            services.apply_as_producer(db.session, user, data)
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                gettext("Đã gửi đơn. Quản trị viên sẽ xem xét và trả lời bạn qua email."), "success"
            )
            return redirect(url_for("producers.apply"))
    return render_template(
        "producers/apply.html",
        form=form,
        pending=pending,
        history=services.applications_of(db.session, user),
        can_apply=user.role in (Role.BUYER, Role.PRODUCER),
        kind_labels=services.KIND_LABELS,
    )


@bp.get("/<id:producer_id>/members")
@role_required(Role.PRODUCER)
def members(producer_id: int) -> ResponseReturnValue:
    require_producer_member(producer_id)
    return _members_page(producer_id, AddMemberForm())


def _members_page(producer_id: int, form: AddMemberForm, status: int = 200) -> ResponseReturnValue:
    producer = db.get_or_404(Producer, producer_id)
    page = render_template(
        "producers/members.html",
        producer=producer,
        members=services.list_members(db.session, producer_id),
        is_owner=is_producer_owner(producer_id),
        form=form,
    )
    return page, status


@bp.post("/<id:producer_id>/members")
@role_required(Role.PRODUCER)
def add_member(producer_id: int) -> ResponseReturnValue:
    """A refused address is shown again in the form, with the reason beside it."""
    require_producer_owner(producer_id)
    form = AddMemberForm()
    if not form.validate_on_submit():
        return _members_page(producer_id, form, 400)
    try:
        services.add_member(db.session, producer_id, form.email.data or "")
    except DomainError as error:
        db.session.rollback()
        form.email.errors = [*form.email.errors, str(error)]
        return _members_page(producer_id, form, 400)
    db.session.commit()
    flash(gettext("Đã thêm thành viên."), "success")
    return redirect(url_for("producers.members", producer_id=producer_id))


@bp.post("/<id:producer_id>/members/<id:user_id>/remove")
@role_required(Role.PRODUCER)
def remove_member(producer_id: int, user_id: int) -> ResponseReturnValue:
    require_producer_owner(producer_id)
    try:
        services.remove_member(db.session, producer_id, user_id)
    except NotFound:
        abort(404)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(gettext("Đã xóa thành viên."), "success")
    return redirect(url_for("producers.members", producer_id=producer_id))
