"""The admin's audit log page, filterable by actor, action, target and date."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from storefront.accounts.access import role_required
from storefront.accounts.models import Role
from storefront.audit import services
from storefront.extensions import db
from storefront.numbers import page_number

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


def _date(value: str | None) -> date | None:
    """A day of the filter, or None; not the first or last year the calendar has, since
    the filter adds a day and converts to UTC (no entry is that old or that new)."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    return day if day is not None and 1 < day.year < 9999 else None


@bp.get("")
@role_required(Role.ADMIN)
def log() -> ResponseReturnValue:
    args = request.args
    filters = services.AuditFilter(
        actor=args.get("actor", "").strip()[:254],
        action=args.get("action", "").strip()[:60],
        target_type=args.get("target_type", "").strip()[:40],
        target_id=args.get("target_id", "").strip()[:40],
        since=_date(args.get("since")),
        until=_date(args.get("until")),
        page=page_number(args.get("page"), last=999_999),
    )
    entries, total = services.search(db.session, filters)
    pages = max(1, -(-total // services.PAGE_SIZE))
    return render_template(
        "audit/log.html",
        entries=entries,
        total=total,
        filters=filters,
        page=min(filters.page, pages),
        pages=pages,
        actions=services.known_actions(db.session),
        target_types=services.known_target_types(db.session),
    )
