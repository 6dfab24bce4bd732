"""Becoming a producer and working as one: applications, their decision, members.

Callers check who may act (storefront.accounts.access) and commit; these only flush.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload

from storefront.accounts.models import ProducerMember, Role, User
from storefront.accounts.services import find_user_by_email
from storefront.catalog.models import Producer, ProducerKind, Product, Variant
from storefront.catalog.services import ProducerData, create_producer
from storefront.email_policy import normalize_email
from storefront.errors import DomainError, NotFound
from storefront.extensions import Session, rowcount
from storefront.i18n import N_
from storefront.orders.models import OrderPart, PartStatus
from storefront.places import get_province, normalize_vn_phone, ward_in_province
from storefront.producers.models import ApplicationStatus, ProducerApplication
from storefront.timeutil import utcnow

KIND_LABELS = {
    ProducerKind.COOPERATIVE: N_("Hợp tác xã (HTX)"),
    ProducerKind.ENTERPRISE: N_("Doanh nghiệp"),
    ProducerKind.HOUSEHOLD: N_("Hộ kinh doanh"),
    ProducerKind.GROUP: N_("Tổ hợp tác"),
}
MAX_STORY = 4000
MAX_REASON = 2000


class ProducerError(DomainError):
    """A producer operation the shop refuses."""


@dataclass(frozen=True)
class ApplicationData:
    business_name: str
    kind: str
    province_code: int
    ward_code: int
    address: str
    phone: str
    story: str = ""


def _checked(data: ApplicationData) -> dict[str, object]:
    name, address, story = data.business_name.strip(), data.address.strip(), data.story.strip()
    if not name or len(name) > 200:
        raise ProducerError(N_("Vui lòng nhập tên chủ thể (tối đa 200 ký tự)."))
    try:
        kind = ProducerKind(data.kind)
    except ValueError as exc:
        raise ProducerError(N_("Loại hình chủ thể không hợp lệ.")) from exc
    if get_province(data.province_code) is None:
        raise ProducerError(N_("Tỉnh, thành phố không hợp lệ."))
    if not ward_in_province(data.ward_code, data.province_code):
        raise ProducerError(N_("Phường, xã không thuộc tỉnh, thành phố đã chọn."))
    if not address:
        raise ProducerError(N_("Vui lòng nhập địa chỉ."))
    phone = normalize_vn_phone(data.phone)
    if phone is None:
        raise ProducerError(N_("Số điện thoại không hợp lệ."))
    if len(story) > MAX_STORY:
        raise ProducerError(N_("Câu chuyện dài quá %(n)s ký tự."), n=MAX_STORY)
    return {
        "business_name": name,
        "kind": kind,
        "province_code": data.province_code,
        "ward_code": data.ward_code,
        "address": address[:300],
        "phone": phone,
        "story": story,
    }


def apply_as_producer(session: Session, user: User, data: ApplicationData) -> ProducerApplication:
    """File an application to sell as a producer; one may be pending at a time."""
    if user.role not in (Role.BUYER, Role.PRODUCER):
        raise ProducerError(N_("Tài khoản ban tổ chức hoặc quản trị không đăng ký làm chủ thể."))
    if pending_application(session, user) is not None:
        raise ProducerError(N_("Bạn đã có một đơn đang chờ duyệt."))
    application = ProducerApplication(user_id=user.id, **_checked(data))
    session.add(application)
    session.flush()
    return application


def pending_application(session: Session, user: User) -> ProducerApplication | None:
    return session.execute(
        select(ProducerApplication).where(
            ProducerApplication.user_id == user.id,
            ProducerApplication.status == ApplicationStatus.PENDING,
        )
    ).scalar_one_or_none()


def applications_of(session: Session, user: User) -> list[ProducerApplication]:
    """The account's applications, newest first."""
    return list(
        session.execute(
            select(ProducerApplication)
            .where(ProducerApplication.user_id == user.id)
            .order_by(ProducerApplication.id.desc())
        ).scalars()
    )


