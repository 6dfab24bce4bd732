"""Rate limits on login, registration and password reset, counted in the local Redis.

The session app runs with rate limiting off; these tests build their own app with
RATELIMIT_ENABLED and Redis storage under a unique key prefix. Flask-Limiter keeps
its settings on the one shared `limiter` object, so the fixture puts them back.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis
from flask import Flask
from flask.testing import FlaskClient

from storefront import create_app
from storefront.extensions import db, limiter
from tests.accounts.helpers import PASSWORD, make_user, post_form
from tests.conftest import csrf_token_from

REDIS_URL = "redis://127.0.0.1:6379/3"
LIMITS = {
    "LIMIT_LOGIN_PER_IP": "5 per minute",
    "LIMIT_LOGIN_PER_ACCOUNT": "3 per minute",
    "LIMIT_LOGIN_PER_ACCOUNT_ANY_CLIENT": "6 per minute",
    "LIMIT_REGISTER_PER_IP": "3 per minute",
    "LIMIT_REGISTER_PER_EMAIL": "2 per hour",
    "LIMIT_RESET_PER_IP": "4 per minute",
    "LIMIT_RESET_PER_EMAIL": "2 per hour",
}


@pytest.fixture
def redis_client() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379", pytrace=False)
    yield client
    client.close()


@pytest.fixture
def limited_app(app: Flask, redis_client: redis.Redis) -> Iterator[Flask]:
    prefix = f"storefront-test-{uuid.uuid4().hex}"
    saved = dict(limiter.__dict__)
    limiter._key_prefix = ""  # take this app's RATELIMIT_KEY_PREFIX
    limited = create_app(
        {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": REDIS_URL,
            "RATELIMIT_KEY_PREFIX": prefix,
            **LIMITS,
        }
    )
    limited.config["TEST_KEY_PREFIX"] = prefix
    try:
        yield limited
    finally:
        limiter.__dict__.clear()
        limiter.__dict__.update(saved)
        with limited.app_context():
            db.session.remove()
            db.engine.dispose()
        for key in redis_client.scan_iter(match=f"*{prefix}*"):
            redis_client.delete(key)


def _post(client: FlaskClient, page: str, action: str, ip: str, **data: str) -> int:
    token = csrf_token_from(client.get(page).text)
    response = client.post(
        action, data={**data, "csrf_token": token}, environ_base={"REMOTE_ADDR": ip}
    )
    return response.status_code


def _login(client: FlaskClient, email: str, password: str, ip: str = "203.0.113.1") -> int:
    return _post(client, "/account/login", "/account/login", ip, email=email, password=password)


def test_failed_logins_are_limited_per_account_and_address(limited_app, session):
    make_user(session, email="mai@example.vn")
    make_user(session, email="lan@example.vn")
    session.commit()
    client = limited_app.test_client()
    for spelling in ["mai@example.vn", "MAI@example.vn", " Mai@Example.VN "]:
        assert _login(client, spelling, "wrong guess", ip="198.51.100.1") == 200
    # the fourth try from that address is refused, even with the right password
    assert _login(client, "mai@example.vn", PASSWORD, ip="198.51.100.1") == 429
    page = client.post("/account/login")  # no CSRF: still 400, not a limit
    assert page.status_code == 400
    assert _login(client, "lan@example.vn", PASSWORD, ip="198.51.100.1") == 302


def test_an_attackers_failures_elsewhere_do_not_lock_the_owner_out(limited_app, session):
    """OWASP ASVS 6.3: 5 wrong passwords from anywhere must not block the real owner."""
    make_user(session, email="mai@example.vn")
    session.commit()
    owner = limited_app.test_client()
    assert _login(owner, "mai@example.vn", PASSWORD, ip="192.0.2.7") == 302  # her phone
    post_form(owner, "/account/", "/account/logout", {})
    attacker = limited_app.test_client()
    for n in range(8):  # from two addresses, until both and the account-wide limit hold
        _login(attacker, "mai@example.vn", "wrong guess", ip=f"198.51.100.{n % 2}")
    assert _login(attacker, "mai@example.vn", PASSWORD, ip="198.51.100.9") == 429
    # Her own device (and its address) still signs in with the right password…
    assert _login(owner, "mai@example.vn", PASSWORD, ip="192.0.2.7") == 302
    post_form(owner, "/account/", "/account/logout", {})
    # …also from another address (mobile data): the device cookie is what counts.
    assert _login(owner, "mai@example.vn", PASSWORD, ip="203.0.113.50") == 302


def test_a_brute_force_spread_over_many_addresses_is_still_stopped(limited_app, session):
    make_user(session, email="mai@example.vn")
    session.commit()
    attacker = limited_app.test_client()
    codes = [
        _login(attacker, "mai@example.vn", f"guess {n}", ip=f"198.51.100.{n}") for n in range(8)
    ]
    assert codes[:6] == [200] * 6 and codes[6:] == [429, 429]  # 6 per minute per account
    # A new browser without the owner's device cookie waits too (the higher limit).
    assert _login(limited_app.test_client(), "mai@example.vn", PASSWORD, ip="192.0.2.1") == 429


def test_the_owners_own_failures_count_on_her_device(limited_app, session):
    make_user(session, email="mai@example.vn")
    session.commit()
    owner = limited_app.test_client()
    assert _login(owner, "mai@example.vn", PASSWORD, ip="192.0.2.7") == 302
    post_form(owner, "/account/", "/account/logout", {})
    for _ in range(3):
        assert _login(owner, "mai@example.vn", "wrong guess", ip="192.0.2.7") == 200
    assert _login(owner, "mai@example.vn", PASSWORD, ip="192.0.2.8") == 429  # same device


def test_a_forged_or_foreign_device_cookie_counts_for_nothing(limited_app, session):
    make_user(session, email="mai@example.vn")
    make_user(session, email="lan@example.vn")
    session.commit()
    attacker = limited_app.test_client()
    assert _login(attacker, "lan@example.vn", PASSWORD, ip="198.51.100.1") == 302  # own account
    post_form(attacker, "/account/", "/account/logout", {})
    for n in range(6):  # lan's device cookie does not exempt guesses at mai's account
        _login(attacker, "mai@example.vn", "wrong guess", ip=f"198.51.100.{n + 10}")
    attacker.set_cookie("login_device", "forged.value")
    assert _login(attacker, "mai@example.vn", PASSWORD, ip="198.51.100.99") == 429


def test_successful_logins_do_not_use_up_the_account_limit(limited_app, session):
    make_user(session, email="mai@example.vn")
    session.commit()
    for n in range(4):
        client = limited_app.test_client()
        assert _login(client, "mai@example.vn", PASSWORD, ip=f"192.0.2.{n}") == 302


def test_logins_are_limited_per_address(limited_app, session):
    client = limited_app.test_client()
    for n in range(5):
        assert _login(client, f"user{n}@example.vn", "wrong guess") == 200
    response_code = _login(client, "someone-else@example.vn", "wrong guess")
    assert response_code == 429
    assert _login(client, "someone-else@example.vn", "wrong guess", ip="203.0.113.2") == 200


def test_the_limit_page_is_friendly(limited_app, session):
    client = limited_app.test_client()
    for n in range(5):
        _login(client, f"x{n}@example.vn", "wrong guess")
    token = csrf_token_from(client.get("/account/login").text)
    response = client.post(
        "/account/login",
        data={"email": "y@example.vn", "password": "p", "csrf_token": token},
        environ_base={"REMOTE_ADDR": "203.0.113.1"},
    )
    assert response.status_code == 429
    assert "Bạn thao tác quá nhanh" in response.text


def test_registration_is_limited_per_address_and_per_email(limited_app, session):
    client = limited_app.test_client()

    def register(email: str, ip: str) -> int:
        return _post(
            client,
            "/account/register",
            "/account/register",
            ip,
            full_name="Mai",
            email=email,
            password="x",  # refused as too short: no account is made, the hit still counts
            password_confirm="x",
        )

    assert register("a@example.vn", "198.51.100.1") == 200
    assert register("A@example.vn", "198.51.100.2") == 200
    assert register("a@example.vn", "198.51.100.3") == 429  # per email
    assert register("b@example.vn", "198.51.100.3") == 200
    assert register("c@example.vn", "198.51.100.3") == 200
    assert register("d@example.vn", "198.51.100.3") == 429  # per address


def test_password_reset_is_limited_per_email_and_address(limited_app, session):
    make_user(session, email="mai@example.vn")
    session.commit()
    client = limited_app.test_client()

    def forgot(email: str, ip: str) -> int:
        page = "/account/password/forgot"
        return _post(client, page, page, ip, email=email)

    assert forgot("mai@example.vn", "198.51.100.1") == 302
    assert forgot("MAI@example.vn", "198.51.100.2") == 302
    assert forgot("mai@example.vn", "198.51.100.3") == 429  # per email: no mail bombing
    assert forgot("x@example.vn", "198.51.100.4") == 302
    for n in range(3):
        assert forgot(f"n{n}@example.vn", "198.51.100.5") == 302
    assert forgot("n9@example.vn", "198.51.100.5") == 302
    assert forgot("n10@example.vn", "198.51.100.5") == 429  # per address


def test_counters_live_in_redis_so_every_worker_shares_them(limited_app, redis_client, session):
    client = limited_app.test_client()
    _login(client, "mai@example.vn", "wrong guess")
    prefix = limited_app.config["TEST_KEY_PREFIX"]
    keys = [key.decode() for key in redis_client.scan_iter(match=f"*{prefix}*")]
    assert any("email:mai@example.vn" in key for key in keys), keys
    assert any("ip:203.0.113.1" in key for key in keys), keys
