"""Vietnamese by default, English one click away, and prices the way each reads them."""

from __future__ import annotations

import pytest

from tests.factories import make_product
from tests.site.helpers import switch_language


def _lang_cookie(client) -> str | None:
    cookie = client.get_cookie("lang")
    return cookie.value if cookie else None


def test_vietnamese_is_the_default(client):
    html = client.get("/products").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Tất cả sản phẩm" in html


def test_switch_to_english_and_back(client):
    response = switch_language(client, "en", "/products")
    assert response.status_code == 302
    assert response.headers["Location"] == "/products"
    assert _lang_cookie(client) == "en"

    html = client.get("/products").get_data(as_text=True)
    assert '<html lang="en">' in html
    assert "All products" in html
    assert "Tất cả sản phẩm" not in html
    assert 'href="/language/vi?next=/products"' in html

    response = switch_language(client, "vi", "/products?page=2")
    assert response.headers["Location"] == "/products?page=2"
    assert _lang_cookie(client) == "vi"
    html = client.get("/products").get_data(as_text=True)
    assert '<html lang="vi">' in html
    assert "Tất cả sản phẩm" in html


def test_unknown_language_is_ignored(client):
    response = client.get("/language/fr", query_string={"next": "/products"})
    assert response.status_code == 302
    assert _lang_cookie(client) is None
    assert '<html lang="vi">' in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    "hostile",
    [
        "//evil.example",
        "https://evil.example",
        "/\\evil.example",
        "///evil.example",
        "javascript:alert(1)",
        "/\t/evil.example",
        "",
    ],
)
def test_hostile_next_goes_home(client, hostile):
    response = client.get("/language/en", query_string={"next": hostile})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_prices_in_vietnamese_and_english(client, session):
    product = make_product(session, name="Mật ong hoa Ban", price=150_000)
    session.commit()

    page = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "150.000\xa0₫" in page
    listing = client.get("/products").get_data(as_text=True)
    assert "từ 150.000\xa0₫" in listing

    switch_language(client, "en")
    page = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "₫150,000" in page
    assert "Packs and prices" in page
    assert "from ₫150,000" in client.get("/products").get_data(as_text=True)
