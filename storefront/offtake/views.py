"""Agreement pages: the business buyer's (/account/agreements) and the producer's
(/producer/<id>/agreements). Both sides see the same agreement page and the same steps;
each view checks who is asking (the buyer's own agreement, or the producer's members'),
and another's agreement answers 404."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from storefront.accounts.access import role_required
from storefront.accounts.forms import set_place_choices
from storefront.accounts.models import Role
from storefront.business.access import business_buyer_required
from storefront.catalog.models import Variant
from storefront.errors import NotFound
from storefront.extensions import db
from storefront.i18n import N_
from storefront.numbers import row_id
from storefront.offtake import exports, services
from storefront.offtake.forms import (
    BLANK_ROWS,
    AnswerForm,
    BuyerRequestForm,
    ProducerProposalForm,
    TermsForm,
)
from storefront.offtake.models import (
    OPEN_DELIVERY_STATES,
    AgreementState,
    DeliveryState,
    OfftakeAgreement,
    PriceMode,
    Side,
    VersionStatus,
)
from storefront.offtake.services import LineTerms, OfftakeError, Terms
from storefront.places import get_province
from storefront.producers.workspace import acting_producer
from storefront.timeutil import today_in_vietnam

buyer_bp = Blueprint("offtake_buyer", __name__, url_prefix="/account/agreements")
producer_bp = Blueprint("offtake_producer", __name__, url_prefix="/producer")

STATE_LABELS = {
    AgreementState.PROPOSED: N_("Chờ bên kia chấp nhận"),
    AgreementState.ACTIVE: N_("Đang thực hiện"),
    AgreementState.COMPLETED: N_("Đã hoàn thành"),
    AgreementState.DECLINED: N_("Bị từ chối"),
    AgreementState.WITHDRAWN: N_("Đã rút lại"),
}
DELIVERY_LABELS = {
    DeliveryState.SCHEDULED: N_("Đã lên lịch"),
    DeliveryState.ORDERED: N_("Đã thành đơn hàng"),
    DeliveryState.SHORTFALL: N_("Thiếu hàng"),
    DeliveryState.SUPERSEDED: N_("Đã thay thế"),
}
SIDE_LABELS = {Side.BUYER: N_("Bên mua"), Side.PRODUCER: N_("Chủ thể")}


VERSION_LABELS = {
    VersionStatus.PENDING: N_("Chờ trả lời"),
    VersionStatus.ACCEPTED: N_("Đã chấp nhận"),
    VersionStatus.DECLINED: N_("Bị từ chối"),
    VersionStatus.WITHDRAWN: N_("Đã rút lại"),
    VersionStatus.SUPERSEDED: N_("Đã thay bằng đề xuất sau"),
}


# Forms ↔ terms ------------------------------------------------------------------


def _terms(form: TermsForm) -> tuple[Terms, list[int]]:
    """What the form holds as plain terms, and the form rows of its lines."""
    rows, lines = [], []
    for index, entry in enumerate(form.lines.entries):
        line = entry.form
        if line.is_blank():
            continue
        rows.append(index)
        lines.append(LineTerms(line.due_on.data, line.quantity.data, line.unit_price.data))
    terms = Terms(
        price_mode=form.price_mode.data or "",
        unit_price_vnd=form.unit_price.data,
        lines=lines,
        province_code=form.province_code.data or 0,
        ward_code=form.ward_code.data or 0,
        address_line=form.address_line.data or "",
        note=form.note.data or "",
    )
    return terms, rows


def _fill_lines(form: TermsForm, lines: list[LineTerms]) -> None:
    """Replace the form's schedule rows with `lines` and a few blank ones."""
    while form.lines.entries:
        form.lines.pop_entry()
    for line in lines:
        form.lines.append_entry(
            {"due_on": line.due_on, "quantity": line.quantity, "unit_price": line.unit_price_vnd}
        )
    for _ in range(BLANK_ROWS):
        form.lines.append_entry()


