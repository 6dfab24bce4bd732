"""What the public trace page shows, loaded in three queries whatever the batch holds."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from storefront.catalog.models import (
    CertificateStatus,
    OcopCertificate,
    Product,
    ProductPhoto,
)
from storefront.extensions import Session
from storefront.places import Province, Ward, get_province, get_ward
from storefront.traceability import codes
from storefront.traceability.models import Batch


class CertificateState(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"  # was in force for this batch, has run out since
    WITHDRAWN = "withdrawn"  # no longer verified (rejected after a review)


@dataclass(frozen=True)
class TracePage:
    batch: Batch
    today: date
    place_province: Province | None
    place_ward: Ward | None
    producer_province: Province | None
    producer_ward: Ward | None

    @property
    def code(self) -> str:
        return codes.display(self.batch.code)

    @property
    def photo(self) -> ProductPhoto | None:
        photos = self.batch.product.photos
        return photos[0] if photos else None

    @property
    def certificate(self) -> OcopCertificate | None:
        return self.batch.certificate

    @property
    def certificate_state(self) -> CertificateState | None:
        certificate = self.batch.certificate
        if certificate is None:
            return None
        if certificate.status != CertificateStatus.VERIFIED:
            return CertificateState.WITHDRAWN
        if certificate.expires_on < self.today:
            return CertificateState.EXPIRED
        return CertificateState.VALID

    @property
    def is_past_expiry(self) -> bool:
        """The batch's own expiry or best-before date has passed."""
        return self.batch.expires_on < self.today

    @property
    def can_buy(self) -> bool:
        product = self.batch.product
        return product.is_published and self.batch.producer.is_active


def trace_page(session: Session, code: str, today: date) -> TracePage | None:
    """The trace page of the batch with this canonical code, or None if there is none."""
    batch = session.execute(
        select(Batch)
        .where(Batch.code == code)
        .options(
            joinedload(Batch.product, innerjoin=True).selectinload(Product.photos),
            joinedload(Batch.variant, innerjoin=True),
            joinedload(Batch.producer, innerjoin=True),
            joinedload(Batch.certificate),
            selectinload(Batch.steps),
        )
    ).scalar_one_or_none()
    if batch is None:
        return None
    return TracePage(
        batch=batch,
        today=today,
        place_province=get_province(batch.province_code),
        place_ward=get_ward(batch.ward_code),
        producer_province=get_province(batch.producer.province_code),
        producer_ward=get_ward(batch.producer.ward_code),
    )
