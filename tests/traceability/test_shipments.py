"""Which batch went out in which order part: only the producer's own, of a variant ordered."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from storefront.errors import NotFound
from storefront.orders import fulfilment
from storefront.orders.models import OrderPart
from storefront.traceability import shipments
from storefront.traceability.models import ShippedBatch
from storefront.traceability.services import BatchError
from tests.factories import make_producer, make_product
from tests.orders.helpers import place
from tests.traceability.helpers import first_variant, make_batch


@pytest.fixture
def order(session):  # type: ignore[no-untyped-def]
    """An order with a part from each of two producers; batches of each ordered variant,
    and one batch of a product the buyer did not order."""
    mine, theirs = make_producer(session), make_producer(session)
    honey = make_product(session, mine, name="Mật ong hoa Ban")
    peanuts = make_product(session, mine, name="Lạc đỏ Na Son")
    bird_nest = make_product(session, theirs, name="Yến sào Chư Sê")
    batches = {
        "honey_old": make_batch(session, product=honey, produced_days_ago=60),
        "honey_new": make_batch(session, product=honey, produced_days_ago=5),
        "peanuts": make_batch(session, product=peanuts),
        "bird_nest": make_batch(session, product=bird_nest),
    }
    session.commit()
    placed = place(
        session,
        [(first_variant(session, honey).id, 2), (first_variant(session, bird_nest).id, 1)],
    )
    parts = {
        part.producer_id: part.id
        for part in session.execute(
            select(OrderPart).where(OrderPart.order_id == placed.id)
        ).scalars()
    }
    return {"mine": mine.id, "theirs": theirs.id, "parts": parts, "batches": batches}


def test_the_fulfilment_form_offers_the_batches_of_the_ordered_variants(session, order) -> None:
    part_id = order["parts"][order["mine"]]
    offered = shipments.batch_choices_for_part(session, part_id, order["mine"])
    b = order["batches"]
    assert [batch.id for batch in offered] == [b["honey_new"].id, b["honey_old"].id]
    with pytest.raises(NotFound):
        shipments.batch_choices_for_part(session, part_id, order["theirs"])


def test_a_shipped_batch_is_recorded_once_and_listed_for_the_buyer(session, order) -> None:
    part_id = order["parts"][order["mine"]]
    batch = order["batches"]["honey_new"]
    first = shipments.record_shipped_batch(session, part_id, batch.id, order["mine"])
    again = shipments.record_shipped_batch(session, part_id, batch.id, order["mine"])
    session.commit()
    assert first.id == again.id
    their_part = order["parts"][order["theirs"]]
    found = shipments.batches_for_parts(session, [part_id, their_part])
    assert list(found) == [part_id]
    assert [(b.code, b.product.name) for b in found[part_id]] == [(batch.code, "Mật ong hoa Ban")]


def test_several_batches_can_go_out_in_one_part(session, order) -> None:
    part_id = order["parts"][order["mine"]]
    b = order["batches"]
    ids = [b["honey_new"].id, b["honey_old"].id, b["honey_new"].id]
    recorded = shipments.record_shipped_batches(session, part_id, ids, order["mine"])
    assert [r.batch_id for r in recorded] == ids[:2]
    found = shipments.batches_for_parts(session, [part_id])[part_id]
    assert [batch.id for batch in found] == ids[:2]


def test_only_the_producers_own_part_and_batch_can_be_recorded(session, order) -> None:
    b = order["batches"]
    my_part, their_part = order["parts"][order["mine"]], order["parts"][order["theirs"]]
    with pytest.raises(NotFound):  # someone else's part
        shipments.record_shipped_batch(session, their_part, b["honey_new"].id, order["mine"])
    with pytest.raises(NotFound):  # someone else's batch
        shipments.record_shipped_batch(session, my_part, b["bird_nest"].id, order["mine"])
    with pytest.raises(BatchError):  # a batch of a product not in this part
        shipments.record_shipped_batch(session, my_part, b["peanuts"].id, order["mine"])
    assert session.execute(select(func.count()).select_from(ShippedBatch)).scalar_one() == 0


def test_a_cancelled_part_takes_no_batch(session, order) -> None:
    part_id = order["parts"][order["mine"]]
    fulfilment.cancel_part(session, part_id, actor="producer", producer_id=order["mine"])
    with pytest.raises(BatchError):
        shipments.record_shipped_batch(
            session, part_id, order["batches"]["honey_new"].id, order["mine"]
        )


def test_no_parts_means_no_query(session, count_queries) -> None:
    with count_queries() as counter:
        assert shipments.batches_for_parts(session, []) == {}
    assert counter.count == 0
