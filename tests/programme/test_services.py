"""The dashboard's numbers on a small province built by hand: inside/outside split,
cancelled parts left out, months on Vietnam's calendar, shipping never counted."""

from __future__ import annotations

from datetime import date, timedelta

from storefront.catalog import services as catalog
from storefront.catalog.models import CertificateLevel
from storefront.programme import rollup, services
from storefront.programme.periods import Period, parse_period
from storefront.timeutil import today_in_vietnam, utcnow
from tests.factories import DIEN_BIEN, make_product
from tests.orders.helpers import GIA_LAI, HA_NOI
from tests.programme.helpers import PERIOD, TODAY, build_province

DB = [DIEN_BIEN]


def test_reach_splits_inside_and_outside_by_vietnam_month(session):
    build_province(session)
    reach = services.reach_section(session, DB, PERIOD)
    now = reach.headline.current
    assert (now.parts, now.units, now.revenue_vnd) == (3, 6, 2 * 150_000 + 3 * 50_000 + 100_000)
    assert (now.outside_parts, now.outside_units, now.outside_revenue_vnd) == (2, 3, 400_000)
    assert (now.inside_parts, now.inside_revenue_vnd) == (1, 150_000)
    assert now.outside_share == 2 / 3
    before = reach.headline.previous  # 1 honey to Hà Nội on 30 September (Vietnam)
    assert (before.parts, before.outside_parts, before.revenue_vnd) == (1, 1, 150_000)
    assert reach.headline.trend_points == round(100 * (2 / 3 - 1), 1)
    months = {m.key: m.reach for m in reach.months}
    assert list(months) == ["2025-10", "2025-11"]
    # 23:59 on 31 October stays in October; 00:30 on 1 November (UTC: 31 October) does not.
    assert (months["2025-10"].parts, months["2025-10"].outside_parts) == (1, 0)
    assert months["2025-10"].revenue_vnd == 150_000
    assert (months["2025-11"].parts, months["2025-11"].outside_parts) == (2, 2)
    assert months["2025-11"].units == 3
    dest = {
        d.province_code: (d.parts, d.units, d.revenue_vnd, d.is_home) for d in reach.destinations
    }
    assert dest == {
        HA_NOI: (1, 2, 300_000, False),
        DIEN_BIEN: (1, 3, 150_000, True),
        GIA_LAI: (1, 1, 100_000, False),
    }
    assert [d.province_code for d in reach.destinations] == [HA_NOI, DIEN_BIEN, GIA_LAI]


def test_the_map_has_every_province_shaded_by_revenue(session):
    build_province(session)
    reach = services.reach_section(session, DB, PERIOD)
    grid = services.tile_map(reach.destinations, DB)
    assert len(grid.tiles) == 34 and len({(t.x, t.y) for t in grid.tiles}) == 34
    by_code = {t.code: t for t in grid.tiles}
    assert by_code[HA_NOI].level == services.LEVELS and by_code[HA_NOI].revenue_vnd == 300_000
    assert 1 <= by_code[GIA_LAI].level < by_code[HA_NOI].level
    assert by_code[DIEN_BIEN].is_home and by_code[79].level == 0


def test_producers_with_their_outside_share_activity_and_sorting(session):
    shop = build_province(session)
    section = services.producers_section(session, DB, PERIOD, TODAY, sort="revenue")
    assert [r.name for r in section.rows] == ["HTX Mật ong Mường Phăng", "Hộ Lò Văn Lạc"]
    honey, household = section.rows
    assert (honey.reach.parts, honey.reach.outside_parts, honey.reach.revenue_vnd) == (
        2,
        1,
        450_000,
    )
    assert honey.reach.outside_share == 0.5 and household.reach.outside_share == 1.0
    assert honey.is_active and household.is_active and (section.active, section.inactive) == (2, 0)
    assert section.by_kind[shop.honey.kind] == 1 and section.by_kind[shop.household.kind] == 1
    by_share = services.producers_section(session, DB, PERIOD, TODAY, sort="outside")
    assert [r.name for r in by_share.rows] == ["Hộ Lò Văn Lạc", "HTX Mật ong Mường Phăng"]
    by_name = services.producers_section(session, DB, PERIOD, TODAY, "name", descending=False)
    assert [r.name for r in by_name.rows] == ["HTX Mật ong Mường Phăng", "Hộ Lò Văn Lạc"]
    later = services.producers_section(session, DB, PERIOD, TODAY + timedelta(days=85), "bogus")
    assert later.sort == "revenue" and (later.active, later.inactive) == (0, 2)


def _certify(session, product, stars, days_ago):  # type: ignore[no-untyped-def]
    certificate = catalog.add_certificate(
        session,
        product,
        catalog.CertificateData(
            stars=stars,
            level=CertificateLevel.CENTRAL if stars == 5 else CertificateLevel.PROVINCE,
            decision_number=f"{days_ago}/QĐ",
            decision_date=today_in_vietnam() - timedelta(days=days_ago),
            issuing_body="UBND tỉnh Điện Biên",
        ),
    )
    catalog.verify_certificate(session, certificate)
    return certificate


