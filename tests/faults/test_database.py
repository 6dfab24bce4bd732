"""PostgreSQL stopped or frozen, played by a TCP proxy on loopback in front of the real
server (which keeps running): pages answer the 503 "briefly unavailable" page with
Retry-After, and time limits keep each request to seconds."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy.engine import make_url

from storefront.database import engine_options
from storefront.extensions import db
from tests.faults.servers import TcpProxy, free_port

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PAGES = ["/", "/products", "/products/mat-ong-hoa-ban", "/fairs", "/producers/htx-ban"]


def _postgres_url(app: Flask) -> str:
    """The test database when the suite runs on PostgreSQL, else the server's own
    `postgres` database (only SELECT 1 is run through it)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    return url if url.startswith("postgresql") else POSTGRES


def _app_on(make_app, url: str, statement_timeout: float = 1):  # type: ignore[no-untyped-def]
    return make_app(
        SQLALCHEMY_DATABASE_URI=url,
        SQLALCHEMY_ENGINE_OPTIONS=engine_options(url, 1, statement_timeout),
    )


def _through(proxy: TcpProxy, url: str) -> str:
    return make_url(url).set(host="127.0.0.1", port=proxy.port).render_as_string(False)


def _assert_unavailable(client, url: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 503, (url, response.status_code)
    assert response.headers["Retry-After"] == "30"
    assert "Cửa hàng tạm thời gián đoạn" in response.text
    assert "Không mất gì bạn đã làm" in response.text
    assert "no-store" in response.headers["Cache-Control"]


@pytest.mark.parametrize(
    "where",
    ["postgres-port-closed", "sqlite-file-unreachable"],
)
def test_a_stopped_database_answers_503_with_retry_after(make_app, where):
    if where == "sqlite-file-unreachable":
        url = "sqlite:////nonexistent-folder-for-faults/storefront.db"
    else:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/ocop"
    app = _app_on(make_app, url)
    client = app.test_client()
    for page in PAGES:
        _assert_unavailable(client, page)
    response = client.post("/cart/add", data={"variant_id": "1", "quantity": "1"})
    assert response.status_code in (400, 503)  # CSRF first, or the database
    client.set_cookie("lang", "en")
    english = client.get("/products")
    assert english.status_code == 503 and "The shop is briefly unavailable" in english.text
    assert "Nothing you did was lost" in english.text
    assert client.get("/api/v1/products").status_code in (404, 503)
    health = client.get("/healthz")
    assert health.status_code == 503 and health.get_json()["database"] == "unreachable"


def test_a_postgres_that_stops_mid_run_answers_503(app, make_app):
    proxy = TcpProxy(("127.0.0.1", 5432))
    try:
        faulty = _app_on(make_app, _through(proxy, _postgres_url(app)))
        client = faulty.test_client()
        assert client.get("/healthz").status_code == 200
        proxy.refuse()
        with faulty.app_context():
            db.engine.dispose()  # as when the server restarts: pooled connections die
        health = client.get("/healthz")
        assert health.status_code == 503 and health.get_json()["database"] == "unreachable"
        _assert_unavailable(client, "/products")
    finally:
        proxy.close()


def test_a_frozen_postgres_costs_a_request_its_time_limits_not_a_worker(app, make_app):
    """The proxy accepts connections and never answers: a new connection gives up after
    the connect timeout, a pooled one after the statement limit plus its grace."""
    proxy = TcpProxy(("127.0.0.1", 5432))
    try:
        faulty = _app_on(make_app, _through(proxy, _postgres_url(app)))
        client = faulty.test_client()
        assert client.get("/healthz").status_code == 200  # a pooled connection now
        proxy.freeze()
        health = client.get("/healthz")  # the pooled connection never hears back
        assert health.status_code == 503 and health.get_json()["database"] == "unreachable"
        _assert_unavailable(client, "/products")  # a new one is never answered
        assert client.get("/healthz").status_code == 503
    finally:
        proxy.close()


def test_statement_and_connect_limits_reach_postgres(app, make_app):
    """The settings are what the server applies: SHOW statement_timeout, plan_cache_mode."""
    from sqlalchemy import text

    faulty = _app_on(make_app, _postgres_url(app), statement_timeout=3)
    with faulty.app_context():
        shown = db.session.execute(text("SHOW statement_timeout")).scalar_one()
        plans = db.session.execute(text("SHOW plan_cache_mode")).scalar_one()
        db.session.rollback()
    assert shown == "3s"
    assert plans == "auto"  # PostgreSQL's choice; the catalogue's searches opt out
    options = engine_options(_postgres_url(app), 5, 10)
    assert options["connect_args"]["connect_timeout"] == 5
    assert options["pool_timeout"] == 5
