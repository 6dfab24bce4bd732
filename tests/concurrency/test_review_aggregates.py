"""Eight buyers review the same product at the same moment, each in its own transaction
on PostgreSQL: the aggregates on the product row count every one of them (they are added
by the database in one statement each, never read and written back)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.orm import Session

from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.reviews import services
from storefront.reviews.services import ReviewDraft
from tests.accounts.helpers import make_user
from tests.factories import make_product
from tests.reviews.helpers import bought

BUYERS = 8


def test_concurrent_reviews_all_count(app, session, is_postgres):
    if not is_postgres:
        pytest.skip("SQLite runs one writer at a time: nothing races there")
    product = make_product(session, stock=100)
    buyers = [make_user(session) for _ in range(BUYERS)]
    parts = [bought(session, product, buyer.id) for buyer in buyers]
    session.commit()
    buyer_ids, product_id = [buyer.id for buyer in buyers], product.id  # plain values only
    stars = [1 + n % 5 for n in range(BUYERS)]
    start = threading.Barrier(BUYERS, timeout=30)

    def review(n: int) -> None:
        with app.app_context(), Session(db.engine) as own:
            reviewable = services.reviewable_for_buyer(own, buyer_ids[n], parts[n].id, product_id)
            start.wait()  # everyone has checked; now all write at once
            services.write_review(
                own, app.config["MEDIA_ROOT"], reviewable, ReviewDraft(stars[n], ""), "Lan"
            )
            own.commit()

    with ThreadPoolExecutor(BUYERS) as pool:
        for future in [pool.submit(review, n) for n in range(BUYERS)]:
            future.result(timeout=60)
    session.expire_all()
    row = session.get(Product, product_id)
    assert row.rating_count == BUYERS
    assert row.rating_sum == sum(stars)
    assert row.rating_counts() == {s: stars.count(s) for s in (5, 4, 3, 2, 1)}
    assert row.rating_score == sum(stars) * 100 // BUYERS