def test_products_by_group_and_stars_expiring_and_held_back(session):
    shop = build_province(session)
    today = today_in_vietnam()
    bamboo = make_product(session, shop.honey, name="Măng khô", stars=3, stock=0)
    make_product(session, shop.household, name="Thịt lợn khô", stars=4, expired=True)
    rice = make_product(session, shop.household, name="Gạo Mường Thanh", stars=None)
    soon = _certify(session, rice, 5, 36 * 30)  # ends in about two weeks
    wine = make_product(
        session,
        shop.household,
        name="Rượu Mông Pê",
        stars=None,
        group=("do-uong", "do-uong-co-con"),
    )
    later = _certify(session, wine, 3, 33 * 30)  # ends in about three months
    session.commit()
    section = services.products_section(session, DB, today)
    counts = {g.group_code: g.stars for g in section.certified}
    # Mật ong, Chè, Lạc đỏ 4★, Măng khô 3★, Gạo 5★; Rượu 3★; the expired one is not counted
    assert counts == {"thuc-pham": {3: 1, 4: 3, 5: 1}, "do-uong": {3: 1, 4: 0, 5: 0}}
    assert [r.certificate_id for r in section.expiring_soon] == [soon.id]
    assert section.expiring_soon[0].days_left == (soon.expires_on - today).days <= 60
    assert [r.certificate_id for r in section.expiring_later] == [later.id]
    assert [r.product_name for r in section.expired] == ["Thịt lợn khô"]
    assert section.expired[0].producer_slug == shop.household.slug
    held = {r.product_name: (r.has_photo, r.has_stock) for r in section.held_back}
    assert held["Măng khô"] == (False, False) and held["Mật ong"] == (False, True)
    assert "Yến sào" not in held and bamboo.slug in {r.product_slug for r in section.held_back}


def test_the_rollup_agrees_with_the_live_orders_and_late_cancellations(session):
    from storefront.orders import fulfilment
    from tests.producers.helpers import part_id_of

    shop = build_province(session)
    live = services.reach_section(session, DB, PERIOD)
    rollup.refresh(session, TODAY + timedelta(days=1), utcnow())
    session.commit()
    assert rollup.covered_until(session) == TODAY + timedelta(days=1)
    rolled = services.reach_section(session, DB, PERIOD)
    assert rolled == live
    ranking = {r.province_code: r.reach for r in services.national_ranking(session, PERIOD)}
    assert ranking[DIEN_BIEN] == live.headline.current and ranking[GIA_LAI].parts == 1
    # The household's order is cancelled after its day closed: counted again on refresh.
    fulfilment.cancel_part(
        session, part_id_of(session, shop.orders["lac_gialai"].id), actor="buyer"
    )
    session.commit()
    assert services.reach_section(session, DB, PERIOD) == rolled  # not yet refreshed
    assert rollup.refresh(session, TODAY + timedelta(days=1), utcnow()) == 1
    session.commit()
    after = services.reach_section(session, DB, PERIOD).headline.current
    assert (after.parts, after.outside_parts, after.revenue_vnd) == (2, 1, 450_000)


def test_period_selector_accepts_weeks_and_years_only():
    today = date(2026, 3, 4)  # a Wednesday
    four = parse_period("4w", today)
    assert four == Period("4w", date(2026, 2, 9), today)
    assert parse_period(None, today).key == "12w"
    assert parse_period("2025", today) == Period("2025", date(2025, 1, 1), date(2025, 12, 31))
    assert parse_period("2026", today).last_day == today
    for bad in ("3w", "2027", "1999", "٢٠٢٥", "12", "w", "52w; drop", ""):
        assert parse_period(bad, today) is None or bad == ""


def test_a_refund_that_cancels_a_part_after_its_day_closed_leaves_the_rollup(session):
    from storefront.orders import fulfilment
    from storefront.payments.refunds import RefundRequest, prepare_refunds
    from tests.orders.helpers import GIA_LAI_WARD, place, variant_of
    from tests.producers.helpers import part_id_of
    from tests.programme.helpers import at, placed

    shop = build_province(session)
    variant = variant_of(session, make_product(session, shop.honey, name="Chè Shan", price=200_000))
    transfer = place(
        session, [(variant.id, 1)], province=GIA_LAI, ward=GIA_LAI_WARD,
        method="bank_transfer", awaiting=True,
    )  # fmt: skip
    fulfilment.mark_paid(session, transfer.id)
    placed(session, transfer, at("2025-11-20T03:00:00"))
    rollup.refresh(session, TODAY + timedelta(days=1), utcnow())
    session.commit()
    before = services.reach_section(session, DB, PERIOD).headline.current
    assert (before.parts, before.revenue_vnd) == (4, 750_000)
    # The shop refunds the whole unshipped part: it is cancelled, days after it was placed.
    prepare_refunds(session, RefundRequest(transfer.id, part_id_of(session, transfer.id)))
    session.commit()
    assert rollup.refresh(session, TODAY + timedelta(days=1), utcnow()) == 1
    session.commit()
    after = services.reach_section(session, DB, PERIOD)
    assert (after.headline.current.parts, after.headline.current.revenue_vnd) == (3, 550_000)
    live = {d.province_code: d.revenue_vnd for d in after.destinations}
    assert live[GIA_LAI] == 100_000  # the household's lạc đỏ only
