"""Static files: hashed names cached for good, gzip when asked, plain names briefly."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest

from storefront.site.assets import static_url


def _max_age(cache_control: str) -> int:
    match = re.search(r"max-age=(\d+)", cache_control)
    assert match, cache_control
    return int(match.group(1))


@pytest.mark.parametrize("name", ["css/app.css", "js/app.js"])
def test_hashed_url_is_cached_for_a_year_and_immutable(client, name):
    url = static_url(name)
    assert re.fullmatch(r"/static/dist/.+\.[0-9a-f]{12}\.(css|js)", url), url
    response = client.get(url)
    assert response.status_code == 200
    cache_control = response.headers["Cache-Control"]
    assert "immutable" in cache_control
    assert _max_age(cache_control) >= 365 * 24 * 3600
    assert response.headers.get("Content-Encoding") is None

    compressed = client.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert compressed.status_code == 200
    assert compressed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.data) == response.data


@pytest.mark.parametrize("name", ["css/app.css", "js/app.js"])
def test_unhashed_url_has_a_short_cache(client, name):
    response = client.get(f"/static/{name}")
    assert response.status_code == 200
    cache_control = response.headers["Cache-Control"]
    assert "immutable" not in cache_control
    assert _max_age(cache_control) <= 24 * 3600


def test_pages_link_the_hashed_files(client):
    html = client.get("/").get_data(as_text=True)
    assert f'href="{static_url("css/app.css")}"' in html
    assert f'src="{static_url("js/app.js")}" defer' in html


def test_stylesheet_stays_small(app):
    """No framework: the whole stylesheet stays under 16 KB before compression (4 KB
    gzipped; 15 KB until the home page's fair banner and the cards' labels)."""
    assert (Path(app.config["STATIC_ROOT"]) / "css" / "app.css").stat().st_size < 16_000
