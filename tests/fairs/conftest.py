"""Fixtures for fair tests: an organiser, a fair run by them, an exhibiting producer."""

from __future__ import annotations

import pytest

from storefront.accounts.models import Role
from storefront.fairs import services
from tests.accounts.helpers import make_member, make_user
from tests.factories import make_producer, make_product
from tests.fairs.helpers import make_fair
from tests.orders.helpers import variant_of


@pytest.fixture
def organiser(session):  # type: ignore[no-untyped-def]
    return make_user(session, email="btc@example.vn", role=Role.ORGANISER)


@pytest.fixture
def fair_world(session, organiser):  # type: ignore[no-untyped-def]
    """An open published fair with one accepted exhibitor and its 150.000 ₫ product."""
    producer = make_producer(session, name="HTX Ong mật Mường Phăng")
    owner = make_member(session, producer, email="htx@example.vn")
    product = make_product(session, producer, name="Mật ong hoa Ban", price=150_000, stock=50)
    variant = variant_of(session, product)
    fair = make_fair(session, organiser, name="Hội chợ OCOP Điện Biên 2026")
    exhibitor = services.invite_exhibitor(session, fair, producer.id)
    services.accept_invitation(session, exhibitor)
    session.commit()
    return {
        "fair": fair,
        "producer": producer,
        "owner": owner,
        "product": product,
        "variant": variant,
        "exhibitor": exhibitor,
    }
