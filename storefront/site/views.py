"""Routes that belong to the whole site rather than one domain."""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify, redirect, request, send_from_directory
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from storefront.extensions import db
from storefront.i18n import LANGUAGE_COOKIE
from storefront.site.urls import safe_next_path

bp = Blueprint("site", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Liveness plus a round trip to the database; 503 when the database is unreachable."""
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.exception("health check: database unreachable")
        db.session.rollback()
        return jsonify(status="error", database="unreachable"), 503
    return jsonify(status="ok", database="ok")


@bp.get("/language/<code>")
def set_language(code: str) -> ResponseReturnValue:
    """Remember the visitor's language in a cookie and go back to the page they were on."""
    target = safe_next_path(request.args.get("next"), default="/")
    response = redirect(target)
    if code in current_app.config["LANGUAGES"]:
        response.set_cookie(
            LANGUAGE_COOKIE,
            code,
            max_age=365 * 24 * 3600,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
    return response


@bp.get("/media/<path:filename>")
def media(filename: str) -> ResponseReturnValue:
    """Uploaded and generated images; names carry a content hash, so cache them for good."""
    return send_from_directory(current_app.config["MEDIA_ROOT"], filename, max_age=365 * 24 * 3600)
