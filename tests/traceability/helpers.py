"""Batches for tests, recorded through the same service producers use."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from storefront.catalog.models import Producer, Product, Variant
from storefront.timeutil import today_in_vietnam
from storefront.traceability import services
from storefront.traceability.models import Batch
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD, make_product


def first_variant(session: Session, product: Product) -> Variant:
    return (
        session.execute(
            select(Variant).where(Variant.product_id == product.id).order_by(Variant.id)
        )
        .scalars()
        .first()
    )  # type: ignore[return-value]


def make_batch(
    session: Session,
    producer: Producer | None = None,
    product: Product | None = None,
    step_count: int = 2,
    produced_days_ago: int = 10,
    **changes: object,
) -> Batch:
    """A batch of the product's first variant (a new 4★ product of `producer` if none),
    made `produced_days_ago` days ago with `step_count` steps; `changes` replace
    fields of the BatchData."""
    product = product or make_product(session, producer, name="Mật ong hoa Ban Mường Phăng")
    today = today_in_vietnam()
    produced = today - timedelta(days=produced_days_ago)
    kinds = ["growing", "processing", "packing", "other"]
    data = services.BatchData(
        variant_id=first_variant(session, product).id,
        produced_on=produced,
        expires_on=produced + timedelta(days=365),
        quantity=120,
        province_code=DIEN_BIEN,
        ward_code=DIEN_BIEN_WARD,
        place_detail="Bản Kéo",
        steps=[
            services.StepData(
                kind=kinds[i % len(kinds)],
                happened_on=produced - timedelta(days=step_count - i),
                place=f"Nương ong số {i + 1}",
                note="Thu hoạch mật sau mùa hoa Ban" if i == 0 else "",
            )
            for i in range(step_count)
        ],
    )
    data = dataclasses.replace(data, **changes)  # type: ignore[arg-type]
    return services.create_batch(session, [product.producer_id], data, today)
