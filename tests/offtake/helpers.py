"""Business buyers, agreements and signed schedules for the offtake tests."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storefront.accounts.models import User
from storefront.business import services as business
from storefront.catalog.models import Producer, Variant
from storefront.offtake import services
from storefront.offtake.models import OfftakeAgreement, OfftakeDelivery, Side
from storefront.offtake.services import LineTerms, Terms
from storefront.timeutil import today_in_vietnam
from tests.accounts.helpers import make_user
from tests.business.helpers import profile_data
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD, VINH_LONG, VINH_LONG_WARD, make_product
from tests.orders.helpers import variant_of


def make_business(
    session: Session, user: User | None = None, name: str = "Siêu thị Xanh", **kw: object
) -> User:
    """An account with a business profile in Vĩnh Long, made through the business service."""
    user = user or make_user(session, **kw)  # type: ignore[arg-type]
    business.save_business_profile(
        session,
        user.id,
        profile_data(
            name=name,
            province_code=VINH_LONG,
            ward_code=VINH_LONG_WARD,
            address_line="Số 5 đường Nguyễn Đáng",
            contact_name="Chị Lan",
        ),
    )
    return user


def terms(
    lines: list[tuple[date, int]] | None = None,
    price: int | None = 120_000,
    mode: str = "fixed",
    province: int = VINH_LONG,
    ward: int = VINH_LONG_WARD,
) -> Terms:
    today = today_in_vietnam()
    lines = lines if lines is not None else [(today + timedelta(days=30 * i), 20) for i in range(3)]
    return Terms(
        price_mode=mode,
        unit_price_vnd=price,
        lines=[
            LineTerms(day, quantity, None if mode == "fixed" else price) for day, quantity in lines
        ],
        province_code=province,
        ward_code=ward,
        address_line="Kho số 2, đường Nguyễn Đáng",
    )


def a_variant(session: Session, producer: Producer | None = None, stock: int = 100) -> Variant:
    product = make_product(session, producer, name="Mật ong hoa Ban", stock=stock, price=150_000)
    return variant_of(session, product)


def signed_agreement(
    session: Session,
    buyer: User,
    variant: Variant,
    lines: list[tuple[date, int]] | None = None,
    price: int = 120_000,
) -> OfftakeAgreement:
    """Asked by `buyer`, accepted by the producer: active, with its deliveries."""
    agreement = services.ask_for_agreement(
        session, buyer.id, variant.id, terms(lines, price), today_in_vietnam()
    )
    services.accept(session, agreement, Side.PRODUCER, 1)
    session.flush()
    session.refresh(agreement)
    return agreement


def deliveries(session: Session, agreement_id: int) -> list[OfftakeDelivery]:
    return list(
        session.execute(
            select(OfftakeDelivery)
            .where(OfftakeDelivery.agreement_id == agreement_id)
            .order_by(OfftakeDelivery.due_on, OfftakeDelivery.id)
            .execution_options(populate_existing=True)
        ).scalars()
    )


__all__ = ["DIEN_BIEN", "DIEN_BIEN_WARD", "make_business", "terms", "signed_agreement"]
