"""What a shared link and a search engine see: Open Graph and Twitter card tags, JSON-LD
(parsed and checked for the properties schema.org and Google require), canonical and
language URLs, noindex, the "Chia sẻ" control, robots.txt and the sitemaps."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import pytest
from PIL import Image
from sqlalchemy import select

from storefront.catalog import services as catalog
from storefront.catalog.models import ProductPhoto
from storefront.seo import sitemaps
from tests.accounts.helpers import make_user
from tests.factories import make_product
from tests.fairs.helpers import make_fair
from tests.producers.helpers import jpeg_bytes
from tests.reviews.helpers import bought

BASE = "http://127.0.0.1:5000"  # PUBLIC_BASE_URL in the tests
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def parse_xml(data: bytes) -> ElementTree.Element:
    return ElementTree.fromstring(data)  # noqa: S314 - the shop's own sitemap, in a test


class Head(HTMLParser):
    """The page's meta tags, links and JSON-LD, as a crawler reads them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict[str, str]] = []
        self.jsonld: list[dict] = []
        self._in_jsonld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = {k: v or "" for k, v in attrs}
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        elif tag == "link":
            self.links.append(a)
        elif tag == "script" and a.get("type") == "application/ld+json":
            self._in_jsonld = True

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        self._in_jsonld = False

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._in_jsonld:
            self.jsonld.append(json.loads(data))

    def of_type(self, kind: str) -> dict:
        found = [node for node in self.jsonld if node["@type"] == kind]
        assert len(found) == 1, [n["@type"] for n in self.jsonld]
        assert found[0]["@context"] == "https://schema.org"
        return found[0]

    def link(self, rel: str, hreflang: str | None = None) -> str:
        hits = [
            link["href"]
            for link in self.links
            if link.get("rel") == rel and link.get("hreflang") == hreflang
        ]
        assert len(hits) == 1, (rel, hreflang, self.links)
        return hits[0]


def page(client, url: str) -> Head:
    response = client.get(url)
    assert response.status_code == 200, url
    return Head(response.text)


def product_with_photo(app, session, **kw):
    product = make_product(session, name=kw.pop("name", "Mật ong hoa Ban"), **kw)
    stored = catalog_store(app, jpeg_bytes((1000, 800)))
    catalog.add_photo(session, product, stored.path, stored.width, stored.height, "Hũ mật")
    session.commit()
    return product


def catalog_store(app, data):
    from storefront import media

    return media.store_photo(app.config["MEDIA_ROOT"], data)


def test_a_product_link_shows_photo_name_and_price(app, client, session):
    product = product_with_photo(app, session, price=165_000)
    head = page(client, f"/products/{product.slug}")
    url = f"{BASE}/products/{product.slug}"
    assert head.link("canonical") == url
    assert head.meta["og:url"] == url
    assert head.meta["og:title"] == "Mật ong hoa Ban"
    assert head.meta["og:type"] == "product"
    assert head.meta["product:price:amount"] == "165000"
    assert head.meta["product:price:currency"] == "VND"
    assert head.meta["twitter:card"] == "summary_large_image"
    image = head.meta["og:image"]
    assert image.startswith(f"{BASE}/media/share/")
    stored = Path(app.config["MEDIA_ROOT"]) / image.removeprefix(f"{BASE}/media/")
    with Image.open(stored) as picture:
        assert picture.size == (1200, 630)
    assert client.get(image.removeprefix(BASE)).status_code == 200


def test_pages_only_name_the_sharing_picture_their_upload_made(app, client, session, monkeypatch):
    """Storing a photo makes its sharing picture; a page view reads no media (with media
    in object storage each look would be a network call) and makes no picture."""
    from storefront.fairs.services import set_banner
    from storefront.storage import LocalMediaStorage

    product = product_with_photo(app, session)
    fair = make_fair(session, make_user(session, role="organiser"))
    set_banner(session, fair, app.config["MEDIA_ROOT"], jpeg_bytes((1600, 900)))
    session.commit()
    touched: list[str] = []
    for method in ("exists", "read", "save"):
        original = getattr(LocalMediaStorage, method)

        def watched(self, path, *args, _original=original, _method=method):  # type: ignore[no-untyped-def]
            touched.append(f"{_method} {path}")
            return _original(self, path, *args)

        monkeypatch.setattr(LocalMediaStorage, method, watched)
    for url in (f"/products/{product.slug}", f"/fairs/{fair.slug}"):
        image = page(client, url).meta["og:image"]
        assert image.startswith(f"{BASE}/media/share/"), url
        stored = Path(app.config["MEDIA_ROOT"]) / image.removeprefix(f"{BASE}/media/")
        with Image.open(stored) as picture:
            assert picture.size == (1200, 630)
    assert touched == []


