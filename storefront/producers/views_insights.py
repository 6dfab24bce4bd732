"""The producer's certificates (submit, see their state) and sales figures."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from storefront.accounts.access import role_required
from storefront.accounts.models import Role
from storefront.dates import format_day
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.i18n import N_
from storefront.media import UploadRefused, read_upload
from storefront.numbers import row_id, whole_number
from storefront.producers import certificates, charts, listings, sales
from storefront.producers.certificates import CertificateError
from storefront.producers.workspace import acting_producer, commit, media_root, own_product, refused
from storefront.producers.workspace_forms import CertificateForm
from storefront.timeutil import today_in_vietnam

bp = Blueprint("producer_insights", __name__, url_prefix="/producer")


@bp.get("/<id:producer_id>/certificates")
@role_required(Role.PRODUCER)
def certificate_list(producer_id: int) -> ResponseReturnValue:
    """Every certificate with its state; those ending within 60 days are flagged."""
    producer = acting_producer(producer_id)
    today = today_in_vietnam()
    items = certificates.of_producer(db.session, producer_id)
    return render_template(
        "producers/certificates.html",
        producer=producer,
        items=[(c, certificates.state_of(c, today)) for c in items],
        state_labels=certificates.STATE_LABELS,
        level_labels=certificates.LEVEL_LABELS,
        warning_days=certificates.EXPIRY_WARNING_DAYS,
    )


def _decision_date(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError as exc:
        raise CertificateError(N_("Ngày quyết định không hợp lệ (năm-tháng-ngày).")) from exc


@bp.route("/<id:producer_id>/certificates/new", methods=["GET", "POST"])
@role_required(Role.PRODUCER)
def new_certificate(producer_id: int) -> ResponseReturnValue:
    """Submit a certificate with its scan; it waits for an admin's check."""
    producer = acting_producer(producer_id)
    form = CertificateForm()
    form.product_id.choices = [
        (row.product.id, row.product.name) for row in listings.listing(db.session, producer_id)
    ]
    if request.method == "GET" and row_id(request.args.get("product")):
        form.product_id.data = row_id(request.args.get("product"))
    status = 200
    if form.validate_on_submit():
        product = own_product(producer_id, form.product_id.data or 0)  # 404 if not theirs
        upload = request.files.get(form.scan.name)
        try:
            if upload is None or not upload.filename:
                raise UploadRefused(N_("Vui lòng chọn tệp bản chụp giấy chứng nhận."))
            submission = certificates.Submission(
                stars=whole_number(form.stars.data, 0, 5) or 0,
                level=form.level.data or "",
                decision_number=form.decision_number.data or "",
                decision_date=_decision_date(form.decision_date.data or ""),
                issuing_body=form.issuing_body.data or "",
            )
            certificates.submit(
                db.session,
                media_root(),
                product,
                submission,
                read_upload(upload.stream),
                today_in_vietnam(),
            )
        except DomainError as error:
            refused(error)
            status = 400
        else:
            commit()
            flash(gettext("Đã gửi giấy chứng nhận. Quản trị viên sẽ xác minh."), "success")
            return redirect(url_for(".certificate_list", producer_id=producer_id))
    elif request.method == "POST":
        status = 400
    return render_template("producers/certificate_new.html", producer=producer, form=form), status


@bp.get("/<id:producer_id>/sales")
@role_required(Role.PRODUCER)
def sales_page(producer_id: int) -> ResponseReturnValue:
    """Revenue and units by week, top products, where orders go: charts and tables."""
    producer = acting_producer(producer_id)
    weeks = whole_number(request.args.get("weeks"), 1, 999) or sales.DEFAULT_WEEKS
    if weeks not in sales.WEEK_CHOICES:
        weeks = sales.DEFAULT_WEEKS
    report = sales.sales_report(
        db.session, producer_id, producer.province_code, today_in_vietnam(), weeks
    )
    week_labels = [format_day(w.start, "day_month") for w in report.weeks]
    return render_template(
        "producers/sales.html",
        producer=producer,
        report=report,
        weeks=weeks,
        week_choices=sales.WEEK_CHOICES,
        revenue_chart=charts.column_chart(
            list(zip(week_labels, [w.revenue_vnd for w in report.weeks], strict=True))
        ),
        units_chart=charts.column_chart(
            list(zip(week_labels, [w.units for w in report.weeks], strict=True))
        ),
        province_chart=charts.bar_chart([(p.name, p.orders) for p in report.provinces]),
        product_chart=charts.bar_chart([(p.name, p.revenue_vnd) for p in report.top_products]),
    )
