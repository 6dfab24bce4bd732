"""Batches in the producer area (/producer/batches…) and the public trace page (/t/<code>)."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from sqlalchemy.exc import SQLAlchemyError

from storefront.accounts.access import current_producer_ids, role_required
from storefront.accounts.forms import REQUIRED, set_place_choices
from storefront.accounts.models import Role
from storefront.catalog.models import Producer
from storefront.errors import NotFound
from storefront.extensions import db
from storefront.numbers import row_id
from storefront.text import slugify
from storefront.timeutil import today_in_vietnam
from storefront.traceability import codes, qr, queries, services, stamps
from storefront.traceability.forms import (
    BatchForm,
    StampSheetForm,
    StepForm,
    step_kind_choices,
)
from storefront.traceability.models import Batch

bp = Blueprint("traceability", __name__)


@bp.app_template_filter("batch_code")
def batch_code(code: str) -> str:
    """A stored batch code as printed on stamps: {{ batch.code|batch_code }} → 7K3F-9QXM-2AB."""
    return codes.display(code)


# --- the producer's batches -------------------------------------------------------------


def _own_batch(batch_id: int) -> Batch:
    try:
        return services.get_batch(db.session, batch_id, current_producer_ids())
    except NotFound:
        abort(404)


def _trace_url(batch: Batch) -> str:
    return qr.trace_url(current_app.config["PUBLIC_BASE_URL"], batch.code)


def _kind_choices() -> list[tuple[str, str]]:
    return [(value, gettext(label)) for value, label in step_kind_choices()]


def _download_name(batch: Batch, extension: str) -> str:
    return f"tem-{slugify(batch.product.name)[:60]}-{batch.code}.{extension}"


def _menu_producer(producer_ids: list[int]) -> Producer | None:
    """Whose workspace menu the batch pages show: batches belong to the account, so the
    account's first producer (most accounts act for one)."""
    return db.session.get(Producer, producer_ids[0]) if producer_ids else None


@bp.get("/producer/batches")
@role_required(Role.PRODUCER)
def batches() -> ResponseReturnValue:
    """The producer's batches, newest first, with how often each stamp was scanned."""
    producer_ids = current_producer_ids()
    items = services.batches_of(db.session, producer_ids)
    return render_template(
        "traceability/batches.html",
        batches=items,
        scans=services.scan_counts(db.session, [b.id for b in items]),
        several_producers=len(producer_ids) > 1,
        producer=_menu_producer(producer_ids),
    )


def _variant_choices(producer_ids: list[int]) -> list[tuple[int, str]]:
    variants = services.variants_of(db.session, producer_ids)
    return [(v.id, f"{v.product.name} · {v.label}") for v in variants]


def _default_place(form: BatchForm, producer_ids: list[int]) -> None:
    """Start from the producer's own province and ward: most batches are made at home."""
    if not producer_ids:
        return
    producer = db.session.get(Producer, producer_ids[0])
    if producer is not None:
        form.province_code.data = producer.province_code
        form.ward_code.data = producer.ward_code


def _step_data(form: BatchForm) -> list[services.StepData]:
    steps = []
    for entry in form.steps.entries:
        row = entry.form
        if row.is_blank():
            continue
        if row.happened_on.data is None:
            row.happened_on.errors = [*row.happened_on.errors, REQUIRED]
            continue
        steps.append(
            services.StepData(
                kind=row.kind.data or "",
                happened_on=row.happened_on.data,
                place=row.place.data or "",
                note=row.note.data or "",
            )
        )
    return steps


def _show_error(form: BatchForm, error: services.BatchError, step_rows: list[int]) -> None:
    """Put a service error beside the field it is about (or flash it)."""
    if error.step_index is not None and error.field:
        row = form.steps.entries[step_rows[error.step_index]].form
        getattr(row, error.field).errors = [error.message]
    elif error.field and hasattr(form, error.field):
        getattr(form, error.field).errors = [error.message]
    else:
        flash(str(error), "error")


