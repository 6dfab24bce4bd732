"""Demo accounts, one per role, so a newcomer can try every side of the shop."""

from __future__ import annotations

from sqlalchemy import select

from storefront.accounts import services
from storefront.accounts.models import ProducerMember, Role, User
from storefront.catalog.models import Producer
from storefront.extensions import Session

DEMO_PASSWORD = "ocop-demo-2025"  # noqa: S105 - published in the README on purpose
# The Điện Biên honey cooperative of the demo catalogue.
DEMO_PRODUCER_SLUGS = ("htx-mat-ong-hoa-ban-muong-phang",)
DEMO_ACCOUNTS = (
    ("buyer@ocop.test", Role.BUYER, "Nguyễn Thị Mua"),
    ("producer@ocop.test", Role.PRODUCER, "Lò Văn Ong"),
    ("organiser@ocop.test", Role.ORGANISER, "Trung tâm Xúc tiến Thương mại"),
    ("admin@ocop.test", Role.ADMIN, "Quản trị viên"),
    ("officer@ocop.test", Role.OFFICER, "Cán bộ OCOP tỉnh Điện Biên"),
)
DEMO_OFFICER_PROVINCE = 11  # Điện Biên


def _provinces(role: Role) -> list[int]:
    return [DEMO_OFFICER_PROVINCE] if role == Role.OFFICER else []


def load_demo_accounts(session: Session) -> list[User]:
    """Create (or leave as they are) the demo accounts, one per role, all with
    DEMO_PASSWORD; the officer looks after Điện Biên. The
    producer account owns the Điện Biên honey cooperative, or else the first producer.
    Running it twice changes nothing. Flushes only; the caller commits."""
    users = []
    for email, role, name in DEMO_ACCOUNTS:
        user = services.find_user_by_email(session, email)
        if user is None:
            user = services.register_user(
                session,
                services.Registration(email=email, password=DEMO_PASSWORD, full_name=name),
            )
            services.set_role(session, user, role, provinces=_provinces(role))
        users.append(user)
    producer_user = users[1]
    has_producer = session.execute(
        select(ProducerMember.id).where(ProducerMember.user_id == producer_user.id)
    ).first()
    if has_producer:
        return users
    preferred = select(Producer).where(Producer.slug.in_(DEMO_PRODUCER_SLUGS))
    first = select(Producer).order_by(Producer.id)
    producer = (
        session.execute(preferred.order_by(Producer.slug).limit(1)).scalar_one_or_none()
        or session.execute(first.limit(1)).scalar_one_or_none()
    )
    if producer is not None:
        session.add(
            ProducerMember(producer_id=producer.id, user_id=producer_user.id, is_owner=True)
        )
        session.flush()
    return users
