"""Fair pages: the public list and fair page, and the organisers' desk for their fairs,
featured products, home-page features and reports."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from storefront.accounts.access import current_producer_ids, role_required
from storefront.accounts.models import Role, User
from storefront.audit import services as audit
from storefront.catalog.cache import catalogue_changed
from storefront.catalog.models import Producer, Product
from storefront.errors import DomainError, NotFound
from storefront.extensions import db
from storefront.fairs import queries, report, services
from storefront.fairs.attribution import remember_fair_visit
from storefront.fairs.forms import (
    STATE_LABELS,
    ActionForm,
    FairForm,
    FeatureForm,
    HomeFeatureForm,
    InviteForm,
    StateForm,
)
from storefront.fairs.models import Fair, FairExhibitor, FairState, as_utc
from storefront.i18n import N_
from storefront.media import read_upload
from storefront.money import vnd
from storefront.places import all_provinces, get_province
from storefront.producers import charts
from storefront.storage import media_storage
from storefront.timeutil import VIETNAM_TZ, today_in_vietnam, utcnow

bp = Blueprint("fairs", __name__, url_prefix="/fairs")
ORGANISERS = (Role.ORGANISER, Role.ADMIN)
# What other domains show inside each booth of the fair page (meetings: the bookable
# slots), each (fair, booth exhibitor ids, now) -> {exhibitor id: HTML}; filled by their
# init_app so that fairs imports none of them.
BOOTH_SECTIONS: dict[str, Callable[[Fair, list[int], datetime], dict[int, Markup]]] = {}
FAIR_FIELDS = (
    "name",
    "venue",
    "province_code",
    "starts_on",
    "ends_on",
    "opens_at",
    "closes_at",
    "state",
)


def _commit() -> None:
    """Commit, then refresh the home page's cached fair sections."""
    db.session.commit()
    catalogue_changed()


def _user() -> User:
    return current_user._get_current_object()


def _may_manage(fair: Fair) -> bool:
    return current_user.is_authenticated and services.can_manage(_user(), fair)


def _managed(fair_id: int) -> Fair:
    """The fair if the signed-in organiser runs it (admins: any); 404 otherwise."""
    fair = db.session.get(Fair, fair_id)
    if fair is None or not services.can_manage(_user(), fair):
        abort(404)
    return fair


def _record(
    action: str, target: object, before: dict[str, Any] | None, after: dict[str, Any] | None
) -> None:
    audit.record(db.session, _user().id, action, target, before, after)


# Public pages ---------------------------------------------------------------------------


@bp.get("")
def index() -> ResponseReturnValue:
    lists = queries.public_fairs(db.session, utcnow())
    return render_template(
        "fairs/index.html",
        lists=lists,
        provinces=_provinces(),
        producer_ids=current_producer_ids(),
    )


def _provinces() -> dict[int, str]:
    return {p.code: p.name for p in all_provinces()}


@bp.get("/<slug>")
def detail(slug: str) -> ResponseReturnValue:
    fair = queries.fair_by_slug(db.session, slug)
    if fair is None or (fair.state == FairState.DRAFT and not _may_manage(fair)):
        abort(404)
    now = utcnow()
    page = queries.fair_page(db.session, fair, now, today_in_vietnam())
    remember_fair_visit(session, fair, now)
    booth_ids = [booth.exhibitor.id for booth in page.booths]
    booth_extras: dict[int, Markup] = {}
    for section in BOOTH_SECTIONS.values():
        for exhibitor_id, html in section(fair, booth_ids, now).items():
            booth_extras[exhibitor_id] = booth_extras.get(exhibitor_id, Markup()) + html
    return render_template(
        "fairs/detail.html",
        page=page,
        booth_extras=booth_extras,
        fair=fair,
        province=get_province(fair.province_code),
        provinces=_provinces(),
        may_manage=_may_manage(fair),
    )


# The organisers' desk -----------------------------------------------------------------


@bp.get("/manage")
@role_required(*ORGANISERS)
def manage() -> ResponseReturnValue:
    return render_template(
        "fairs/manage.html",
        fairs=services.managed_fairs(db.session, _user()),
        state_labels=STATE_LABELS,
        now=utcnow(),
    )


