"""Helpers for the site tests."""

from __future__ import annotations

import flask_babel
from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def switch_language(client: FlaskClient, code: str, next_path: str = "/") -> TestResponse:
    """Choose a language as a visitor does, through /language/<code>.

    The tests run inside one app context, which test-client requests reuse, and
    Flask-Babel caches the locale on `g`; forget it so the next request reads the
    new cookie, as each real request (with its own app context) does.
    """
    response = client.get(f"/language/{code}", query_string={"next": next_path})
    flask_babel.refresh()
    return response