def test_share_pictures_command_makes_the_missing_ones_once(app, session, runner):
    from storefront import media

    product = product_with_photo(app, session)
    make_product(session, name="Chè Shan tuyết")  # a product without photos
    (photo,) = session.scalars(select(ProductPhoto).where(ProductPhoto.product_id == product.id))
    root = Path(app.config["MEDIA_ROOT"])
    picture = root / media.share_image_path(photo.path)
    picture.unlink()  # a photo stored before uploads made sharing pictures
    lost = make_product(session, name="Gạo Séng Cù")
    catalog.add_photo(session, lost, "products/gone.jpg", 800, 600, "")
    session.commit()

    result = runner.invoke(args=["seo", "share-pictures"])
    assert result.exit_code == 0, result.output
    assert "1 photos have one" in result.stdout
    assert "products/gone.jpg" in result.stderr
    with Image.open(picture) as made:
        assert made.size == (1200, 630)
    made_at = picture.stat().st_mtime_ns
    again = runner.invoke(args=["seo", "share-pictures"])
    assert again.exit_code == 0 and picture.stat().st_mtime_ns == made_at


def test_product_json_ld_has_offers_and_a_rating_only_with_reviews(app, client, session):
    from storefront.reviews import services as reviews

    product = product_with_photo(app, session, price=150_000, stock=10)
    node = page(client, f"/products/{product.slug}").of_type("Product")
    assert node["name"] == product.name
    assert node["image"] and all(i.startswith(BASE) for i in node["image"])
    assert node["brand"]["@type"] == "Organization"
    assert node["brand"]["name"] == product.producer.name
    (offer,) = node["offers"]
    assert offer["price"] == "150000" and offer["priceCurrency"] == "VND"
    assert offer["availability"] == "https://schema.org/InStock"
    assert "aggregateRating" not in node
    buyer = make_user(session)
    part = bought(session, product, buyer.id)
    reviewable = reviews.reviewable_for_buyer(session, buyer.id, part.id, product.id)
    media_root = app.config["MEDIA_ROOT"]
    reviews.write_review(session, media_root, reviewable, reviews.ReviewDraft(4, ""), "Lan")
    session.commit()
    head = page(client, f"/products/{product.slug}")
    rating = head.of_type("Product")["aggregateRating"]
    assert rating == {
        "@type": "AggregateRating",
        "ratingValue": "4.0",
        "reviewCount": 1,
        "bestRating": 5,
        "worstRating": 1,
    }
    crumbs = head.of_type("BreadcrumbList")["itemListElement"]
    assert [c["position"] for c in crumbs] == [1, 2, 3]
    assert crumbs[-1]["item"] == f"{BASE}/products/{product.slug}"


def test_sold_out_packs_are_out_of_stock(client, session):
    product = make_product(session, stock=0)
    (offer,) = page(client, f"/products/{product.slug}").of_type("Product")["offers"]
    assert offer["availability"] == "https://schema.org/OutOfStock"


def test_json_ld_cannot_be_broken_out_of(client, session):
    product = make_product(session, name="Mật </script><script>alert(1)</script>")
    html = client.get(f"/products/{product.slug}").text
    assert "<script>alert(1)" not in html
    assert Head(html).of_type("Product")["name"] == product.name


def test_producer_page_is_a_local_business_with_its_address(client, session):
    product = make_product(session)
    head = page(client, f"/producers/{product.producer.slug}")
    node = head.of_type("LocalBusiness")
    assert node["name"] == product.producer.name
    assert node["address"]["addressRegion"] == "Điện Biên"
    assert node["address"]["addressCountry"] == "VN"
    assert head.link("canonical") == f"{BASE}/producers/{product.producer.slug}"
    assert head.of_type("BreadcrumbList")


def test_fair_page_is_an_online_event_in_vietnam_time(client, session):
    fair = make_fair(session, make_user(session, role="organiser"))
    session.commit()
    head = page(client, f"/fairs/{fair.slug}")
    event = head.of_type("Event")
    assert event["eventAttendanceMode"] == "https://schema.org/OnlineEventAttendanceMode"
    assert event["startDate"].endswith("+07:00") and event["endDate"].endswith("+07:00")
    assert event["location"]["@type"] == "VirtualLocation"
    assert "Zalo" in client.get(f"/fairs/{fair.slug}").text  # the share control


