"""OCOP certificates: the producer submits one with its scan, an admin verifies or
rejects it. Only verified certificates in force show stars (catalog.models decides
that by date), so an expired one stops counting on its own."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload

from storefront import media
from storefront.accounts.models import User
from storefront.catalog import services as catalog
from storefront.catalog.models import (
    CertificateLevel,
    CertificateStatus,
    OcopCertificate,
    Producer,
    Product,
)
from storefront.catalog.stars import refresh_stars
from storefront.errors import DomainError, NotFound
from storefront.extensions import Session, rowcount
from storefront.i18n import N_
from storefront.timeutil import add_months, utcnow

EXPIRY_WARNING_DAYS = 60
MAX_REASON = 1000


class CertificateError(DomainError):
    """A certificate submission or decision the shop refuses."""


class CertificateState(enum.StrEnum):
    """What the producer sees for each certificate."""

    PENDING = "pending"
    VALID = "valid"
    EXPIRING = "expiring"  # valid, but ends within EXPIRY_WARNING_DAYS
    EXPIRED = "expired"
    REJECTED = "rejected"


STATE_LABELS = {
    CertificateState.PENDING: N_("Chờ xác minh"),
    CertificateState.VALID: N_("Đã xác minh, còn hiệu lực"),
    CertificateState.EXPIRING: N_("Sắp hết hạn"),
    CertificateState.EXPIRED: N_("Đã hết hạn"),
    CertificateState.REJECTED: N_("Bị từ chối"),
}
LEVEL_LABELS = {
    CertificateLevel.PROVINCE: N_("Cấp tỉnh"),
    CertificateLevel.CENTRAL: N_("Cấp trung ương"),
}


def state_of(certificate: OcopCertificate, today: date) -> CertificateState:
    """The state shown to the producer on `today`."""
    if certificate.status == CertificateStatus.REJECTED:
        return CertificateState.REJECTED
    if certificate.expires_on < today:
        return CertificateState.EXPIRED
    if certificate.status == CertificateStatus.PENDING:
        return CertificateState.PENDING
    if certificate.expires_on <= today + timedelta(days=EXPIRY_WARNING_DAYS):
        return CertificateState.EXPIRING
    return CertificateState.VALID


@dataclass(frozen=True)
class Submission:
    stars: int
    level: str
    decision_number: str
    decision_date: date
    issuing_body: str


def submit(
    session: Session,
    media_root: media.Store,
    product: Product,
    data: Submission,
    scan: bytes,
    today: date,
) -> OcopCertificate:
    """Record a certificate for the producer's product, pending an admin's check. The
    scan (PDF or image) is stored only once every field is acceptable."""
    if data.stars not in (3, 4, 5):
        raise CertificateError(N_("Hạng sao OCOP phải là 3, 4 hoặc 5."))
    try:
        level = CertificateLevel(data.level)
    except ValueError as exc:
        raise CertificateError(N_("Vui lòng chọn cấp công nhận.")) from exc
    if (data.stars == 5) != (level == CertificateLevel.CENTRAL):
        raise CertificateError(
            N_("Sản phẩm 5 sao do cấp trung ương công nhận; 3 và 4 sao do cấp tỉnh.")
        )
    number, body = data.decision_number.strip(), " ".join(data.issuing_body.split())
    if not number or len(number) > 80 or not body or len(body) > 200:
        raise CertificateError(N_("Cần số quyết định và cơ quan cấp."))
    if data.decision_date > today:
        raise CertificateError(N_("Ngày quyết định không được ở tương lai."))
    if add_months(data.decision_date, catalog.CERTIFICATE_VALIDITY_MONTHS) < today:
        raise CertificateError(
            N_("Giấy chứng nhận này đã hết hạn (hiệu lực 36 tháng từ ngày quyết định).")
        )
    scan_path = media.store_document(media_root, scan)
    return catalog.add_certificate(
        session,
        product,
        catalog.CertificateData(
            stars=data.stars,
            level=level,
            decision_number=number,
            decision_date=data.decision_date,
            issuing_body=body,
            scan_path=scan_path,
        ),
    )


def of_producer(session: Session, producer_id: int) -> list[OcopCertificate]:
    """Every certificate of the producer's products, newest decision first, with the
    product loaded (one query)."""
    return list(
        session.execute(
            select(OcopCertificate)
            .join(Product, Product.id == OcopCertificate.product_id)
            .options(joinedload(OcopCertificate.product))
            .where(Product.producer_id == producer_id)
            .order_by(OcopCertificate.decision_date.desc(), OcopCertificate.id.desc())
        ).scalars()
    )


def expiring(session: Session, producer_ids: list[int], today: date) -> list[OcopCertificate]:
    """Verified certificates of these producers ending within EXPIRY_WARNING_DAYS."""
    if not producer_ids:
        return []
    return list(
        session.execute(
            select(OcopCertificate)
            .join(Product, Product.id == OcopCertificate.product_id)
            .options(joinedload(OcopCertificate.product))
            .where(
                Product.producer_id.in_(producer_ids),
                OcopCertificate.status == CertificateStatus.VERIFIED,
                OcopCertificate.expires_on >= today,
                OcopCertificate.expires_on <= today + timedelta(days=EXPIRY_WARNING_DAYS),
            )
            .order_by(OcopCertificate.expires_on)
        ).scalars()
    )


def review_queue(session: Session, limit: int = 200) -> list[tuple[OcopCertificate, Producer]]:
    """Certificates waiting for an admin, oldest first, with product and producer."""
    rows = session.execute(
        select(OcopCertificate, Producer)
        .join(Product, Product.id == OcopCertificate.product_id)
        .join(Producer, Producer.id == Product.producer_id)
        .options(joinedload(OcopCertificate.product))
        .where(OcopCertificate.status == CertificateStatus.PENDING)
        .order_by(OcopCertificate.created_at, OcopCertificate.id)
        .limit(limit)
    ).all()
    return [(certificate, producer) for certificate, producer in rows]


def _decide(session: Session, certificate_id: int, **values: object) -> OcopCertificate:
    """Move a pending certificate once, even if two admins click at the same time."""
    result = session.execute(
        update(OcopCertificate)
        .where(
            OcopCertificate.id == certificate_id,
            OcopCertificate.status == CertificateStatus.PENDING,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    certificate = session.get(OcopCertificate, certificate_id)
    if certificate is None:
        raise NotFound(N_("Không tìm thấy giấy chứng nhận."))
    session.refresh(certificate)
    if rowcount(result) != 1:
        raise CertificateError(N_("Giấy chứng nhận này đã được xử lý."))
    refresh_stars(session, [certificate.product_id])  # a bulk UPDATE: no flush saw it
    return certificate


def verify(session: Session, certificate_id: int, admin: User) -> OcopCertificate:
    """The admin checked the decision: its stars now show while it is in force."""
    return _decide(
        session,
        certificate_id,
        status=CertificateStatus.VERIFIED,
        verified_at=utcnow(),
        decided_by_id=admin.id,
    )


def reject(session: Session, certificate_id: int, admin: User, reason: str) -> OcopCertificate:
    """Refuse a certificate with a reason the producer reads on their page."""
    reason = reason.strip()
    if not reason:
        raise CertificateError(N_("Vui lòng nêu lý do từ chối."))
    if len(reason) > MAX_REASON:
        raise CertificateError(N_("Lý do dài quá %(n)s ký tự."), n=MAX_REASON)
    return _decide(
        session,
        certificate_id,
        status=CertificateStatus.REJECTED,
        rejection_reason=reason,
        decided_by_id=admin.id,
    )
