"""One source of truth: the producer's sales page, the fair report and the province
dashboard count "outside the province" alike (the order's delivery province against the
producer's province at the time of the order), even after the producer moves."""

from __future__ import annotations

from storefront.accounts.models import Role
from storefront.fairs.attribution import record_fair_order
from storefront.fairs.report import fair_report
from storefront.producers.sales import sales_report
from storefront.programme import services
from storefront.programme.periods import parse_period
from storefront.timeutil import today_in_vietnam
from tests.accounts.helpers import make_user
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD, make_producer, make_product
from tests.fairs.helpers import make_fair
from tests.orders.helpers import GIA_LAI, GIA_LAI_WARD, HA_NOI, HA_NOI_WARD, place, variant_of


def test_sales_page_fair_report_and_dashboard_agree(session):
    honey = make_producer(session, name="HTX Mật ong Mường Phăng")
    variant = variant_of(session, make_product(session, honey, price=150_000, stock=100))
    fair = make_fair(session, make_user(session, email="btc@example.vn", role=Role.ORGANISER))
    session.commit()
    for province, ward, quantity in (
        (HA_NOI, HA_NOI_WARD, 2),
        (GIA_LAI, GIA_LAI_WARD, 1),
        (DIEN_BIEN, DIEN_BIEN_WARD, 3),
        (HA_NOI, HA_NOI_WARD, 1),
    ):
        order = place(session, [(variant.id, quantity)], province=province, ward=ward)
        record_fair_order(session, order.id, fair.id)
    session.commit()
    # The producer moves to Gia Lai afterwards: its past orders keep their origin.
    honey.province_code, honey.ward_code = GIA_LAI, GIA_LAI_WARD
    session.commit()

    today = today_in_vietnam()
    sales = sales_report(session, honey.id, honey.province_code, today, weeks=4)
    [exhibitor] = fair_report(session, fair.id).exhibitors
    period = parse_period("4w", today)
    assert period is not None
    [row] = [
        r
        for r in services.producers_section(session, [DIEN_BIEN], period, today).rows
        + services.producers_section(session, [GIA_LAI], period, today).rows
        if r.producer_id == honey.id
    ]
    dashboard = services.reach_section(session, [DIEN_BIEN], period).headline.current
    assert (sales.orders, sales.orders_outside) == (4, 3)
    assert (exhibitor.orders, exhibitor.outside_orders) == (4, 3)
    assert (dashboard.parts, dashboard.outside_parts) == (4, 3)
    assert (row.reach.parts, row.reach.outside_parts) == (4, 3)
    assert sales.revenue_vnd == exhibitor.revenue_vnd == dashboard.revenue_vnd == 7 * 150_000
    [fair_row] = services.fairs_section(session, [DIEN_BIEN], period)
    assert (fair_row.orders, fair_row.revenue_vnd, fair_row.outside_share) == (4, 7 * 150_000, 75)
