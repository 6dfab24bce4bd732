"""Security headers, cookie flags, CSRF and the open-redirect guard on login."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from flask import Flask

from storefront import create_app
from storefront.config import load_config
from tests.accounts.helpers import log_in, make_user
from tests.conftest import csrf_token_from
from tests.site.test_page_markup import audit

PAGES = [
    "/",
    "/account/login",
    "/account/register",
    "/account/password/forgot",
    "/account/password/reset/bad-token",
    "/no-such-page",
]


def _directives(csp: str) -> dict[str, list[str]]:
    parsed = {}
    for part in csp.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", PAGES)
def test_security_headers_on_every_response(client, path):
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    directives = _directives(csp)
    assert directives["script-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert "Strict-Transport-Security" not in response.headers  # not outside production


@pytest.mark.parametrize("path", PAGES[1:5])
def test_account_pages_have_no_inline_script_or_style(client, path):
    page = audit(client.get(path).text)
    assert page.inline_scripts == 0
    assert page.style_attributes == [] and page.event_handlers == []
    assert page.h1_count == 1


@pytest.fixture
def production_app(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    """The app as configured for production (same test database)."""
    monkeypatch.setenv("STOREFRONT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")  # required; not used:
    prod = create_app(
        {
            "RATELIMIT_ENABLED": False,
            "CACHE_TYPE": "SimpleCache",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    assert prod.config["SEND_HSTS"] and prod.config["SESSION_COOKIE_SECURE"]
    with prod.app_context():
        yield prod
        from storefront.extensions import db

        db.session.remove()
        db.engine.dispose()


def test_production_sends_hsts_and_secure_cookies(production_app, session):
    make_user(session, email="mua@example.vn")
    session.commit()
    client = production_app.test_client()
    response = client.get("/", base_url="https://localhost")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    response = log_in(client, "mua@example.vn", remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session", "remember_token", "lang"):
        [cookie] = [c for c in cookies if c.startswith(name + "=")]
        flags = {flag.strip().lower() for flag in cookie.split(";")[1:]}
        assert {"secure", "httponly", "samesite=lax"} <= flags, cookie


def test_cookies_are_httponly_and_lax(client, session):
    make_user(session, email="mua@example.vn")
    session.commit()
    response = log_in(client, "mua@example.vn", remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    for name in ("session", "remember_token"):
        [cookie] = [c for c in cookies if c.startswith(name + "=")]
        flags = {flag.strip().lower() for flag in cookie.split(";")[1:]}
        assert {"httponly", "samesite=lax"} <= flags, cookie
        assert "secure" not in flags  # development and tests run on plain http


def test_cookie_settings_by_environment(tmp_path):
    dev = load_config({}, str(tmp_path))
    prod = load_config(
        {"STOREFRONT_ENV": "production", "SECRET_KEY": "k" * 40, "REDIS_URL": "redis://r/0"},
        str(tmp_path),
    )
    for config in (dev, prod):
        assert config["SESSION_COOKIE_HTTPONLY"] and config["REMEMBER_COOKIE_HTTPONLY"]
        assert config["SESSION_COOKIE_SAMESITE"] == config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert not dev["SESSION_COOKIE_SECURE"] and not dev["SEND_HSTS"]
    assert prod["SESSION_COOKIE_SECURE"] and prod["REMEMBER_COOKIE_SECURE"] and prod["SEND_HSTS"]


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/account/login", {"email": "mua@example.vn", "password": "x"}),
        ("/account/register", {"email": "a@example.vn", "password": "x", "password_confirm": "x"}),
        ("/account/password/forgot", {"email": "mua@example.vn"}),
        ("/account/logout", {}),
    ],
)
def test_forms_without_a_csrf_token_are_refused(client, path, data):
    response = client.post(path, data=data)
    assert response.status_code == 400
    assert "Phiên làm việc của biểu mẫu đã hết hạn" in response.text


def test_a_csrf_token_from_another_session_is_refused(app, client, session):
    make_user(session, email="mua@example.vn")
    session.commit()
    log_in(client, "mua@example.vn")
    stranger_token = csrf_token_from(app.test_client().get("/account/login").text)
    response = client.post("/account/logout", data={"csrf_token": stranger_token})
    assert response.status_code == 400
    assert client.get("/account/").status_code == 200


HOSTILE_NEXT = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "/\t/evil.example",
    "https:/\\evil.example",
    "%2F%2Fevil.example",
    "evil.example",
]


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_login_never_redirects_off_site(client, session, hostile):
    make_user(session, email="mua@example.vn")
    session.commit()
    response = log_in(client, "mua@example.vn", next_path=hostile)
    assert response.status_code == 302
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert not parts.scheme and not parts.netloc
    assert location.startswith("/") and not location.startswith("//")
    assert "evil" not in location


@pytest.mark.parametrize("hostile", HOSTILE_NEXT)
def test_login_page_for_a_signed_in_visitor_never_redirects_off_site(client, session, hostile):
    make_user(session, email="mua@example.vn")
    session.commit()
    log_in(client, "mua@example.vn")
    response = client.get("/account/login", query_string={"next": hostile})
    assert response.status_code == 302
    assert "evil" not in response.headers["Location"]


def test_login_follows_a_local_next(client, session):
    make_user(session, email="mua@example.vn")
    session.commit()
    page = client.get("/account/login", query_string={"next": "/products?q=mat+ong"})
    assert 'value="/products?q=mat+ong"' in page.text
    response = log_in(client, "mua@example.vn", next_path="/products?q=mat+ong")
    assert response.headers["Location"] == "/products?q=mat+ong"
