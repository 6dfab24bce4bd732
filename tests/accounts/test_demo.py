"""Demo accounts: one per role, idempotent, the producer owning the honey cooperative, the
officer looking after Điện Biên."""

from __future__ import annotations

from sqlalchemy import select

from storefront.accounts import services
from storefront.accounts.demo import DEMO_PASSWORD, load_demo_accounts
from storefront.accounts.models import ProducerMember, Role, User
from tests.factories import make_producer


def test_demo_accounts_one_per_role(session):
    make_producer(session, name="HTX Khác")
    honey = make_producer(session, name="HTX Mật ong hoa Ban Mường Phăng")
    load_demo_accounts(session)
    load_demo_accounts(session)  # twice: nothing new
    session.commit()
    roles = {u.email: u.role for u in session.execute(select(User)).scalars()}
    assert roles == {
        "buyer@ocop.test": Role.BUYER,
        "producer@ocop.test": Role.PRODUCER,
        "organiser@ocop.test": Role.ORGANISER,
        "admin@ocop.test": Role.ADMIN,
        "officer@ocop.test": Role.OFFICER,
    }
    officer = services.find_user_by_email(session, "officer@ocop.test")
    assert officer is not None and services.officer_provinces(session, officer.id) == [11]
    for email in roles:
        assert services.authenticate(session, email, DEMO_PASSWORD) is not None
    [member] = session.execute(select(ProducerMember)).scalars()
    assert (member.producer_id, member.is_owner) == (honey.id, True)


def test_demo_producer_falls_back_to_the_first_producer(session):
    first = make_producer(session, name="HTX Lạc đỏ Na Son")
    make_producer(session, name="HTX Yến sào")
    load_demo_accounts(session)
    [member] = session.execute(select(ProducerMember)).scalars()
    assert member.producer_id == first.id


def test_demo_accounts_without_producers(session):
    users = load_demo_accounts(session)
    assert len(users) == 5
    assert session.execute(select(ProducerMember)).first() is None
