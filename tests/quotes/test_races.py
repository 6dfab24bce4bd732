"""Races on PostgreSQL (on SQLite writers queue anyway): two tabs accept the same quote
at once, and a quote is accepted while the expiry command runs past its last day. Each
side has its own connection and transaction; exactly one outcome lands."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storefront.extensions import db
from storefront.orders.errors import OrderError
from storefront.orders.models import Order
from storefront.quotes import services
from storefront.quotes.models import EventKind, Quote, QuoteEvent, QuoteState
from storefront.timeutil import utcnow
from tests.orders.helpers import stock_of
from tests.quotes.helpers import acceptance, quoted, scene

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _postgres(is_postgres: bool) -> None:
    if not is_postgres:
        pytest.skip("needs PostgreSQL's row locks: set TEST_DATABASE_URL")


def _race(app: Flask, *steps):  # type: ignore[no-untyped-def]
    start = threading.Barrier(len(steps))

    def run(step):  # type: ignore[no-untyped-def]
        with app.app_context(), Session(db.engine) as own:
            start.wait(timeout=10)
            try:
                result = step(own)
                own.commit()
            except (services.QuoteError, OrderError) as refused:
                own.rollback()
                return refused
            return result

    with ThreadPoolExecutor(max_workers=len(steps)) as pool:
        return list(pool.map(run, steps))


def test_two_tabs_accepting_at_once_make_one_order(app, session):
    s = scene(session, stock=100)
    quote = quoted(session, s)
    buyer_id, quote_id = s.buyer.id, quote.id

    def accept(own):  # type: ignore[no-untyped-def]
        return services.accept_quote(own, buyer_id, quote_id, 1, acceptance(), utcnow()).number

    results = _race(app, accept, accept)
    numbers = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, services.QuoteMoved)]
    assert len(numbers) == 1 and len(refused) == 1, results
    # Both tabs again, after the fact: both told it is accepted.
    assert all(isinstance(r, services.QuoteMoved) for r in _race(app, accept, accept))
    session.expire_all()
    assert session.execute(select(func.count()).select_from(Order)).scalar() == 1
    assert stock_of(session, s.honey) == 80 and stock_of(session, s.peanuts) == 50
    accepted = session.execute(
        select(func.count()).where(
            QuoteEvent.quote_id == quote_id, QuoteEvent.kind == EventKind.ACCEPTED
        )
    ).scalar()
    assert accepted == 1


def test_accepting_while_the_quote_expires_has_one_outcome(app, session):
    outcomes = set()
    for _ in range(4):
        s = scene(session, stock=100)
        quote = quoted(session, s, valid_days=0)  # its last day is today
        buyer_id, quote_id = s.buyer.id, quote.id
        last_moment = utcnow()
        after = last_moment + timedelta(days=1, hours=1)

        def accept(own, buyer_id=buyer_id, quote_id=quote_id, moment=last_moment):  # type: ignore[no-untyped-def]
            return services.accept_quote(own, buyer_id, quote_id, 1, acceptance(), moment)

        def expire(own, moment=after):  # type: ignore[no-untyped-def]
            return services.expire_quotes(own, moment)

        accepted, expired = _race(app, accept, expire)
        session.expire_all()
        state = session.get(Quote, quote_id).state
        orders = session.execute(
            select(func.count()).select_from(Order).where(Order.user_id == buyer_id)
        ).scalar()
        if state == QuoteState.ACCEPTED:
            assert isinstance(accepted, Order) and expired == 0 and orders == 1
        else:
            assert state == QuoteState.EXPIRED
            assert isinstance(accepted, services.QuoteMoved) and expired == 1 and orders == 0
        outcomes.add(state)
    assert outcomes <= {QuoteState.ACCEPTED, QuoteState.EXPIRED}
