"""Demo data: one running offtake agreement, for the first business buyer of the demo
(an account with a business profile) and the demo's Mật ong hoa Ban, its first delivery
due today. Loading again adds nothing once the buyer has an agreement on that pack."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storefront.business.models import BusinessProfile
from storefront.catalog.models import Product, Variant
from storefront.extensions import Session
from storefront.offtake import services
from storefront.offtake.models import OfftakeAgreement, Side
from storefront.offtake.services import Terms
from storefront.timeutil import add_months


def load_demo_agreement(session: Session, today: date) -> OfftakeAgreement | None:
    """Ask and sign the demo agreement (200 units a month for six months at 10 % below
    retail, to the buyer's own address); None when there is no business buyer or honey."""
    profile = session.execute(
        select(BusinessProfile).order_by(BusinessProfile.id).limit(1)
    ).scalar_one_or_none()
    variant = session.execute(
        select(Variant)
        .join(Product)
        .where(Product.name.startswith("Mật ong hoa Ban"), Variant.is_active.is_(True))
        .order_by(Product.id, Variant.position, Variant.id)
        .limit(1)
    ).scalar_one_or_none()
    if profile is None or variant is None:
        return None
    existing = session.execute(
        select(OfftakeAgreement).where(
            OfftakeAgreement.buyer_id == profile.user_id,
            OfftakeAgreement.variant_id == variant.id,
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    lines = services.generate_schedule(today, add_months(today, 5), "month", 200)
    terms = Terms(
        price_mode="fixed",
        unit_price_vnd=variant.price_vnd * 9 // 10,
        lines=lines,
        province_code=profile.province_code,
        ward_code=profile.ward_code,
        address_line=profile.address_line,
        note="Giao vào buổi sáng, hàng đóng thùng 20 hũ.",
    )
    agreement = services.ask_for_agreement(session, profile.user_id, variant.id, terms, today)
    services.accept(session, agreement, Side.PRODUCER, 1)
    return agreement
