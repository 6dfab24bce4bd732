"""Order pages: confirmation, detail, a buyer's history, the guest lookup, cancelling a
part; and the admin's list of orders awaiting a bank transfer."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from storefront.accounts.access import login_required, role_required
from storefront.accounts.models import Role
from storefront.audit import services as audit
from storefront.errors import DomainError
from storefront.extensions import db, limiter
from storefront.orders import fulfilment, queries
from storefront.orders.access import can_view, grant_order_access
from storefront.orders.forms import LookupForm
from storefront.orders.models import Order
from storefront.places import format_vn_phone, get_province, get_ward
from storefront.traceability.shipments import batches_for_parts

bp = Blueprint("orders", __name__)
logger = logging.getLogger(__name__)


def _ip_key() -> str:
    return "order-lookup-ip:" + (request.remote_addr or "unknown")


def _number_key() -> str:
    return "order-lookup:" + str((request.view_args or {}).get("number", ""))[:20]


def _page(template: str, order: Order, **extra: object) -> ResponseReturnValue:
    # Each shipped part links the trace pages of the batches it carried (issue 8).
    shipped = batches_for_parts(db.session, [part.id for part in order.parts])
    return render_template(
        template,
        order=order,
        shipped_batches=shipped,
        phone=format_vn_phone(order.phone),
        province=get_province(order.province_code),
        ward=get_ward(order.ward_code),
        status_labels=fulfilment.STATUS_LABELS,
        payment_labels=fulfilment.PAYMENT_LABELS,
        **extra,
    )


def _viewable(number: str) -> Order | None:
    if not queries.is_order_number(number):
        abort(404)
    order = queries.order_for_page(db.session, number)
    return order if order is not None and can_view(order) else None


@bp.get("/orders/<number>")
def detail(number: str) -> ResponseReturnValue:
    order = _viewable(number)
    if order is None:
        # The same form whether or not the order exists: numbers cannot be probed.
        return render_template("orders/lookup.html", form=LookupForm(), number=number)
    return _page("orders/detail.html", order)


@bp.post("/orders/<number>")
@limiter.limit(lambda: current_app.config["LIMIT_ORDER_LOOKUP_PER_IP"], key_func=_ip_key)
@limiter.limit("5 per minute;20 per hour", key_func=_number_key)
def lookup(number: str) -> ResponseReturnValue:
    """A guest proves the order is theirs with its email or phone."""
    if not queries.is_order_number(number):
        abort(404)
    form = LookupForm()
    if not form.validate_on_submit():
        return render_template("orders/lookup.html", form=form, number=number), 400
    order = queries.order_for_page(db.session, number)
    if order is None or not queries.contact_matches(order, form.contact.data or ""):
        form.contact.errors.append(
            gettext("Không tìm thấy đơn hàng với mã và thông tin liên hệ này.")
        )
        return render_template("orders/lookup.html", form=form, number=number), 404
    grant_order_access(order.number)
    return redirect(url_for("orders.detail", number=order.number))


@bp.get("/orders/<number>/placed")
def confirmation(number: str) -> ResponseReturnValue:
    order = _viewable(number)
    if order is None:
        return redirect(url_for("orders.detail", number=number))
    return _page("orders/confirmation.html", order)


@bp.post("/orders/<number>/parts/<id:part_id>/cancel")
def cancel_part(number: str, part_id: int) -> ResponseReturnValue:
    """The buyer cancels one producer's part before it ships; its stock goes back."""
    order = _viewable(number)
    if order is None:
        abort(404)
    try:
        fulfilment.buyer_cancel_part(db.session, order, part_id)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("orders.detail", number=number))
    db.session.commit()  # its emails are in the outbox: the job worker sends them
    flash(gettext("Đã huỷ phần đơn hàng."), "success")
    return redirect(url_for("orders.detail", number=number))


@bp.get("/account/orders")
@login_required
def history() -> ResponseReturnValue:
    orders = queries.orders_of_user(db.session, current_user.id)
    return render_template(
        "orders/history.html",
        orders=orders,
        status_labels=fulfilment.STATUS_LABELS,
        payment_labels=fulfilment.PAYMENT_LABELS,
    )


@bp.get("/admin/orders")
@role_required(Role.ADMIN)
def awaiting_payment() -> ResponseReturnValue:
    """Orders waiting for a bank transfer, to match against the bank statement."""
    search = request.args.get("q", "")[:100]
    return render_template(
        "orders/admin_awaiting.html",
        orders=queries.orders_awaiting_payment(db.session, search),
        search=search,
        hold_hours=current_app.config["BANK_TRANSFER_HOLD_HOURS"],
    )


@bp.post("/admin/orders/<number>/paid")
@role_required(Role.ADMIN)
def mark_paid(number: str) -> ResponseReturnValue:
    order = queries.order_for_page(db.session, number)
    if order is None:
        abort(404)
    try:
        fulfilment.mark_paid(db.session, order.id)
        audit.record(
            db.session,
            current_user.id,
            "order.mark_paid",
            order,
            {"payment_status": "awaiting"},
            {"payment_status": "paid", "total_vnd": order.total_vnd},
        )
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("orders.awaiting_payment"))
    db.session.commit()  # its emails are in the outbox: the job worker sends them
    flash(gettext("Đã ghi nhận thanh toán cho đơn hàng %(number)s.", number=number), "success")
    return redirect(url_for("orders.awaiting_payment"))
