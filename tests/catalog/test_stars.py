"""Product.stars: the stars in force kept on the product row, always what the
certificates say today (filtering and sorting by stars read it)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, update

from storefront.catalog import services, stars
from storefront.catalog.models import CertificateLevel, Product, current_stars_expr
from storefront.catalog.queries import parse_filters, search_catalog
from storefront.producers import certificates as workspace_certificates
from storefront.timeutil import today_in_vietnam
from tests.accounts.helpers import make_user
from tests.factories import days_ago, make_product

D = date(2026, 6, 1)


def test_stars_in_force_takes_the_best_certificate_of_the_day():
    held = [(3, date(2025, 1, 1), date(2027, 1, 1)), (4, date(2025, 6, 1), date(2026, 9, 1))]
    assert stars.stars_in_force(held, D) == (4, date(2026, 9, 1))
    assert stars.stars_in_force(held, date(2026, 9, 2)) == (3, date(2027, 1, 1))
    assert stars.stars_in_force(held, date(2027, 1, 2)) == (0, None)
    assert stars.stars_in_force([], D) == (0, None)


def test_a_coming_better_decision_ends_the_current_stars_the_day_before():
    held = [(3, date(2025, 1, 1), date(2027, 1, 1)), (5, date(2026, 7, 1), date(2029, 7, 1))]
    assert stars.stars_in_force(held, D) == (3, date(2026, 6, 30))
    assert stars.stars_in_force(held[1:], D) == (0, date(2026, 6, 30))


def _column_and_exact(session, product: Product) -> tuple[int, int]:
    today = today_in_vietnam()
    row = session.execute(
        select(Product.stars, current_stars_expr(today)).where(Product.id == product.id)
    ).one()
    return row[0], row[1] or 0


def _certificate(session, product: Product, stars_: int, decided: date):
    return services.add_certificate(
        session,
        product,
        services.CertificateData(
            stars=stars_,
            level=CertificateLevel.CENTRAL if stars_ == 5 else CertificateLevel.PROVINCE,
            decision_number=f"{product.id}-{stars_}/QĐ",
            decision_date=decided,
            issuing_body="UBND tỉnh Điện Biên",
        ),
    )


def test_the_column_follows_every_certificate_change(session):
    product = make_product(session, stars=3)
    assert _column_and_exact(session, product) == (3, 3)
    pending = _certificate(session, product, 5, days_ago(10))
    assert _column_and_exact(session, product) == (3, 3)  # not verified yet
    services.verify_certificate(session, pending)
    assert _column_and_exact(session, product) == (5, 5)
    session.delete(pending)
    session.flush()
    assert _column_and_exact(session, product) == (3, 3)
    expired = make_product(session, stars=4, expired=True)
    assert _column_and_exact(session, expired) == (0, 0)


def test_the_admins_decision_moves_the_column(session):
    """The review queue decides with a bulk UPDATE, which no flush sees."""
    admin = make_user(session, email="admin-stars@example.vn", role="admin")
    product = make_product(session, stars=None)
    pending = _certificate(session, product, 4, days_ago(5))
    session.flush()
    workspace_certificates.verify(session, pending.id, admin)
    assert _column_and_exact(session, product) == (4, 4)


def test_expired_stars_are_refreshed_when_the_day_comes(session):
    product = make_product(session, stars=4)
    until = session.execute(select(Product.stars_until).where(Product.id == product.id)).scalar()
    assert until is not None and until > today_in_vietnam()
    assert stars.refresh_expired_stars(session, until) == 0  # still in force that day
    assert stars.refresh_expired_stars(session, until + timedelta(days=1)) >= 1
    assert session.execute(select(Product.stars).where(Product.id == product.id)).scalar() == 0


def test_filter_and_sort_by_stars_agree_with_the_certificates(session):
    made = [make_product(session, name=f"Sao {n} {i}", stars=n) for i, n in enumerate((3, 5, 4))]
    made.append(make_product(session, name="Sao hết hạn", stars=5, expired=True))
    made.append(make_product(session, name="Không sao", stars=None))
    today = today_in_vietnam()
    ids = [p.id for p in made]
    exact = dict(
        session.execute(select(Product.id, current_stars_expr(today)).where(Product.id.in_(ids)))
        .tuples()
        .all()
    )
    page = search_catalog(session, parse_filters({"sort": "stars"}), today, per_page=500)
    mine = [c.product.id for c in page.cards if c.product.id in ids]
    assert mine == sorted(ids, key=lambda i: (-(exact[i] or 0), -i))
    page = search_catalog(session, parse_filters({"stars": "4"}), today, per_page=500)
    assert {c.product.id for c in page.cards} & set(ids) == {i for i in ids if (exact[i] or 0) >= 4}


def test_the_first_listing_of_a_day_refreshes_stars_that_stopped_holding(app, client, session):
    product = make_product(session, name="Mật ong hết hạn hôm qua", stars=4)
    session.commit()
    # A row last refreshed yesterday, holding what was true then (no stars until today).
    session.execute(
        update(Product).where(Product.id == product.id).values(stars=0, stars_until=days_ago(1))
    )
    session.commit()
    stars.mark_current(app, days_ago(1))
    assert "Mật ong hết hạn hôm qua" in client.get("/products?stars=4").get_data(as_text=True)
    assert app.extensions["catalog_stars_day"] == today_in_vietnam()
    assert session.execute(select(Product.stars).where(Product.id == product.id)).scalar() == 4
