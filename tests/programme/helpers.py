"""A small province to count: two Điện Biên producers and one in Gia Lai, with orders
placed at chosen moments (UTC) through the shop's own order service."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from storefront.accounts import services as accounts
from storefront.accounts.models import Role, User
from storefront.catalog.models import Producer, ProducerKind
from storefront.orders import fulfilment
from storefront.orders.models import Order
from storefront.programme.periods import Period
from tests.accounts.helpers import make_user
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD, make_producer, make_product
from tests.orders.helpers import GIA_LAI, GIA_LAI_WARD, HA_NOI, HA_NOI_WARD, place, variant_of
from tests.producers.helpers import part_id_of

# October and November 2025 on Vietnam's calendar.
PERIOD = Period("test", date(2025, 10, 1), date(2025, 11, 30))
TODAY = date(2025, 11, 30)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@dataclass
class Province:
    honey: Producer  # HTX, Điện Biên
    household: Producer  # hộ kinh doanh, Điện Biên
    yen: Producer  # Gia Lai
    orders: dict[str, Order]


def placed(session: Session, order: Order, moment: datetime) -> Order:
    session.execute(update(Order).where(Order.id == order.id).values(placed_at=moment))
    session.commit()
    return order


def build_province(session: Session) -> Province:
    """Điện Biên's honey HTX sells 2 honey (150.000 ₫) to Hà Nội at 00:30 on 1 November in
    Vietnam (still 31 October in UTC) and 3 tea (50.000 ₫) at home in October; its
    household business sells 1 (100.000 ₫) to Gia Lai; a cancelled order of 5 honey and a
    Gia Lai producer's order to Điện Biên do not count for Điện Biên."""
    honey = make_producer(session, name="HTX Mật ong Mường Phăng")
    household = make_producer(session, name="Hộ Lò Văn Lạc")
    household.kind = ProducerKind.HOUSEHOLD
    yen = make_producer(
        session, name="HTX Yến Chư Sê", province_code=GIA_LAI, ward_code=GIA_LAI_WARD
    )
    honey_v = variant_of(
        session, make_product(session, honey, name="Mật ong", price=150_000, stock=100)
    )
    tea_v = variant_of(session, make_product(session, honey, name="Chè", price=50_000, stock=100))
    lac_v = variant_of(
        session, make_product(session, household, name="Lạc đỏ", price=100_000, stock=100)
    )
    yen_v = variant_of(session, make_product(session, yen, name="Yến sào", price=900_000, stock=10))
    orders = {
        "honey_hanoi": placed(
            session,
            place(session, [(honey_v.id, 2)], province=HA_NOI, ward=HA_NOI_WARD),
            at("2025-10-31T17:30:00"),  # 00:30 on 1 November in Vietnam
        ),
        "tea_home": placed(
            session,
            place(session, [(tea_v.id, 3)], province=DIEN_BIEN, ward=DIEN_BIEN_WARD),
            at("2025-10-31T16:59:00"),  # 23:59 on 31 October in Vietnam
        ),
        "lac_gialai": placed(
            session,
            place(session, [(lac_v.id, 1)], province=GIA_LAI, ward=GIA_LAI_WARD),
            at("2025-11-10T03:00:00"),
        ),
        "cancelled": placed(
            session,
            place(session, [(honey_v.id, 5)], province=HA_NOI, ward=HA_NOI_WARD),
            at("2025-11-11T03:00:00"),
        ),
        "yen_dienbien": placed(
            session,
            place(session, [(yen_v.id, 1)], province=DIEN_BIEN, ward=DIEN_BIEN_WARD),
            at("2025-11-12T03:00:00"),
        ),
        "before": placed(
            session,
            place(session, [(honey_v.id, 1)], province=HA_NOI, ward=HA_NOI_WARD),
            at("2025-09-30T16:59:00"),  # 23:59 on 30 September: the previous period
        ),
    }
    fulfilment.cancel_part(session, part_id_of(session, orders["cancelled"].id), actor="buyer")
    session.commit()
    return Province(honey, household, yen, orders)


def make_officer(session: Session, email: str, codes: list[int]) -> User:
    user = make_user(session, email=email)
    accounts.set_role(session, user, Role.OFFICER, provinces=codes)
    session.commit()
    return user


__all__ = ["DIEN_BIEN", "GIA_LAI", "HA_NOI"]
