"""Writing, voting and reporting are rate limited per account (Flask-Limiter in the local
Redis, under this test's own key prefix), with the shop's friendly 429 page."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
import redis
from flask import Flask

from storefront import create_app
from storefront.extensions import db, limiter
from storefront.reviews import services
from storefront.reviews.services import ReviewDraft
from tests.accounts.helpers import log_in, make_user
from tests.conftest import csrf_token_from
from tests.factories import make_product
from tests.reviews.helpers import bought

REDIS_URL = "redis://127.0.0.1:6379/3"


@pytest.fixture
def limited_app(app: Flask) -> Iterator[Flask]:
    client = redis.Redis.from_url(REDIS_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        pytest.fail("Redis is not running on 127.0.0.1:6379", pytrace=False)
    prefix = f"storefront-test-{uuid.uuid4().hex}"
    saved = dict(limiter.__dict__)
    limiter._key_prefix = ""
    limited = create_app(
        {
            "RATELIMIT_ENABLED": True,
            "RATELIMIT_STORAGE_URI": REDIS_URL,
            "RATELIMIT_KEY_PREFIX": prefix,
            "LIMIT_REVIEW_WRITE": "2 per minute",
            "LIMIT_REVIEW_VOTE": "3 per minute",
            "LIMIT_REVIEW_REPORT": "2 per minute",
        }
    )
    try:
        yield limited
    finally:
        limiter.__dict__.clear()
        limiter.__dict__.update(saved)
        with limited.app_context():
            db.session.remove()
            db.engine.dispose()
        for key in client.scan_iter(match=f"*{prefix}*"):
            client.delete(key)
        client.close()


def _review(app, session, product):
    user = make_user(session)
    part = bought(session, product, user.id)
    reviewable = services.reviewable_for_buyer(session, user.id, part.id, product.id)
    review = services.write_review(
        session, app.config["MEDIA_ROOT"], reviewable, ReviewDraft(5, "Ngon"), "Lan", user.id
    )
    session.commit()
    return review.id


def test_votes_and_reports_are_limited_per_account(app, limited_app, session):
    product = make_product(session, stock=100)
    review_ids = [_review(app, session, product) for _ in range(4)]
    voter = make_user(session)
    session.commit()
    client = limited_app.test_client()
    log_in(client, voter.email)
    token = csrf_token_from(client.get("/account/").text)
    codes = [
        client.post(f"/reviews/{rid}/helpful", data={"csrf_token": token}).status_code
        for rid in review_ids
    ]
    assert codes == [302, 302, 302, 429]
    reports = [
        client.post(
            f"/reviews/{rid}/report", data={"csrf_token": token, "reason": "Spam"}
        ).status_code
        for rid in review_ids[:3]
    ]
    assert reports == [302, 302, 429]


def test_writing_is_limited(app, limited_app, session):
    product = make_product(session, stock=100)
    buyer = make_user(session)
    parts = [bought(session, product, buyer.id) for _ in range(3)]
    session.commit()
    client = limited_app.test_client()
    log_in(client, buyer.email)
    token = csrf_token_from(client.get("/account/").text)
    codes = [
        client.post(
            f"/reviews/write/{part.id}/{product.id}",
            data={"csrf_token": token, "stars": "5", "body": "Ngon"},
        ).status_code
        for part in parts
    ]
    assert codes == [302, 302, 429]
