"""Routes that belong to the whole site rather than one domain."""

from __future__ import annotations

import hashlib
import io

from flask import Blueprint, abort, current_app, jsonify, redirect, request, send_file
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from storefront import redis_store
from storefront.extensions import db
from storefront.i18n import LANGUAGE_COOKIE
from storefront.site.urls import safe_next_path
from storefront.storage import media_storage

bp = Blueprint("site", __name__)


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Liveness, a round trip to the database and a PING to Redis, each within its time
    limits. 503 when the database is unreachable (no page can be served); Redis down is
    200 with `"redis": "degraded"`, since pages are then served uncached."""
    checks = {"database": "ok", "redis": redis_store.ping(current_app.config)}
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError:
        current_app.logger.exception("health check: database unreachable")
        db.session.rollback()
        checks["database"] = "unreachable"
    if checks["database"] != "ok":
        return jsonify(status="error", **checks), 503
    status = "degraded" if checks["redis"] == "degraded" else "ok"
    return jsonify(status=status, **checks)


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
    """Uploaded and generated images and scans, from the media store; names carry a
    content hash, so the name is the ETag and browsers keep them for good."""
    try:
        data = media_storage().read(filename)
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        abort(404)
    return send_file(
        io.BytesIO(data),
        download_name=filename.rsplit("/", 1)[-1],
        max_age=365 * 24 * 3600,
        etag=hashlib.sha256(filename.encode()).hexdigest()[:32],
        conditional=True,
    )
