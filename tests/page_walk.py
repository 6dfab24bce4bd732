"""Every page of the shop, for every role: the world of tests/test_access_control.py with
the rows the wide pages list, the sample URL arguments of the public pages, and which
GET pages each role reaches (asked of the Flask test client). Walked by the 360 px
browser guard (tests/browser/test_phone_widths.py) and the date check (tests/test_dates.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, current_app

from storefront.accounts.tokens import make_reset_token
from storefront.audit import services as audit
from storefront.catalog.models import Producer, Product
from storefront.extensions import db
from storefront.fairs import services as fair_services
from storefront.fairs.attribution import record_fair_order
from storefront.orders.fulfilment import confirm_part
from storefront.orders.models import Order
from storefront.orders.placement import place_order
from storefront.traceability.models import Batch
from tests.accounts.helpers import log_in
from tests.orders.helpers import add_to_cart, order_request, variant_of
from tests.test_access_control import (
    ADMIN,
    BUSINESS,
    BUYER,
    OFFICER,
    ORGANISER,
    PRODUCER,
    PROTECTED,
    World,
    _agreement,
    _fair,
    _meeting,
    _own_batch,
    _own_settlement,
    build_world,
)

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, BUYER, BUSINESS, PRODUCER, ORGANISER, OFFICER, ADMIN)

# GET routes that answer with something other than a page (files, redirects, JSON).
NOT_PAGES = {
    "site.healthz",
    "readyz",
    "metrics",  # loopback or METRICS_ALLOW only: tests/production/test_observe.py
    "site.media",
    "site.set_language",
    "fairs.report_csv",
    "meetings.calendar",  # .ics files (tests/meetings/test_ics.py)
    "producer_meetings.calendar",
    "programme.province_csv",
    "programme.ranking_csv",
    "producer_listings.export_products",
    "producer_orders.export_orders",
    "settlements.producer_statement_csv",
    "settlements.statement_csv",
    "traceability.qr_png",
    "traceability.qr_svg",
    "traceability.stamp_sheet",
    "offtake_buyer.csv",
    "offtake_buyer.pdf",
    "offtake_producer.csv",
    "offtake_producer.pdf",
    "producer_orders.packing_slip",  # printed on A4/A6 paper, its own stylesheet
    "seo.robots",
    "seo.sitemap_index",
    "seo.sitemap_chunk",
    "seo.product_feed",  # XML for merchant centres
}
# Pages no role of this world reaches, and why (each is checked elsewhere).
UNREACHED = {
    "payments.card_payment": "needs Stripe keys; tests/payments/test_stripe_checkout.py",
    # A guest's link for a delivered part; the page is the signed-in review form's
    # (reviews._write_page), which the walk reaches. tests/reviews covers the link.
    "reviews.invite": "a guest's single-use link; tests/reviews",
}


def enrich(session, world: World) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Rows the wide pages list: the buyer's bank-transfer order awaiting payment, a
    confirmed part, a fair with an accepted exhibitor, a featured pack and a sale, a
    batch, a settlement and audit entries. The public URL arguments, by endpoint key."""
    _fair(world)
    _own_batch(world)
    _own_settlement(world)
    _agreement(world)  # a signed offtake agreement with its deliveries
    fair = fair_services.get_fair(session, world.extra["fair_id"])
    exhibitor = fair_services.get_exhibitor(session, world.extra["exhibitor_id"])
    fair_services.accept_invitation(session, exhibitor)
    variant_id = world.extra["variant_id"]
    fair_services.feature_variant(session, fair, variant_id, 1, 120_000)
    _meeting(world)  # a booked and an open meeting slot: the fair page lists the open one
    buyer = world.users[BUYER]
    placed = place_order(
        session,
        order_request([(variant_id, 3)], method="bank_transfer", awaiting=True, user_id=buyer.id),
    )
    order = placed.order
    record_fair_order(session, order.id, fair.id)  # the fair report has a row and a chart
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


def public_args(values: dict[str, str]) -> dict[str, Callable[[World], dict[str, Any]]]:
    return {
        "catalog.product_detail": lambda w: {"slug": values["slug"]},
        "catalog.producer_detail": lambda w: {"slug": values["producer_slug"]},
        "fairs.detail": lambda w: {"slug": values["fair_slug"]},
        "orders.detail": lambda w: {"number": values["number"]},
        "orders.confirmation": lambda w: {"number": values["number"]},
        "payments.card_payment": lambda w: {"number": values["number"]},
        "traceability.trace": lambda w: {"code": values["code"]},
        "reviews.invite": lambda w: {"token": "not-a-review-link"},
        "accounts.reset_password": lambda w: {
            "token": make_reset_token(str(current_app.config["SECRET_KEY"]), w.users[BUYER])
        },
    }


def reachable_pages(app: Flask, world: World, values: dict[str, str]) -> dict[str, dict[str, str]]:
    """For each role, the URLs of the HTML pages it gets with 200, and each page's HTML,
    asked of the test client; fails when a page of the URL map is reached by no role."""
    public = public_args(values)
    product = db.session.get(Product, world.extra["product_id"])
    urls: dict[str, str] = {}
    adapter = app.url_map.bind("localhost")
    for rule in app.url_map.iter_rules():
        if "GET" not in (rule.methods or ()) or rule.endpoint in NOT_PAGES:
            continue
        if rule.rule.startswith("/api/") and rule.endpoint != "api_docs":
            continue  # JSON, walked by tests/api against its document
        if rule.endpoint in PROTECTED:
            args = PROTECTED[rule.endpoint].args(world)
        else:
            args = public.get(rule.endpoint, lambda w: {})(world)
        urls[rule.endpoint] = adapter.build(rule.endpoint, args)
    reached: dict[str, dict[str, str]] = {}
    seen: set[str] = set()
    for role in ROLES:
        client = app.test_client()
        if role != ANONYMOUS:
            assert log_in(client, world.users[role].email).status_code == 302, role
        add_to_cart(client, product, world.extra["variant_id"])
        reached[role] = {}
        for endpoint, url in sorted(urls.items()):
            if endpoint == "accounts.logout":
                continue
            response = client.get(url)
            if response.status_code == 200:
                seen.add(endpoint)  # a file (CSV, PDF, image) is reached too, not walked
                if response.mimetype == "text/html":
                    reached[role][url] = response.text
    missing = sorted(set(urls) - seen - set(UNREACHED))
    assert not missing, f"no role reaches these pages: give them sample arguments: {missing}"
    return reached


def walk(app: Flask, session) -> tuple[World, dict[str, str], dict[str, dict[str, str]]]:  # type: ignore[no-untyped-def]
    """The world, the public URL values and every role's reachable pages."""
    world = build_world(session)
    values = enrich(session, world)
    return world, values, reachable_pages(app, world, values)
