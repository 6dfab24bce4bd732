"""The fair price applies only while the online fair is open, boundaries in Vietnam time.
Fairs feed it into storefront.pricing, which every page and the order call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from storefront.fairs import services
from storefront.fairs.models import FairState
from storefront.fairs.pricing import order_fair_id
from storefront.pricing import Channel, Offer, PackPrice, PriceContext, price_packs, price_variants
from storefront.timeutil import VIETNAM_TZ
from tests.factories import make_product
from tests.fairs.helpers import make_fair
from tests.orders.helpers import variant_of

OPENS = datetime(2026, 12, 1, 8, 0)  # Vietnam wall clock
CLOSES = datetime(2026, 12, 3, 20, 0)
TICK = timedelta(microseconds=1)


def _vn(moment: datetime) -> datetime:
    return moment.replace(tzinfo=VIETNAM_TZ)


def charged(session, variant, moment, came_through=None) -> tuple[int, int | None]:  # type: ignore[no-untyped-def]
    """(unit price, fair id or None) for one pack at `moment`."""
    channel = Channel("fair", came_through) if came_through else None
    price = price_variants(session, [variant], PriceContext(moment, channel))[variant.id]
    return price.unit_vnd, price.source_id("fair")


@pytest.fixture
def priced(session, organiser, fair_world):  # type: ignore[no-untyped-def]
    fair = make_fair(session, organiser, opens_local=OPENS, closes_local=CLOSES)
    producer, variant = fair_world["producer"], fair_world["variant"]
    services.accept_invitation(session, services.invite_exhibitor(session, fair, producer.id))
    services.feature_variant(session, fair, variant.id, 0, 120_000)
    session.commit()
    return fair, variant


def test_the_window_is_stored_in_utc(priced):
    fair, _ = priced
    assert fair.opens_at.replace(tzinfo=UTC) == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert fair.closes_at.replace(tzinfo=UTC) == datetime(2026, 12, 3, 13, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (_vn(OPENS) - TICK, 150_000),  # just before opening
        (_vn(OPENS), 120_000),  # at opening
        (_vn(CLOSES) - TICK, 120_000),  # just before closing
        (_vn(CLOSES), 150_000),  # at closing: never after closing time
        (_vn(CLOSES) + timedelta(hours=1), 150_000),
    ],
)
def test_fair_price_window_boundaries(session, priced, moment, expected):
    fair, variant = priced
    assert charged(session, variant, moment) == (
        expected,
        fair.id if expected == 120_000 else None,
    )
    # the same instant given in UTC decides the same way
    assert charged(session, variant, moment.astimezone(UTC))[0] == expected


def test_no_fair_price_unless_published(session, priced):
    fair, variant = priced
    inside = _vn(OPENS) + timedelta(hours=1)
    for state in (FairState.DRAFT, FairState.CLOSED):
        services.set_state(session, fair, state)
        assert charged(session, variant, inside) == (150_000, None)


def test_a_removed_exhibitor_loses_its_fair_price(session, priced, fair_world):
    fair, variant = priced
    exhibitor = services._exhibitor(session, fair.id, fair_world["producer"].id)
    services.remove_exhibitor(session, exhibitor)
    inside = _vn(OPENS) + timedelta(hours=1)
    assert charged(session, variant, inside) == (150_000, None)


def test_lowest_price_wins_unless_the_buyer_came_through_a_fair(
    session, organiser, priced, fair_world
):
    fair, variant = priced
    other = make_fair(session, organiser, opens_local=OPENS, closes_local=CLOSES)
    services.accept_invitation(
        session, services.invite_exhibitor(session, other, fair_world["producer"].id)
    )
    services.feature_variant(session, other, variant.id, 0, 110_000)
    inside = _vn(OPENS) + timedelta(hours=1)
    assert charged(session, variant, inside) == (110_000, other.id)
    assert charged(session, variant, inside, came_through=fair.id) == (120_000, fair.id)


def test_never_above_the_normal_price_and_other_packs_unchanged(session, priced, fair_world):
    fair, variant = priced
    variant.price_vnd = 100_000  # the producer lowered the normal price below the fair price
    plain = variant_of(session, make_product(session, fair_world["producer"], price=90_000))
    inside = _vn(OPENS) + timedelta(hours=1)
    prices = price_variants(session, [variant, plain], PriceContext(inside))
    assert {vid: (p.unit_vnd, p.offer) for vid, p in prices.items()} == {
        variant.id: (100_000, None),
        plain.id: (90_000, None),
    }


def test_a_buyer_who_came_through_a_fair_whose_price_is_now_too_high_gets_the_other_fair(
    session, organiser, priced, fair_world
):
    fair, variant = priced
    other = make_fair(session, organiser, opens_local=OPENS, closes_local=CLOSES)
    services.accept_invitation(
        session, services.invite_exhibitor(session, other, fair_world["producer"].id)
    )
    services.feature_variant(session, other, variant.id, 0, 110_000)
    variant.price_vnd = 115_000  # now below the first fair's 120.000 ₫
    inside = _vn(OPENS) + timedelta(hours=1)
    assert charged(session, variant, inside, came_through=fair.id) == (110_000, other.id)


def test_prices_for_packs_the_catalogue_does_not_have_are_not_invented(session, priced):
    _, variant = priced
    inside = _vn(OPENS) + timedelta(hours=1)
    assert price_packs(session, {}, PriceContext(inside)) == {}
    only = price_packs(session, {variant.id: 150_000}, PriceContext(inside))
    assert list(only) == [variant.id]


def test_order_fair_id_prefers_the_attributed_fair():
    prices = {
        1: PackPrice(1, 100),
        2: PackPrice(2, 100, Offer(2, 90, "fair", 7)),
    }
    assert order_fair_id(prices, None) == 7
    assert order_fair_id(prices, 3) == 3
    assert order_fair_id({1: PackPrice(1, 100)}, None) is None
