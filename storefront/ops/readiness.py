"""/readyz: may the load balancer send this server requests? (/healthz: is it alive?)

Ready means the database answers within its time limits and its schema is at least
at this code's migration head: a server started with new code before `flask db
upgrade` answers 503 ("behind") and gets no traffic. A schema newer than the code
("ahead": the previous release still serving during a rolling deploy) is ready, since
migrations are backward compatible for one release (README, expand then contract). Redis is reported
but does not make a server unready: without it pages are served uncached and limits
counted per process, and taking every server out of the pool at once because the
shared Redis is down would turn a slowdown into an outage.
"""

from __future__ import annotations

import os
from functools import cache

from alembic.config import Config
from alembic.script import ScriptDirectory
from flask import Flask, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from storefront import redis_store
from storefront.extensions import db


def register(app: Flask) -> None:
    app.add_url_rule("/readyz", "readyz", readyz)


@cache
def migration_revisions(directory: str) -> tuple[frozenset[str], frozenset[str]]:
    """(head revisions, every revision) of the code this process runs, read once: code
    does not change under a running process."""
    config = Config()
    config.set_main_option("script_location", directory)
    scripts = ScriptDirectory.from_config(config)
    known = frozenset(script.revision for script in scripts.walk_revisions())
    return frozenset(scripts.get_heads()), known


def schema_state(applied: set[str], heads: frozenset[str], known: frozenset[str]) -> str:
    """ "ok" at the head, "ahead" past it (revisions this code does not know), "behind"
    short of it, "none" when never migrated."""
    if not applied:
        return "none"
    if applied == heads:
        return "ok"
    return "ahead" if applied - known else "behind"


def readyz() -> ResponseReturnValue:
    checks = {"database": "ok", "migrations": "ok", "redis": "ok"}
    checks["redis"] = redis_store.ping(current_app.config)
    try:
        applied = set(db.session.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except SQLAlchemyError:
        current_app.logger.exception("readiness: database unreachable or not migrated")
        db.session.rollback()
        checks["database"] = "unreachable"
        checks["migrations"] = "unknown"
    else:
        directory = os.path.join(os.path.dirname(current_app.root_path), "migrations")
        checks["migrations"] = schema_state(applied, *migration_revisions(directory))
    ready = checks["database"] == "ok" and checks["migrations"] in ("ok", "ahead")
    return jsonify(status="ready" if ready else "unready", **checks), 200 if ready else 503
