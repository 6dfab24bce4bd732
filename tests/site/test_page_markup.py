"""Catalogue pages are built for screen readers, phones and a strict CSP."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from tests.factories import make_producer, make_product
from tests.site.helpers import switch_language


class PageAudit(HTMLParser):
    """Collects what the checks below look at while parsing one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.html_lang: str | None = None
        self.h1_count = 0
        self.inline_scripts = 0
        self.style_attributes: list[str] = []
        self.event_handlers: list[str] = []
        self.images_without_alt: list[str] = []
        self.has_main = False
        self.current_pages: list[str] = []
        self._in_script = False
        self._script_has_src = False

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attributes = dict(attrs)
        if tag == "html":
            self.html_lang = attributes.get("lang")
        elif tag == "h1":
            self.h1_count += 1
        elif tag == "main":
            self.has_main = True
        elif tag == "script" and attributes.get("type") == "application/ld+json":
            pass  # JSON-LD is data, never run: the CSP's script-src does not concern it
        elif tag == "script":
            self._in_script = True
            self._script_has_src = bool(attributes.get("src"))
            if not self._script_has_src:
                self.inline_scripts += 1
        elif tag == "img" and "alt" not in attributes:
            self.images_without_alt.append(attributes.get("src") or "")
        if "style" in attributes:
            self.style_attributes.append(tag)
        self.event_handlers += [f"{tag}[{name}]" for name in attributes if name.startswith("on")]
        if attributes.get("aria-current") == "page":
            self.current_pages.append(attributes.get("href") or "")

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._in_script and self._script_has_src and data.strip():
            self.inline_scripts += 1


def audit(html: str) -> PageAudit:
    parser = PageAudit()
    parser.feed(html)
    parser.close()
    return parser


@pytest.fixture
def catalogue(session):
    producer = make_producer(session, name="HTX Mường Phăng")
    honey = make_product(session, producer, name="Mật ong hoa Ban", price=250_000, stars=4)
    make_product(session, producer, name="Lạc đỏ Na Son", price=90_000, stars=3)
    make_product(session, name="Yến sào Chư Sê", price=2_500_000, stars=5)
    session.commit()
    return honey, producer


def _pages(catalogue) -> list[str]:
    honey, producer = catalogue
    return [
        "/",
        "/products",
        "/products?q=mat+ong",
        "/products?group=thuc-pham&stars=4&province=dien-bien&min_price=1000&sort=price_asc",
        "/products?q=khong+co+gi+ca",
        f"/products/{honey.slug}",
        f"/producers/{producer.slug}",
    ]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_catalogue_pages_are_well_formed(client, catalogue, language):
    switch_language(client, language)
    for path in [*_pages(catalogue), "/products/khong-ton-tai"]:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        page = audit(response.get_data(as_text=True))
        assert page.html_lang == language, path
        assert page.h1_count == 1, path
        assert page.has_main, path
        assert page.inline_scripts == 0, path
        assert page.style_attributes == [], path
        assert page.event_handlers == [], path
        assert page.images_without_alt == [], path


def test_pagination_marks_the_current_page(app, client, session, monkeypatch):
    monkeypatch.setitem(app.config, "PRODUCTS_PER_PAGE", 2)
    producer = make_producer(session)
    for n in range(1, 6):
        make_product(session, producer=producer, name=f"Sản phẩm {n}")
    session.commit()

    html = client.get("/products?page=2").get_data(as_text=True)
    page = audit(html)
    assert page.current_pages == ["/products?page=2"]
    assert 'aria-label="Phân trang"' in html
    assert 'rel="prev" href="/products"' in html
    assert 'rel="next" href="/products?page=3"' in html

    first = audit(client.get("/products").get_data(as_text=True))
    assert first.current_pages == ["/products"]