@bp.route("/producer/batches/new", methods=["GET", "POST"])
@role_required(Role.PRODUCER)
def new_batch() -> ResponseReturnValue:
    """Record a batch: which variant, dates, quantity, place and the chain of steps."""
    producer_ids = current_producer_ids()
    form = BatchForm()
    form.variant_id.choices = _variant_choices(producer_ids)
    for entry in form.steps.entries:
        entry.form.kind.choices = _kind_choices()
    if request.method == "GET":
        wanted = row_id(request.args.get("variant"))
        if wanted in {value for value, _ in form.variant_id.choices}:
            form.variant_id.data = wanted
        _default_place(form, producer_ids)
    set_place_choices(form)
    if "choose_province" not in request.form and form.validate_on_submit():
        rows = [i for i, entry in enumerate(form.steps.entries) if not entry.form.is_blank()]
        steps = _step_data(form)
        if len(steps) == len(rows):
            data = services.BatchData(
                variant_id=form.variant_id.data or 0,
                produced_on=form.produced_on.data,
                expires_on=form.expires_on.data,
                quantity=form.quantity.data or 0,
                province_code=form.province_code.data or 0,
                ward_code=form.ward_code.data or 0,
                place_detail=form.place_detail.data or "",
                steps=steps,
            )
            try:
                batch = services.create_batch(db.session, producer_ids, data, today_in_vietnam())
            except NotFound:
                db.session.rollback()
                abort(404)
            except services.BatchError as error:
                db.session.rollback()
                _show_error(form, error, rows)
            else:
                db.session.commit()
                flash(gettext("Đã ghi lô %(code)s.", code=codes.display(batch.code)), "success")
                return redirect(url_for("traceability.batch", batch_id=batch.id))
    return render_template(
        "traceability/new_batch.html", form=form, producer=_menu_producer(producer_ids)
    )


@bp.get("/producer/batches/<id:batch_id>")
@role_required(Role.PRODUCER)
def batch(batch_id: int) -> ResponseReturnValue:
    """A batch with its chain, QR code downloads, stamp sheet form and scan counts."""
    item = _own_batch(batch_id)
    return _batch_page(item, StepForm(), StampSheetForm(formdata=None))


def _batch_page(item: Batch, step_form: StepForm, stamp_form: StampSheetForm) -> str:
    step_form.kind.choices = _kind_choices()
    return render_template(
        "traceability/batch.html",
        batch=item,
        producer=item.producer,
        code=codes.display(item.code),
        trace_url=_trace_url(item),
        step_form=step_form,
        stamp_form=stamp_form,
        step_labels=services.STEP_LABELS,
        scans=services.scans_by_day(db.session, item.id),
        per_page=stamps.PER_PAGE,
    )


@bp.post("/producer/batches/<id:batch_id>/steps")
@role_required(Role.PRODUCER)
def add_step(batch_id: int) -> ResponseReturnValue:
    item = _own_batch(batch_id)
    form = StepForm()
    if form.validate_on_submit():
        data = services.StepData(
            kind=form.kind.data or "",
            happened_on=form.happened_on.data,
            place=form.place.data or "",
            note=form.note.data or "",
        )
        try:
            services.add_step(db.session, item, data, today_in_vietnam())
        except services.BatchError as error:
            db.session.rollback()
            if error.field and hasattr(form, error.field):
                getattr(form, error.field).errors = [error.message]
            else:
                flash(str(error), "error")
        else:
            db.session.commit()
            flash(gettext("Đã thêm công đoạn."), "success")
            return redirect(url_for("traceability.batch", batch_id=batch_id) + "#chain")
    item = _own_batch(batch_id)
    return _batch_page(item, form, StampSheetForm(formdata=None)), 422


