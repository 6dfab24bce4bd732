"""A request's PostgreSQL transaction that only read ends with COMMIT, so psycopg keeps
the statements it prepared (storefront.database.end_read_only); one that wrote, failed
or still holds changes is rolled back as before. A prepared key lookup may then keep a
generic plan; a search's statements are planned for their values (plan_for_values)."""

from __future__ import annotations

import threading
from collections import Counter
from typing import Any

import pytest
from flask import Flask
from psycopg.pq import TransactionStatus
from sqlalchemy import event, select, text

from storefront.catalog.models import Producer
from storefront.catalog.product_page import load_product_page
from storefront.catalog.queries import parse_filters, search_catalog
from storefront.database import end_read_only, is_query
from storefront.extensions import db
from storefront.timeutil import today_in_vietnam, utcnow
from tests.factories import make_product

PREPARE_AFTER = 5  # psycopg's prepare_threshold: executions before it prepares
REQUESTS = 40  # enough for each of the pool's idle connections (5 at most) to pass it


@pytest.fixture
def _postgres_only(is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip("psycopg's prepared statements: PostgreSQL only")


@pytest.mark.parametrize(
    ("statement", "reads"),
    [
        ("SELECT product.id FROM product", True),
        ("SELECT id FROM variant WHERE id = 1 FOR UPDATE", True),  # locks end either way
        (" with found as (select updated_at from product) select * from found", True),
        ("EXPLAIN (FORMAT JSON) SELECT product.id FROM product", True),
        ("EXPLAIN (FORMAT JSON) WITH a AS (SELECT 1) SELECT * FROM a", True),
        ("WITH gone AS (DELETE FROM cart RETURNING id) SELECT * FROM gone", False),
        ("WITH n AS (SELECT 1) INSERT INTO t SELECT * FROM n", False),
        ("EXPLAIN ANALYZE SELECT 1", False),  # runs the statement
        ("EXPLAIN (ANALYZE, FORMAT JSON) UPDATE variant SET stock = 0", False),
        ("EXPLAIN (FORMAT JSON) UPDATE variant SET stock = 0", False),
        ("UPDATE variant SET stock = stock - 1", False),
        ("INSERT INTO audit_log DEFAULT VALUES", False),
        ("SAVEPOINT sa_savepoint_1", False),
        ("SET LOCAL statement_timeout = 0", True),  # ends with the transaction either way
        ("SET LOCAL plan_cache_mode = force_custom_plan", True),
        ("SET plan_cache_mode = auto", False),  # for the connection: COMMIT would keep it
        ("SET SESSION statement_timeout = 0", False),
    ],
)
def test_only_queries_count_as_reads(statement: str, reads: bool) -> None:
    assert is_query(statement) is reads


def _status() -> TransactionStatus:
    raw: Any = db.session.connection().connection.dbapi_connection
    return TransactionStatus(raw.info.transaction_status)


@pytest.mark.usefixtures("_postgres_only")
def test_a_transaction_that_only_read_is_committed() -> None:
    db.session.execute(select(Producer.id))
    assert _status() == TransactionStatus.INTRANS
    end_read_only(db.session(), failed=False)
    assert _status() == TransactionStatus.IDLE
    db.session.rollback()  # what the session does next: finds nothing to end


@pytest.mark.usefixtures("_postgres_only")
def test_a_transaction_that_wrote_is_left_to_the_rollback(session: Any) -> None:
    product = make_product(session)
    session.commit()
    session.execute(text("UPDATE variant SET stock = 0 WHERE product_id = :id"), {"id": product.id})
    end_read_only(session(), failed=False)
    assert _status() == TransactionStatus.INTRANS
    session.rollback()
    stock = session.execute(
        text("SELECT stock FROM variant WHERE product_id = :id"), {"id": product.id}
    )
    assert stock.scalar_one() == 10


@pytest.mark.usefixtures("_postgres_only")
def test_pending_changes_a_failed_request_or_a_failed_statement_are_not_committed(
    session: Any,
) -> None:
    session.execute(select(Producer.id))
    end_read_only(session(), failed=True)  # the request raised
    assert _status() == TransactionStatus.INTRANS
    session.add(Producer(name="x", slug="x", kind="cooperative"))
    end_read_only(session(), failed=False)  # changes the session holds, not flushed
    assert _status() == TransactionStatus.INTRANS
    session.rollback()

    with pytest.raises(Exception, match="no_such_table"):
        session.execute(text("SELECT * FROM no_such_table"))
    end_read_only(session(), failed=False)  # the transaction is aborted: no error here
    session.rollback()
    assert session.execute(select(Producer.id)).all() == []


@pytest.mark.usefixtures("_postgres_only")
def test_a_page_read_again_and_again_is_prepared_on_its_connection(
    app: Flask, session: Any
) -> None:
    product = make_product(session, name="Mật ong hoa ban")
    session.commit()
    page = f"/products/{product.slug}"
    used: list[Any] = []

    def checked_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        used.append(dbapi_connection)

    event.listen(db.engine, "checkout", checked_out)
    statuses: list[int] = []

    def browse() -> None:  # a thread of its own: each request gets its own app context
        client = app.test_client()
        for _ in range(REQUESTS):
            statuses.append(client.get(page).status_code)

    try:
        reader = threading.Thread(target=browse)
        reader.start()
        reader.join(timeout=60)
    finally:
        event.remove(db.engine, "checkout", checked_out)
    assert statuses == [200] * REQUESTS
    # The pool hands its idle connections out in turn: each that served the page often
    # enough for psycopg to prepare its statement must still hold it.
    served = Counter(used)
    often = [connection for connection, times in served.items() if times > PREPARE_AFTER]
    assert often, served
    for connection in often:
        with connection.cursor() as cursor:
            cursor.execute("SELECT statement FROM pg_prepared_statements")
            prepared = [row[0] for row in cursor.fetchall()]
        connection.rollback()
        assert any("FROM product JOIN producer" in statement for statement in prepared)


def _plans(session: Any, marker: str) -> list[tuple[int, int]]:
    """(generic, custom) plans of the statements this connection prepared that hold
    `marker`."""
    rows = session.execute(
        text(
            "SELECT generic_plans, custom_plans FROM pg_prepared_statements"
            " WHERE strpos(statement, :marker) > 0"
        ),
        {"marker": marker},
    )
    return [(generic, custom) for generic, custom in rows]


@pytest.mark.usefixtures("_postgres_only")
def test_a_key_lookup_keeps_a_generic_plan_and_a_search_is_planned_for_its_values(
    session: Any,
) -> None:
    product = make_product(session, name="Mật ong hoa ban")
    session.commit()
    runs = 3 * PREPARE_AFTER  # prepared after 5; PostgreSQL weighs a generic plan after 5 more
    for _ in range(runs):
        assert load_product_page(session, product.slug, utcnow()) is not None
    assert session.execute(text("SHOW plan_cache_mode")).scalar_one() == "auto"
    page_plans = _plans(session, "product.slug = $")
    assert page_plans and all(generic > 0 for generic, _ in page_plans), page_plans

    searched = parse_filters({"q": "mat ong"})
    for _ in range(runs):
        assert search_catalog(session, searched, today_in_vietnam(), 24).total == 1
    assert session.execute(text("SHOW plan_cache_mode")).scalar_one() == "force_custom_plan"
    search_plans = _plans(session, "to_tsquery")
    assert search_plans and all(generic == 0 for generic, _ in search_plans), search_plans
    session.commit()  # the setting ends with the search's transaction
    assert session.execute(text("SHOW plan_cache_mode")).scalar_one() == "auto"
    session.rollback()
