"""Two business buyers book the same meeting slot at the same moment, each in its own
transaction on PostgreSQL: one gets the meeting, the other is told the slot was taken,
and the slot has exactly one live meeting (conditional update, unique active_slot_id)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storefront.accounts.models import User
from storefront.extensions import db
from storefront.fairs import services as fair_services
from storefront.meetings import services
from storefront.meetings.models import Meeting, MeetingSlot, SlotState
from storefront.timeutil import utcnow
from tests.accounts.helpers import make_member, make_user
from tests.factories import make_producer
from tests.fairs.helpers import make_fair
from tests.meetings.helpers import make_business_buyer, open_slot
from tests.orders.helpers import GIA_LAI

ROUNDS = 5


def test_two_buyers_booking_one_slot_get_one_meeting(app, session, is_postgres):
    if not is_postgres:
        pytest.skip("SQLite runs one writer at a time: nothing races there")
    from storefront.accounts.models import Role

    fair = make_fair(session, make_user(session, role=Role.ORGANISER))
    producer = make_producer(session)
    make_member(session, producer)
    exhibitor = fair_services.invite_exhibitor(session, fair, producer.id)
    fair_services.accept_invitation(session, exhibitor)
    # Two fresh buyers a round: a buyer holds one live meeting per booth.
    pairs = [
        (
            make_business_buyer(session, f"a{n}@example.vn").id,
            make_business_buyer(session, f"b{n}@example.vn", "Nhà hàng Núi", GIA_LAI).id,
        )
        for n in range(ROUNDS)
    ]
    slot_ids = [open_slot(session, exhibitor, hours_ahead=3 + n).id for n in range(ROUNDS)]
    session.commit()

    def book(slot_id: int, buyer_id: int, start: threading.Barrier) -> str:
        with app.app_context(), Session(db.engine) as own:
            buyer = own.get(User, buyer_id)
            assert buyer is not None
            start.wait()  # both ask at once
            try:
                services.book_slot(own, slot_id, buyer, "", utcnow())
            except services.SlotTaken:
                own.rollback()
                return "taken"
            own.commit()
            return "booked"

    for slot_id, buyers in zip(slot_ids, pairs, strict=True):
        start = threading.Barrier(2, timeout=30)
        with ThreadPoolExecutor(2) as pool:
            futures = [pool.submit(book, slot_id, b, start) for b in buyers]
            outcomes = sorted(f.result(timeout=60) for f in futures)
        assert outcomes == ["booked", "taken"]
        session.expire_all()
        assert (
            session.execute(
                select(func.count()).select_from(Meeting).where(Meeting.slot_id == slot_id)
            ).scalar()
            == 1
        )
        assert session.get(MeetingSlot, slot_id).state == SlotState.BOOKED
