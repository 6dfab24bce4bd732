"""No page scrolls sideways on a 360 px phone, for any role (issue 11, item 6).

Each role signs in once in its own tab and visits every GET page of the URL map that it
can reach (tests/test_access_control.py's world fills the path arguments from real
rows); a page fails when `document.documentElement.scrollWidth` exceeds the viewport,
naming the page and the element that sticks out furthest. Which pages a role reaches is
asked of the Flask test client first (fast), so the browser only loads real pages.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app
from playwright.sync_api import Browser, Page

from storefront.accounts.tokens import make_reset_token
from storefront.audit import services as audit
from storefront.catalog.models import Producer, Product
from storefront.extensions import db
from storefront.fairs import services as fair_services
from storefront.orders.fulfilment import confirm_part
from storefront.orders.models import Order
from storefront.orders.placement import place_order
from storefront.traceability.models import Batch
from tests.accounts.helpers import PASSWORD, log_in
from tests.orders.helpers import add_to_cart, order_request, variant_of
from tests.test_access_control import (
    ADMIN,
    BUYER,
    ORGANISER,
    PRODUCER,
    PROTECTED,
    World,
    _fair,
    _own_batch,
    _own_settlement,
    build_world,
)

PHONE = {"width": 360, "height": 780}
# PHONE_SHOTS=/some/folder saves a full-page screenshot of every page visited, to look at.
SHOTS = os.environ.get("PHONE_SHOTS")
ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, BUYER, PRODUCER, ORGANISER, ADMIN)

# GET routes that answer with something other than a page (files, redirects, JSON).
NOT_PAGES = {
    "site.healthz",
    "site.media",
    "site.set_language",
    "fairs.report_csv",
    "producer_listings.export_products",
    "producer_orders.export_orders",
    "settlements.producer_statement_csv",
    "settlements.statement_csv",
    "traceability.qr_png",
    "traceability.qr_svg",
    "traceability.stamp_sheet",
    "producer_orders.packing_slip",  # printed on A4/A6 paper, its own stylesheet
}
# Pages no role of this world reaches, and why (each is checked elsewhere).
UNREACHED = {
    "payments.card_payment": "needs Stripe keys; tests/payments/test_stripe_checkout.py",
}

# The element sticking out furthest to the right, named by tag, id, classes and text.
WIDEST = """(limit) => {
  let worst = null, right = limit;
  for (const el of document.body.querySelectorAll('*')) {
    const r = el.getBoundingClientRect();
    const edge = Math.max(r.right, r.left + el.scrollWidth);  // text overflowing its box too
    if (r.width > 0 && edge > right + 0.5) { worst = el; right = edge; }
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


def _enrich(session, world: World) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Rows the wide pages list: the buyer's bank-transfer order awaiting payment, a
    confirmed part, a fair with an accepted exhibitor, a featured pack and a sale, a
    batch, a settlement and audit entries. The public URL arguments, by endpoint key."""
    _fair(world)
    _own_batch(world)
    _own_settlement(world)
    fair = fair_services.get_fair(session, world.extra["fair_id"])
    exhibitor = fair_services.get_exhibitor(session, world.extra["exhibitor_id"])
    fair_services.accept_invitation(session, exhibitor)
    variant_id = world.extra["variant_id"]
    fair_services.feature_variant(session, fair, variant_id, 1, 120_000)
    buyer = world.users[BUYER]
    placed = place_order(
        session,
        order_request([(variant_id, 3)], method="bank_transfer", awaiting=True, user_id=buyer.id),
    )
    order = placed.order
    confirm_part(session, world.extra["part_id"])
    audit.record(
        session,
        world.users[ADMIN].id,
        "order.mark_paid",
        order,
        {"paid_at": None, "status": "awaiting_payment"},
        {"paid_at": "2026-12-01T10:00:00", "status": "paid"},
    )
    session.commit()

    product = session.get(Product, world.extra["product_id"])
    batch = session.get(Batch, world.extra["batch_id"])
    assert variant_of(session, product).id == variant_id
    return {
        "slug": product.slug,
        "producer_slug": session.get(Producer, world.producer.id).slug,
        "fair_slug": fair.slug,
        "number": session.get(Order, order.id).number,
        "code": batch.code,
    }


def _public_args(values: dict[str, str]) -> dict[str, Callable[[World], dict[str, Any]]]:
    return {
        "catalog.product_detail": lambda w: {"slug": values["slug"]},
        "catalog.producer_detail": lambda w: {"slug": values["producer_slug"]},
        "fairs.detail": lambda w: {"slug": values["fair_slug"]},
        "orders.detail": lambda w: {"number": values["number"]},
        "orders.confirmation": lambda w: {"number": values["number"]},
        "payments.card_payment": lambda w: {"number": values["number"]},
        "traceability.trace": lambda w: {"code": values["code"]},
        "accounts.reset_password": lambda w: {
            "token": make_reset_token(str(current_app.config["SECRET_KEY"]), w.users[BUYER])
        },
    }


def _pages(app: Flask, world: World, values: dict[str, str]) -> dict[str, list[str]]:
    """For each role, the URLs of the HTML pages it gets with 200, asked of the test client."""
    public = _public_args(values)
    product = db.session.get(Product, world.extra["product_id"])
    urls: dict[str, str] = {}
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in NOT_PAGES:
            continue
        if rule.endpoint in PROTECTED:
            args = PROTECTED[rule.endpoint].args(world)
        else:
            args = public.get(rule.endpoint, lambda w: {})(world)
        urls[rule.endpoint] = adapter.build(rule.endpoint, args)
    reached: dict[str, list[str]] = {}
    seen: set[str] = set()
    for role in ROLES:
        client = app.test_client()
        if role != ANONYMOUS:
            assert log_in(client, world.users[role].email).status_code == 302, role
        add_to_cart(client, product, world.extra["variant_id"])
        reached[role] = []
        for endpoint, url in sorted(urls.items()):
            if endpoint == "accounts.logout":
                continue
            response = client.get(url)
            if response.status_code == 200 and response.mimetype == "text/html":
                reached[role].append(url)
                seen.add(endpoint)
    missing = sorted(set(urls) - seen - set(UNREACHED))
    assert not missing, f"no role reaches these pages: give them sample arguments: {missing}"
    return reached


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


def _too_wide(page: Page) -> str | None:
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
    world = build_world(session)
    values = _enrich(session, world)
    pages = _pages(app, world, values)
    failures = []
    for role in ROLES:
        assert len(pages[role]) >= (8 if role == ANONYMOUS else 12), (role, pages[role])
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
                problem = _too_wide(page)
                if problem:
                    failures.append(f"{url} as {role}: {problem}")
        finally:
            context.close()
    assert not failures, "pages scroll sideways at 360 px:\n" + "\n".join(failures)
