"""The dashboards: /programme/<province> for its officers and admins, /programme for the
national view (admins) or an officer's own provinces. CSV of every table beside them."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from storefront.accounts import services as accounts
from storefront.accounts.access import role_required
from storefront.accounts.models import Role
from storefront.catalog.groups import PRODUCT_GROUPS
from storefront.extensions import db
from storefront.places import Province, get_province, province_by_slug
from storefront.producers.services import KIND_LABELS
from storefront.programme import export, services
from storefront.programme.periods import INVALID_PERIOD, Period, parse_period, period_choices
from storefront.timeutil import today_in_vietnam

bp = Blueprint("programme", __name__, url_prefix="/programme")
GROUP_NAMES = {g.code: g.name for g in PRODUCT_GROUPS}


def _province_for_reader(slug: str) -> Province:
    """The province, if the signed-in account may read its dashboard: admins any, officers
    their own; 404 otherwise, so other provinces' dashboards cannot be told apart from
    ones that do not exist."""
    province = province_by_slug(slug)
    if province is None:
        abort(404)
    if current_user.role == Role.ADMIN:
        return province
    if province.code not in accounts.officer_provinces(db.session, current_user.id):
        abort(404)
    return province


def _period() -> tuple[Period, str | None]:
    """The period asked for, or the default with a message saying so."""
    today = today_in_vietnam()
    period = parse_period(request.args.get("period"), today)
    if period is None:
        return parse_period(None, today), gettext(INVALID_PERIOD)  # type: ignore[return-value]
    return period, None


def _sort() -> tuple[str, bool]:
    sort = request.args.get("sort", "revenue")
    sort = sort if sort in services.PRODUCER_SORTS else "revenue"
    return sort, request.args.get("dir", "desc") != "asc"


@bp.get("/")
@role_required(Role.ADMIN, Role.OFFICER)
def index() -> ResponseReturnValue:
    """Admins: every province ranked. Officers: their province, or the list of them."""
    if current_user.role == Role.OFFICER:
        codes = accounts.officer_provinces(db.session, current_user.id)
        provinces = [p for code in codes if (p := get_province(code))]
        if len(provinces) == 1:
            return redirect(url_for("programme.province", slug=provinces[0].slug))
        return render_template("programme/mine.html", provinces=provinces)
    period, notice = _period()
    ranking = services.national_ranking(db.session, period)
    return render_template(
        "programme/national.html",
        period=period,
        notice=notice,
        choices=period_choices(today_in_vietnam()),
        by_revenue=ranking,
        by_share=services.by_outside_share(ranking),
    ), (400 if notice else 200)


@bp.get("/ranking.csv")
@role_required(Role.ADMIN)
def ranking_csv() -> ResponseReturnValue:
    period, _ = _period()
    body = export.ranking_csv(services.national_ranking(db.session, period))
    return _csv(body, f"ocop-toan-quoc-{period.key}.csv")


def _dashboard(province: Province, period: Period, only: str | None = None) -> dict[str, Any]:
    """The dashboard's sections (or `only` one of them, for a CSV)."""
    codes = [province.code]
    today = today_in_vietnam()
    sort, descending = _sort()
    found: dict[str, Any] = {}
    if only in (None, "reach"):
        found["reach"] = services.reach_section(db.session, codes, period)
        found["map"] = services.tile_map(found["reach"].destinations, codes)
    if only in (None, "products"):
        found["products"] = services.products_section(db.session, codes, today)
    if only in (None, "producers"):
        found["producers"] = services.producers_section(
            db.session, codes, period, today, sort, descending
        )
    if only in (None, "fairs"):
        found["fairs"] = services.fairs_section(db.session, codes, period)
    return found


@bp.get("/<slug>")
@role_required(Role.ADMIN, Role.OFFICER)
def province(slug: str) -> ResponseReturnValue:
    place = _province_for_reader(slug)
    period, notice = _period()
    sort, descending = _sort()
    return render_template(
        "programme/province.html",
        province=place,
        period=period,
        notice=notice,
        choices=period_choices(today_in_vietnam()),
        sort=sort,
        descending=descending,
        group_names=GROUP_NAMES,
        kind_labels=KIND_LABELS,
        tables=export.TABLES,
        soon_days=services.EXPIRY_SOON,
        later_days=services.EXPIRY_LATER,
        active_days=services.ACTIVE_DAYS,
        **_dashboard(place, period),
    ), (400 if notice else 200)


@bp.get("/<slug>/<table>.csv")
@role_required(Role.ADMIN, Role.OFFICER)
def province_csv(slug: str, table: str) -> ResponseReturnValue:
    place = _province_for_reader(slug)
    if table not in export.TABLES:
        abort(404)
    period, _ = _period()
    sections = _dashboard(place, period, only=export.TABLES[table])
    body = export.table_csv(table, sections, GROUP_NAMES, KIND_LABELS)
    return _csv(body, f"ocop-{place.slug}-{table}-{period.key}.csv")


def _csv(body: str, filename: str) -> Response:
    return Response(
        body,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "private, no-store",
        },
    )