def _show_error(form: TermsForm, error: OfftakeError, rows: list[int]) -> None:
    """Put a service error beside its field (a schedule row's, or the form's), or flash it."""
    field = error.field or ""
    if field.startswith("lines-"):
        index = int(field.split("-")[1])
        if index < len(rows):
            form.lines.entries[rows[index]].form.due_on.errors = [error.message]
            return
    target = {
        "unit_price": "unit_price",
        "price_mode": "price_mode",
        "province": "province_code",
        "ward": "ward_code",
        "street": "address_line",
        "address_line": "address_line",
        "note": "note",
        "start": "start",
        "end": "end",
        "interval": "interval",
        "quantity": "per_delivery",
        "variant": "variant_id",
        "buyer_email": "buyer_email",
    }.get(field)
    if target and hasattr(form, target):
        getattr(form, target).errors = [error.message]
    else:
        flash(str(error), "error")


def _generate(form: TermsForm) -> None:
    """The "make the schedule" button: rows from start, end, interval and quantity."""
    try:
        unit = form.unit_price.data if form.price_mode.data == PriceMode.PER_DELIVERY else None
        lines = services.generate_schedule(
            form.start.data, form.end.data, form.interval.data or "", form.per_delivery.data, unit
        )
    except OfftakeError as error:
        _show_error(form, error, [])
    else:
        _fill_lines(form, lines)


def _prefill(form: TermsForm, agreement: OfftakeAgreement) -> None:
    """A change form starts from the terms in force (or pending) and the open deliveries."""
    pending = services.pending_of(agreement)
    source: Any = pending or agreement
    form.price_mode.data = source.price_mode
    form.unit_price.data = source.unit_price_vnd
    form.province_code.data = source.province_code
    form.ward_code.data = source.ward_code
    form.address_line.data = source.address_line
    if pending is not None:
        lines = [LineTerms(x.due_on, x.quantity, x.unit_price_vnd) for x in pending.lines]
    else:
        lines = [
            LineTerms(d.due_on, d.quantity, d.unit_price_vnd)
            for d in agreement.deliveries
            if d.state in OPEN_DELIVERY_STATES
        ]
    _fill_lines(form, lines)


def _submitted(form: TermsForm) -> bool:
    """A real submission (not the province or schedule button), valid as a form."""
    if request.method != "POST":
        return False
    if "choose_province" in request.form:
        form.validate()
        return False
    if "generate" in request.form:
        # Making the schedule saves nothing: the other fields may still be incomplete.
        _generate(form)
        return False
    return form.validate_on_submit()


# Shared agreement page ---------------------------------------------------------


def _urls(agreement: OfftakeAgreement, side: Side) -> dict[str, str]:
    if side == Side.BUYER:
        base: Callable[..., str] = lambda name: url_for(  # noqa: E731
            f"offtake_buyer.{name}", agreement_id=agreement.id
        )
    else:
        base = lambda name: url_for(  # noqa: E731
            f"offtake_producer.{name}", producer_id=agreement.producer_id, agreement_id=agreement.id
        )
    return {
        name: base(name)
        for name in ("detail", "change", "accept", "decline", "withdraw", "csv", "pdf")
    }


def _detail(agreement: OfftakeAgreement, side: Side, producer: Any = None) -> str:
    today = today_in_vietnam()
    view = services.agreement_view(db.session, agreement, today)
    pending = view.pending
    can_change = agreement.state in (AgreementState.PROPOSED, AgreementState.ACTIVE)
    province = get_province(agreement.province_code) if agreement.province_code else None
    return render_template(
        "offtake/detail.html",
        view=view,
        agreement=agreement,
        side=side,
        producer=producer,
        pending=pending,
        can_answer=pending is not None and pending.proposed_by != side,
        can_withdraw=pending is not None and pending.proposed_by == side,
        can_change=can_change,
        answer_form=AnswerForm(formdata=None),
        urls=_urls(agreement, side),
        address=exports.address_text(agreement) if province else "",
        number=exports.agreement_number(agreement),
        today=today,
        state_labels=STATE_LABELS,
        delivery_labels=DELIVERY_LABELS,
        side_labels=SIDE_LABELS,
        version_labels=VERSION_LABELS,
    )


def _answer(
    agreement: OfftakeAgreement, side: Side, step: Callable[..., None], done: str
) -> ResponseReturnValue:
    form = AnswerForm()
    number = row_id(form.version.data) if form.validate_on_submit() else None
    if number is None:
        flash(gettext("Yêu cầu không hợp lệ, vui lòng thử lại."), "error")
    else:
        try:
            step(db.session, agreement, side, number)
        except OfftakeError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(gettext(done), "success")
    return redirect(_urls(agreement, side)["detail"])


