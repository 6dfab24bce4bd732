"""The producer's side of fairs: invitations, asking for a booth, and editing its booth."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy import select

from storefront.accounts.access import require_producer_member, role_required
from storefront.accounts.models import Role
from storefront.catalog.models import Producer, Product
from storefront.errors import DomainError, NotFound
from storefront.extensions import db
from storefront.fairs import queries, services
from storefront.fairs.forms import ActionForm, BoothForm, RequestForm
from storefront.fairs.models import ExhibitorStatus, Fair, FairExhibitor
from storefront.timeutil import utcnow

bp = Blueprint("producer_fairs", __name__, url_prefix="/producer/<id:producer_id>/fairs")


@bp.get("")
@role_required(Role.PRODUCER)
def index(producer_id: int) -> ResponseReturnValue:
    require_producer_member(producer_id)
    form = RequestForm()
    form.fair_id.choices = [
        (f.id, f.name)
        for f in queries.open_fairs_for_producer_requests(db.session, producer_id, utcnow())
    ]
    return render_template(
        "fairs/producer_fairs.html",
        producer_id=producer_id,
        producer=db.get_or_404(Producer, producer_id),
        exhibitors=queries.exhibitor_fairs(db.session, producer_id),
        request_form=form,
        action_form=ActionForm(),
        statuses=ExhibitorStatus,
    )


@bp.post("/request")
@role_required(Role.PRODUCER)
def ask(producer_id: int) -> ResponseReturnValue:
    require_producer_member(producer_id)
    form = RequestForm()
    if not form.validate_on_submit():
        abort(400)
    fair = db.session.get(Fair, form.fair_id.data or 0)
    if fair is None:
        abort(404)
    try:
        services.request_to_exhibit(db.session, fair, producer_id)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(gettext("Đã gửi đăng ký gian hàng, chờ ban tổ chức duyệt."), "success")
    return redirect(url_for(".index", producer_id=producer_id))


def _own_exhibitor(producer_id: int, exhibitor_id: int) -> FairExhibitor:
    """The producer's own exhibitor row; 404 for anyone else's."""
    require_producer_member(producer_id)
    try:
        exhibitor = services.get_exhibitor(db.session, exhibitor_id)
    except NotFound:
        abort(404)
    if exhibitor.producer_id != producer_id:
        abort(404)
    return exhibitor


@bp.post("/<id:exhibitor_id>/accept")
@role_required(Role.PRODUCER)
def accept(producer_id: int, exhibitor_id: int) -> ResponseReturnValue:
    exhibitor = _own_exhibitor(producer_id, exhibitor_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.accept_invitation(db.session, exhibitor)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(gettext("Đã nhận lời mời: gian hàng của bạn đã mở."), "success")
    return redirect(url_for(".index", producer_id=producer_id))


@bp.route("/<id:exhibitor_id>", methods=["GET", "POST"])
@role_required(Role.PRODUCER)
def booth(producer_id: int, exhibitor_id: int) -> ResponseReturnValue:
    exhibitor = _own_exhibitor(producer_id, exhibitor_id)
    products = list(
        db.session.execute(
            select(Product)
            .where(Product.producer_id == producer_id, Product.is_published.is_(True))
            .order_by(Product.name)
        ).scalars()
    )
    form = BoothForm(
        formdata=None if request.method == "GET" else request.form,
        data={
            "description": exhibitor.booth_description,
            "products": [b.product_id for b in exhibitor.booth_products],
        },
    )
    form.products.choices = [(p.id, p.name) for p in products]
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                services.update_booth(
                    db.session, exhibitor, form.description.data or "", form.products.data or []
                )
            except DomainError as error:
                db.session.rollback()
                # The rollback expired the row and the page shows its fair: load it again.
                exhibitor = _own_exhibitor(producer_id, exhibitor_id)
                flash(str(error), "error")
            else:
                db.session.commit()
                flash(gettext("Đã lưu gian hàng."), "success")
                return redirect(
                    url_for(".booth", producer_id=producer_id, exhibitor_id=exhibitor_id)
                )
    return (
        render_template(
            "fairs/booth.html",
            producer_id=producer_id,
            producer=db.get_or_404(Producer, producer_id),
            exhibitor=exhibitor,
            form=form,
        ),
        status,
    )
