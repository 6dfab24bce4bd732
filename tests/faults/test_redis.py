"""Redis unreachable or killed mid-run: pages are served uncached, the rate limits are
counted in the worker's memory (both logged), and /healthz says Redis is degraded."""

from __future__ import annotations

from storefront.extensions import cache
from tests.accounts.helpers import PASSWORD, make_user
from tests.conftest import csrf_token_from
from tests.factories import make_product
from tests.faults.servers import free_port, redis_server

LIMITS = {"LIMIT_LOGIN_PER_IP": "4 per minute", "LIMIT_RESET_PER_IP": "50 per minute"}


def _post(client, page: str, **data: str) -> int:  # type: ignore[no-untyped-def]
    token = csrf_token_from(client.get(page).text)
    return client.post(page, data={**data, "csrf_token": token}).status_code


def _visit_everything(client) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {
        "/": client.get("/").status_code,
        "/products": client.get("/products").status_code,
        "/products?q=mat+ong": client.get("/products?q=mat+ong").status_code,
        "POST /account/login": _post(
            client, "/account/login", email="mai@example.vn", password=PASSWORD
        ),
        "POST /account/password/forgot": _post(
            client, "/account/password/forgot", email="mai@example.vn"
        ),
    }


def _redis_app(make_app, url: str):  # type: ignore[no-untyped-def]
    return make_app(
        REDIS_URL=url,
        CACHE_TYPE="storefront.redis_store.FailOpenRedisCache",
        CACHE_REDIS_URL=url,
        RATELIMIT_ENABLED=True,
        RATELIMIT_STORAGE_URI=url,
        **LIMITS,
    )


def test_redis_on_a_closed_port_serves_every_page_uncached(make_app, session, shop_log):
    make_user(session, email="mai@example.vn")
    make_product(session, name="Mật ong hoa Ban")
    session.commit()
    app = _redis_app(make_app, f"redis://127.0.0.1:{free_port()}/0")
    client = app.test_client()
    answers = _visit_everything(client)
    assert answers == {
        "/": 200,
        "/products": 200,
        "/products?q=mat+ong": 200,
        "POST /account/login": 302,
        "POST /account/password/forgot": 302,
    }
    assert "Mật ong hoa Ban" in client.get("/products").text
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json() == {"status": "degraded", "database": "ok", "redis": "degraded"}
    logged = shop_log.text
    assert "serving uncached" in logged
    assert "falling back to in-memory storage" in logged


def test_redis_killed_mid_run_fails_open_and_limits_still_count(
    make_app, session, shop_log, tmp_path
):
    make_user(session, email="mai@example.vn")
    make_product(session, name="Mật ong hoa Ban")
    session.commit()
    with redis_server(tmp_path) as server:
        app = _redis_app(make_app, server.url)
        client = app.test_client()
        assert client.get("/products").status_code == 200
        with app.app_context():
            assert cache.cache._write_client.keys("storefront:catalog:*")  # it caches
        assert client.get("/healthz").get_json()["redis"] == "ok"
        server.kill()
        answers = _visit_everything(client)
        assert set(answers.values()) <= {200, 302}, answers
        assert client.get("/healthz").get_json()["redis"] == "degraded"
        # The documented direction: limits go on, counted in this worker's memory.
        client = app.test_client()
        codes = [
            _post(client, "/account/login", email=f"x{n}@example.vn", password="wrong")
            for n in range(6)
        ]
        assert 429 in codes, codes
    assert "falling back to in-memory storage" in shop_log.text
    assert "serving uncached" in shop_log.text
