"""Fair rules: featuring, booths, exhibitors, attribution."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from storefront.fairs import services
from storefront.fairs.attribution import open_fair_id, record_fair_order, remember_fair_visit
from storefront.fairs.models import BoothProduct, ExhibitorStatus, FairOrder, FairState
from storefront.fairs.services import FairError
from storefront.pricing import Channel, channel_from_cookie
from storefront.pricing.channel import SESSION_KEY
from storefront.timeutil import utcnow
from tests.factories import make_producer, make_product
from tests.fairs.helpers import make_fair, vietnam_now
from tests.orders.helpers import place, variant_of


def test_fair_price_must_be_below_the_normal_price(session, fair_world):
    fair, variant = fair_world["fair"], fair_world["variant"]
    for bad in (150_000, 200_000, 0, -5):
        with pytest.raises(FairError):
            services.feature_variant(session, fair, variant.id, 0, bad)
    feature = services.feature_variant(session, fair, variant.id, 3, 149_000)
    again = services.feature_variant(session, fair, variant.id, 1, None)
    assert again.id == feature.id and again.position == 1 and again.fair_price_vnd is None


def test_only_accepted_exhibitors_products_can_be_featured(session, organiser, fair_world):
    fair = fair_world["fair"]
    outsider = make_producer(session)
    variant = variant_of(session, make_product(session, outsider))
    with pytest.raises(FairError):
        services.feature_variant(session, fair, variant.id, 0, 1_000)
    services.invite_exhibitor(session, fair, outsider.id)  # invited, not yet accepted
    with pytest.raises(FairError):
        services.feature_variant(session, fair, variant.id, 0, 1_000)


def test_invitation_and_request_meet_in_acceptance(session, organiser, fair_world):
    fair = fair_world["fair"]
    producer = make_producer(session)
    asked = services.request_to_exhibit(session, fair, producer.id)
    assert asked.status == ExhibitorStatus.REQUESTED
    assert services.invite_exhibitor(session, fair, producer.id).status == ExhibitorStatus.ACCEPTED
    draft = make_fair(session, organiser, state=FairState.DRAFT)
    with pytest.raises(FairError):
        services.request_to_exhibit(session, draft, producer.id)


def test_a_booth_shows_only_the_exhibitors_own_products(session, fair_world):
    exhibitor = fair_world["exhibitor"]
    someone_elses = make_product(session)
    with pytest.raises(FairError):
        services.update_booth(session, exhibitor, "", [someone_elses.id])
    services.update_booth(session, exhibitor, "Mật ong rừng", [fair_world["product"].id])
    shown = session.execute(
        select(BoothProduct.product_id).where(BoothProduct.exhibitor_id == exhibitor.id)
    ).scalars()
    assert list(shown) == [fair_world["product"].id]


def test_fair_details_are_checked(session, organiser):
    now = vietnam_now()
    data = services.FairData(
        "Hội chợ", "", "Nhà văn hoá", 11, now.date(), now.date(), now, now - timedelta(hours=1)
    )
    with pytest.raises(FairError) as caught:
        services.create_fair(session, organiser, data)
    assert caught.value.field == "closes_local"
    with pytest.raises(FairError):
        services.create_fair(
            session,
            organiser,
            data.__class__(
                **{**data.__dict__, "province_code": 999, "closes_local": now + timedelta(hours=1)}
            ),
        )  # noqa: E501


def test_attribution_remembers_an_open_fair_until_it_closes(session, organiser, fair_world):
    fair = fair_world["fair"]
    cookie: dict = {}
    now = utcnow()
    assert remember_fair_visit(cookie, fair, now)
    assert channel_from_cookie(cookie, now) == Channel("fair", fair.id)
    assert open_fair_id(session, fair.id, now) == fair.id
    after_closing = fair.closes_at.replace(tzinfo=now.tzinfo) + timedelta(seconds=1)
    assert channel_from_cookie(cookie, after_closing) is None
    assert SESSION_KEY not in cookie  # a stale visit is forgotten


def test_attribution_ignores_upcoming_closed_and_tampered_visits(session, organiser, fair_world):
    upcoming = make_fair(
        session,
        organiser,
        opens_local=vietnam_now() + timedelta(days=1),
        closes_local=vietnam_now() + timedelta(days=2),
    )
    cookie: dict = {}
    assert not remember_fair_visit(cookie, upcoming, utcnow())
    assert cookie == {}
    fair = fair_world["fair"]
    remember_fair_visit(cookie, fair, utcnow())
    services.set_state(session, fair, FairState.CLOSED)
    assert open_fair_id(session, fair.id, utcnow()) is None  # the cookie alone is not trusted
    tampered = {SESSION_KEY: {"kind": "fair", "id": "x", "until": 2**40}}
    assert channel_from_cookie(tampered, utcnow()) is None


def test_an_order_is_recorded_against_its_fair_once(session, fair_world):
    order = place(session, [(fair_world["variant"].id, 1)])
    fair_id = fair_world["fair"].id
    assert record_fair_order(session, order.id, None) is None
    record_fair_order(session, order.id, fair_id)
    record_fair_order(session, order.id, fair_id)
    assert session.get(FairOrder, order.id).fair_id == fair_id
