"""Compressed responses: HTML and other text go out gzip- or brotli-encoded when the
browser asks, personal pages keep working (and keep their no-cache headers), and static
files are still WhiteNoise's own pre-compressed copies."""

from __future__ import annotations

import gzip

import brotli
import pytest

from storefront.site.assets import static_url
from tests.factories import make_product
from tests.orders.helpers import add_to_cart, variant_of


@pytest.fixture
def honey(session):  # type: ignore[no-untyped-def]
    product = make_product(session, name="Mật ong hoa Ban", price=350_000, stock=10)
    session.commit()
    return product


def test_html_is_gzipped_when_the_browser_asks(client, honey):
    plain = client.get("/products")
    assert plain.status_code == 200
    assert "Content-Encoding" not in plain.headers
    assert "Mật ong hoa Ban" in plain.text

    zipped = client.get("/products", headers={"Accept-Encoding": "gzip"})
    assert zipped.status_code == 200
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped.headers["Vary"]
    assert zipped.data[:2] == b"\x1f\x8b"  # the gzip magic number
    assert gzip.decompress(zipped.data) == plain.data
    assert int(zipped.headers["Content-Length"]) == len(zipped.data) < len(plain.data) / 2


def test_brotli_is_preferred_when_offered(client, honey):
    plain = client.get("/")
    response = client.get("/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert response.headers["Content-Encoding"] == "br"
    assert brotli.decompress(response.data) == plain.data


def test_a_compressed_public_page_still_revalidates_with_304(client, honey):
    first = client.get("/products", headers={"Accept-Encoding": "gzip"})
    etag = first.headers["ETag"]
    assert etag.endswith(':gzip"')  # a cache never mixes up the two bodies
    again = client.get("/products", headers={"Accept-Encoding": "gzip", "If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""


def test_personal_pages_are_compressed_and_still_private(client, session, honey):
    add_to_cart(client, honey, variant_of(session, honey).id, 2)
    cart = client.get("/cart", headers={"Accept-Encoding": "gzip"})
    assert cart.status_code == 200
    assert cart.headers["Content-Encoding"] == "gzip"
    assert "Mật ong hoa Ban" in gzip.decompress(cart.data).decode()

    checkout = client.get("/checkout", headers={"Accept-Encoding": "gzip"})
    assert checkout.status_code == 200
    assert checkout.headers["Cache-Control"] == "no-store"
    assert checkout.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(checkout.data).decode()
    assert 'name="csrf_token"' in html and "Mật ong hoa Ban" in html


def test_static_files_are_whitenoises_own_gzip_copies(client):
    url = static_url("css/app.css")
    response = client.get(url, headers={"Accept-Encoding": "gzip, br"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"  # WhiteNoise has no brotli copy
    assert "immutable" in response.headers["Cache-Control"]
    assert b"{" in gzip.decompress(response.data)
