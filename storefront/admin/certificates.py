"""The admin's queue of OCOP certificates to verify against the decision, or reject."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from storefront.accounts.access import role_required
from storefront.accounts.models import Role
from storefront.audit import services as audit
from storefront.catalog.models import OcopCertificate
from storefront.errors import DomainError, NotFound
from storefront.extensions import db
from storefront.producers import certificates
from storefront.producers.workspace import commit
from storefront.producers.workspace_forms import ActionForm, RejectCertificateForm

bp = Blueprint("admin_certificates", __name__, url_prefix="/admin/certificates")


@bp.get("/")
@role_required(Role.ADMIN)
def queue() -> ResponseReturnValue:
    return render_template(
        "admin/certificates.html",
        queue=certificates.review_queue(db.session),
        level_labels=certificates.LEVEL_LABELS,
        action_form=ActionForm(),
        reject_form=RejectCertificateForm(formdata=None),
    )


def _decided(action: Callable[[], object], done: str) -> ResponseReturnValue:
    try:
        action()
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        commit()
        flash(done, "success")
    return redirect(url_for(".queue"))


def _audited(action: str, certificate: OcopCertificate) -> None:
    audit.record(
        db.session,
        current_user.id,
        action,
        certificate,
        {"status": "pending"},
        {"status": certificate.status, "reason": certificate.rejection_reason},
    )


@bp.post("/<id:certificate_id>/verify")
@role_required(Role.ADMIN)
def verify(certificate_id: int) -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    return _decided(
        lambda: _audited(
            "certificate.verify", certificates.verify(db.session, certificate_id, current_user)
        ),
        gettext("Đã xác minh giấy chứng nhận: hạng sao hiển thị trên sản phẩm."),
    )


@bp.post("/<id:certificate_id>/reject")
@role_required(Role.ADMIN)
def reject(certificate_id: int) -> ResponseReturnValue:
    form = RejectCertificateForm()
    if not form.validate_on_submit():
        flash(gettext("Vui lòng nêu lý do từ chối."), "error")
        return redirect(url_for(".queue"))
    return _decided(
        lambda: _audited(
            "certificate.reject",
            certificates.reject(db.session, certificate_id, current_user, form.reason.data or ""),
        ),
        gettext("Đã từ chối giấy chứng nhận; chủ thể sẽ thấy lý do."),
    )