def _fair_form(fair: Fair | None = None) -> FairForm:
    form = FairForm(obj=None) if fair is None else FairForm(data=_form_data(fair))
    form.province_code.choices = [(p.code, p.name) for p in all_provinces()]
    return form


def _local(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(VIETNAM_TZ).replace(tzinfo=None)


def _form_data(fair: Fair) -> dict[str, object]:
    return {
        "name": fair.name,
        "description": fair.description,
        "venue": fair.venue,
        "province_code": fair.province_code,
        "starts_on": fair.starts_on,
        "ends_on": fair.ends_on,
        "opens_local": _local(fair.opens_at),
        "closes_local": _local(fair.closes_at),
    }


def _fair_data(form: FairForm) -> services.FairData:
    return services.FairData(
        name=form.name.data or "",
        description=form.description.data or "",
        venue=form.venue.data or "",
        province_code=form.province_code.data or 0,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        opens_local=form.opens_local.data,
        closes_local=form.closes_local.data,
    )


def _save_banner(form: FairForm, fair: Fair) -> None:
    upload = form.banner.data
    if upload and getattr(upload, "filename", ""):
        before = {"banner_path": fair.banner_path}
        services.set_banner(db.session, fair, media_storage(), read_upload(upload.stream))
        _record("fair.banner", fair, before, {"banner_path": fair.banner_path})


def _form_error(form: FairForm, error: DomainError) -> None:
    field = getattr(error, "field", None)
    if field and field in form:
        form[field].errors = [*form[field].errors, error.message]
    else:
        flash(str(error), "error")


@bp.route("/manage/new", methods=["GET", "POST"])
@role_required(*ORGANISERS)
def new() -> ResponseReturnValue:
    form = _fair_form()
    if form.validate_on_submit():
        try:
            fair = services.create_fair(db.session, _user(), _fair_data(form))
            _record("fair.create", fair, None, audit.snapshot(fair, FAIR_FIELDS))
            _save_banner(form, fair)
        except DomainError as error:
            db.session.rollback()
            _form_error(form, error)
        else:
            _commit()
            flash(gettext("Đã tạo hội chợ (bản nháp)."), "success")
            return redirect(url_for(".edit", fair_id=fair.id))
    status = 400 if request.method == "POST" else 200
    return render_template("fairs/form.html", form=form, fair=None), status


@bp.route("/manage/<id:fair_id>", methods=["GET", "POST"])
@role_required(*ORGANISERS)
def edit(fair_id: int) -> ResponseReturnValue:
    fair = _managed(fair_id)
    form = _fair_form(fair) if request.method == "GET" else _fair_form()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            before = audit.snapshot(fair, FAIR_FIELDS)
            try:
                services.update_fair(db.session, fair, _fair_data(form))
                _record("fair.update", fair, before, audit.snapshot(fair, FAIR_FIELDS))
                _save_banner(form, fair)
            except DomainError as error:
                db.session.rollback()
                fair = _managed(fair_id)
                _form_error(form, error)
            else:
                _commit()
                flash(gettext("Đã lưu hội chợ."), "success")
                return redirect(url_for(".edit", fair_id=fair.id))
        status = 400
    return _edit_page(fair, form, FeatureForm(formdata=None), status)


def _edit_page(
    fair: Fair, form: FairForm, feature: FeatureForm, status: int = 200
) -> ResponseReturnValue:
    """The organiser's page of one fair: its form, exhibitors, featured products, state.
    A refused form is passed in as submitted, so it shows what the organiser typed."""
    exhibitors, features = queries.manage_page(db.session, fair)
    invite = InviteForm()
    invite.producer_id.choices = [
        (p.id, p.name)
        for p in db.session.execute(
            select(Producer).where(Producer.is_active.is_(True)).order_by(Producer.name)
        ).scalars()
    ]
    feature.variant_id.choices = [
        (v.id, f"{v.product.name} · {v.label} · {vnd(v.price_vnd)}")
        for v in services.featurable_variants(db.session, fair)
    ]
    state = StateForm(formdata=None, state=fair.state.value)
    state.state.choices = [(s.value, gettext(label)) for s, label in STATE_LABELS.items()]
    return (
        render_template(
            "fairs/edit.html",
            fair=fair,
            form=form,
            invite_form=invite,
            feature_form=feature,
            state_form=state,
            action_form=ActionForm(),
            exhibitors=exhibitors,
            features=features,
            state_labels=STATE_LABELS,
        ),
        status,
    )


def _done(fair: Fair, message: str) -> ResponseReturnValue:
    _commit()
    flash(message, "success")
    return redirect(url_for(".edit", fair_id=fair.id))


def _refused(fair_id: int, error: DomainError) -> ResponseReturnValue:
    db.session.rollback()
    if isinstance(error, NotFound):
        abort(404)
    flash(str(error), "error")
    return redirect(url_for(".edit", fair_id=fair_id))


@bp.post("/manage/<id:fair_id>/state")
@role_required(*ORGANISERS)
def set_state(fair_id: int) -> ResponseReturnValue:
    fair = _managed(fair_id)
    form = StateForm()
    if not form.validate_on_submit():
        abort(400)
    before = {"state": fair.state}
    try:
        services.set_state(db.session, fair, form.state.data or "")
        _record("fair.state", fair, before, {"state": fair.state})
    except DomainError as error:
        return _refused(fair_id, error)
    return _done(fair, gettext("Đã đổi trạng thái hội chợ."))


@bp.post("/manage/<id:fair_id>/invite")
@role_required(*ORGANISERS)
def invite(fair_id: int) -> ResponseReturnValue:
    fair = _managed(fair_id)
    form = InviteForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        exhibitor = services.invite_exhibitor(db.session, fair, form.producer_id.data or 0)
        _record(
            "exhibitor.invite",
            exhibitor,
            None,
            audit.snapshot(exhibitor, ("fair_id", "producer_id", "status")),
        )
    except DomainError as error:
        return _refused(fair_id, error)
    return _done(fair, gettext("Đã mời chủ thể tham gia hội chợ."))


def _fair_exhibitor(fair: Fair, exhibitor_id: int) -> FairExhibitor:
    exhibitor = db.session.get(FairExhibitor, exhibitor_id)
    if exhibitor is None or exhibitor.fair_id != fair.id:
        abort(404)
    return exhibitor


@bp.post("/manage/<id:fair_id>/exhibitors/<id:exhibitor_id>/accept")
@role_required(*ORGANISERS)
def accept_exhibitor(fair_id: int, exhibitor_id: int) -> ResponseReturnValue:
    fair = _managed(fair_id)
    exhibitor = _fair_exhibitor(fair, exhibitor_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    before = {"status": exhibitor.status}
    try:
        services.accept_request(db.session, exhibitor)
        _record("exhibitor.accept", exhibitor, before, {"status": exhibitor.status})
    except DomainError as error:
        return _refused(fair_id, error)
    return _done(fair, gettext("Đã duyệt gian hàng."))


@bp.post("/manage/<id:fair_id>/exhibitors/<id:exhibitor_id>/remove")
@role_required(*ORGANISERS)
def remove_exhibitor(fair_id: int, exhibitor_id: int) -> ResponseReturnValue:
    fair = _managed(fair_id)
    exhibitor = _fair_exhibitor(fair, exhibitor_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    before = audit.snapshot(exhibitor, ("fair_id", "producer_id", "status"))
    _record("exhibitor.remove", exhibitor, before, None)
    services.remove_exhibitor(db.session, exhibitor)
    return _done(fair, gettext("Đã gỡ chủ thể khỏi hội chợ."))


@bp.post("/manage/<id:fair_id>/features")
@role_required(*ORGANISERS)
def add_feature(fair_id: int) -> ResponseReturnValue:
    fair = _managed(fair_id)
    form = FeatureForm()
    if not form.validate_on_submit():
        return _feature_refused(fair, form)
    try:
        feature = services.feature_variant(
            db.session,
            fair,
            form.variant_id.data or 0,
            form.position.data or 0,
            form.fair_price.data,
        )
        _record(
            "feature.set",
            feature,
            None,
            audit.snapshot(feature, ("fair_id", "variant_id", "position", "fair_price_vnd")),
        )
    except NotFound:
        db.session.rollback()
        abort(404)
    except DomainError as error:
        db.session.rollback()
        field = getattr(error, "field", None)
        if field and field in form:
            form[field].errors = [*form[field].errors, str(error)]
        else:
            flash(str(error), "error")
        return _feature_refused(_managed(fair_id), form)
    return _done(fair, gettext("Đã lưu sản phẩm nổi bật."))


def _feature_refused(fair: Fair, feature: FeatureForm) -> ResponseReturnValue:
    """The fair's page again with the featured-product form as it was filled in: the
    product chosen, the position and the price typed stay, beside what was refused."""
    return _edit_page(fair, _fair_form(fair), feature, 400)


@bp.post("/manage/<id:fair_id>/features/<id:feature_id>/remove")
@role_required(*ORGANISERS)
def remove_feature(fair_id: int, feature_id: int) -> ResponseReturnValue:
    fair = _managed(fair_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        feature = services.remove_feature(db.session, fair, feature_id)
        _record(
            "feature.remove",
            feature,
            audit.snapshot(feature, ("fair_id", "variant_id", "position", "fair_price_vnd")),
            None,
        )
    except DomainError as error:
        return _refused(fair_id, error)
    return _done(fair, gettext("Đã bỏ sản phẩm nổi bật."))


@bp.get("/manage/<id:fair_id>/report")
@role_required(*ORGANISERS)
def report_page(fair_id: int) -> ResponseReturnValue:
    fair = _managed(fair_id)
    found = report.fair_report(db.session, fair.id)
    return render_template(
        "fairs/report.html",
        fair=fair,
        report=found,
        business=report.business_section(db.session, fair.id),
        chart=charts.bar_chart([(e.producer_name, e.revenue_vnd) for e in found.exhibitors]),
    )


@bp.get("/manage/<id:fair_id>/report.csv")
@role_required(*ORGANISERS)
def report_csv(fair_id: int) -> ResponseReturnValue:
    fair = _managed(fair_id)
    body = report.report_csv(
        report.fair_report(db.session, fair.id), report.business_section(db.session, fair.id)
    )
    return Response(
        body,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{fair.slug}-bao-cao.csv"'},
    )


# Home page features ---------------------------------------------------------------------


def _product_from(text: str) -> int:
    slug = text.strip().rstrip("/").rsplit("/", 1)[-1][:160]
    product_id = db.session.execute(select(Product.id).where(Product.slug == slug)).scalar()
    if product_id is None:
        raise services.FairError(N_("Không tìm thấy sản phẩm này."), field="product")
    return product_id


@bp.route("/manage/home", methods=["GET", "POST"])
@role_required(*ORGANISERS)
def home_features() -> ResponseReturnValue:
    form = HomeFeatureForm()
    status = 200
    if request.method == "POST":
        status = 400
        if form.validate_on_submit():
            try:
                feature = services.add_home_feature(
                    db.session,
                    _user(),
                    _product_from(form.product.data or ""),
                    form.position.data or 0,
                    form.starts_on.data,
                    form.ends_on.data,
                )
                _record(
                    "home_feature.add",
                    feature,
                    None,
                    audit.snapshot(feature, ("product_id", "position", "starts_on", "ends_on")),
                )
            except DomainError as error:
                db.session.rollback()
                field = getattr(error, "field", None)
                if field and field in form:
                    form[field].errors = [*form[field].errors, error.message]
                else:
                    flash(str(error), "error")
            else:
                _commit()
                flash(gettext("Đã thêm sản phẩm nổi bật lên trang chủ."), "success")
                return redirect(url_for(".home_features"))
    return (
        render_template(
            "fairs/home_features.html",
            form=form,
            features=services.home_feature_list(db.session),
            action_form=ActionForm(),
            today=today_in_vietnam(),
        ),
        status,
    )


@bp.post("/manage/home/<id:feature_id>/remove")
@role_required(*ORGANISERS)
def remove_home_feature(feature_id: int) -> ResponseReturnValue:
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        feature = services.remove_home_feature(db.session, feature_id)
        _record(
            "home_feature.remove",
            feature,
            audit.snapshot(feature, ("product_id", "position", "starts_on", "ends_on")),
            None,
        )
    except NotFound:
        db.session.rollback()
        abort(404)
    _commit()
    flash(gettext("Đã bỏ sản phẩm khỏi trang chủ."), "success")
    return redirect(url_for(".home_features"))
