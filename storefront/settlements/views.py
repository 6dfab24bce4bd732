"""Settlement pages: the admin's statements for a period, the commission rate, recording a
settlement paid; and each producer's own statements (404 for anyone else's)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from storefront.accounts.access import require_producer_member, role_required
from storefront.accounts.models import Role
from storefront.audit import services as audit
from storefront.catalog.models import Producer
from storefront.dates import format_day
from storefront.errors import DomainError, NotFound
from storefront.extensions import db
from storefront.settlements import services, statements
from storefront.settlements.forms import CommissionForm, RecordPaidForm, percent_to_bp
from storefront.timeutil import today_in_vietnam

bp = Blueprint("settlements", __name__)


def _period() -> statements.Period:
    try:
        return statements.parse_period(
            request.args.get("start"), request.args.get("end"), today_in_vietnam()
        )
    except DomainError as error:
        flash(str(error), "error")
        return statements.Period.month_of(today_in_vietnam())


@bp.get("/admin/settlements")
@role_required(Role.ADMIN)
def index() -> ResponseReturnValue:
    """Every producer's statement for the period, the commission rate, settlements paid."""
    return _index_page(CommissionForm(effective_from=today_in_vietnam()))


def _index_page(form: CommissionForm, status: int = 200) -> ResponseReturnValue:
    """The settlements desk; a refused commission form is passed in as typed."""
    period = _period()
    page = render_template(
        "settlements/index.html",
        period=period,
        statements=statements.build_statements(db.session, period),
        rates=statements.rates(db.session),
        current_rate=statements.rate_on(statements.rates(db.session), today_in_vietnam()),
        recorded=services.settlements(db.session),
        form=form,
    )
    return page, status


