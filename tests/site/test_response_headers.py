"""The headers every response carries, and the shortcuts that add them without
werkzeug's or Flask-Compress's longer way: the same header either way."""

from __future__ import annotations

import pytest
from flask import Response

from storefront import create_app
from storefront.site.headers import header_value, vary_on


@pytest.mark.parametrize(
    "vary",
    [
        None,
        "",
        "Accept-Encoding",
        "Accept-Encoding, Cookie",
        "accept-encoding,cookie",
        "Accept-Language,Accept-Encoding",
        "Accept-Encoding ,  Origin",
        '"Accept-Encoding", Origin',
        "*",
        "Accept-Encoding, , Origin",
    ],
)
def test_vary_on_writes_what_werkzeug_writes(vary):
    ours, theirs = Response("ok"), Response("ok")
    if vary is not None:
        ours.headers["Vary"] = theirs.headers["Vary"] = vary
    vary_on(ours, "Cookie")
    theirs.vary.add("Cookie")
    assert ours.headers.get("Vary") == theirs.headers.get("Vary")


@pytest.fixture(scope="module")
def bench_client():  # type: ignore[no-untyped-def]
    return create_app({"BENCH_ROUTES": True, "RATELIMIT_ENABLED": True}).test_client()


@pytest.mark.parametrize("headers", [{}, {"Accept-Encoding": "gzip, br"}, {"Cookie": "x=1"}])
def test_a_bare_response_carries_every_header_of_a_page(bench_client, headers):
    response = bench_client.get("/bench/bare", headers=headers)
    assert [name for name, _ in response.headers] == [
        "Content-Type",
        "Content-Length",
        "Cache-Control",
        "Vary",
        "X-Request-ID",
        "Content-Security-Policy",
        "X-Content-Type-Options",
        "X-Frame-Options",
        "Referrer-Policy",
        "Permissions-Policy",
    ]
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Vary"] == "Accept-Encoding, Cookie"  # too short to compress
    assert response.data == b"ok" and "Set-Cookie" not in response.headers


def test_a_short_body_is_sent_as_it_is_and_a_long_one_compressed(app):
    shop = create_app({"RATELIMIT_ENABLED": False})

    @shop.get("/test-text/<int:size>")
    def text(size: int) -> Response:
        response = Response("x" * size, mimetype="text/plain")
        response.headers["Vary"] = "Origin"
        return response

    client = shop.test_client()
    short = client.get("/test-text/499", headers={"Accept-Encoding": "gzip"})
    assert short.data == b"x" * 499 and "Content-Encoding" not in short.headers
    assert short.headers["Vary"] == "Origin, Accept-Encoding, Cookie"
    long = client.get("/test-text/500", headers={"Accept-Encoding": "gzip"})
    assert long.headers["Content-Encoding"] == "gzip"
    assert long.headers["Vary"] == "Origin, Accept-Encoding, Cookie"


@pytest.mark.parametrize("name", ["Vary", "vary", "X-Missing"])
def test_header_value_is_what_headers_get_answers(name):
    response = Response("ok")
    response.headers.add("Vary", "Origin")
    response.headers.add("Vary", "Cookie")
    assert header_value(response.headers, name) == response.headers.get(name)
