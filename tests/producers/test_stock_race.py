"""Twenty members record breakage at once against five jars: exactly five changes land,
stock ends at zero, never below, and the history holds exactly those five."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storefront.catalog import services as catalog
from storefront.catalog.models import StockMovement, StockReason
from storefront.extensions import db
from tests.factories import make_producer, make_product
from tests.orders.helpers import stock_of, variant_of

RACERS = 20
STOCK = 5


def test_concurrent_stock_changes_never_oversell(app: Flask, session) -> None:  # type: ignore[no-untyped-def]
    variant_id = variant_of(session, make_product(session, make_producer(session), stock=STOCK)).id
    session.commit()
    start = threading.Barrier(RACERS)

    def take_one(_: int) -> bool:
        with app.app_context(), Session(db.engine) as own:
            start.wait(timeout=10)
            try:
                catalog.adjust_stock(own, variant_id, -1, StockReason.BREAKAGE, note="vỡ")
                own.commit()
            except catalog.CatalogError:
                own.rollback()
                return False
            return True

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        results = list(pool.map(take_one, range(RACERS)))
    assert results.count(True) == STOCK
    assert stock_of(session, variant_id) == 0
    recorded = session.execute(
        select(func.count(), func.sum(StockMovement.delta)).where(
            StockMovement.variant_id == variant_id
        )
    ).one()
    assert tuple(recorded) == (STOCK, -STOCK)
    afters = sorted(
        session.execute(
            select(StockMovement.stock_after).where(StockMovement.variant_id == variant_id)
        ).scalars()
    )
    assert afters == list(range(STOCK))  # 4, 3, 2, 1, 0: each change saw the one before
