"""One price for a pack, wherever the buyer looks: the product page, the cart, the
checkout summary and the placed order all come from storefront.pricing.

The cart is bought through the pages as a browser would, with an open fair's price, an
expired fair's price, a draft fair's price, the fair the buyer came through and several
producers: cart total = checkout total = order total, line by line.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from storefront.accounts.models import Role
from storefront.fairs import services as fairs
from storefront.fairs.models import FairState
from storefront.pricing import Offer, PackPrice, PriceContext, price_packs
from storefront.pricing import services as pricing
from storefront.timeutil import utcnow
from tests.accounts.helpers import make_user
from tests.factories import VINH_LONG, VINH_LONG_WARD, make_producer, make_product
from tests.fairs.helpers import make_fair, vietnam_now
from tests.orders.helpers import (
    add_to_cart,
    checkout_form,
    delivery_fields,
    latest_order,
    variant_of,
)

AMOUNT = r"([\d.]+)\s*₫"


def amount(html: str, element_id: str) -> int:
    match = re.search(rf'id="{element_id}">{AMOUNT}', html.replace("\xa0", " "))
    assert match, f"no #{element_id} on the page"
    return int(match.group(1).replace(".", ""))


def unit_prices(html: str) -> list[int]:
    """The price to pay of each pack shown (the fair price where one applies). The
    product page's sticky bar repeats a pack's price; it must agree, then is left out."""
    bar = re.search(r'<form[^>]*class="buy-bar".*?</form>', html, re.S)
    if bar:
        html = html.replace(bar.group(0), "")
        assert set(_amounts(bar.group(0))) <= set(_amounts(html)), "the bar disagrees"
    return _amounts(html)


def _amounts(html: str) -> list[int]:
    shown = re.findall(r'class="price(?: price-fair)?">' + AMOUNT, html.replace("\xa0", " "))
    return [int(a.replace(".", "")) for a in shown]


def _exhibit(session, fair, producer) -> None:  # type: ignore[no-untyped-def]
    fairs.accept_invitation(session, fairs.invite_exhibitor(session, fair, producer.id))


@pytest.fixture
def market(session):  # type: ignore[no-untyped-def]
    """Three producers; honey at two open fairs, candy at a fair that closed yesterday
    and at a draft fair, tea at none."""
    organiser = make_user(session, email="btc@example.vn", role=Role.ORGANISER)
    dien_bien = make_producer(session, "HTX Mường Phăng")
    vinh_long = make_producer(
        session, "HTX Dừa Vĩnh Long", province_code=VINH_LONG, ward_code=VINH_LONG_WARD
    )
    tea_house = make_producer(session, "HTX Chè Tủa Chùa")
    honey = make_product(session, dien_bien, "Mật ong hoa Ban", price=290_000, stock=20)
    candy = make_product(session, vinh_long, "Kẹo dừa", price=45_000, stock=20)
    tea = make_product(session, tea_house, "Chè Shan tuyết", price=120_000, stock=20)
    now = vietnam_now()
    open_fair = make_fair(session, organiser, name="Hội chợ Điện Biên")
    cheaper_fair = make_fair(session, organiser, name="Hội chợ Tây Bắc")
    expired = make_fair(
        session,
        organiser,
        name="Hội chợ đã qua",
        opens_local=now - timedelta(days=5),
        closes_local=now - timedelta(days=1),
    )
    draft = make_fair(session, organiser, name="Hội chợ nháp", state=FairState.DRAFT)
    for fair, producer in [
        (open_fair, dien_bien),
        (cheaper_fair, dien_bien),
        (expired, vinh_long),
        (draft, vinh_long),
    ]:
        _exhibit(session, fair, producer)
    fairs.feature_variant(session, open_fair, variant_of(session, honey).id, 0, 250_000)
    fairs.feature_variant(session, cheaper_fair, variant_of(session, honey).id, 0, 240_000)
    fairs.feature_variant(session, expired, variant_of(session, candy).id, 0, 30_000)
    fairs.feature_variant(session, draft, variant_of(session, candy).id, 0, 25_000)
    session.commit()
    return {"honey": honey, "candy": candy, "tea": tea, "open_fair": open_fair}


def _buy(client, session, market, quantities) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    for name, quantity in quantities.items():
        product = market[name]
        add_to_cart(client, product, variant_of(session, product).id, quantity)
    cart_total = amount(client.get("/cart").text, "cart-items-total")
    hidden = checkout_form(client)
    checkout_total = amount(client.get("/checkout").text, "checkout-items-total")
    placed = client.post("/checkout", data={**hidden, **delivery_fields()})
    assert placed.status_code == 303 and "/placed" in placed.headers["Location"]
    order = latest_order(session)
    assert order is not None
    return cart_total, checkout_total, order.items_total_vnd


def test_a_buyer_sees_and_pays_the_lowest_open_fair_price_everywhere(client, session, market):
    honey_page = client.get(f"/products/{market['honey'].slug}").text
    assert unit_prices(honey_page) == [240_000]  # the cheaper of the two open fairs
    assert "290.000" in honey_page  # the retail price, crossed out beside it
    cart, checkout, order = _buy(client, session, market, {"honey": 2, "candy": 3, "tea": 1})
    # honey at 240.000 (open fairs), candy at retail (its fair closed; the other is a
    # draft), tea at retail
    expected = 2 * 240_000 + 3 * 45_000 + 120_000
    assert cart == checkout == order == expected


def test_the_fair_the_buyer_came_through_sets_the_price_everywhere(client, session, market):
    client.get(f"/fairs/{market['open_fair'].slug}")  # the buyer arrives from this fair
    honey_page = client.get(f"/products/{market['honey'].slug}").text
    assert unit_prices(honey_page) == [250_000]
    cart, checkout, order = _buy(client, session, market, {"honey": 1, "tea": 2})
    assert cart == checkout == order == 250_000 + 2 * 120_000


def test_a_fair_closing_between_cart_and_order_charges_retail_everywhere(client, session, market):
    add_to_cart(client, market["honey"], variant_of(session, market["honey"]).id, 1)
    assert amount(client.get("/cart").text, "cart-items-total") == 240_000
    for fair in fairs.managed_fairs(session, make_user(session, role=Role.ADMIN)):
        fair.closes_at = utcnow() - timedelta(seconds=1)
    session.commit()
    cart, checkout, order = _buy(client, session, market, {})
    assert cart == checkout == order == 290_000


def test_the_lowest_offer_below_retail_wins_across_sources(session):
    class Wholesale:
        """A second source, as quantity tiers would be: 10 or more at 200.000 ₫."""

        name = "test-wholesale"

        def offers(self, session, retail, context):  # type: ignore[no-untyped-def]
            return [
                Offer(vid, 200_000, self.name, 1)
                for vid, quantity in context.quantities.items()
                if quantity >= 10
            ]

        def order_placed(self, session, order_id, prices, context) -> None:  # type: ignore[no-untyped-def]
            pass

    pricing.register_source(Wholesale())
    try:
        few = price_packs(session, {1: 290_000}, PriceContext(utcnow(), quantities={1: 2}))
        many = price_packs(session, {1: 290_000}, PriceContext(utcnow(), quantities={1: 10}))
        above = price_packs(session, {1: 150_000}, PriceContext(utcnow(), quantities={1: 10}))
    finally:
        pricing.unregister_source("test-wholesale")
    assert few[1] == PackPrice(1, 290_000)
    assert many[1].unit_vnd == 200_000 and many[1].discount_percent == 31
    assert above[1] == PackPrice(1, 150_000)  # an offer above retail never applies


def test_the_product_page_asks_the_fairs_only_while_a_fair_is_open(
    client, session, market, count_queries
):
    """The product statement says whether any fair is open (fairs' fact): while one is,
    every product page asks the fairs for its prices; once none is, none does, and the
    prices are retail."""

    def statements(name: str) -> int:
        with count_queries() as counter:
            assert client.get(f"/products/{market[name].slug}").status_code == 200
        return counter.count

    while_open = statements("honey")
    assert statements("tea") == statements("candy") == while_open
    for fair in fairs.managed_fairs(session, make_user(session, role=Role.ADMIN)):
        fair.closes_at = utcnow() - timedelta(seconds=1)
    session.commit()
    assert statements("honey") == statements("tea") == while_open - 1
    assert unit_prices(client.get(f"/products/{market['honey'].slug}").text) == [290_000]