@bp.post("/admin/settlements/commission")
@role_required(Role.ADMIN)
def set_commission() -> ResponseReturnValue:
    form = CommissionForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(gettext(error), "error")
        return _index_page(form, 400)
    rate_bp = percent_to_bp(form.rate.data) or 0
    try:
        services.set_commission_rate(db.session, rate_bp, form.effective_from.data, current_user.id)
        audit.record(
            db.session,
            current_user.id,
            "commission.set",
            ("commission_rate", form.effective_from.data.isoformat()),
            None,
            {"rate_bp": rate_bp, "effective_from": form.effective_from.data.isoformat()},
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _index_page(form, 400)
    db.session.commit()
    flash(
        gettext(
            "Hoa hồng %(rate)s %% áp dụng từ ngày %(day)s.",
            rate=f"{rate_bp / 100:g}",
            day=format_day(form.effective_from.data),
        ),
        "success",
    )
    return redirect(url_for("settlements.index"))


def _statement(producer_id: int) -> statements.Statement:
    try:
        return statements.statement_for(db.session, producer_id, _period())
    except NotFound:
        abort(404)


@bp.get("/admin/settlements/producers/<id:producer_id>")
@role_required(Role.ADMIN)
def statement(producer_id: int) -> ResponseReturnValue:
    found = _statement(producer_id)
    form = RecordPaidForm(
        start=found.period.start.isoformat(),
        end=found.period.end.isoformat(),
        digest=found.digest,
        paid_on=today_in_vietnam(),
    )
    return render_template("settlements/statement.html", statement=found, form=form, admin=True)


@bp.get("/admin/settlements/producers/<id:producer_id>.csv")
@role_required(Role.ADMIN)
def statement_csv(producer_id: int) -> ResponseReturnValue:
    return _csv(_statement(producer_id))


@bp.post("/admin/settlements/producers/<id:producer_id>/paid")
@role_required(Role.ADMIN)
def record_paid(producer_id: int) -> ResponseReturnValue:
    """Record the statement the admin saw as paid (twice is harmless; changed is refused)."""
    form = RecordPaidForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(gettext(error), "error")
        return _paid_refused(producer_id, form)
    try:
        period = statements.parse_period(form.start.data, form.end.data, today_in_vietnam())
        settlement = services.record_settlement(
            db.session,
            producer_id,
            period,
            form.digest.data or "",
            form.bank_reference.data or "",
            form.paid_on.data,
            current_user.id,
        )
        audit.record(
            db.session,
            current_user.id,
            "settlement.paid",
            settlement,
            None,
            {"producer_id": producer_id, "bank_reference": form.bank_reference.data or ""},
        )
        db.session.commit()
    except NotFound:
        db.session.rollback()
        abort(404)
    except IntegrityError:  # settled by another admin at the same moment
        db.session.rollback()
        flash(gettext("Các khoản này vừa được đối soát, vui lòng xem lại."), "error")
        return _paid_refused(producer_id, form)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _paid_refused(producer_id, form)
    flash(gettext("Đã ghi nhận thanh toán cho chủ thể."), "success")
    return redirect(url_for("settlements.detail", settlement_id=settlement.id))


def _paid_refused(producer_id: int, form: RecordPaidForm) -> ResponseReturnValue:
    """The statement again, as it stands now, with the payment form as the admin filled
    it in (the bank reference and date they typed stay); recording it then settles the
    statement now shown."""
    try:
        period = statements.parse_period(form.start.data, form.end.data, today_in_vietnam())
    except DomainError:
        period = statements.Period.month_of(today_in_vietnam())
    try:
        found = statements.statement_for(db.session, producer_id, period)
    except NotFound:
        abort(404)
    form.start.data, form.end.data = found.period.start.isoformat(), found.period.end.isoformat()
    form.digest.data = found.digest
    page = render_template("settlements/statement.html", statement=found, form=form, admin=True)
    return page, 400


@bp.get("/admin/settlements/<id:settlement_id>")
@role_required(Role.ADMIN)
def detail(settlement_id: int) -> ResponseReturnValue:
    return _detail(settlement_id, None)


def _detail(settlement_id: int, producer_id: int | None) -> ResponseReturnValue:
    try:
        found = services.settlement_detail(db.session, settlement_id, producer_id)
    except NotFound:
        abort(404)
    producer = db.session.get(Producer, producer_id) if producer_id is not None else None
    return render_template(
        "settlements/detail.html", detail=found, producer_id=producer_id, producer=producer
    )


def _csv(found: statements.Statement) -> Response:
    headings = [
        gettext("Mã đơn hàng"),
        gettext("Phần đơn"),
        gettext("Ngày giao"),
        gettext("Người thu tiền"),
        gettext("Giá trị phần đơn"),
        gettext("Sàn đã thu"),
        gettext("Đã hoàn"),
        gettext("Hoa hồng (%)"),
        gettext("Hoa hồng"),
        gettext("Thanh toán cho chủ thể"),
        gettext("Trạng thái"),
    ]
    labels = {
        "shop": gettext("Sàn"),
        "producer": gettext("Chủ thể (COD)"),
        "adjustment": gettext("Hoàn tiền sau đối soát"),
        "settled": gettext("Đã đối soát #%(id)s"),  # formatted per line
        "open": gettext("Chưa đối soát"),
        "total": gettext("Tổng chưa đối soát"),
    }
    name = f"doi-soat-{found.producer_id}-{found.period.start}-{found.period.end}.csv"
    return Response(
        services.statement_csv(found, headings, labels),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.get("/producer/<id:producer_id>/settlements")
@role_required(Role.PRODUCER)
def producer_statement(producer_id: int) -> ResponseReturnValue:
    """The producer's own statement for a period and the settlements paid to it."""
    require_producer_member(producer_id)
    found = _statement(producer_id)
    return render_template(
        "settlements/statement.html",
        producer=db.get_or_404(Producer, producer_id),
        statement=found,
        recorded=services.settlements(db.session, producer_id),
        admin=False,
    )


@bp.get("/producer/<id:producer_id>/settlements.csv")
@role_required(Role.PRODUCER)
def producer_statement_csv(producer_id: int) -> ResponseReturnValue:
    require_producer_member(producer_id)
    return _csv(_statement(producer_id))


@bp.get("/producer/<id:producer_id>/settlements/<id:settlement_id>")
@role_required(Role.PRODUCER)
def producer_detail(producer_id: int, settlement_id: int) -> ResponseReturnValue:
    require_producer_member(producer_id)
    return _detail(settlement_id, producer_id)
