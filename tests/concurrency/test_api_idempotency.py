"""Six retries of one API checkout (the same Idempotency-Key and body) arrive at the same
moment, each its own request and transaction on PostgreSQL: one order is placed, the
stock is taken once, and every retry answers with that order.

The first request to insert the key holds it while it places the order (slowed down
here so the others surely arrive meanwhile); the others wait on the unique (caller, key)
index, fail to insert once it commits, and answer with its order."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select

from storefront.api import idempotency
from storefront.api.models import IdempotencyKey
from storefront.orders.models import Order
from tests.api.buyer_helpers import CHECKOUT_BODY, make_shop
from tests.api.helpers import bearer
from tests.orders.helpers import stock_of

RETRIES = 6


def test_concurrent_retries_of_one_key_place_one_order(app, session, is_postgres, monkeypatch):
    if not is_postgres:
        pytest.skip("SQLite runs one writer at a time: nothing races there")
    shop = make_shop(session)
    secret, pack_id = shop.tokens["buyer"], shop.pack_id
    setup = app.test_client()
    added = setup.post("/api/v1/cart/lines", headers=bearer(secret), json={"pack_id": pack_id})
    assert added.status_code == 200
    placing = idempotency.place_order_from_cart
    inserted = threading.Event()

    def slow_placement(*args, **kwargs):  # type: ignore[no-untyped-def]
        inserted.set()
        time.sleep(0.5)  # the key row is inserted and not yet committed
        return placing(*args, **kwargs)

    monkeypatch.setattr(idempotency, "place_order_from_cart", slow_placement)
    start = threading.Barrier(RETRIES, timeout=30)
    headers = {**bearer(secret), "Idempotency-Key": "3b1f0c1e-retry"}

    def retry(_: int) -> tuple[int, str, str]:
        client = app.test_client()
        start.wait()
        response = client.post("/api/v1/cart/checkout", headers=headers, json=CHECKOUT_BODY)
        number = (response.get_json() or {}).get("number", "")
        return response.status_code, number, response.headers.get("Idempotent-Replayed", "")

    with ThreadPoolExecutor(RETRIES) as pool:
        answers = [f.result(timeout=60) for f in [pool.submit(retry, n) for n in range(RETRIES)]]
    assert inserted.is_set()
    assert {status for status, _, _ in answers} == {201}, answers
    numbers = {number for _, number, _ in answers}
    assert len(numbers) == 1 and "" not in numbers
    assert sorted(replayed for _, _, replayed in answers) == [""] + ["true"] * (RETRIES - 1)
    session.expire_all()
    assert session.execute(select(func.count()).select_from(Order)).scalar_one() == 1
    assert session.execute(select(func.count()).select_from(IdempotencyKey)).scalar_one() == 1
    assert stock_of(session, pack_id) == 19
