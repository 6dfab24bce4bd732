"""Recording batches: ownership, validation, the certificate in force, steps, scan counts."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from storefront.catalog import services as catalog
from storefront.catalog.models import CertificateLevel
from storefront.errors import NotFound
from storefront.extensions import db
from storefront.timeutil import today_in_vietnam
from storefront.traceability import codes, services
from storefront.traceability.models import BatchScanDay, BatchStep
from tests.factories import DIEN_BIEN, VINH_LONG_WARD, make_producer, make_product
from tests.traceability.helpers import first_variant, make_batch


def test_a_batch_gets_a_valid_code_its_steps_and_the_certificate(session) -> None:
    product = make_product(session, stars=4)
    batch = make_batch(session, product=product, step_count=3)
    session.commit()
    assert codes.is_valid(batch.code)
    assert batch.producer_id == product.producer_id
    assert batch.product_id == product.id
    loaded = services.get_batch(session, batch.id, [product.producer_id])
    assert loaded.certificate is not None and loaded.certificate.stars == 4
    assert [step.kind for step in loaded.steps] == ["growing", "processing", "packing"]
    assert loaded.steps[0].note == "Thu hoạch mật sau mùa hoa Ban"
    assert loaded.place_detail == "Bản Kéo"


def test_codes_differ_between_batches(session) -> None:
    product = make_product(session)
    found = {make_batch(session, product=product, step_count=0).code for _ in range(20)}
    assert len(found) == 20


def test_a_producer_cannot_record_a_batch_of_another_producers_variant(session) -> None:
    mine, theirs = make_producer(session), make_producer(session)
    their_product = make_product(session, theirs)
    data = services.BatchData(
        variant_id=first_variant(session, their_product).id,
        produced_on=today_in_vietnam(),
        expires_on=today_in_vietnam() + timedelta(days=30),
        quantity=10,
        province_code=DIEN_BIEN,
        ward_code=3127,
    )
    with pytest.raises(NotFound):
        services.create_batch(session, [mine.id], data, today_in_vietnam())
    with pytest.raises(NotFound):
        services.create_batch(session, [], data, today_in_vietnam())


def test_a_producer_cannot_see_another_producers_batch(session) -> None:
    mine, theirs = make_producer(session), make_producer(session)
    batch = make_batch(session, theirs)
    make_batch(session, mine)
    with pytest.raises(NotFound):
        services.get_batch(session, batch.id, [mine.id])
    assert [b.producer_id for b in services.batches_of(session, [mine.id])] == [mine.id]
    assert services.get_batch(session, batch.id, [mine.id, theirs.id]).id == batch.id


def _refused(session: Session, field: str, **changes: object) -> None:
    with pytest.raises(services.BatchError) as raised:
        make_batch(session, **changes)
    assert raised.value.field == field


def test_bad_values_are_refused_with_the_field_at_fault(session) -> None:
    today = today_in_vietnam()
    _refused(session, "expires_on", expires_on=today - timedelta(days=10))  # = production day
    _refused(session, "expires_on", expires_on=today + timedelta(days=365 * 11))
    _refused(session, "produced_on", produced_on=today + timedelta(days=1))
    _refused(session, "quantity", quantity=0)
    _refused(session, "province_code", province_code=999)
    _refused(session, "ward_code", ward_code=VINH_LONG_WARD)  # a ward of another province
    _refused(session, "place_detail", place_detail="x" * 201)


def test_bad_steps_are_refused_with_the_row_at_fault(session) -> None:
    today = today_in_vietnam()
    good = services.StepData("packing", today - timedelta(days=1))
    for step, field in [
        (services.StepData("polishing", today), "kind"),
        (services.StepData("packing", today + timedelta(days=1)), "happened_on"),
        (services.StepData("packing", today, note="x" * 1001), "note"),
    ]:
        with pytest.raises(services.BatchError) as raised:
            make_batch(session, produced_days_ago=1, steps=[good, step])
        assert (raised.value.field, raised.value.step_index) == (field, 1)


def test_the_certificate_in_force_on_the_production_date_is_linked(session) -> None:
    # make_product(expired=True): decided 1200 days ago, ran out about 120 days ago
    product = make_product(session, expired=True)
    old = make_batch(session, product=product, produced_days_ago=400)
    recent = make_batch(session, product=product, produced_days_ago=5)
    assert old.certificate_id is not None
    assert recent.certificate_id is None  # nothing in force then, nor today


def test_a_batch_made_just_before_the_decision_is_sold_under_todays_certificate(session) -> None:
    product = make_product(session, stars=None)
    certificate = catalog.add_certificate(
        session,
        product,
        catalog.CertificateData(
            stars=5,
            level=CertificateLevel.CENTRAL,
            decision_number="12/QĐ-BNN",
            decision_date=today_in_vietnam() - timedelta(days=3),
            issuing_body="Bộ Nông nghiệp và Môi trường",
        ),
    )
    before_verification = make_batch(session, product=product, produced_days_ago=20)
    assert before_verification.certificate_id is None  # pending certificates do not count
    catalog.verify_certificate(session, certificate)
    batch = make_batch(session, product=product, produced_days_ago=20)
    assert batch.certificate_id == certificate.id


def test_steps_are_added_at_the_end_and_shown_in_date_order(session) -> None:
    batch = make_batch(session, step_count=2, produced_days_ago=10)
    today = today_in_vietnam()
    added = services.add_step(session, batch, services.StepData("other", today, "Kho"), today)
    assert added.position == 2
    earlier = services.add_step(
        session, batch, services.StepData("growing", today - timedelta(days=300)), today
    )
    session.commit()
    loaded = services.get_batch(session, batch.id, [batch.producer_id])
    assert loaded.steps[0].id == earlier.id
    assert loaded.steps[-1].id == added.id


def test_a_batch_holds_at_most_thirty_steps(session) -> None:
    batch = make_batch(session, step_count=0)
    today = today_in_vietnam()
    for _ in range(services.MAX_STEPS):
        services.add_step(session, batch, services.StepData("other", today), today)
    with pytest.raises(services.BatchError):
        services.add_step(session, batch, services.StepData("other", today), today)
    count = session.execute(select(BatchStep.id).where(BatchStep.batch_id == batch.id)).all()
    assert len(count) == services.MAX_STEPS


def test_scans_are_counted_per_day(session) -> None:
    batch = make_batch(session)
    today = today_in_vietnam()
    services.record_scan(session, batch.id, today)
    services.record_scan(session, batch.id, today)
    services.record_scan(session, batch.id, today - timedelta(days=1))
    session.commit()
    days = services.scans_by_day(session, batch.id)
    assert [(d.day, d.scans) for d in days] == [(today, 2), (today - timedelta(days=1), 1)]
    assert services.scan_counts(session, [batch.id]) == {batch.id: 3}


def test_concurrent_scans_are_all_counted(app, session) -> None:
    batch_id = make_batch(session).id
    session.commit()
    today, threads, per_thread = today_in_vietnam(), 6, 15
    errors: list[BaseException] = []

    def scan() -> None:
        try:
            with app.app_context(), Session(db.engine) as own:
                for _ in range(per_thread):
                    services.record_scan(own, batch_id, today)
                    own.commit()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    workers = [threading.Thread(target=scan) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=60)
    assert not errors
    session.expire_all()
    total = session.execute(
        select(BatchScanDay.scans).where(BatchScanDay.batch_id == batch_id)
    ).scalar_one()
    assert total == threads * per_thread
