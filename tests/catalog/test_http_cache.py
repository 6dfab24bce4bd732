"""HTTP caching: anonymous catalogue pages are shared-cacheable and revalidate with 304;
anything personal never is."""

from __future__ import annotations

import pytest

from tests.accounts.helpers import log_in, make_user
from tests.factories import make_product

PUBLIC_PAGES = ["/", "/products", "/products?q=mat+ong&stars=3"]


@pytest.fixture
def honey(session) -> dict[str, str]:
    product = make_product(session, name="Mật ong hoa Ban")
    slugs = {"product": product.slug, "producer": product.producer.slug}
    session.commit()
    return slugs


@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_anonymous_pages_are_public_and_revalidate(client, honey, url):
    first = client.get(url)
    assert first.status_code == 200
    assert first.headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert "Cookie" in first.headers["Vary"]
    assert "Set-Cookie" not in first.headers
    etag = first.headers["ETag"]

    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag and "public" in again.headers["Cache-Control"]

    stale = client.get(url, headers={"If-None-Match": '"not-this-one"'})
    assert stale.status_code == 200 and stale.data == first.data


def test_producer_page_is_public(client, honey):
    response = client.get(f"/producers/{honey['producer']}")
    assert response.headers["Cache-Control"].startswith("public")


def test_each_language_has_its_own_etag(client, honey):
    vietnamese = client.get("/products").headers["ETag"]
    client.set_cookie("lang", "en")
    english = client.get("/products")
    assert english.headers["Cache-Control"].startswith("public")
    assert english.headers["ETag"] != vietnamese
    assert client.get("/products", headers={"If-None-Match": vietnamese}).status_code == 200


def test_a_catalogue_change_changes_the_etag(client, session, honey):
    etag = client.get("/products").headers["ETag"]
    make_product(session, name="Lạc đỏ Na Son")
    session.commit()
    changed = client.get("/products", headers={"If-None-Match": etag})
    assert changed.status_code == 200 and "Lạc đỏ Na Son" in changed.text


def test_a_page_that_sets_a_cookie_is_private(client, honey):
    # The product page's cart form puts a CSRF token in the session cookie.
    response = client.get(f"/products/{honey['product']}")
    assert "Set-Cookie" in response.headers
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert "ETag" not in response.headers
    # …and from then on this visitor carries a session: nothing is public for them.
    listing = client.get("/products")
    assert listing.headers["Cache-Control"] == "private, no-cache"


def test_signed_in_visitors_get_private_pages(client, session, honey):
    user = make_user(session)
    session.commit()
    log_in(client, user.email)
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.headers["Cache-Control"] == "private, no-cache", url
        assert "ETag" not in response.headers
        assert client.get(url, headers={"If-None-Match": "*"}).status_code == 200


def test_other_pages_are_left_alone(client, honey):
    assert "ETag" not in client.get("/cart").headers
    assert client.get("/products/no-such-product").status_code == 404
