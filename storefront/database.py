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

import re
import time
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from flask import Flask
from psycopg import waiting
from sqlalchemy import Connection, event, orm, text

from storefront.extensions import Session, db

ANSWER_GRACE = 2.0
_ANSWER_TIMEOUT = "storefront_answer_timeout"  # our own key in connect_args


def engine_options(url: str, connect_timeout: float, statement_timeout: float) -> dict[str, Any]:
    """SQLALCHEMY_ENGINE_OPTIONS for the database at `url`."""
    if url.startswith("sqlite"):
        # SQLite (development) waits this long for another writer's lock.
        return {"connect_args": {"timeout": 30}}
    connect_args: dict[str, Any] = {"connect_timeout": max(1, round(connect_timeout))}
    # PostgreSQL's own plan_cache_mode (auto): a statement prepared (end_read_only) may
    # keep one generic plan after five runs; the catalogue's searches and filtered
    # listings opt out (plan_for_values).
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
    """Open the app's PostgreSQL connections as DeadlineConnection, and end a request's
    transaction that only read with COMMIT (end_read_only). Registered after
    Flask-SQLAlchemy, whose end-of-request hook, run after this one, closes the session."""
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

    event.listen(engine, "before_cursor_execute", _note_write)
    event.listen(engine, "commit", _forget_writes)
    event.listen(engine, "rollback", _forget_writes)
    if not event.contains(orm.Session, "after_begin", _note_connection):
        event.listen(orm.Session, "after_begin", _note_connection)
    app.teardown_appcontext(_commit_if_read_only)


def _commit_if_read_only(exc: BaseException | None) -> None:
    if db.session.registry.has():  # only a request that opened a session
        end_read_only(db.session(), failed=exc is not None)


_WROTE = "storefront_wrote"  # in Connection.info: this transaction ran more than reads
_CONNECTION = "storefront_connection"  # in Session.info: the transaction's connection
_CHANGES_ROWS = re.compile(r"\b(INSERT|UPDATE|DELETE|MERGE)\b", re.IGNORECASE)


def _note_write(
    conn: Connection, cursor: Any, statement: str, params: Any, context: Any, many: bool
) -> None:
    if not is_query(statement):
        conn.info[_WROTE] = True


def is_query(statement: str) -> bool:
    """Whether the statement only reads: a SELECT, or the plan of one that EXPLAIN
    works out without running it (the listing's estimated counts), or a `SET LOCAL`,
    which ends with the transaction however it ends. Anything else counts as a write,
    SAVEPOINT and a plain SET included: the question is only whether ending the
    transaction with COMMIT could keep something a ROLLBACK would not."""
    head = statement.lstrip()[:60].upper()
    if head.startswith("SET LOCAL "):
        return True
    if head.startswith("EXPLAIN"):
        options, _, head = head.removeprefix("EXPLAIN").lstrip().partition(")")
        if not options.startswith("(") or "ANALYZE" in options:
            return False
        head = head.lstrip()
    if head.startswith("WITH"):  # a CTE may change rows: WITH gone AS (DELETE …) SELECT …
        return _CHANGES_ROWS.search(statement) is None
    return head.startswith("SELECT")


def _forget_writes(conn: Connection) -> None:
    conn.info.pop(_WROTE, None)


def _note_connection(session: orm.Session, transaction: Any, connection: Connection) -> None:
    session.info[_CONNECTION] = connection


def end_read_only(session: orm.Session, failed: bool) -> None:
    """End a request's PostgreSQL transaction that only read with COMMIT, where the
    session would roll it back: the same to the data, but psycopg forgets its prepared
    statements on every ROLLBACK (in case it undid a table they name). Kept, a statement
    run five times on a connection is prepared, and PostgreSQL no longer parses and
    analyses it on each request, nor plans it again once a generic plan will do: the
    product page's statement 2.2 → 1.6 ms (bench/README.md, seventh pass), and the
    page about 2 ms less again with a generic plan (eighth pass).

    Committed on the DBAPI connection, under SQLAlchemy: the session then closes as
    always, and its rollback finds no transaction left to end (psycopg sends nothing).
    A transaction that wrote, failed or is not PostgreSQL's is left to that rollback."""
    transaction = session.get_transaction()
    if failed or transaction is None or not transaction.is_active:
        return
    if session.new or session.dirty or session.deleted:
        return
    connection: Connection | None = session.info.get(_CONNECTION)
    if connection is None or connection.closed or connection.invalidated:
        return  # no statement ran in this transaction (or the connection is gone)
    if connection.info.get(_WROTE):
        return  # a statement that was not a query ran
    raw: Any = connection.connection.dbapi_connection
    if not isinstance(raw, psycopg.Connection):
        return
    if raw.info.transaction_status != psycopg.pq.TransactionStatus.INTRANS:
        return  # failed inside (INERROR) or gone: the rollback deals with it
    try:
        raw.commit()
    except psycopg.Error:  # the server went away just now: the rollback reports it
        return


def plan_for_values(session: Session) -> None:
    """Have PostgreSQL plan each of the rest of this transaction's statements for the
    values bound to it, prepared or not (one round trip, ~0.2 ms). A generic plan, which
    PostgreSQL may keep for a statement prepared five times, cannot see which of a
    search's words are rare, nor drop a check bound empty (catalog/search.py), nor tell
    a rare province or price range from a common one. The catalogue's searches and
    filters ask for this; the rest of the shop's statements read by keys, and keep
    PostgreSQL's choice, which saves planning them again (bench/README.md, eighth
    pass: about 2 ms a product page)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


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
