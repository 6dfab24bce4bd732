"""The demo business buyer and wholesale tiers of `flask demo load`."""

from __future__ import annotations

from sqlalchemy import func, select

from storefront.accounts.demo import DEMO_PASSWORD
from storefront.accounts.services import find_user_by_email
from storefront.business import services
from storefront.business.demo import DEMO_BUSINESS_EMAIL, DEMO_TIERS
from storefront.business.models import WholesaleTier
from storefront.catalog.models import Product, Variant
from tests.accounts.helpers import log_in


def test_demo_load_makes_a_business_buyer_and_tiers_once(runner, client, session):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert f"Packs given wholesale tiers: {len(DEMO_TIERS)}" in first.output
    assert DEMO_BUSINESS_EMAIL in first.output
    tiers = session.execute(select(func.count()).select_from(WholesaleTier)).scalar_one()
    again = runner.invoke(args=["demo", "load"])
    assert "Packs given wholesale tiers: 0" in again.output
    assert session.execute(select(func.count()).select_from(WholesaleTier)).scalar_one() == tiers

    assert log_in(client, DEMO_BUSINESS_EMAIL, DEMO_PASSWORD).status_code == 302
    slug = session.execute(
        select(Product.slug).join(Variant).where(Variant.sku == "DB-MOHB-250")
    ).scalar_one()
    page = client.get(f"/products/{slug}").text.replace("\xa0", " ")
    assert "Giá sỉ: từ 10 sp 150.000 ₫" in page
    profile = client.get("/account/business").text
    assert "Công ty TNHH Chuỗi Đặc sản Vùng cao" in profile
    user = find_user_by_email(session, DEMO_BUSINESS_EMAIL)
    assert user is not None and services.is_business_buyer(user.id)
