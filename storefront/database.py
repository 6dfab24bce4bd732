"""Time limits on the database, so a stopped or frozen PostgreSQL costs a request
seconds, never a worker.

- Connecting: `DATABASE_CONNECT_TIMEOUT` seconds (libpq's connect_timeout; the pool's
  wait for a free connection is bounded the same).
- Each statement: `DATABASE_STATEMENT_TIMEOUT` seconds, enforced by PostgreSQL itself
  (`statement_timeout`), which cancels a query stuck on a lock or a slow plan.
- A server that stopped answering altogether (frozen, or a network that swallows
  packets) cannot cancel anything: the client gives up on its own when no answer came
  ANSWER_GRACE seconds after the statement limit, and drops the connection.

Either way SQLAlchemy raises OperationalError, which the error pages turn into the 503
"briefly unavailable" page (site/errors.py). 0 turns the statement limits off, for
commands that run long on purpose; migrations always run without them.
"""

from __future__ import annotations

import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from flask import Flask
from psycopg import waiting
from sqlalchemy import Connection, event, text

from storefront.extensions import db

ANSWER_GRACE = 2.0
_ANSWER_TIMEOUT = "storefront_answer_timeout"  # our own key in connect_args


def engine_options(url: str, connect_timeout: float, statement_timeout: float) -> dict[str, Any]:
    """SQLALCHEMY_ENGINE_OPTIONS for the database at `url`."""
    if url.startswith("sqlite"):
        # SQLite (development) waits this long for another writer's lock.
        return {"connect_args": {"timeout": 30}}
    connect_args: dict[str, Any] = {"connect_timeout": max(1, round(connect_timeout))}
    if statement_timeout > 0:
        connect_args["options"] = f"-c statement_timeout={round(statement_timeout * 1000)}"
        connect_args[_ANSWER_TIMEOUT] = statement_timeout + ANSWER_GRACE
    return {"pool_pre_ping": True, "pool_timeout": connect_timeout, "connect_args": connect_args}


class DeadlineConnection(psycopg.Connection[Any]):
    """A psycopg connection that stops waiting for an answer after `answer_timeout`
    seconds: the connection is closed (so the pool discards it) and OperationalError
    raised, as when the server goes away."""

    answer_timeout: float | None = None

    def wait(self, gen: Any, interval: float | None = 0.1) -> Any:
        if not self.answer_timeout:
            return super().wait(gen, interval)
        # wait_poll, unlike the C waiter, tells the generator each time `interval` passes
        # with no answer, which is when _until looks at the clock.
        deadline = _until(gen, self, self.answer_timeout)
        return waiting.wait_poll(deadline, self.pgconn.socket, interval=0.25)


def _until(gen: Generator[Any, Any, Any], conn: DeadlineConnection, seconds: float) -> Any:
    deadline = time.monotonic() + seconds
    try:
        waiting_for = next(gen)
        while True:
            ready = yield waiting_for
            if not ready and time.monotonic() > deadline:
                conn.pgconn.finish()  # no answer: this connection is dead to us
                raise psycopg.OperationalError(
                    f"the database did not answer within {seconds:.0f} s; connection closed"
                )
            waiting_for = gen.send(ready)
    except StopIteration as done:
        return done.value


def register(app: Flask) -> None:
    """Open the app's PostgreSQL connections as DeadlineConnection."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "postgresql":
        return

    @event.listens_for(engine, "do_connect")
    def connect(dialect: Any, record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        answer_timeout = cparams.pop(_ANSWER_TIMEOUT, None)
        connection = DeadlineConnection.connect(*cargs, **cparams)
        connection.answer_timeout = answer_timeout
        return connection


@contextmanager
def without_time_limits(connection: Connection) -> Iterator[None]:
    """Lift the statement limits for one transaction on `connection` (migrations, long
    chores): PostgreSQL's for this transaction only, the client's until the end."""
    raw: Any = connection.connection.dbapi_connection
    saved = getattr(raw, "answer_timeout", None)
    if isinstance(raw, DeadlineConnection):
        raw.answer_timeout = None
    try:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
        yield
    finally:
        if isinstance(raw, DeadlineConnection):
            raw.answer_timeout = saved


def claim_duty(session: Any, duty: str) -> bool:
    """Take the right to run a duty that rewrites a whole table (the search vocabulary,
    the programme's rollup) until the session's transaction ends; False when another
    runner (a second host's timer) holds it, which then skips rather than waits. A
    PostgreSQL advisory lock on the duty's name; SQLite has one writer at a time."""
    if session.get_bind().dialect.name != "postgresql":
        return True
    taken = session.execute(
        text("SELECT pg_try_advisory_xact_lock(hashtext(:duty))"), {"duty": duty}
    ).scalar_one()
    return bool(taken)
