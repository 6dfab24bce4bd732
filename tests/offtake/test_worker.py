"""The job worker's loop runs the offtake duty (a due delivery becomes an order) besides
delivering emails; a failing duty does not stop the emails."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from storefront.jobs import worker
from storefront.orders.models import Order
from storefront.timeutil import today_in_vietnam
from tests.offtake.helpers import a_variant, make_business, signed_agreement


def test_the_worker_loop_places_due_deliveries(session, monkeypatch):
    buyer = make_business(session)
    signed_agreement(session, buyer, a_variant(session), [(today_in_vietnam(), 5)])
    session.commit()
    stop = threading.Event()
    passes = []

    def one_pass(session):  # type: ignore[no-untyped-def]
        passes.append(1)
        stop.set()
        return 0

    monkeypatch.setattr(worker, "run_once", one_pass)
    worker.run_forever(session, 0.01, stop)
    assert passes == [1]
    assert session.execute(select(func.count(Order.id))).scalar_one() == 1


def test_a_failing_duty_leaves_the_emails_going(session, monkeypatch):
    stop = threading.Event()
    passes = []

    def broken(session):  # type: ignore[no-untyped-def]
        raise RuntimeError("database hiccup")

    def one_pass(session):  # type: ignore[no-untyped-def]
        passes.append(1)
        stop.set()
        return 0

    monkeypatch.setattr(worker, "run_duties", broken)
    monkeypatch.setattr(worker, "run_once", one_pass)
    worker.run_forever(session, 0.01, stop)
    assert passes == [1]
