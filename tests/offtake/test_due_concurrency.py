"""`flask offtake due` on two hosts at once, on PostgreSQL: two threads, each with its own
app context and so its own session and connection, claim the same due deliveries at the
same moment (a barrier after both have read the list). One order per delivery."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storefront.offtake import due
from storefront.offtake.models import DeliveryState, OfftakeDelivery
from storefront.orders.models import Order
from storefront.timeutil import today_in_vietnam as today
from tests.accounts.helpers import make_member
from tests.factories import make_producer
from tests.offtake.helpers import a_variant, make_business, signed_agreement
from tests.orders.helpers import stock_of


def test_two_hosts_at_once_place_one_order_per_delivery(app, session, is_postgres, monkeypatch):
    if not is_postgres:
        pytest.skip("row locks between connections: PostgreSQL (TEST_DATABASE_URL)")
    producer = make_producer(session)
    make_member(session, producer)
    variant = a_variant(session, producer, stock=1000)
    agreements = []
    for n in range(3):
        buyer = make_business(session, name=f"Nhà hàng {n}")
        day = today()
        lines = [(day, 10), (day + timedelta(days=1), 10), (day + timedelta(days=60), 10)]
        agreements.append(signed_agreement(session, buyer, variant, lines))
    session.commit()
    variant_id = variant.id
    from storefront.extensions import db

    db.session.remove()

    barrier = threading.Barrier(2, timeout=30)
    listed = due._due_ids

    def list_then_wait(session, today):  # type: ignore[no-untyped-def]
        ids = listed(session, today)
        barrier.wait()  # both hosts hold the same list before either claims
        return ids

    monkeypatch.setattr(due, "_due_ids", list_then_wait)
    results, errors = [], []

    def host() -> None:
        try:
            with app.app_context():
                results.append(due.run_due(db.session, today() + timedelta(days=1)))
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=host) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    assert sum(r.ordered for r in results) == 6  # 3 agreements × 2 due deliveries
    ordered = session.execute(
        select(OfftakeDelivery.order_id).where(OfftakeDelivery.state == DeliveryState.ORDERED)
    ).scalars()
    order_ids = list(ordered)
    assert len(order_ids) == len(set(order_ids)) == 6
    assert session.execute(select(func.count(Order.id))).scalar_one() == 6
    assert stock_of(session, variant_id) == 1000 - 60
