"""Demo business buyer and wholesale tiers, loaded by `flask demo load`."""

from __future__ import annotations

from sqlalchemy import select

from storefront.accounts import services as accounts
from storefront.accounts.models import User
from storefront.business import services, wholesale
from storefront.business.models import WholesaleTier
from storefront.catalog.models import Product, Variant
from storefront.extensions import Session
from storefront.places import wards_of

DEMO_BUSINESS_EMAIL = "shop@ocop.test"
DEMO_BUSINESS_NAME = "Trần Minh Châu"
HA_NOI = 1  # province code of Hà Nội in the 2025 list
# (SKU of a demo pack, business buyers only, tiers as typed): the honey's 250 ml bottle
# carries the example, from 10 at 150.000 ₫ and from 50 at 135.000 ₫.
DEMO_TIERS = (
    ("DB-MOHB-250", False, (("10", "150.000"), ("50", "135.000"))),
    ("DB-MOHB-500", True, (("10", "265.000"), ("30", "250.000"))),
    ("DB-LDNS-1000", False, (("20", "105.000"), ("100", "95.000"))),
    ("DB-KSPN-5", True, (("10", "150.000"),)),
)


def load_demo_business(session: Session, password: str) -> tuple[User, int]:
    """The demo business buyer (a Hà Nội shop chain) with its profile, and the demo tiers
    of packs that have none yet. Running it again changes nothing. Flushes only."""
    user = accounts.find_user_by_email(session, DEMO_BUSINESS_EMAIL)
    if user is None:
        user = accounts.register_user(
            session,
            accounts.Registration(
                email=DEMO_BUSINESS_EMAIL, password=password, full_name=DEMO_BUSINESS_NAME
            ),
        )
    if services.business_profile_for(user.id, session) is None:
        ward = next(w for w in wards_of(HA_NOI) if w.name == "Phường Hoàn Kiếm")
        services.save_business_profile(
            session,
            user.id,
            services.BusinessProfileData(
                name="Công ty TNHH Chuỗi Đặc sản Vùng cao",
                tax_code="0108765438",  # made up, with a right check digit
                province_code=HA_NOI,
                ward_code=ward.code,
                address_line="Số 18 phố Hàng Bài",
                contact_name=DEMO_BUSINESS_NAME,
                contact_phone="0904 123 456",
                buys="Mật ong, lạc, khoai sọ cho 6 cửa hàng đặc sản ở Hà Nội",
            ),
        )
    added = 0
    for sku, business_only, rows in DEMO_TIERS:
        found = session.execute(
            select(Variant.id, Product.producer_id)
            .join(Product, Product.id == Variant.product_id)
            .where(Variant.sku == sku)
        ).first()
        if found is None:
            continue
        has_tiers = session.execute(
            select(WholesaleTier.id).where(WholesaleTier.variant_id == found.id)
        ).first()
        if has_tiers is None:
            inputs = [wholesale.TierInput(q, p) for q, p in rows]
            wholesale.set_tiers(session, found.producer_id, found.id, inputs, business_only)
            added += 1
    return user, added
