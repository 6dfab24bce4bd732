"""Admin pages for money: payment issues to look at, refunds (a whole order or one
producer's part), card refunds Stripe has not confirmed yet."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from wtforms import HiddenField, StringField
from wtforms.validators import Length, Optional

from storefront import money
from storefront.accounts.access import role_required
from storefront.accounts.models import Role
from storefront.audit import services as audit
from storefront.errors import DomainError, NotFound
from storefront.extensions import db
from storefront.i18n import N_
from storefront.numbers import row_id, whole_number
from storefront.orders import queries as order_queries
from storefront.orders.fulfilment import PAYMENT_LABELS, STATUS_LABELS
from storefront.orders.models import Order
from storefront.payments import issues, refunds
from storefront.payments import stripe_gateway as gateway
from storefront.payments.models import Refund, RefundMethod, RefundStatus
from storefront.payments.registry import method_label
from storefront.site.forms import ShopForm

bp = Blueprint("payments_admin", __name__, url_prefix="/admin/payments")

REFUND_STATUS_LABELS = {
    RefundStatus.PENDING: N_("Đang chờ Stripe"),
    RefundStatus.SUCCEEDED: N_("Đã hoàn"),
    RefundStatus.FAILED: N_("Không thành công"),
}
REFUND_METHOD_LABELS = {
    RefundMethod.CARD: N_("Hoàn về thẻ (Stripe)"),
    RefundMethod.MANUAL: N_("Hoàn thủ công (tiền mặt, chuyển khoản)"),
}


class RefundForm(ShopForm):
    part_id = HiddenField()  # empty: the whole order
    amount = StringField(N_("Số tiền hoàn (để trống: hoàn toàn bộ)"), validators=[Optional()])
    reason = StringField(N_("Lý do"), validators=[Optional(), Length(max=300)])


class ResolveForm(ShopForm):
    note = StringField(N_("Cách đã xử lý"), validators=[Length(max=300)])


class ActionForm(ShopForm):
    pass


def parse_amount(text: str | None) -> int | None:
    """The amount typed ("150.000 ₫", "150000"…, storefront.money's parser); empty → None;
    ValueError otherwise."""
    text = (text or "").strip()
    return money.parse_vnd(text) if text else None


def _restock(part_id: int | None) -> dict[int, int]:
    """Quantities typed as restock-<line id>; anything not a whole number counts as 0."""
    if part_id is None:
        return {}
    wanted = {}
    for key, value in request.form.items():
        line_id = row_id(key.removeprefix("restock-")) if key.startswith("restock-") else None
        quantity = whole_number(value, 1, 100_000)
        if line_id is not None and quantity is not None:
            wanted[line_id] = quantity
    return wanted


@bp.get("/")
@role_required(Role.ADMIN)
def index() -> ResponseReturnValue:
    """Open payment issues, card refunds awaiting Stripe, and finding an order to refund."""
    search = request.args.get("q", "").strip().upper()[:20]
    if search:
        if order_queries.order_for_page(db.session, search) is not None:
            return redirect(url_for("payments_admin.order", number=search))
        flash(gettext("Không tìm thấy đơn hàng %(number)s.", number=search), "error")
    open_issues = issues.open_issues(db.session)
    pending = refunds.pending_card_refunds(db.session)
    order_ids = {i.order_id for i in open_issues if i.order_id} | {r.order_id for r in pending}
    numbers: dict[int, str] = {
        order_id: number
        for order_id, number in db.session.execute(
            select(Order.id, Order.number).where(Order.id.in_(order_ids))
        ).tuples()
    }
    return render_template(
        "payments/admin_index.html",
        issues=open_issues,
        pending=pending,
        order_numbers=numbers,
        kind_labels=issues.KIND_LABELS,
        resolve_form=ResolveForm(),
        action_form=ActionForm(),
        search=search,
    )


def _order_page(
    number: str, form: RefundForm | None = None, status: int = 200
) -> ResponseReturnValue:
    order = order_queries.order_for_page(db.session, number)
    if order is None:
        abort(404)
    return (
        render_template(
            "payments/admin_order.html",
            order=order,
            balances=refunds.balances(db.session, order),
            refunds=refunds.refunds_of(db.session, order.id),
            order_issues=issues.issues_of(db.session, order.id),
            kind_labels=issues.KIND_LABELS,
            status_labels=STATUS_LABELS,
            payment_labels=PAYMENT_LABELS,
            refund_status_labels=REFUND_STATUS_LABELS,
            refund_method_labels=REFUND_METHOD_LABELS,
            method_label=method_label(order.payment_method),
            form=form or RefundForm(),
            action_form=ActionForm(),
        ),
        status,
    )


@bp.get("/orders/<number>")
@role_required(Role.ADMIN)
def order(number: str) -> ResponseReturnValue:
    """An order's money: what each part collected, its refunds, the refund forms."""
    return _order_page(number)


@bp.post("/orders/<number>/refunds")
@role_required(Role.ADMIN)
def refund(number: str) -> ResponseReturnValue:
    order = order_queries.order_for_page(db.session, number)
    if order is None:
        abort(404)
    form = RefundForm()
    if not form.validate_on_submit():
        return _order_page(number, form, 400)
    part_id = row_id(form.part_id.data)
    try:
        amount = parse_amount(form.amount.data)
    except ValueError:
        form.amount.errors.append(gettext(money.NOT_AN_AMOUNT))
        return _order_page(number, form, 400)
    request_ = refunds.RefundRequest(
        order_id=order.id,
        part_id=part_id,
        amount_vnd=amount,
        restock=_restock(part_id),
        reason=form.reason.data or "",
        actor_id=current_user.id,
    )
    try:
        created = refunds.prepare_refunds(db.session, request_)
        for made in created:
            audit.record(
                db.session,
                current_user.id,
                "refund.create",
                made,
                None,
                {
                    "order": number,
                    "part_id": made.part_id,
                    "amount_vnd": made.amount_vnd,
                    "reason": request_.reason,
                },
            )
        db.session.commit()
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return _order_page(number, form, 400)
    _send(created)
    return redirect(url_for("payments_admin.order", number=number))


def _send(created: list[Refund]) -> None:
    """Send the card refunds just recorded to Stripe, each in its own commit."""
    for each in created:
        if each.method != RefundMethod.CARD:
            continue
        try:
            refunds.send_refund(db.session, each, current_app.config)
        except gateway.GatewayUnavailable as error:
            db.session.commit()
            flash(
                gettext(
                    "Đã ghi nhận khoản hoàn nhưng chưa gửi được tới Stripe: %(error)s",
                    error=str(error),
                ),
                "error",
            )
            continue
        except DomainError as error:
            db.session.commit()
            flash(str(error), "error")
            continue
        db.session.commit()
    if all(r.status == RefundStatus.SUCCEEDED for r in created):
        flash(gettext("Đã hoàn tiền."), "success")


@bp.post("/refunds/<id:refund_id>/send")
@role_required(Role.ADMIN)
def send_refund(refund_id: int) -> ResponseReturnValue:
    """Ask Stripe again for a card refund whose answer was lost (same idempotency key)."""
    if not ActionForm().validate_on_submit():
        abort(400)
    found = db.session.get(Refund, refund_id)
    if found is None:
        abort(404)
    order_id = found.order_id
    _send([found])
    number = db.session.execute(select(Order.number).where(Order.id == order_id)).scalar_one()
    return redirect(url_for("payments_admin.order", number=number))


@bp.post("/issues/<id:issue_id>/resolve")
@role_required(Role.ADMIN)
def resolve(issue_id: int) -> ResponseReturnValue:
    form = ResolveForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        issues.resolve_issue(db.session, issue_id, form.note.data or "", current_user.id)
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("payments_admin.index"))
    db.session.commit()
    flash(gettext("Đã ghi nhận cách xử lý."), "success")
    return redirect(url_for("payments_admin.index"))
