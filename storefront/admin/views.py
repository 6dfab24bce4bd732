"""Admin pages: the producer application queue and account roles."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from storefront.accounts import services as accounts
from storefront.accounts.access import role_required
from storefront.accounts.models import Role, User
from storefront.admin.forms import ROLE_LABELS, ApproveForm, RejectForm, RoleForm
from storefront.audit import services as audit
from storefront.errors import DomainError, NotFound
from storefront.extensions import db
from storefront.mail import MailError
from storefront.places import all_provinces, get_province, get_ward
from storefront.producers import emails as producer_emails
from storefront.producers import services as producers
from storefront.producers.models import ApplicationStatus, ProducerApplication

bp = Blueprint("admin", __name__, url_prefix="/admin")
logger = logging.getLogger(__name__)


def _admin() -> User:
    return current_user._get_current_object()


@bp.get("/")
@role_required(Role.ADMIN)
def index() -> ResponseReturnValue:
    pending = producers.list_applications(db.session, ApplicationStatus.PENDING)
    return render_template("admin/index.html", pending_count=len(pending))


@bp.get("/applications")
@role_required(Role.ADMIN)
def applications() -> ResponseReturnValue:
    status_arg = request.args.get("status", ApplicationStatus.PENDING.value)
    status = ApplicationStatus(status_arg) if status_arg in set(ApplicationStatus) else None
    return render_template(
        "admin/applications.html",
        applications=producers.list_applications(db.session, status),
        status=status,
        statuses=list(ApplicationStatus),
        kind_labels=producers.KIND_LABELS,
    )


@bp.get("/applications/<id:application_id>")
@role_required(Role.ADMIN)
def application(application_id: int) -> ResponseReturnValue:
    return _application_page(application_id, RejectForm())


def _application_page(
    application_id: int, reject_form: RejectForm, status: int = 200
) -> ResponseReturnValue:
    try:
        item = producers.get_application(db.session, application_id)
    except NotFound:
        abort(404)
    return (
        render_template(
            "admin/application.html",
            application=item,
            province=get_province(item.province_code),
            ward=get_ward(item.ward_code),
            kind_labels=producers.KIND_LABELS,
            approve_form=ApproveForm(),
            reject_form=reject_form,
        ),
        status,
    )


@bp.post("/applications/<id:application_id>/approve")
@role_required(Role.ADMIN)
def approve(application_id: int) -> ResponseReturnValue:
    try:
        item = producers.get_application(db.session, application_id)
    except NotFound:
        abort(404)
    if ApproveForm().validate_on_submit():
        applicant = item.user  # loaded now: relationships do not lazy-load after commit
        before = {"status": item.status}
        try:
            producer = producers.approve_application(db.session, item, _admin())
            audit.record(
                db.session,
                _admin().id,
                "application.approve",
                item,
                before,
                {"status": item.status, "producer_id": producer.id},
            )
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            _notify(producer_emails.send_application_approved, applicant, item)
            flash(gettext("Đã duyệt: %(name)s đã có trang chủ thể.", name=producer.name), "success")
    return redirect(url_for("admin.application", application_id=application_id))


@bp.post("/applications/<id:application_id>/reject")
@role_required(Role.ADMIN)
def reject(application_id: int) -> ResponseReturnValue:
    try:
        item = producers.get_application(db.session, application_id)
    except NotFound:
        abort(404)
    form = RejectForm()
    if not form.validate_on_submit():
        return _application_page(application_id, form, 400)
    applicant = item.user
    before = {"status": item.status}
    try:
        producers.reject_application(db.session, item, _admin(), form.reason.data or "")
        audit.record(
            db.session,
            _admin().id,
            "application.reject",
            item,
            before,
            {"status": item.status, "reason": form.reason.data or ""},
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        _notify(producer_emails.send_application_rejected, applicant, item)
        flash(gettext("Đã từ chối đơn và báo cho người đăng ký."), "success")
    return redirect(url_for("admin.application", application_id=application_id))


def _notify(
    send: Callable[[User, ProducerApplication], None], user: User, item: ProducerApplication
) -> None:
    try:
        send(user, item)
    except MailError:
        logger.exception("could not email the applicant")


@bp.get("/users")
@role_required(Role.ADMIN)
def users() -> ResponseReturnValue:
    query = request.args.get("q", "")[:200]
    found = accounts.search_users(db.session, query)
    return render_template(
        "admin/users.html",
        users=found,
        q=query,
        role_labels=ROLE_LABELS,
        officer_provinces=accounts.officer_provinces_of(db.session, [u.id for u in found]),
        provinces=all_provinces(),
    )


@bp.post("/users/<id:user_id>/role")
@role_required(Role.ADMIN)
def set_role(user_id: int) -> ResponseReturnValue:
    user = db.get_or_404(User, user_id)
    form = RoleForm()
    if form.validate_on_submit():
        before = accounts.role_snapshot(db.session, user)
        try:
            accounts.set_role(
                db.session,
                user,
                form.role.data or "",
                acting=_admin(),
                provinces=form.provinces.data or [],
            )
            after = accounts.role_snapshot(db.session, user)
            audit.record(db.session, _admin().id, "user.role", user, before, after)
        except DomainError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(
                gettext(
                    "%(email)s giờ là: %(role)s.",
                    email=user.email,
                    role=gettext(ROLE_LABELS[user.role]),
                ),
                "success",
            )
    else:
        flash(gettext("Vai trò hoặc tỉnh/thành phố không hợp lệ."), "error")
    return redirect(url_for("admin.users", q=request.args.get("q") or None))