def test_home_page_is_the_shop_and_its_search(client):
    head = page(client, "/")
    assert head.of_type("Organization")["name"] == "OCOP Storefront"
    action = head.of_type("WebSite")["potentialAction"]
    assert action["target"] == f"{BASE}/products?q={{search_term_string}}"


def test_canonical_and_language_versions(client, session):
    make_product(session)
    head = page(client, "/products?group=thuc-pham&sort=price_asc&page=1&min_price=5")
    assert head.link("canonical") == f"{BASE}/products?group=thuc-pham"
    assert head.link("alternate", "en") == f"{BASE}/products?group=thuc-pham&lang=en"
    assert head.link("alternate", "x-default") == f"{BASE}/products?group=thuc-pham"
    english = client.get("/products?lang=en")
    assert '<html lang="en">' in english.text
    assert Head(english.text).link("canonical") == f"{BASE}/products?lang=en"


@pytest.mark.parametrize(
    ("url", "indexed"),
    [
        ("/products", True),
        ("/products?group=thuc-pham", True),
        ("/products?q=mat+ong", True),
        ("/products?q=khong+co+gi+ca", False),  # no results
        ("/products?group=thuc-pham&stars=4", False),  # two filters
        ("/products?q=mat+ong&province=dien-bien", False),
    ],
)
def test_noindex_on_empty_searches_and_deep_filters(client, session, url, indexed):
    make_product(session, name="Mật ong hoa Ban")
    robots = page(client, url).meta.get("robots")
    assert (robots is None) == indexed, robots


def test_share_control_works_without_javascript(client, session):
    product = make_product(session)
    html = client.get(f"/products/{product.slug}").text
    encoded = f"http%3A%2F%2F127.0.0.1%3A5000%2Fproducts%2F{product.slug}"
    assert f"https://www.facebook.com/sharer/sharer.php?u={encoded}" in html
    assert f"https://sp.zalo.me/share_to_zalo?link={encoded}" in html
    assert re.search(r'<a href="http://127\.0\.0\.1:5000/products/[^"]+" data-share-copy', html)
    assert re.search(r"<button[^>]*data-share-native hidden", html)  # shown by share.js


def test_robots_txt_keeps_crawlers_out_of_private_areas(client):
    response = client.get("/robots.txt")
    assert response.mimetype == "text/plain"
    for path in ("/account", "/cart", "/checkout", "/admin", "/producer/", "/orders"):
        assert f"Disallow: {path}" in response.text
    assert f"Sitemap: {BASE}/sitemap.xml" in response.text


def test_sitemaps_list_only_public_certified_listings(client, session):
    listed = make_product(session, name="Mật ong hoa Ban")
    make_product(session, name="Chưa bán", published=False)
    make_product(session, name="Chưa chứng nhận", stars=None)
    make_product(session, name="Hết hạn", expired=True)
    index = parse_xml(client.get("/sitemap.xml").data)
    chunks = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert chunks == [f"{BASE}/sitemaps/{kind}-1.xml" for kind in sitemaps.KINDS]
    urls = parse_xml(client.get("/sitemaps/products-1.xml").data)
    locs = [loc.text for loc in urls.iter(f"{SITEMAP}loc")]
    assert locs == [f"{BASE}/products/{listed.slug}"]
    assert len(list(urls.iter(f"{SITEMAP}lastmod"))) == 1
    producers = parse_xml(client.get("/sitemaps/producers-1.xml").data)
    assert f"{BASE}/producers/{listed.producer.slug}" in [
        loc.text for loc in producers.iter(f"{SITEMAP}loc")
    ]
    for bad in ("orders-1", "products-abc", "products-0", "products", "-1", "products-99999"):
        assert client.get(f"/sitemaps/{bad}.xml").status_code == 404, bad


def test_sitemaps_are_chunked(client, session, monkeypatch):
    monkeypatch.setattr(sitemaps, "CHUNK", 2)
    monkeypatch.setattr(sitemaps, "BATCH", 1)
    products = [make_product(session) for _ in range(5)]
    session.commit()
    index = parse_xml(client.get("/sitemap.xml").data)
    chunks = [loc.text for loc in index.iter(f"{SITEMAP}loc") if "products-" in loc.text]
    assert len(chunks) == 3
    seen = []
    for chunk in chunks:
        root = parse_xml(client.get(chunk.removeprefix(BASE)).data)
        locs = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
        assert 1 <= len(locs) <= 2
        seen += locs
    assert sorted(seen) == sorted(f"{BASE}/products/{p.slug}" for p in products)
    empty = parse_xml(client.get("/sitemaps/products-9.xml").data)
    assert list(empty.iter(f"{SITEMAP}loc")) == []