def _csv(agreement: OfftakeAgreement) -> ResponseReturnValue:
    order_ids = [d.order_id for d in agreement.deliveries if d.order_id is not None]
    statuses = services.part_statuses(db.session, order_ids)
    name = f"bao-tieu-{agreement.id}-lich-giao.csv"
    return Response(
        exports.deliveries_csv(agreement, statuses),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _pdf(agreement: OfftakeAgreement) -> ResponseReturnValue:
    today = today_in_vietnam()
    view = services.agreement_view(db.session, agreement, today)
    name = f"hop-dong-bao-tieu-{agreement.id}.pdf"
    return Response(
        exports.summary_pdf(agreement, view.progress, today),
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


def _change(agreement: OfftakeAgreement, side: Side, producer: Any = None) -> ResponseReturnValue:
    if agreement.state not in (AgreementState.PROPOSED, AgreementState.ACTIVE):
        flash(gettext("Hợp đồng này không còn thay đổi được."), "error")
        return redirect(_urls(agreement, side)["detail"])
    form = TermsForm()
    if request.method == "GET":
        _prefill(form, agreement)
    set_place_choices(form)
    status = 200
    if _submitted(form):
        terms, rows = _terms(form)
        try:
            services.propose_change(
                db.session, agreement, side, int(current_user.id), terms, today_in_vietnam()
            )
        except OfftakeError as error:
            db.session.rollback()
            _show_error(form, error, rows)
            status = 422
        else:
            db.session.commit()
            flash(gettext("Đã gửi đề xuất thay đổi; chờ bên kia chấp nhận."), "success")
            return redirect(_urls(agreement, side)["detail"])
    elif request.method == "POST":
        status = 422 if form.errors else 200
    page = render_template(
        "offtake/terms_form.html",
        form=form,
        agreement=agreement,
        producer=producer,
        side=side,
        title=gettext(
            "Đề xuất thay đổi hợp đồng %(number)s", number=exports.agreement_number(agreement)
        ),
        back=_urls(agreement, side)["detail"],
    )
    return page, status


# The business buyer's pages --------------------------------------------------------


def _buyer_agreement(agreement_id: int) -> OfftakeAgreement:
    try:
        return services.agreement_for_buyer(db.session, int(current_user.id), agreement_id)
    except NotFound:
        abort(404)


@buyer_bp.get("")
@business_buyer_required
def index() -> ResponseReturnValue:
    """The buyer's agreements with their progress."""
    views = services.buyer_agreements(db.session, int(current_user.id), today_in_vietnam())
    return render_template(
        "offtake/list.html",
        views=views,
        side=Side.BUYER,
        producer=None,
        state_labels=STATE_LABELS,
    )


@buyer_bp.route("/new", methods=["GET", "POST"])
@business_buyer_required
def new() -> ResponseReturnValue:
    """Ask a producer for an agreement on one of its packs (from a product or fair page)."""
    form = BuyerRequestForm()
    wanted = row_id(request.args.get("variant")) or form.variant_id.data
    variant = services.variant_for_request(db.session, wanted)
    if variant is None:
        flash(gettext("Hãy chọn sản phẩm từ trang sản phẩm để đề nghị bao tiêu."), "error")
        return redirect(url_for("offtake_buyer.index"))
    # Names now: a refused request rolls back, which expires the loaded rows.
    product_name, producer_name = variant.product.name, variant.product.producer.name
    siblings = _siblings(variant)
    form.variant_id.choices = [(v.id, v.label) for v in siblings]
    if request.method == "GET":
        form.variant_id.data = variant.id
        form.fair_id.data = str(row_id(request.args.get("fair")) or "")
        form.unit_price.data = variant.price_vnd
        profile = services.business_profile(db.session, int(current_user.id))
        if profile is not None:
            form.province_code.data = profile.province_code
            form.ward_code.data = profile.ward_code
            form.address_line.data = profile.address_line
    set_place_choices(form)
    status = 200
    if _submitted(form):
        terms, rows = _terms(form)
        try:
            agreement = services.ask_for_agreement(
                db.session,
                int(current_user.id),
                form.variant_id.data,
                terms,
                today_in_vietnam(),
                fair_id=row_id(form.fair_id.data),
            )
        except OfftakeError as error:
            db.session.rollback()
            _show_error(form, error, rows)
            status = 422
        else:
            db.session.commit()
            flash(gettext("Đã gửi đề nghị bao tiêu; chờ chủ thể trả lời."), "success")
            return redirect(url_for("offtake_buyer.detail", agreement_id=agreement.id))
    elif request.method == "POST":
        status = 422 if form.errors else 200
    page = render_template(
        "offtake/terms_form.html",
        form=form,
        agreement=None,
        producer=None,
        side=Side.BUYER,
        producer_name=producer_name,
        title=gettext("Đề nghị bao tiêu: %(name)s", name=product_name),
        back=url_for("offtake_buyer.index"),
    )
    return page, status


def _siblings(variant: Variant) -> list[Variant]:
    from sqlalchemy import select

    return list(
        db.session.execute(
            select(Variant)
            .where(Variant.product_id == variant.product_id, Variant.is_active.is_(True))
            .order_by(Variant.position, Variant.id)
        ).scalars()
    )


@buyer_bp.get("/<id:agreement_id>")
@business_buyer_required
def detail(agreement_id: int) -> ResponseReturnValue:
    return _detail(_buyer_agreement(agreement_id), Side.BUYER)


@buyer_bp.route("/<id:agreement_id>/change", methods=["GET", "POST"])
@business_buyer_required
def change(agreement_id: int) -> ResponseReturnValue:
    return _change(_buyer_agreement(agreement_id), Side.BUYER)


@buyer_bp.post("/<id:agreement_id>/accept")
@business_buyer_required
def accept(agreement_id: int) -> ResponseReturnValue:
    return _answer(_buyer_agreement(agreement_id), Side.BUYER, services.accept, ACCEPTED)


@buyer_bp.post("/<id:agreement_id>/decline")
@business_buyer_required
def decline(agreement_id: int) -> ResponseReturnValue:
    return _answer(_buyer_agreement(agreement_id), Side.BUYER, services.decline, DECLINED)


@buyer_bp.post("/<id:agreement_id>/withdraw")
@business_buyer_required
def withdraw(agreement_id: int) -> ResponseReturnValue:
    return _answer(_buyer_agreement(agreement_id), Side.BUYER, services.withdraw, WITHDRAWN)


@buyer_bp.get("/<id:agreement_id>/deliveries.csv")
@business_buyer_required
def csv(agreement_id: int) -> ResponseReturnValue:
    return _csv(_buyer_agreement(agreement_id))


@buyer_bp.get("/<id:agreement_id>/summary.pdf")
@business_buyer_required
def pdf(agreement_id: int) -> ResponseReturnValue:
    return _pdf(_buyer_agreement(agreement_id))


ACCEPTED = N_("Đã chấp nhận: hợp đồng có hiệu lực theo các điều khoản này.")
DECLINED = N_("Đã từ chối đề xuất.")
WITHDRAWN = N_("Đã rút lại đề xuất.")


# The producer's workspace pages ----------------------------------------------------


def _producer_agreement(producer_id: int, agreement_id: int) -> OfftakeAgreement:
    try:
        return services.agreement_for_producer(db.session, producer_id, agreement_id)
    except NotFound:
        abort(404)


@producer_bp.get("/<id:producer_id>/agreements")
@role_required(Role.PRODUCER)
def producer_index(producer_id: int) -> ResponseReturnValue:
    """The producer's agreements with their progress (Bao tiêu)."""
    producer = acting_producer(producer_id)
    views = services.producer_agreements(db.session, producer_id, today_in_vietnam())
    return render_template(
        "offtake/list.html",
        views=views,
        side=Side.PRODUCER,
        producer=producer,
        state_labels=STATE_LABELS,
    )


@producer_bp.route("/<id:producer_id>/agreements/new", methods=["GET", "POST"])
@role_required(Role.PRODUCER)
def producer_new(producer_id: int) -> ResponseReturnValue:
    """Propose an agreement to a business buyer, named by the email of its account."""
    producer = acting_producer(producer_id)
    form = ProducerProposalForm()
    variants = services.buyer_variants(db.session, producer_id)
    form.variant_id.choices = [(v.id, f"{v.product.name} ({v.label})") for v in variants]
    if request.method == "GET" and variants:
        form.variant_id.data = variants[0].id
        form.unit_price.data = variants[0].price_vnd
    set_place_choices(form)
    status = 200
    if variants and _submitted(form):
        terms, rows = _terms(form)
        try:
            agreement = services.propose_to_buyer(
                db.session,
                producer_id,
                int(current_user.id),
                form.buyer_email.data or "",
                form.variant_id.data,
                terms,
                today_in_vietnam(),
            )
        except OfftakeError as error:
            db.session.rollback()
            _show_error(form, error, rows)
            status = 422
        else:
            db.session.commit()
            flash(gettext("Đã gửi đề xuất bao tiêu; chờ bên mua chấp nhận."), "success")
            return redirect(
                url_for(
                    "offtake_producer.detail", producer_id=producer_id, agreement_id=agreement.id
                )
            )
    elif request.method == "POST":
        status = 422 if form.errors else 200
    page = render_template(
        "offtake/terms_form.html",
        form=form,
        agreement=None,
        producer=producer,
        side=Side.PRODUCER,
        has_variants=bool(variants),
        title=gettext("Đề xuất hợp đồng bao tiêu"),
        back=url_for("offtake_producer.producer_index", producer_id=producer_id),
    )
    return page, status


def _own(producer_id: int, agreement_id: int) -> tuple[Any, OfftakeAgreement]:
    producer = acting_producer(producer_id)
    return producer, _producer_agreement(producer_id, agreement_id)


@producer_bp.get("/<id:producer_id>/agreements/<id:agreement_id>", endpoint="detail")
@role_required(Role.PRODUCER)
def producer_detail(producer_id: int, agreement_id: int) -> ResponseReturnValue:
    producer, agreement = _own(producer_id, agreement_id)
    return _detail(agreement, Side.PRODUCER, producer)


@producer_bp.route(
    "/<id:producer_id>/agreements/<id:agreement_id>/change",
    methods=["GET", "POST"],
    endpoint="change",
)
@role_required(Role.PRODUCER)
def producer_change(producer_id: int, agreement_id: int) -> ResponseReturnValue:
    producer, agreement = _own(producer_id, agreement_id)
    return _change(agreement, Side.PRODUCER, producer)


@producer_bp.post("/<id:producer_id>/agreements/<id:agreement_id>/accept", endpoint="accept")
@role_required(Role.PRODUCER)
def producer_accept(producer_id: int, agreement_id: int) -> ResponseReturnValue:
    _, agreement = _own(producer_id, agreement_id)
    return _answer(agreement, Side.PRODUCER, services.accept, ACCEPTED)


@producer_bp.post("/<id:producer_id>/agreements/<id:agreement_id>/decline", endpoint="decline")
@role_required(Role.PRODUCER)
def producer_decline(producer_id: int, agreement_id: int) -> ResponseReturnValue:
    _, agreement = _own(producer_id, agreement_id)
    return _answer(agreement, Side.PRODUCER, services.decline, DECLINED)


@producer_bp.post("/<id:producer_id>/agreements/<id:agreement_id>/withdraw", endpoint="withdraw")
@role_required(Role.PRODUCER)
def producer_withdraw(producer_id: int, agreement_id: int) -> ResponseReturnValue:
    _, agreement = _own(producer_id, agreement_id)
    return _answer(agreement, Side.PRODUCER, services.withdraw, WITHDRAWN)


@producer_bp.get("/<id:producer_id>/agreements/<id:agreement_id>/deliveries.csv", endpoint="csv")
@role_required(Role.PRODUCER)
def producer_csv(producer_id: int, agreement_id: int) -> ResponseReturnValue:
    _, agreement = _own(producer_id, agreement_id)
    return _csv(agreement)


@producer_bp.get("/<id:producer_id>/agreements/<id:agreement_id>/summary.pdf", endpoint="pdf")
@role_required(Role.PRODUCER)
def producer_pdf(producer_id: int, agreement_id: int) -> ResponseReturnValue:
    _, agreement = _own(producer_id, agreement_id)
    return _pdf(agreement)
