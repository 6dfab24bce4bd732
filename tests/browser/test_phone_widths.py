"""No page scrolls sideways on a 360 px phone, for any role (issue 11, item 6).

Each role signs in once in its own tab and visits every GET page of the URL map that it
can reach (tests/page_walk.py: the access test's world, path arguments filled from real
rows); a page fails when `document.documentElement.scrollWidth` exceeds the viewport,
naming the page and the element that sticks out furthest, when a box inside it scrolls
sideways, when a table lacks the phone card layout, or when a chart's labels render
under 12 px.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from flask import Flask
from playwright.sync_api import Browser, Page, expect

from tests.accounts.helpers import PASSWORD, make_member
from tests.factories import make_producer
from tests.page_walk import ANONYMOUS, ROLES, walk

PHONE = {"width": 360, "height": 780}
# PHONE_SHOTS=/some/folder saves a full-page screenshot of every page visited, to look at.
SHOTS = os.environ.get("PHONE_SHOTS")

# The element sticking out furthest to the right, named by tag, id, classes and text.
WIDEST = """(limit) => {
  let worst = null, right = limit;
  const all = [...document.body.querySelectorAll('*')];
  for (const el of all) {  // a box sticking out
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > right + 0.5) { worst = el; right = r.right; }
  }
  for (const el of worst ? [] : all) {  // else text overflowing its box, the innermost
    const r = el.getBoundingClientRect();
    const edge = r.left + el.scrollWidth;
    if (r.width > 0 && edge >= right + 0.5) { worst = el; right = edge; }
  }
  if (!worst) return null;
  const name = worst.tagName.toLowerCase() + (worst.id ? '#' + worst.id : '') +
    [...worst.classList].map(c => '.' + c).join('');
  const text = (worst.textContent || '').trim().replace(/\\s+/g, ' ').slice(0, 60);
  return `${name} (right edge ${Math.round(right)} px) "${text}"`;
}"""

# A box that scrolls sideways inside the page (a table in an overflow-x wrapper) hides
# columns just as well: tables become stacked cards on phones instead.
INNER_SCROLL = """() => {
  for (const el of document.body.querySelectorAll('*')) {
    if (el.matches('input, select, textarea, svg *')) continue;
    const style = getComputedStyle(el);
    if (!['auto', 'scroll'].includes(style.overflowX)) continue;
    if (el.scrollWidth > el.clientWidth + 1) {
      const name = el.tagName.toLowerCase() + [...el.classList].map(c => '.' + c).join('');
      return `${name} holds ${el.scrollWidth} px in ${el.clientWidth} px`;
    }
  }
  return null;
}"""

# Every table stacks its rows as cards on phones: class table-cards, and every cell says
# which column it is (data-label; empty for a full-width cell).
UNCARDED = """() => {
  for (const table of document.querySelectorAll('table')) {
    const caption = (table.caption || table.querySelector('th') || table).textContent.trim();
    if (!table.classList.contains('table-cards')) return `table "${caption}" lacks table-cards`;
    const cell = table.querySelector('td:not([data-label])');
    if (cell) return `a cell of table "${caption}" lacks data-label: "${cell.textContent.trim()}"`;
  }
  return null;
}"""


# The smallest chart label as rendered: page text at its computed size, SVG text at its
# size times the drawing's scale (an SVG shrunk to a phone's width shrinks its text too).
CHART_TEXT = """() => {
  let smallest = null;
  for (const el of document.querySelectorAll('.chart text, .bar-list *')) {
    if (!el.textContent.trim() || el.children.length) continue;
    let size = parseFloat(getComputedStyle(el).fontSize);
    const svg = el.closest('svg');
    if (svg && el instanceof SVGElement) size *= svg.getScreenCTM().a;
    if (!smallest || size < smallest.size) smallest = {size, text: el.textContent.trim()};
  }
  return smallest;
}"""
SMALLEST_LABEL = 12  # px


def _sign_in(page: Page, email: str) -> None:
    page.goto("/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(re.compile(r"^(?!.*/account/login)"))


def _fill_cart(page: Page, slug: str) -> None:
    page.goto(f"/products/{slug}")
    page.get_by_role("button", name=re.compile("^Thêm vào giỏ")).first.click()
    page.wait_for_load_state()


def _problem(page: Page, charts: list[str]) -> str | None:
    """What is wrong with the page at 360 px, if anything; `charts` collects the URLs
    that hold a chart."""
    label = page.evaluate(CHART_TEXT)
    if label:
        charts.append(page.url)
        if label["size"] < SMALLEST_LABEL:
            return f"chart label {label['text']!r} is {label['size']:.1f} px high"
    width = page.evaluate("document.documentElement.scrollWidth")
    if width > PHONE["width"]:
        return f"{width} px wide; widest: {page.evaluate(WIDEST, PHONE['width'])}"
    inner = page.evaluate(INNER_SCROLL)
    if inner:
        return f"a box scrolls sideways inside the page: {inner}"
    table = page.evaluate(UNCARDED)
    return f"a table without the phone card layout: {table}" if table else None


def test_no_page_scrolls_sideways_at_360px(
    browser: Browser, live_server: str, app: Flask, session
) -> None:  # type: ignore[no-untyped-def]
    world, values, pages = walk(app, session)
    failures: list[str] = []
    charts: list[str] = []
    for role in ROLES:
        assert len(pages[role]) >= (8 if role == ANONYMOUS else 12), (role, list(pages[role]))
        context = browser.new_context(viewport=PHONE, locale="vi-VN", base_url=live_server)
        context.set_default_timeout(10_000)
        try:
            page = context.new_page()
            if role != ANONYMOUS:
                _sign_in(page, world.users[role].email)
            _fill_cart(page, values["slug"])
            for url in pages[role]:
                page.goto(url)
                if SHOTS:
                    name = f"{role}{url}".replace("/", "_").replace("?", "_")
                    page.screenshot(path=str(Path(SHOTS) / f"{name}.png"), full_page=True)
                problem = _problem(page, charts)
                if problem:
                    failures.append(f"{url} as {role}: {problem}")
        finally:
            context.close()
    assert not failures, "pages fail at 360 px:\n" + "\n".join(failures)
    # the fair report and the producer's sales page were measured, their charts drawn
    assert any(url.endswith("/report") for url in charts), charts
    assert any(url.endswith("/sales") for url in charts), charts


def test_the_signed_in_header_is_compact_on_a_phone(page: Page, session) -> None:  # type: ignore[no-untyped-def]
    """At 390x844 the producer's header is one row and the search: well under a sixth of
    the screen (it took 310 px, a third); its menu holds the account and main links."""
    producer = make_producer(session, name="HTX Ong mật Mường Phăng Điện Biên")
    make_member(session, producer, email="htx@example.vn")
    session.commit()
    _sign_in(page, "htx@example.vn")
    page.goto("/producer/")
    height = page.evaluate("document.querySelector('.site-header').getBoundingClientRect().height")
    assert height <= 844 / 7, f"the signed-in header is {height} px high at 390x844"
    expect(page.get_by_role("searchbox")).to_be_in_viewport()
    expect(page.get_by_role("link", name=re.compile("^Giỏ hàng"))).to_be_visible()
    page.locator(".account-menu summary").click()
    menu = page.get_by_role("navigation", name="Tài khoản")
    for name in ("Tài khoản", "Đơn hàng của tôi", "Khu vực chủ thể"):
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(menu.get_by_role("button", name="Đăng xuất", exact=True)).to_be_visible()
    main = page.get_by_role("navigation", name="Menu chính")
    expect(main.get_by_role("link", name="Tất cả sản phẩm")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # the open menu too
    main.get_by_role("link", name="Hội chợ").click()
    expect(page.get_by_role("heading", name="Hội chợ", level=1)).to_be_visible()
