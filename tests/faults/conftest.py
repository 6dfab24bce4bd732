"""Fault tests build their own app (pointed at a Redis, database or mail server that the
test breaks) beside the session's. Flask-Limiter keeps its state (storage, a storage
found dead) on the one shared `limiter`, so it is put back afterwards."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask

from storefront import create_app
from storefront.extensions import db, limiter


@pytest.fixture
def make_app(app: Flask) -> Iterator[Callable[..., Flask]]:
    saved = dict(limiter.__dict__)
    made: list[Flask] = []

    def build(**overrides: Any) -> Flask:
        limiter._key_prefix = ""  # take this app's RATELIMIT_KEY_PREFIX
        built = create_app({"SERVER_NAME": None, "RATELIMIT_ENABLED": False, **overrides})
        made.append(built)
        return built

    try:
        yield build
    finally:
        limiter.__dict__.clear()
        limiter.__dict__.update(saved)
        for built in made:
            with built.app_context():
                db.session.remove()
                db.engine.dispose()


@pytest.fixture
def shop_log(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    """Warnings of the shop and its libraries (Alembic's fileConfig() disabled the loggers
    that existed before the test database was migrated: enable them again)."""
    for name in ("storefront", "storefront.redis", "flask-limiter", "storefront.jobs"):
        logging.getLogger(name).disabled = False
    caplog.set_level(logging.WARNING)
    return caplog
