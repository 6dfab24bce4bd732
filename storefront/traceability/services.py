"""Operations on batches: record them with their chain of steps, and count stamp scans.

Callers commit; these only flush. Every function that reaches a batch or a variant takes
the ids of the producers the caller acts for and answers NotFound for anything else, so
the ids of other producers' batches cannot be probed.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import joinedload, selectinload

from storefront.catalog.models import OcopCertificate, Product, Variant
from storefront.errors import DomainError, NotFound
from storefront.extensions import Session
from storefront.i18n import N_
from storefront.places import get_province, ward_in_province
from storefront.timeutil import add_months
from storefront.traceability import codes
from storefront.traceability.models import Batch, BatchScanDay, BatchStep, StepKind

EARLIEST_DATE = date(2000, 1, 1)
MAX_SHELF_LIFE_MONTHS = 120
MAX_QUANTITY = 10_000_000
MAX_STEPS = 30
MAX_PLACE_LENGTH = 200
MAX_NOTE_LENGTH = 1000

STEP_LABELS: dict[StepKind, str] = {
    StepKind.GROWING: N_("Trồng trọt, chăn nuôi, thu hoạch"),
    StepKind.PROCESSING: N_("Chế biến"),
    StepKind.PACKING: N_("Đóng gói"),
    StepKind.OTHER: N_("Công đoạn khác"),
}


class BatchError(DomainError):
    """A batch the shop refuses to record. `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field
        self.step_index: int | None = None  # which of BatchData.steps, for step fields


@dataclass(frozen=True)
class StepData:
    kind: str
    happened_on: date
    place: str = ""
    note: str = ""


@dataclass(frozen=True)
class BatchData:
    variant_id: int
    produced_on: date
    expires_on: date
    quantity: int
    province_code: int
    ward_code: int
    place_detail: str = ""
    steps: Sequence[StepData] = ()


def variants_of(session: Session, producer_ids: Collection[int]) -> list[Variant]:
    """The variants a batch may be recorded for: all of these producers' products."""
    if not producer_ids:
        return []
    return list(
        session.execute(
            select(Variant)
            .join(Variant.product)
            .where(Product.producer_id.in_(producer_ids))
            .options(joinedload(Variant.product))
            .order_by(Product.name, Product.id, Variant.position, Variant.id)
        ).scalars()
    )


def _owned_variant(session: Session, variant_id: int, producer_ids: Collection[int]) -> Variant:
    variant = session.execute(
        select(Variant)
        .join(Variant.product)
        .where(Variant.id == variant_id, Product.producer_id.in_(producer_ids))
        .options(joinedload(Variant.product).selectinload(Product.certificates))
    ).scalar_one_or_none()
    if variant is None:
        raise NotFound(N_("Không tìm thấy sản phẩm."))
    return variant


def certificate_for_batch(
    product: Product, produced_on: date, today: date
) -> OcopCertificate | None:
    """The certificate a batch is sold under: the verified one in force on the production
    date; failing that, the one in force today (a batch made shortly before the product's
    latest decision is sold under it). Needs `product.certificates` loaded."""
    return product.current_certificate(produced_on) or product.current_certificate(today)


def _check_step(step: StepData, produced_on: date, expires_on: date, today: date) -> StepKind:
    try:
        kind = StepKind(step.kind)
    except ValueError:
        raise BatchError(N_("Vui lòng chọn loại công đoạn."), field="kind") from None
    if step.happened_on > today:
        raise BatchError(N_("Ngày của công đoạn không được sau hôm nay."), field="happened_on")
    if step.happened_on < EARLIEST_DATE:
        raise BatchError(N_("Ngày không hợp lệ."), field="happened_on")
    if step.happened_on > expires_on:
        raise BatchError(N_("Ngày của công đoạn phải trước hạn sử dụng."), field="happened_on")
    if len(step.place.strip()) > MAX_PLACE_LENGTH:
        raise BatchError(N_("Địa điểm quá dài."), field="place")
    if len(step.note.strip()) > MAX_NOTE_LENGTH:
        raise BatchError(N_("Ghi chú quá dài."), field="note")
    return kind


def _check_batch(data: BatchData, today: date) -> None:
    if data.produced_on > today:
        raise BatchError(N_("Ngày sản xuất không được sau hôm nay."), field="produced_on")
    if data.produced_on < EARLIEST_DATE:
        raise BatchError(N_("Ngày không hợp lệ."), field="produced_on")
    if data.expires_on <= data.produced_on:
        raise BatchError(N_("Hạn sử dụng phải sau ngày sản xuất."), field="expires_on")
    if data.expires_on > add_months(data.produced_on, MAX_SHELF_LIFE_MONTHS):
        raise BatchError(
            N_("Hạn sử dụng không được quá 10 năm sau ngày sản xuất."), field="expires_on"
        )
    if not 0 < data.quantity <= MAX_QUANTITY:
        raise BatchError(N_("Số lượng phải là số nguyên dương."), field="quantity")
    if get_province(data.province_code) is None:
        raise BatchError(N_("Vui lòng chọn tỉnh, thành phố."), field="province_code")
    if not ward_in_province(data.ward_code, data.province_code):
        raise BatchError(N_("Phường, xã không thuộc tỉnh, thành phố đã chọn."), field="ward_code")
    if len(data.place_detail.strip()) > MAX_PLACE_LENGTH:
        raise BatchError(N_("Địa điểm quá dài."), field="place_detail")
    if len(data.steps) > MAX_STEPS:
        raise BatchError(N_("Một lô có tối đa %(n)s công đoạn."), n=MAX_STEPS)


def _unused_code(session: Session) -> str:
    """A new random code; with 50 random bits a clash is all but impossible, but checked."""
    for _ in range(5):
        code = codes.new_code()
        if session.execute(select(Batch.id).where(Batch.code == code)).first() is None:
            return code
    raise RuntimeError("could not find an unused batch code")  # pragma: no cover


def create_batch(
    session: Session, producer_ids: Collection[int], data: BatchData, today: date
) -> Batch:
    """Record a batch of one of these producers' variants, with its steps, a fresh public
    code and the certificate in force (see `certificate_for_batch`).

    Raises NotFound for a variant of another producer, BatchError for bad values."""
    variant = _owned_variant(session, data.variant_id, producer_ids)
    _check_batch(data, today)
    kinds = []
    for index, step in enumerate(data.steps):
        try:
            kinds.append(_check_step(step, data.produced_on, data.expires_on, today))
        except BatchError as error:
            error.step_index = index
            raise
    product = variant.product
    certificate = certificate_for_batch(product, data.produced_on, today)
    batch = Batch(
        code=_unused_code(session),
        producer_id=product.producer_id,
        product_id=product.id,
        variant_id=variant.id,
        certificate_id=certificate.id if certificate else None,
        produced_on=data.produced_on,
        expires_on=data.expires_on,
        quantity=data.quantity,
        province_code=data.province_code,
        ward_code=data.ward_code,
        place_detail=" ".join(data.place_detail.split()),
    )
    session.add(batch)
    session.flush()
    for position, (step, kind) in enumerate(zip(data.steps, kinds, strict=True)):
        session.add(_new_step(batch.id, position, kind, step))
    session.flush()
    return batch


def _new_step(batch_id: int, position: int, kind: StepKind, data: StepData) -> BatchStep:
    return BatchStep(
        batch_id=batch_id,
        position=position,
        kind=kind,
        happened_on=data.happened_on,
        place=" ".join(data.place.split()),
        note=data.note.strip(),
    )


def add_step(session: Session, batch: Batch, data: StepData, today: date) -> BatchStep:
    """Add a step to the end of a batch's chain (the caller has checked ownership)."""
    kind = _check_step(data, batch.produced_on, batch.expires_on, today)
    count, last = session.execute(
        select(func.count(), func.max(BatchStep.position)).where(BatchStep.batch_id == batch.id)
    ).one()
    if count >= MAX_STEPS:
        raise BatchError(N_("Một lô có tối đa %(n)s công đoạn."), n=MAX_STEPS)
    step = _new_step(batch.id, (last if last is not None else -1) + 1, kind, data)
    session.add(step)
    session.flush()
    return step


def get_batch(session: Session, batch_id: int, producer_ids: Collection[int]) -> Batch:
    """One of these producers' batches with its product, variant, producer, certificate
    and steps loaded; NotFound otherwise."""
    batch = session.execute(
        select(Batch)
        .where(Batch.id == batch_id, Batch.producer_id.in_(producer_ids))
        .options(
            joinedload(Batch.product),
            joinedload(Batch.variant),
            joinedload(Batch.producer),
            joinedload(Batch.certificate),
            selectinload(Batch.steps),
        )
    ).scalar_one_or_none()
    if batch is None:
        raise NotFound(N_("Không tìm thấy lô sản xuất."))
    return batch


def batches_of(session: Session, producer_ids: Collection[int], limit: int = 200) -> list[Batch]:
    """These producers' latest batches, newest first, with product, variant and producer."""
    if not producer_ids:
        return []
    return list(
        session.execute(
            select(Batch)
            .where(Batch.producer_id.in_(producer_ids))
            .options(
                joinedload(Batch.product), joinedload(Batch.variant), joinedload(Batch.producer)
            )
            .order_by(Batch.created_at.desc(), Batch.id.desc())
            .limit(limit)
        ).scalars()
    )


def record_scan(session: Session, batch_id: int, day: date) -> None:
    """Count one opening of a batch's trace page on `day`, in a single atomic upsert (two
    visitors at once both count). Nothing about the visitor is stored."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(BatchScanDay).values(batch_id=batch_id, day=day, scans=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[BatchScanDay.batch_id, BatchScanDay.day],
        set_={"scans": BatchScanDay.scans + 1},
    )
    session.execute(stmt)


def scan_counts(session: Session, batch_ids: Collection[int]) -> dict[int, int]:
    """Total trace-page openings per batch (batches never scanned are left out)."""
    if not batch_ids:
        return {}
    rows = session.execute(
        select(BatchScanDay.batch_id, func.sum(BatchScanDay.scans))
        .where(BatchScanDay.batch_id.in_(batch_ids))
        .group_by(BatchScanDay.batch_id)
    ).all()
    return {batch_id: int(total) for batch_id, total in rows}


def scans_by_day(session: Session, batch_id: int, limit: int = 30) -> list[BatchScanDay]:
    """A batch's most recent days with scans, newest first."""
    return list(
        session.execute(
            select(BatchScanDay)
            .where(BatchScanDay.batch_id == batch_id)
            .order_by(BatchScanDay.day.desc())
            .limit(limit)
        ).scalars()
    )
