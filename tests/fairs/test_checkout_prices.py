"""Orders placed while a fair is open are charged its fair price and attributed to it.
test_pricing.py covers the price rules themselves.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storefront.fairs import services
from storefront.fairs.models import FairOrder
from storefront.orders.models import OrderLine
from storefront.orders.placement import place_order
from storefront.pricing import Channel
from tests.orders.helpers import order_request


def _line_price(session, order_id: int) -> int:  # type: ignore[no-untyped-def]
    return session.execute(
        select(OrderLine.unit_price_vnd)
        .join(OrderLine.part)
        .where(OrderLine.part.has(order_id=order_id))
    ).scalar_one()


def test_an_order_in_the_window_pays_the_fair_price_and_is_attributed(session, fair_world):
    fair, variant = fair_world["fair"], fair_world["variant"]
    services.feature_variant(session, fair, variant.id, 0, 120_000)
    request = replace(order_request([(variant.id, 2)]), channel=Channel("fair", fair.id))
    order = place_order(session, request).order
    assert order.items_total_vnd == 240_000
    assert _line_price(session, order.id) == 120_000
    assert session.get(FairOrder, order.id).fair_id == fair.id


def test_after_closing_the_normal_price_is_charged(session, fair_world):
    fair, variant = fair_world["fair"], fair_world["variant"]
    services.feature_variant(session, fair, variant.id, 0, 120_000)
    fair.closes_at = datetime.now(UTC) - timedelta(seconds=1)
    fair.opens_at = fair.closes_at - timedelta(days=1)
    order = place_order(session, order_request([(variant.id, 1)])).order
    assert order.items_total_vnd == 150_000
    assert session.get(FairOrder, order.id) is None
