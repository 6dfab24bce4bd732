"""Which batch went out in which producer's part of an order.

The producer picks the batch (or batches) on the fulfilment form; the buyer's order page
links each part to its batches' trace pages. The order models belong to `orders/`; this
module only reads them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from storefront.errors import NotFound
from storefront.extensions import Session
from storefront.i18n import N_
from storefront.orders.models import OrderLine, OrderPart, PartStatus
from storefront.traceability.models import Batch, ShippedBatch
from storefront.traceability.services import BatchError


def batch_choices_for_part(session: Session, part_id: int, producer_id: int) -> list[Batch]:
    """The producer's batches of the variants in this part, newest production first: what
    the fulfilment form offers. NotFound if the part is not this producer's."""
    part = session.execute(
        select(OrderPart.id).where(OrderPart.id == part_id, OrderPart.producer_id == producer_id)
    ).first()
    if part is None:
        raise NotFound(N_("Không tìm thấy đơn hàng."))
    variant_ids = select(OrderLine.variant_id).where(OrderLine.part_id == part_id)
    return list(
        session.execute(
            select(Batch)
            .where(Batch.producer_id == producer_id, Batch.variant_id.in_(variant_ids))
            .options(joinedload(Batch.product), joinedload(Batch.variant))
            .order_by(Batch.produced_on.desc(), Batch.id.desc())
        ).scalars()
    )


def record_shipped_batch(
    session: Session, part_id: int, batch_id: int, producer_id: int
) -> ShippedBatch:
    """Record that `batch_id` went out in order part `part_id`, acting for `producer_id`.

    The part and the batch must both be that producer's (NotFound otherwise), the batch
    must be of a variant ordered in the part and the part must not be cancelled
    (BatchError). Recording the same batch twice returns the existing record."""
    part = session.execute(
        select(OrderPart).where(OrderPart.id == part_id, OrderPart.producer_id == producer_id)
    ).scalar_one_or_none()
    if part is None:
        raise NotFound(N_("Không tìm thấy đơn hàng."))
    batch = session.execute(
        select(Batch).where(Batch.id == batch_id, Batch.producer_id == producer_id)
    ).scalar_one_or_none()
    if batch is None:
        raise NotFound(N_("Không tìm thấy lô sản xuất."))
    if part.status == PartStatus.CANCELLED:
        raise BatchError(N_("Phần đơn hàng này đã huỷ."), field="batch_id")
    ordered = session.execute(
        select(OrderLine.id).where(
            OrderLine.part_id == part_id, OrderLine.variant_id == batch.variant_id
        )
    ).first()
    if ordered is None:
        raise BatchError(N_("Lô này không phải của sản phẩm trong đơn hàng."), field="batch_id")
    existing = session.execute(
        select(ShippedBatch).where(
            ShippedBatch.order_part_id == part_id, ShippedBatch.batch_id == batch_id
        )
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    shipped = ShippedBatch(order_part_id=part_id, batch_id=batch_id)
    session.add(shipped)
    session.flush()
    return shipped


def record_shipped_batches(
    session: Session, part_id: int, batch_ids: Collection[int], producer_id: int
) -> list[ShippedBatch]:
    """`record_shipped_batch` for each of several batches (the ship form's checkboxes);
    all or nothing, as the caller rolls back on the first error."""
    return [
        record_shipped_batch(session, part_id, batch_id, producer_id)
        for batch_id in dict.fromkeys(batch_ids)
    ]


def batches_for_parts(session: Session, part_ids: Collection[int]) -> dict[int, list[Batch]]:
    """The batches recorded for each of these order parts (with product and variant
    loaded), in one query; parts without any are left out."""
    if not part_ids:
        return {}
    rows = session.execute(
        select(ShippedBatch.order_part_id, Batch)
        .join(ShippedBatch.batch)
        .where(ShippedBatch.order_part_id.in_(part_ids))
        .options(joinedload(Batch.product), joinedload(Batch.variant))
        .order_by(ShippedBatch.order_part_id, ShippedBatch.id)
    ).all()
    result: dict[int, list[Batch]] = defaultdict(list)
    for part_id, batch in rows:
        result[part_id].append(batch)
    return dict(result)