@bp.get("/producer/batches/<id:batch_id>/qr.svg")
@role_required(Role.PRODUCER)
def qr_svg(batch_id: int) -> ResponseReturnValue:
    item = _own_batch(batch_id)
    body = qr.qr_svg(_trace_url(item), title=f"{item.product.name} {codes.display(item.code)}")
    return _download(body, "image/svg+xml", _download_name(item, "svg"))


@bp.get("/producer/batches/<id:batch_id>/qr.png")
@role_required(Role.PRODUCER)
def qr_png(batch_id: int) -> ResponseReturnValue:
    item = _own_batch(batch_id)
    return _download(qr.qr_png(_trace_url(item)), "image/png", _download_name(item, "png"))


@bp.get("/producer/batches/<id:batch_id>/stamps.pdf")
@role_required(Role.PRODUCER)
def stamp_sheet(batch_id: int) -> ResponseReturnValue:
    """An A4 PDF of `count` stamps (1 to 500; one page of 21 when not given)."""
    item = _own_batch(batch_id)
    count = stamps.PER_PAGE
    if "count" in request.args:
        form = StampSheetForm(formdata=request.args)
        if not form.validate():
            return _batch_page(item, StepForm(), form), 422
        count = form.count.data or count
    certificate = item.certificate
    content = stamps.StampContent(
        url=_trace_url(item),
        code=codes.display(item.code),
        product_name=item.product.name,
        variant_label=item.variant.label,
        stars=certificate.stars if certificate else None,
        produced_on=item.produced_on,
        expires_on=item.expires_on,
    )
    pdf = stamps.stamp_sheet_pdf(content, count)
    return _download(pdf, "application/pdf", _download_name(item, "pdf"))


def _download(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- the public trace page --------------------------------------------------------------


def _contact() -> dict[str, str]:
    """Where to report a suspected fake stamp (SUPPORT_EMAIL, SUPPORT_PHONE)."""
    return {
        "email": str(current_app.config.get("SUPPORT_EMAIL") or ""),
        "phone": str(current_app.config.get("SUPPORT_PHONE") or ""),
    }


@bp.get("/t/")
def lookup() -> ResponseReturnValue:
    """Type a code from a stamp: a well-formed one goes to its trace page."""
    raw = request.args.get("code", "")
    if raw:
        parsed = codes.parse(raw)
        if parsed.status is codes.CodeStatus.VALID:
            return redirect(url_for("traceability.trace", code=parsed.code))
        return _not_traced(parsed, raw)
    return render_template("traceability/lookup.html", typed="")


def _not_traced(parsed: codes.ParsedCode, raw: str) -> ResponseReturnValue:
    template = (
        "traceability/mistyped.html"
        if parsed.status is codes.CodeStatus.MISTYPED
        else "traceability/not_found.html"
    )
    typed = raw[: codes.MAX_INPUT_LENGTH]
    return render_template(template, typed=typed, contact=_contact(), report_code=typed), 404


@bp.get("/t/<code>")
def trace(code: str) -> ResponseReturnValue:
    """The public trace page a stamp's QR code opens; each opening is counted per day."""
    parsed = codes.parse(code)
    if parsed.status is not codes.CodeStatus.VALID:
        return _not_traced(parsed, code)
    today = today_in_vietnam()
    page = queries.trace_page(db.session, parsed.code, today)
    if page is None:
        return _not_traced(parsed, code)
    html = render_template(
        "traceability/trace.html",
        page=page,
        step_labels=services.STEP_LABELS,
        state=queries.CertificateState,
        contact=_contact(),
        report_code=page.code,
    )
    # Counted after rendering (a commit expires what the page reads), and best effort:
    # a failed count must not hide the trace from the person holding the product.
    batch_id = page.batch.id
    if request.method != "GET":  # HEAD: link checkers and previews, not a person
        return html
    try:
        services.record_scan(db.session, batch_id, today)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        current_app.logger.exception("could not count a scan of batch %s", batch_id)
    return html
