"""Shared fixtures: one app and one migrated database per run, emptied after each test.

The database is SQLite in a temporary folder unless TEST_DATABASE_URL names another
(CI points it at PostgreSQL). The schema comes from the migrations, exactly as in
production, so the full-text indexes exist in tests too.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event, text
from werkzeug.test import TestResponse

ROOT = Path(__file__).resolve().parent.parent


def _database_url(tmp_root: Path) -> str:
    return os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{tmp_root / 'test.db'}"


def _compile_translations() -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "babel.messages.frontend",
            "-q",
            "compile",
            "-d",
            str(ROOT / "storefront" / "translations"),
        ],
        check=True,
    )


class FreshRequestClient(FlaskClient):
    """A test client whose every request starts with an empty `g`, as on a server.

    Each test runs inside one app context (`_app_context` below) so that it can use
    db.session, and Flask lets a request reuse the app context it finds. Without this,
    what extensions keep on `g` for one request (Flask-Login's user, Flask-WTF's CSRF
    token, Flask-Babel's locale, the account's producer ids) would reach the next, and
    one visitor's request could see another's account."""

    def open(self, *args: Any, **kwargs: Any) -> TestResponse:
        if has_app_context():  # a test's thread has none: its requests get their own
            for name in list(g):
                g.pop(name)
        return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp_root = tmp_path_factory.mktemp("storefront")
    os.environ["STOREFRONT_ENV"] = "testing"
    os.environ["DATABASE_URL"] = _database_url(tmp_root)
    os.environ["MEDIA_ROOT"] = str(tmp_root / "media")
    os.environ.pop("REDIS_URL", None)
    _compile_translations()

    from flask_migrate import downgrade, upgrade

    from storefront import create_app
    from storefront.site.assets import assets_are_current, build_assets

    if not assets_are_current(ROOT / "static"):
        build_assets(ROOT / "static")
    app = create_app({"SERVER_NAME": None, "RATELIMIT_ENABLED": False})
    app.test_client_class = FreshRequestClient
    with app.app_context():
        _drop_everything(app)
        upgrade()
    from storefront.catalog.stars import mark_current
    from storefront.timeutil import today_in_vietnam

    # An empty database has no expired stars: statement counts stay the same on every
    # listing, the first one included (tests/catalog/test_stars.py checks the refresh).
    mark_current(app, today_in_vietnam())
    yield app
    with app.app_context():
        downgrade(revision="base")


def _drop_everything(app: Flask) -> None:
    """Start from an empty database even if an earlier run was interrupted."""
    from storefront.extensions import db

    engine = db.engine
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        else:
            conn.execute(text("PRAGMA foreign_keys=OFF"))
            rows = conn.execute(text("SELECT type, name FROM sqlite_master")).all()
            for kind, name in rows:
                if kind == "table" and not name.startswith("sqlite_") and "_fts_" not in name:
                    conn.execute(text(f'DROP TABLE IF EXISTS "{name}"'))


@pytest.fixture(autouse=True)
def _app_context(app: Flask) -> Iterator[None]:
    """Every test runs inside the app context and leaves the database empty."""
    with app.app_context():
        yield
        _empty_tables(app)


def _empty_tables(app: Flask) -> None:
    from storefront.catalog.cards import forget_cards
    from storefront.catalog.deep_pages import forget_marks
    from storefront.catalog.queries import forget_price_samples
    from storefront.catalog.spelling import forget_vocabulary
    from storefront.extensions import cache, db

    cache.clear()  # rendered catalogue fragments must not outlive the rows behind them
    forget_vocabulary()  # nor this process's copy of the search vocabulary
    forget_cards()  # nor remembered cards (keyed by content, but tests reuse ids)
    forget_price_samples()  # nor the sampled prices that choose a filtered page's plan
    forget_marks()  # nor the marks deep listing pages read on from

    db.session.rollback()
    db.session.remove()
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    # DELETE beats TRUNCATE here: the tables hold a handful of rows, and PostgreSQL's
    # TRUNCATE costs a third of a second each time whatever their size.
    with db.engine.begin() as conn:
        for name in tables:
            conn.execute(text(f'DELETE FROM "{name}"'))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def runner(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_cli_runner()


@pytest.fixture
def session(app: Flask):  # type: ignore[no-untyped-def]
    from storefront.extensions import db

    return db.session


@pytest.fixture
def is_postgres(app: Flask) -> bool:
    from storefront.extensions import db

    return db.engine.dialect.name == "postgresql"


class QueryCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)


@pytest.fixture
def count_queries(app: Flask):  # type: ignore[no-untyped-def]
    """Context manager counting the SQL statements the app sends while it is open."""
    from storefront.extensions import db

    @contextmanager
    def counting() -> Iterator[QueryCounter]:
        counter = QueryCounter()

        def record(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
            counter.statements.append(statement)

        event.listen(db.engine, "before_cursor_execute", record)
        try:
            yield counter
        finally:
            event.remove(db.engine, "before_cursor_execute", record)

    return counting


CSRF_FIELD = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = CSRF_FIELD.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)
