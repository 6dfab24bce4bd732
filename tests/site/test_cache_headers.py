"""Security headers on static files too; `no-store` on every page not marked public,
checked by walking the routes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from storefront import create_app
from storefront.extensions import db
from storefront.site.assets import static_url
from tests.accounts.helpers import log_in
from tests.test_access_control import (
    PROTECTED,
    _client_for,
    _methods,
    _order_number,
    _url,
    build_world,
)

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Frame-Options",
    "Referrer-Policy",
    "X-Content-Type-Options",
    "Strict-Transport-Security",
)


@pytest.fixture
def production_app(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Flask]:
    monkeypatch.setenv("STOREFRONT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "p" * 48)
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")  # required, not used here
    prod = create_app(
        {
            "RATELIMIT_ENABLED": False,
            "CACHE_TYPE": "SimpleCache",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    yield prod
    with prod.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize("name", ["css/app.css", "js/app.js"])
def test_static_files_carry_the_security_headers(production_app, name):
    client = production_app.test_client()
    for url in (static_url(name), f"/static/{name}"):
        response = client.get(url)
        assert response.status_code == 200
        missing = [h for h in SECURITY_HEADERS if h not in response.headers]
        assert not missing, (url, missing)
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")
        assert "max-age=" in response.headers["Strict-Transport-Security"]
        assert "immutable" in response.headers["Cache-Control"] or url == f"/static/{name}"


def test_every_signed_in_page_is_no_store(app, session):
    """Each protected page, as the account allowed to see it: accounts, the producer's
    workspace, CSV exports, packing slips, settlements, admin pages."""
    world = build_world(session)
    clients = {}
    wrong = []
    for endpoint, rule in sorted(PROTECTED.items()):
        if "GET" not in _methods(app, endpoint):
            continue
        if rule.allowed not in clients:
            clients[rule.allowed] = _client_for(app, world, rule.allowed)
        response = clients[rule.allowed].get(_url(app, endpoint, rule.args(world)))
        if "no-store" not in response.headers.get("Cache-Control", ""):
            wrong.append(f"{endpoint}: {response.headers.get('Cache-Control')}")
    assert not wrong, wrong


def test_the_buyers_order_cart_and_checkout_are_no_store(app, session):
    world = build_world(session)
    number = _order_number(world)["number"]
    client = app.test_client()
    log_in(client, "buyer@example.vn")
    guest = app.test_client()
    for who, url in [
        (client, "/account/"),
        (client, "/cart"),
        (client, "/checkout"),
        (guest, "/cart"),
        (guest, f"/orders/{number}"),  # the lookup form for a stranger
        (app.test_client(), "/account/login"),
    ]:
        response = who.get(url)
        assert response.headers["Cache-Control"] == "no-store", (url, response.headers)


def test_public_catalogue_pages_and_images_keep_their_caching(client, session):
    response = client.get("/")
    assert response.headers["Cache-Control"].startswith("public")
    assert client.get("/products").headers["Cache-Control"].startswith("public")
