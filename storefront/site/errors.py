"""Friendly error pages in the visitor's language, JSON for the API."""

from __future__ import annotations

from flask import Flask, current_app, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException, InternalServerError

from storefront.extensions import db
from storefront.i18n import LANGUAGE_COOKIE

PAGES = {400, 403, 404, 405, 413, 429, 500}
RETRY_AFTER_SECONDS = 30


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        return _render(400, reason="csrf")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        return _render(code if code in PAGES else 500, error=error)

    @app.errorhandler(OperationalError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(error: Exception) -> ResponseReturnValue:
        """The database is stopped, frozen past its time limits, or locked: 503 with
        Retry-After, never the 500 page; the transaction was rolled back, so nothing
        half-done stays behind."""
        app.logger.error("database unavailable on %s: %s", request.path, error)
        return unavailable()

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> ResponseReturnValue:
        app.logger.exception("unhandled error on %s", request.path)
        db.session.rollback()
        return _render(500, error=InternalServerError())


def unavailable() -> ResponseReturnValue:
    """The "briefly unavailable" page: rendered without touching the database (no
    account, no cart in the header), in the language the visitor's cookie names."""
    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the pool discards it
        current_app.logger.debug("rollback after a database failure failed too")
    headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
    if request.path.startswith("/api/"):
        return jsonify(error=503, message="service unavailable"), 503, headers
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    language = cookie if cookie in current_app.config["LANGUAGES"] else "vi"
    with force_locale(language):
        page = render_template("errors/unavailable.html", language=language)
    return page, 503, headers


def _render(code: int, reason: str = "", error: HTTPException | None = None) -> ResponseReturnValue:
    if request.path.startswith("/api/"):
        return jsonify(error=code, message=error.name if error else reason), code
    headers = {}
    if error is not None and code == 405:
        headers = dict(error.get_headers())
        headers.pop("Content-Type", None)
    return render_template("errors/error.html", code=code, reason=reason), code, headers
