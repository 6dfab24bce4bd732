"""The producer's parts of orders: list, detail, each step, packing slip, CSV export."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from storefront.accounts.access import role_required
from storefront.accounts.models import Role
from storefront.dates import format_day
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.numbers import page_number
from storefront.orders.fulfilment import PAYMENT_LABELS, STATUS_LABELS, can_move
from storefront.orders.models import OrderPart, PartStatus
from storefront.places import get_province, get_ward
from storefront.producers import fulfilment
from storefront.producers.workspace import (
    acting_producer,
    actor_id,
    commit,
    own,
    refused,
)
from storefront.producers.workspace_forms import ActionForm, CancelForm, ShipForm
from storefront.traceability import codes, shipments

bp = Blueprint("producer_orders", __name__, url_prefix="/producer")


@bp.get("/<id:producer_id>/orders")
@role_required(Role.PRODUCER)
def orders(producer_id: int) -> ResponseReturnValue:
    """The producer's parts, filterable by status, newest first."""
    producer = acting_producer(producer_id)
    status = fulfilment.parse_status(request.args.get("status"))
    number = page_number(request.args.get("page"), last=99_999)
    page = fulfilment.parts_page(db.session, producer_id, status, number)
    return render_template(
        "producers/orders.html",
        producer=producer,
        page=page,
        status=status,
        statuses=list(PartStatus),
        status_labels=STATUS_LABELS,
        payment_labels=PAYMENT_LABELS,
        provinces={p.order.province_code: get_province(p.order.province_code) for p in page.parts},
    )


@bp.get("/<id:producer_id>/orders.csv")
@role_required(Role.PRODUCER)
def export_orders(producer_id: int) -> ResponseReturnValue:
    acting_producer(producer_id)
    status = fulfilment.parse_status(request.args.get("status"))
    return Response(
        fulfilment.export_csv(db.session, producer_id, status),
        mimetype="text/csv",
        headers={
            "Content-Disposition": (
                f'attachment; filename="{fulfilment.export_filename(producer_id)}"'
            )
        },
    )


def _part_context(producer_id: int, part_id: int) -> dict[str, Any]:
    producer = acting_producer(producer_id)
    part: OrderPart = own(fulfilment.part_for_page, producer_id, part_id)
    return {
        "producer": producer,
        "part": part,
        "order": part.order,
        "address": fulfilment.delivery_address(part.order),
        "province": get_province(part.order.province_code),
        "ward": get_ward(part.order.ward_code),
        "status_labels": STATUS_LABELS,
        "payment_labels": PAYMENT_LABELS,
    }


@bp.get("/<id:producer_id>/orders/<id:part_id>")
@role_required(Role.PRODUCER)
def order_part(producer_id: int, part_id: int) -> ResponseReturnValue:
    context = _part_context(producer_id, part_id)
    current = PartStatus(context["part"].status)
    return render_template(
        "producers/order_part.html",
        **context,
        can=lambda target: can_move(current, PartStatus(target)),
        action_form=ActionForm(),
        ship_form=_ship_form(producer_id, part_id, formdata=None),
        cancel_form=CancelForm(formdata=None),
    )


@bp.get("/<id:producer_id>/orders/<id:part_id>/packing-slip")
@role_required(Role.PRODUCER)
def packing_slip(producer_id: int, part_id: int) -> ResponseReturnValue:
    """A print-friendly page to put in the parcel."""
    return render_template("producers/packing_slip.html", **_part_context(producer_id, part_id))


def _step(
    producer_id: int, part_id: int, form_valid: bool, action: Callable[[], OrderPart], done: str
) -> ResponseReturnValue:
    """Run one step on the producer's own part, commit, email the buyer, go back."""
    acting_producer(producer_id)
    own(fulfilment.get_own_part, producer_id, part_id)
    back = redirect(url_for(".order_part", producer_id=producer_id, part_id=part_id))
    if not form_valid:
        flash(gettext("Vui lòng điền đủ thông tin."), "error")
        return back
    try:
        action()
    except DomainError as error:
        refused(error)
        return back
    commit()  # the buyer's email is in the outbox: the job worker sends it
    flash(done, "success")
    return back


@bp.post("/<id:producer_id>/orders/<id:part_id>/confirm")
@role_required(Role.PRODUCER)
def confirm(producer_id: int, part_id: int) -> ResponseReturnValue:
    return _step(
        producer_id,
        part_id,
        ActionForm().validate_on_submit(),
        lambda: fulfilment.confirm(db.session, producer_id, part_id),
        gettext("Đã xác nhận đơn hàng."),
    )


@bp.post("/<id:producer_id>/orders/<id:part_id>/ship")
@role_required(Role.PRODUCER)
def ship(producer_id: int, part_id: int) -> ResponseReturnValue:
    form = _ship_form(producer_id, part_id)

    def ship_with_batches() -> OrderPart:
        part = fulfilment.ship(
            db.session,
            producer_id,
            part_id,
            form.carrier.data or "",
            form.tracking_number.data or "",
        )
        shipments.record_shipped_batches(
            db.session, part_id, form.batch_ids.data or [], producer_id
        )
        return part

    return _step(
        producer_id,
        part_id,
        form.validate_on_submit(),
        ship_with_batches,
        gettext("Đã ghi nhận gửi hàng. Người mua nhận được email kèm mã vận đơn."),
    )


def _ship_form(producer_id: int, part_id: int, **kwargs: object) -> ShipForm:
    """The ship form offering the producer's batches of the ordered variants."""
    form = ShipForm(**kwargs)
    try:
        batches = shipments.batch_choices_for_part(db.session, part_id, producer_id)
    except DomainError:
        batches = []  # not this producer's part: the step itself answers 404
    form.batch_ids.choices = [
        (b.id, f"{codes.display(b.code)} · {b.variant.label} · {format_day(b.produced_on)}")
        for b in batches
    ]
    return form


@bp.post("/<id:producer_id>/orders/<id:part_id>/deliver")
@role_required(Role.PRODUCER)
def deliver(producer_id: int, part_id: int) -> ResponseReturnValue:
    return _step(
        producer_id,
        part_id,
        ActionForm().validate_on_submit(),
        lambda: fulfilment.deliver(db.session, producer_id, part_id),
        gettext("Đã ghi nhận giao hàng thành công."),
    )


@bp.post("/<id:producer_id>/orders/<id:part_id>/cancel")
@role_required(Role.PRODUCER)
def cancel(producer_id: int, part_id: int) -> ResponseReturnValue:
    form = CancelForm()
    return _step(
        producer_id,
        part_id,
        form.validate_on_submit(),
        lambda: fulfilment.cancel(
            db.session, producer_id, part_id, form.reason.data or "", actor_id()
        ),
        gettext("Đã huỷ đơn hàng và trả hàng về kho."),
    )
