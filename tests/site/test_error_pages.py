"""Friendly error pages, never a traceback; a health check that tells the truth."""

from __future__ import annotations

import pytest

from storefront import create_app
from storefront.extensions import db
from tests.site.helpers import switch_language


def test_not_found_page_is_in_vietnamese_with_a_way_home(client):
    response = client.get("/products/khong-co-san-pham-nay")
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Không tìm thấy trang" in html
    assert 'href="/"' in html


def test_not_found_page_in_english(client):
    switch_language(client, "en")
    html = client.get("/khong-co").get_data(as_text=True)
    assert "Page not found" in html
    assert "Go to the home page" in html


def test_unexpected_error_gets_the_friendly_page():
    app = create_app({"RATELIMIT_ENABLED": False})

    @app.get("/boom")
    def boom():  # type: ignore[no-untyped-def]
        raise RuntimeError("secret internal detail")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert "Đã có lỗi xảy ra" in html
    assert 'href="/"' in html
    assert "Traceback" not in html
    assert "secret internal detail" not in html


def test_healthz_answers_when_the_database_is_up(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok", "redis": "off"}


@pytest.mark.parametrize(
    "database_url",
    [
        "postgresql+psycopg://postgres@127.0.0.1:1/nope",
        "sqlite:////nonexistent-folder-for-healthz/storefront.db",
    ],
)
def test_healthz_fails_when_the_database_is_unreachable(database_url):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": {},
            "RATELIMIT_ENABLED": False,
        }
    )
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
    with app.app_context():
        db.engine.dispose()
