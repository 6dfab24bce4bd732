"""Friendly error pages in the visitor's language, JSON for the API."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from storefront.extensions import db

PAGES = {400, 403, 404, 405, 413, 429, 500}


def register(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> ResponseReturnValue:
        return _render(400, reason="csrf")

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        code = error.code or 500
        return _render(code if code in PAGES else 500, error=error)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> ResponseReturnValue:
        app.logger.exception("unhandled error on %s", request.path)
        db.session.rollback()
        return _render(500, error=InternalServerError())


def _render(code: int, reason: str = "", error: HTTPException | None = None) -> ResponseReturnValue:
    if request.path.startswith("/api/"):
        return jsonify(error=code, message=error.name if error else reason), code
    headers = {}
    if error is not None and code == 405:
        headers = dict(error.get_headers())
        headers.pop("Content-Type", None)
    return render_template("errors/error.html", code=code, reason=reason), code, headers