def list_applications(
    session: Session, status: ApplicationStatus | None = None, limit: int = 100
) -> list[ProducerApplication]:
    """Applications for the admin queue (oldest pending first), with their applicants."""
    statement = select(ProducerApplication).options(joinedload(ProducerApplication.user))
    if status is not None:
        statement = statement.where(ProducerApplication.status == status)
    order = (
        ProducerApplication.id
        if status == ApplicationStatus.PENDING
        else (ProducerApplication.id.desc())
    )
    return list(session.execute(statement.order_by(order).limit(limit)).scalars())


def get_application(session: Session, application_id: int) -> ProducerApplication:
    application = session.execute(
        select(ProducerApplication)
        .options(joinedload(ProducerApplication.user))
        .where(ProducerApplication.id == application_id)
    ).scalar_one_or_none()
    if application is None:
        raise NotFound(N_("Không tìm thấy đơn đăng ký."))
    return application


def _decide(
    session: Session, application: ProducerApplication, status: ApplicationStatus, admin: User
) -> None:
    """Move a pending application to `status` exactly once, even if two admins click."""
    result = session.execute(
        update(ProducerApplication)
        .where(
            ProducerApplication.id == application.id,
            ProducerApplication.status == ApplicationStatus.PENDING,
        )
        .values(status=status, decided_by_id=admin.id, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        raise ProducerError(N_("Đơn này đã được xử lý."))
    session.refresh(application)


def approve_application(
    session: Session, application: ProducerApplication, admin: User
) -> Producer:
    """Approve: create the producer profile and make the applicant its owner."""
    _decide(session, application, ApplicationStatus.APPROVED, admin)
    producer = create_producer(
        session,
        ProducerData(
            name=application.business_name,
            kind=application.kind,
            province_code=application.province_code,
            ward_code=application.ward_code,
            address=application.address,
            phone=application.phone,
            story=application.story,
        ),
    )
    session.add(ProducerMember(producer_id=producer.id, user_id=application.user_id, is_owner=True))
    applicant = session.get_one(User, application.user_id)
    if applicant.role == Role.BUYER:
        applicant.role = Role.PRODUCER
    application.producer_id = producer.id
    session.flush()
    return producer


def reject_application(
    session: Session, application: ProducerApplication, admin: User, reason: str
) -> None:
    """Reject with a reason the applicant will read."""
    reason = reason.strip()
    if not reason:
        raise ProducerError(N_("Vui lòng nêu lý do từ chối."))
    if len(reason) > MAX_REASON:
        raise ProducerError(N_("Lý do dài quá %(n)s ký tự."), n=MAX_REASON)
    _decide(session, application, ApplicationStatus.REJECTED, admin)
    application.rejection_reason = reason
    session.flush()


def producers_of(session: Session, user: User) -> list[tuple[Producer, bool]]:
    """The producers the account acts for, each with whether it is the owner."""
    rows = session.execute(
        select(Producer, ProducerMember.is_owner)
        .join(ProducerMember, ProducerMember.producer_id == Producer.id)
        .where(ProducerMember.user_id == user.id)
        .order_by(Producer.name)
    ).all()
    return [(producer, bool(is_owner)) for producer, is_owner in rows]


def products_of(session: Session, producer_ids: list[int]) -> dict[int, list[Product]]:
    """Every product (published or not) of these producers, by producer id, in one query."""
    grouped: dict[int, list[Product]] = {pid: [] for pid in producer_ids}
    if producer_ids:
        products = session.execute(
            select(Product).where(Product.producer_id.in_(producer_ids)).order_by(Product.name)
        ).scalars()
        for product in products:
            grouped[product.producer_id].append(product)
    return grouped


@dataclass
class ActionCounts:
    """What waits for a producer: parts to confirm, parts to ship, packs running low."""

    to_confirm: int = 0
    to_ship: int = 0
    low_stock: int = 0

    @property
    def any(self) -> bool:
        return bool(self.to_confirm or self.to_ship or self.low_stock)


def action_counts(session: Session, producer_ids: list[int]) -> dict[int, ActionCounts]:
    """For each producer, the order parts waiting to be confirmed and to be shipped and
    the packs on sale at or below their low-stock threshold (out of stock included):
    two statements, however many producers, parts and packs."""
    counts = {producer_id: ActionCounts() for producer_id in producer_ids}
    if not producer_ids:
        return counts
    parts = session.execute(
        select(OrderPart.producer_id, OrderPart.status, func.count())
        .where(
            OrderPart.producer_id.in_(producer_ids),
            OrderPart.status.in_((PartStatus.PLACED, PartStatus.CONFIRMED)),
        )
        .group_by(OrderPart.producer_id, OrderPart.status)
    )
    for producer_id, status, n in parts:
        if status == PartStatus.PLACED:
            counts[producer_id].to_confirm = n
        else:
            counts[producer_id].to_ship = n
    low = session.execute(
        select(Product.producer_id, func.count())
        .join(Variant, Variant.product_id == Product.id)
        .where(
            Product.producer_id.in_(producer_ids),
            Variant.is_active.is_(True),
            Variant.stock <= Variant.low_stock_threshold,
        )
        .group_by(Product.producer_id)
    )
    for producer_id, n in low:
        counts[producer_id].low_stock = n
    return counts


def list_members(session: Session, producer_id: int) -> list[ProducerMember]:
    """The accounts acting for a producer, the owner first."""
    return list(
        session.execute(
            select(ProducerMember)
            .options(joinedload(ProducerMember.user))
            .where(ProducerMember.producer_id == producer_id)
            .order_by(ProducerMember.is_owner.desc(), ProducerMember.id)
        ).scalars()
    )


def add_member(session: Session, producer_id: int, email: str) -> ProducerMember:
    """Let another account act for the producer (the caller has checked it is the owner).
    A buyer added as a member becomes a producer."""
    normalize_email(email)  # the shop's one email policy: InvalidEmail says what is wrong
    user = find_user_by_email(session, email)
    if user is None or not user.is_active:
        raise ProducerError(
            N_("Không tìm thấy tài khoản với email này. Người đó cần đăng ký tài khoản trước.")
        )
    if user.role not in (Role.BUYER, Role.PRODUCER):
        raise ProducerError(N_("Tài khoản ban tổ chức hoặc quản trị không làm thành viên chủ thể."))
    exists = session.execute(
        select(ProducerMember.id).where(
            ProducerMember.producer_id == producer_id, ProducerMember.user_id == user.id
        )
    ).first()
    if exists:
        raise ProducerError(N_("Tài khoản này đã là thành viên."))
    member = ProducerMember(producer_id=producer_id, user_id=user.id, is_owner=False)
    session.add(member)
    if user.role == Role.BUYER:
        user.role = Role.PRODUCER
    session.flush()
    return member


def remove_member(session: Session, producer_id: int, user_id: int) -> None:
    """Stop an account acting for the producer; one left with no producer is a buyer again.
    The owner cannot be removed."""
    member = session.execute(
        select(ProducerMember).where(
            ProducerMember.producer_id == producer_id, ProducerMember.user_id == user_id
        )
    ).scalar_one_or_none()
    if member is None:
        raise NotFound(N_("Không tìm thấy thành viên."))
    if member.is_owner:
        raise ProducerError(N_("Không thể xóa chủ sở hữu của chủ thể."))
    session.delete(member)
    session.flush()
    remaining = session.execute(
        select(func.count()).select_from(ProducerMember).where(ProducerMember.user_id == user_id)
    ).scalar_one()
    user = session.get_one(User, user_id)
    if remaining == 0 and user.role == Role.PRODUCER:
        user.role = Role.BUYER
    session.flush()
