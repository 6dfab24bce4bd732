"""Sales figures: by week, by product, by destination province with the share shipped
outside the producer's own province; charts as SVG beside their tables."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from storefront.orders import fulfilment
from storefront.orders.models import Order
from storefront.producers import charts, sales
from storefront.timeutil import today_in_vietnam, utcnow
from tests.accounts.helpers import log_in, make_member
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD, make_producer, make_product
from tests.orders.helpers import GIA_LAI, GIA_LAI_WARD, HA_NOI, place, variant_of
from tests.producers.helpers import part_id_of


def _shop(session):  # type: ignore[no-untyped-def]
    producer = make_producer(session, province_code=DIEN_BIEN, ward_code=DIEN_BIEN_WARD)
    honey = variant_of(
        session, make_product(session, producer, name="Mật ong", price=150_000, stock=100)
    )
    tea = variant_of(session, make_product(session, producer, name="Chè", price=50_000, stock=100))
    return producer, honey, tea


def test_report_adds_up_by_week_product_and_province(session):
    producer, honey, tea = _shop(session)
    place(session, [(honey.id, 2)])  # Hà Nội, this week
    place(session, [(tea.id, 3)], province=GIA_LAI, ward=GIA_LAI_WARD)
    home = place(session, [(honey.id, 1), (tea.id, 1)], province=DIEN_BIEN, ward=DIEN_BIEN_WARD)
    old = place(session, [(honey.id, 1)])
    cancelled = place(session, [(honey.id, 5)])
    fulfilment.cancel_part(session, part_id_of(session, cancelled.id), actor="buyer")
    session.execute(
        update(Order).where(Order.id == old.id).values(placed_at=utcnow() - timedelta(weeks=3))
    )
    session.execute(
        update(Order).where(Order.id == home.id).values(placed_at=utcnow() - timedelta(weeks=20))
    )
    session.commit()
    today = today_in_vietnam()
    report = sales.sales_report(session, producer.id, DIEN_BIEN, today, weeks=4)
    assert len(report.weeks) == 4 and report.weeks[-1].start == sales.week_start(today)
    assert [w.units for w in report.weeks][-1] >= 5  # this week: 2 honey + 3 tea
    assert report.revenue_vnd == 2 * 150_000 + 3 * 50_000 + 150_000
    assert report.units == 6 and report.orders == 3 and report.orders_outside == 3
    assert report.share_outside == 1.0
    assert [p.name for p in report.top_products] == ["Mật ong", "Chè"]
    assert {p.province_code: p.orders for p in report.provinces} == {HA_NOI: 2, GIA_LAI: 1}
    longer = sales.sales_report(session, producer.id, DIEN_BIEN, today, weeks=26)
    assert (longer.orders, longer.orders_outside) == (4, 3)
    assert longer.share_outside == 0.75
    home_row = next(p for p in longer.provinces if p.province_code == DIEN_BIEN)
    assert home_row.is_home and home_row.revenue_vnd == 200_000


def test_sales_page_costs_the_same_whatever_it_shows(client, session, count_queries):
    producer, honey, tea = _shop(session)
    make_member(session, producer, email="ong@example.vn")
    place(session, [(honey.id, 1)])
    session.commit()
    log_in(client, "ong@example.vn")
    url = f"/producer/{producer.id}/sales?weeks=12"
    client.get(url)
    session.expire_all()
    with count_queries() as few:
        page = client.get(url)
    for n in range(6):
        place(session, [(honey.id, 1), (tea.id, n + 1)], province=GIA_LAI, ward=GIA_LAI_WARD)
    session.commit()
    session.expire_all()
    with count_queries() as many:
        client.get(url)
    assert many.count == few.count
    assert page.status_code == 200
    assert page.text.count('<svg class="chart"') == 2  # revenue and units by week
    assert page.text.count('class="bar-list"') == 2 and "<table" in page.text
    assert "style=" not in page.text and "<script" not in page.text.split("</head>")[1]
    assert "100%" in page.text  # share outside Điện Biên
    assert client.get(f"/producer/{producer.id}/sales?weeks=9999").status_code == 200


def test_chart_geometry():
    assert [charts.nice_ceiling(v) for v in (0, 1, 7, 10, 11, 260_000, 999)] == [
        1,
        1,
        10,
        10,
        20,
        500_000,
        1000,
    ]
    chart = charts.column_chart([("a", 50), ("b", 100), ("c", 0)], width=300, height=100)
    tallest = max(chart.bars, key=lambda bar: bar.height)
    assert tallest.label == "b" and tallest.y + tallest.height == chart.plot_bottom
    assert chart.bars[0].height * 2 == tallest.height and chart.bars[2].height == 0
    assert [line.value for line in chart.grid] == [0, 25, 50, 75, 100]
    assert [line.value for line in charts.column_chart([("a", 5)]).grid] == [0, 1, 2, 3, 4, 5]
    assert [line.value for line in charts.column_chart([("a", 2)]).grid] == [0, 1, 2]
    bars = charts.bar_chart([("Hà Nội", 3), ("Gia Lai", 1)])
    assert bars.bars[0].width > bars.bars[1].width > 0
