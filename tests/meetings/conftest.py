"""Fixtures for meeting tests: a fair with an accepted exhibitor and business buyers."""

from __future__ import annotations

import pytest

from storefront.accounts.models import Role
from storefront.fairs import services as fair_services
from tests.accounts.helpers import make_member, make_user
from tests.accounts.mail import mail_log, smtp_inbox  # noqa: F401
from tests.factories import make_producer
from tests.fairs.helpers import make_fair
from tests.meetings.helpers import make_business_buyer
from tests.orders.helpers import GIA_LAI


@pytest.fixture
def world(session):  # type: ignore[no-untyped-def]
    """An open fair (yesterday to in two days) with an accepted booth of an Điện Biên
    producer, a second producer's booth, a Hà Nội and a Gia Lai business buyer, and a
    retail buyer."""
    organiser = make_user(session, email="btc@example.vn", role=Role.ORGANISER)
    fair = make_fair(session, organiser, name="Hội chợ OCOP Điện Biên 2026")
    producer = make_producer(session, name="HTX Ong mật Mường Phăng")
    owner = make_member(session, producer, email="htx@example.vn")
    other_producer = make_producer(session, name="HTX Chè Tủa Chùa")
    other_owner = make_member(session, other_producer, email="che@example.vn")
    exhibitor = fair_services.invite_exhibitor(session, fair, producer.id)
    fair_services.accept_invitation(session, exhibitor)
    other_exhibitor = fair_services.invite_exhibitor(session, fair, other_producer.id)
    fair_services.accept_invitation(session, other_exhibitor)
    buyer = make_business_buyer(session, "sieuthi@example.vn")
    other_buyer = make_business_buyer(
        session, "nhahang@example.vn", name="Nhà hàng Phố Núi", province_code=GIA_LAI
    )
    retail = make_user(session, email="le@example.vn")
    session.commit()
    return {
        "organiser": organiser,
        "fair": fair,
        "producer": producer,
        "owner": owner,
        "other_producer": other_producer,
        "other_owner": other_owner,
        "exhibitor": exhibitor,
        "other_exhibitor": other_exhibitor,
        "buyer": buyer,
        "other_buyer": other_buyer,
        "retail": retail,
    }
