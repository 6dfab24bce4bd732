"""The home page: the fair open now leads as a banner with its countdown and its packs at
fair prices with their discount; "Bán chạy" (units in delivered or paid parts over the
last 30 days) beside the newest certified products, in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from storefront.catalog.groups import PRODUCT_GROUPS
from storefront.extensions import cache
from storefront.fairs import services as fairs
from storefront.fairs.home import time_left
from storefront.fairs.models import FairState
from storefront.orders.models import Order, OrderPart, PartStatus, PaymentStatus
from storefront.timeutil import utcnow
from tests.accounts.helpers import make_user
from tests.factories import make_producer, make_product
from tests.fairs.helpers import make_fair, vietnam_now
from tests.orders.helpers import GIA_LAI, GIA_LAI_WARD, HA_NOI, HA_NOI_WARD, place, variant_of


@pytest.mark.parametrize(
    ("left", "text"),
    [
        (timedelta(days=3, hours=4, minutes=10), "Còn 3 ngày 4 giờ"),
        (timedelta(days=1), "Còn 1 ngày 0 giờ"),
        (timedelta(hours=5, minutes=12), "Còn 5 giờ 12 phút"),
        (timedelta(minutes=6, seconds=30), "Còn 7 phút"),  # a started minute counts
        (timedelta(seconds=-5), "Còn 0 phút"),
    ],
)
def test_time_left_reads_in_days_and_hours_then_minutes(app, left, text):
    now = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)
    with app.test_request_context("/"):
        assert time_left(now + left, now) == text


@pytest.fixture
def organiser(session):  # type: ignore[no-untyped-def]
    return make_user(session, role="organiser")


def open_fair_with_a_pack(session, organiser, **kw):  # type: ignore[no-untyped-def]
    producer = make_producer(session)
    product = make_product(session, producer, "Mật ong hoa Ban", price=350_000)
    fair = make_fair(session, organiser, **kw)
    exhibitor = fairs.invite_exhibitor(session, fair, producer.id)
    fairs.accept_invitation(session, exhibitor)
    fairs.feature_variant(session, fair, variant_of(session, product).id, 1, 301_000)
    session.commit()
    return fair


def test_the_open_fair_leads_the_page_with_its_countdown_and_discounts(client, session, organiser):
    make_product(session, name="Lạc đỏ Na Son")
    closes = vietnam_now() + timedelta(days=2, hours=3, minutes=30)
    fair = open_fair_with_a_pack(
        session, organiser, name="Hội chợ OCOP Tây Bắc", closes_local=closes
    )
    html = client.get("/").text
    banner = html.index('class="fair-now"')
    assert banner < html.index("<h1") < html.index('id="newest-heading"')
    section = html[banner : html.index("</section>", banner)]
    assert "Hội chợ OCOP Tây Bắc" in section and f'href="/fairs/{fair.slug}"' in section
    clock = re.search(r"<time datetime=\"([^\"]+)\" data-countdown[^>]*>([^<]+)</time>", section)
    assert clock and clock.group(2) == "Còn 2 ngày 3 giờ"
    assert datetime.fromisoformat(clock.group(1)) > utcnow()
    assert 'data-hours="Còn {h} giờ {m} phút"' in section  # what the script rewrites it with
    assert "301.000" in section and "350.000" in section and "−14 %" in section


def test_no_banner_without_a_fair_open_now(client, session, organiser):
    now = vietnam_now()
    open_fair_with_a_pack(
        session, organiser, opens_local=now + timedelta(days=1), closes_local=now + timedelta(2)
    )
    draft = make_fair(session, organiser, state=FairState.DRAFT)
    session.commit()
    html = client.get("/").text
    assert 'class="fair-now"' not in html and draft.name not in html


def test_the_banner_in_english(client, session, organiser):
    open_fair_with_a_pack(session, organiser, closes_local=vietnam_now() + timedelta(hours=5))
    client.set_cookie("lang", "en")
    html = client.get("/").text
    assert re.search(r"data-countdown[^>]*>[45] h \d+ min left</time>", html)


def sell(session, product, quantity, status=None, paid=False, days_ago=1):  # type: ignore[no-untyped-def]
    order = place(session, [(variant_of(session, product).id, quantity)])
    if status:
        session.execute(
            update(OrderPart).where(OrderPart.order_id == order.id).values(status=status)
        )
    values = {"placed_at": utcnow() - timedelta(days=days_ago)}
    if paid:
        values["payment_status"] = PaymentStatus.PAID
    session.execute(update(Order).where(Order.id == order.id).values(**values))
    session.commit()


def best_sellers(html: str) -> list[str]:
    start = html.index('id="best-heading"')
    shelf = html[start : html.index("</section>", start)]
    return re.findall(r'<span class="card-name" lang="vi">([^<]+)</span>', shelf)


def test_best_sellers_count_units_delivered_or_paid_in_the_last_30_days(client, session):
    producer = make_producer(session)
    honey, peanuts, nest, tea, candy = (
        make_product(session, producer, name, stock=500)
        for name in ("Mật ong", "Lạc đỏ", "Yến sào", "Chè Shan", "Kẹo dừa")
    )
    plain = make_product(session, producer, "Bánh chưng", stars=None, stock=500)
    session.commit()
    sell(session, honey, 3, status=PartStatus.DELIVERED)
    sell(session, honey, 2, paid=True)
    sell(session, peanuts, 4, status=PartStatus.DELIVERED)
    sell(session, plain, 2, paid=True, status=PartStatus.SHIPPED)
    sell(session, nest, 50)  # placed, cash on delivery, not delivered yet: not counted
    sell(session, tea, 40, paid=True, status=PartStatus.CANCELLED)  # refunded: not counted
    sell(session, candy, 30, status=PartStatus.DELIVERED, days_ago=31)  # too long ago
    html = client.get("/").text
    assert best_sellers(html) == ["Mật ong", "Lạc đỏ", "Bánh chưng"]
    start = html.index('id="best-heading"')
    shelf = html[start : html.index("</section>", start)]
    assert "Chưa có chứng nhận OCOP còn hiệu lực" in shelf  # the uncertified one says so
    # beside the newest shelf, which still lists the newest certified products
    assert html.index('id="best-heading"') < html.index('id="newest-heading"')


def test_no_best_seller_shelf_before_anything_sold(client, session):
    make_product(session, name="Mật ong")
    session.commit()
    assert 'id="best-heading"' not in client.get("/").text


def test_the_home_page_costs_the_same_with_more_best_sellers(client, session, count_queries):
    producer = make_producer(session)
    products = [make_product(session, producer, f"Sản phẩm {n}", stock=100) for n in range(10)]
    session.commit()

    def statements() -> int:
        with count_queries() as counter:
            assert client.get("/").status_code == 200
        return counter.count

    sell(session, products[0], 1, status=PartStatus.DELIVERED)
    few = statements()
    for product in products[1:]:
        sell(session, product, 2, status=PartStatus.DELIVERED)
    cache.clear()  # the shelves are cached for the hour
    many = statements()
    assert len(best_sellers(client.get("/").text)) == 8
    # provinces, both shelves in one statement, their photos; featured products; fairs open;
    # the shared catalogue version (in the database here, without Redis)
    assert few == many <= 6
    assert session.execute(select(Order)).first()


def test_the_chips_link_every_group_and_only_provinces_where_producers_sell(client, session):
    make_product(session, make_producer(session), "Mật ong")
    closed = make_producer(session, province_code=GIA_LAI, ward_code=GIA_LAI_WARD)
    closed.is_active = False
    make_producer(session, province_code=HA_NOI, ward_code=HA_NOI_WARD)
    session.commit()

    page = client.get("/").text
    provinces = re.findall(r'href="/products\?province=([^"]+)" lang="vi">([^<]+)<', page)
    assert provinces == [("dien-bien", "Điện Biên"), ("ha-noi", "Hà Nội")]  # not Gia Lai
    groups = re.findall(r'href="/products\?group=([^"]+)">([^<]+)<', page)
    assert [code for code, _ in groups] == [group.code for group in PRODUCT_GROUPS]
    assert ("do-uong", "Đồ uống") in groups

    client.get("/language/en")
    cache.clear()
    assert '<a href="/products?group=do-uong">Drinks</a>' in client.get("/").text
