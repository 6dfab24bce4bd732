"""The admin's audit log page, filterable by actor, action, target and date."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from storefront.accounts.access import role_required
from storefront.accounts.models import Role
from storefront.audit import presentation, services
from storefront.extensions import db
from storefront.numbers import page_number
from storefront.timeutil import parse_day

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.get("")
@role_required(Role.ADMIN)
def log() -> ResponseReturnValue:
    args = request.args
    filters = services.AuditFilter(
        actor=args.get("actor", "").strip()[:254],
        action=args.get("action", "").strip()[:60],
        target_type=args.get("target_type", "").strip()[:40],
        target_id=args.get("target_id", "").strip()[:40],
        since=parse_day(args.get("since")),
        until=parse_day(args.get("until")),
        page=page_number(args.get("page"), last=999_999),
    )
    entries, total = services.search(db.session, filters)
    pages = max(1, -(-total // services.PAGE_SIZE))
    return render_template(
        "audit/log.html",
        entries=presentation.present(db.session, entries),
        action_label=presentation.action_label,
        target_type_label=presentation.target_type_label,
        total=total,
        filters=filters,
        page=min(filters.page, pages),
        pages=pages,
        actions=services.known_actions(db.session),
        target_types=services.known_target_types(db.session),
    )
