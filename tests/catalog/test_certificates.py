"""Stars show only while a verified certificate is in force: decided by the date alone."""

from __future__ import annotations

from datetime import date, timedelta

from storefront.catalog import services
from storefront.catalog.models import CertificateLevel
from storefront.catalog.queries import parse_filters, search_catalog
from storefront.timeutil import add_months, today_in_vietnam
from tests.factories import make_product


def certify(session, product, decided: date, verified: bool = True, stars: int = 4):
    certificate = services.add_certificate(
        session,
        product,
        services.CertificateData(
            stars=stars,
            level=CertificateLevel.PROVINCE,
            decision_number="15/QĐ-UBND",
            decision_date=decided,
            issuing_body="UBND tỉnh Điện Biên",
        ),
    )
    if verified:
        services.verify_certificate(session, certificate)
    return certificate


def stars_on(session, day: date) -> list[int | None]:
    page = search_catalog(session, parse_filters({}), day, per_page=24)
    return [card.stars for card in page.cards]


def test_certificate_lasts_36_months(session):
    product = make_product(session, stars=None)
    certificate = certify(session, product, date(2023, 3, 10))
    assert certificate.expires_on == date(2026, 3, 10)


def test_stars_disappear_the_day_after_expiry_with_no_job(session):
    product = make_product(session, stars=None)
    certificate = certify(session, product, date(2023, 3, 10))
    session.commit()
    assert stars_on(session, certificate.expires_on) == [4]
    assert stars_on(session, certificate.expires_on + timedelta(days=1)) == [None]


def test_pending_certificate_shows_no_stars(client, session):
    product = make_product(session, stars=None)
    certify(session, product, today_in_vietnam() - timedelta(days=10), verified=False)
    session.commit()
    assert stars_on(session, today_in_vietnam()) == [None]
    assert "OCOP 4 sao" not in client.get(f"/products/{product.slug}").get_data(as_text=True)


def test_best_valid_certificate_wins(session):
    product = make_product(session, stars=None)
    today = today_in_vietnam()
    certify(session, product, add_months(today, -40), stars=5)  # expired 5 stars
    certify(session, product, today - timedelta(days=5), stars=3)
    session.commit()
    assert stars_on(session, today) == [3]


def test_product_page_explains_the_certificate(client, session):
    product = make_product(session, name="Mật ong hoa Ban", stars=4)
    session.commit()
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "OCOP 4 sao" in html
    assert "/QĐ-UBND" in html
    assert "UBND tỉnh Điện Biên" in html
    assert "Hiệu lực đến" in html


def test_expired_certificate_is_flagged_on_the_product_page(client, session):
    product = make_product(session, name="Thịt lợn khô", stars=4, expired=True)
    session.commit()
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "OCOP 4 sao" not in html
    assert "đã hết hạn" in html
