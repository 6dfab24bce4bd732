"""The producer's sub-menu is the same on every producer page (issue 11, item 9): the same
entries in the same order, Đối soát, Lô sản xuất and Hội chợ included, on every page of
the workspace the producer reaches (tests/page_walk.py walks them all)."""

from __future__ import annotations

from html.parser import HTMLParser

from tests.page_walk import PRODUCER, walk

ENTRIES = [
    ("Sản phẩm", "/producer/{id}/products"),
    ("Đơn hàng", "/producer/{id}/orders"),
    ("Báo giá", "/producer/{id}/quotes"),
    ("Bao tiêu", "/producer/{id}/agreements"),
    ("Giấy chứng nhận", "/producer/{id}/certificates"),
    ("Doanh số", "/producer/{id}/sales"),
    ("Đánh giá", "/producer/{id}/reviews"),
    ("Đối soát", "/producer/{id}/settlements"),
    ("Lô sản xuất", "/producer/batches"),
    ("Hội chợ", "/producer/{id}/fairs"),
    ("Gặp gỡ", "/producer/{id}/meetings"),  # meeting slots at fairs (storefront/meetings)
    ("Thành viên", "/producer/{id}/members"),
]


class WorkspaceMenu(HTMLParser):
    """The (text, href) of the links inside the page's workspace menus: a nav labelled
    "Quản lý …" (the area page has one per producer)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.menus: list[list[tuple[str, str]]] = []
        self._in_menu = False
        self._href: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        attributes = dict(attrs)
        if tag == "nav" and (attributes.get("aria-label") or "").startswith("Quản lý"):
            self._in_menu = True
            self.menus.append([])
        elif tag == "a" and self._in_menu:
            self._href, self._text = attributes.get("href") or "", ""

    def handle_data(self, data):  # type: ignore[no-untyped-def]
        if self._href is not None:
            self._text += data

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "a" and self._href is not None:
            self.menus[-1].append((self._text.strip(), self._href))
            self._href = None
        elif tag == "nav":
            self._in_menu = False


def menus(html: str) -> list[list[tuple[str, str]]]:
    parser = WorkspaceMenu()
    parser.feed(html)
    return parser.menus


def test_every_producer_page_shows_the_whole_menu(app, session):
    world, _, pages = walk(app, session)
    expected = [(label, path.format(id=world.producer.id)) for label, path in ENTRIES]
    producer_pages = {
        url: html
        for url, html in pages[PRODUCER].items()
        if url.startswith("/producer/") and url != "/producer/apply"
    }
    assert len(producer_pages) >= 15, sorted(producer_pages)
    wrong = []
    for url, html in sorted(producer_pages.items()):
        found = menus(html)
        if found != [expected]:
            wrong.append(f"{url}: {found}")
    assert not wrong, "\n".join(wrong)
