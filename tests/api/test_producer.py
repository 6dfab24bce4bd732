"""A producer's own data through personal access tokens: the tokens themselves, stock
and fulfilment through the workspace's services, and every denial."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from storefront.accounts.models import Role
from storefront.api import tokens
from storefront.api.models import ApiToken, TokenScope
from storefront.catalog.models import StockMovement
from storefront.orders.models import OrderPart, PartStatus
from storefront.orders.placement import place_order
from storefront.timeutil import utcnow
from tests.accounts.helpers import log_in, make_member, make_user
from tests.accounts.test_rate_limits import limited_app, redis_client  # noqa: F401
from tests.api.helpers import bearer, conforms, spec_of, token_for
from tests.conftest import csrf_token_from
from tests.factories import make_producer, make_product
from tests.orders.helpers import order_request, stock_of, variant_of


@pytest.fixture
def shop(session):
    producer = make_producer(session, name="HTX Mường Phăng")
    other = make_producer(session, name="HTX Khác")
    owner = make_member(session, producer)
    stranger = make_member(session, other)
    product = make_product(session, producer=producer, stock=20)
    variant = variant_of(session, product)
    order = place_order(session, order_request([(variant.id, 2)])).order
    part_id = session.execute(
        select(OrderPart.id).where(OrderPart.order_id == order.id)
    ).scalar_one()
    session.commit()
    return {
        "producer": producer,
        "other": other,
        "owner": owner,
        "stranger": stranger,
        "variant_id": variant.id,
        "part_id": part_id,
        "secret": token_for(session, owner, "write"),
    }


def call(client, spec, method, path, secret=None, **kwargs):
    headers = kwargs.pop("headers", {}) | (bearer(secret) if secret else {})
    response = client.open(path, method=method, headers=headers, **kwargs)
    conforms(spec, method, path, response)
    return response


def test_a_token_is_stored_hashed_and_works_until_revoked(client, session, shop):
    secret = shop["secret"]
    stored = session.execute(select(ApiToken)).scalar_one()
    assert stored.token_hash == tokens.hash_secret(secret) and secret not in stored.token_hash
    assert secret.startswith(stored.prefix)
    spec = spec_of(client)
    path = f"/api/v1/producer/{shop['producer'].id}/products"
    assert call(client, spec, "GET", path, secret).status_code == 200
    tokens.revoke_token(session, shop["owner"].id, stored.id, utcnow())
    session.commit()
    assert call(client, spec, "GET", path, secret).status_code == 401


def test_tokens_are_made_and_revoked_on_the_account_page_and_shown_once(client, session, shop):
    log_in(client, shop["owner"].email)
    page = client.get("/account/tokens/")
    assert page.status_code == 200
    made = client.post(
        "/account/tokens/",
        data={
            "csrf_token": csrf_token_from(page.text),
            "name": "Kho",
            "scope": "read",
            "days": "30",
        },
    )
    assert made.status_code == 200
    newest = session.execute(select(ApiToken).order_by(ApiToken.id.desc())).scalars().first()
    assert newest.name == "Kho" and newest.scope == TokenScope.READ
    shown = made.text.split('class="token-secret">')[1].split("<")[0]
    assert tokens.hash_secret(shown) == newest.token_hash
    again = client.get("/account/tokens/")
    assert shown not in again.text  # never again
    revoked = client.post(
        f"/account/tokens/{newest.id}/revoke", data={"csrf_token": csrf_token_from(again.text)}
    )
    assert revoked.status_code == 302
    session.expire_all()
    assert session.get(ApiToken, newest.id).revoked_at is not None


def test_only_buyers_and_producers_make_tokens(session):
    for role in (Role.ORGANISER, Role.OFFICER, Role.ADMIN):
        with pytest.raises(tokens.TokenError):
            tokens.create_token(session, make_user(session, role=role), "x", "read", 30, utcnow())
    assert tokens.create_token(session, make_user(session), "x", "read", 30, utcnow()).secret


def test_own_products_list_every_pack_with_its_stock(client, session, shop):
    spec = spec_of(client)
    body = call(
        client, spec, "GET", f"/api/v1/producer/{shop['producer'].id}/products", shop["secret"]
    ).get_json()
    [product] = body["items"]
    assert product["packs"][0]["stock"] == 18  # 20, less the 2 ordered


def test_a_stock_change_goes_through_the_workspace_service_with_its_reason(client, session, shop):
    spec = spec_of(client)
    path = f"/api/v1/producer/{shop['producer'].id}/packs/{shop['variant_id']}/stock"
    response = call(
        client,
        spec,
        "POST",
        path,
        shop["secret"],
        json={"delta": 12, "reason": "delivery", "note": "Lô tháng 12"},
    )
    assert response.status_code == 200
    assert response.get_json() == {"pack_id": shop["variant_id"], "stock": 30}
    assert stock_of(session, shop["variant_id"]) == 30
    movement = (
        session.execute(select(StockMovement).order_by(StockMovement.id.desc())).scalars().first()
    )
    assert (movement.delta, movement.reason, movement.note) == (12, "delivery", "Lô tháng 12")
    assert movement.actor_id == shop["owner"].id
    breakage = call(
        client, spec, "POST", path, shop["secret"], json={"delta": 5, "reason": "breakage"}
    )
    assert breakage.get_json()["stock"] == 25
    too_many = call(
        client, spec, "POST", path, shop["secret"], json={"delta": -1000, "reason": "correction"}
    )
    assert too_many.status_code == 409
    assert too_many.mimetype == "application/problem+json"
    assert stock_of(session, shop["variant_id"]) == 25


@pytest.mark.parametrize(
    "body, field",
    [
        ({"reason": "delivery"}, "delta"),
        ({"delta": "nhiều", "reason": "delivery"}, "delta"),
        ({"delta": 3, "reason": "order"}, "reason"),
        ({"delta": 3, "reason": "delivery", "note": "x" * 301}, "note"),
    ],
)
def test_bad_stock_input_names_the_field_and_changes_nothing(client, session, shop, body, field):
    spec = spec_of(client)
    path = f"/api/v1/producer/{shop['producer'].id}/packs/{shop['variant_id']}/stock"
    response = call(client, spec, "POST", path, shop["secret"], json=body)
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["field"] == field and problem["type"].endswith("#problem-invalid-input")
    assert stock_of(session, shop["variant_id"]) == 18


def test_not_json_at_all_is_a_problem_not_a_crash(client, shop):
    path = f"/api/v1/producer/{shop['producer'].id}/packs/{shop['variant_id']}/stock"
    for data, kind in ((b"{not json", "application/json"), (b"\xff\xfe", "text/plain")):
        response = client.post(path, data=data, content_type=kind, headers=bearer(shop["secret"]))
        assert 400 <= response.status_code < 500
        assert response.mimetype == "application/problem+json"


def test_fulfilment_steps_through_the_same_services_as_the_pages(client, session, shop):
    spec = spec_of(client)
    base = f"/api/v1/producer/{shop['producer'].id}/orders/{shop['part_id']}"
    secret = shop["secret"]
    listed = call(client, spec, "GET", f"/api/v1/producer/{shop['producer'].id}/orders", secret)
    assert [p["id"] for p in listed.get_json()["items"]] == [shop["part_id"]]
    assert call(client, spec, "POST", base + "/confirm", secret).get_json()["status"] == "confirmed"
    missing = call(client, spec, "POST", base + "/ship", secret, json={"carrier": "VNPost"})
    assert missing.status_code == 422 and missing.get_json()["field"] == "tracking_number"
    shipped = call(
        client,
        spec,
        "POST",
        base + "/ship",
        secret,
        json={"carrier": "VNPost", "tracking_number": "EV123VN"},
    ).get_json()
    assert (shipped["status"], shipped["tracking_number"]) == ("shipped", "EV123VN")
    late = call(client, spec, "POST", base + "/cancel", secret, json={"reason": "Hết hàng"})
    assert late.status_code == 409  # shipped parts cannot be cancelled
    assert call(client, spec, "POST", base + "/deliver", secret).get_json()["status"] == "delivered"
    assert session.get(OrderPart, shop["part_id"]).status == PartStatus.DELIVERED


def test_cancel_with_a_reason_returns_the_stock(client, session, shop):
    spec = spec_of(client)
    base = f"/api/v1/producer/{shop['producer'].id}/orders/{shop['part_id']}"
    blank = call(client, spec, "POST", base + "/cancel", shop["secret"], json={"reason": "   "})
    assert blank.status_code == 409
    done = call(client, spec, "POST", base + "/cancel", shop["secret"], json={"reason": "Hết hàng"})
    assert done.get_json()["status"] == "cancelled"
    assert stock_of(session, shop["variant_id"]) == 20


def _denials(session, shop):
    """(who, secret) for every caller that must be refused a write, and how."""
    owner = shop["owner"]
    read_only = token_for(session, owner, "read")
    expired = tokens.create_token(session, owner, "cũ", "write", 30, utcnow() - timedelta(days=31))
    revoked = tokens.create_token(session, owner, "bỏ", "write", 30, utcnow())
    tokens.revoke_token(session, owner.id, revoked.token.id, utcnow())
    buyer = make_user(session)
    buyer.role = Role.PRODUCER  # made a token as a producer, then became a buyer again
    buyer_secret = token_for(session, buyer, "write")
    buyer.role = Role.BUYER
    session.commit()
    return [
        ("anonymous", None, 401),  # no credentials (with cookies: 403, the CSRF check)
        ("garbage token", "ocop_nothing", 401),
        ("expired token", expired.secret, 401),
        ("revoked token", revoked.secret, 401),
        ("buyer", buyer_secret, 403),
        ("another producer", token_for(session, shop["stranger"], "write"), 404),
        ("read-only token writing", read_only, 403),
    ]


def test_every_operation_refuses_who_may_not(client, session, shop):
    spec = spec_of(client)
    pid, part, pack = shop["producer"].id, shop["part_id"], shop["variant_id"]
    writes = [
        (f"/api/v1/producer/{pid}/packs/{pack}/stock", {"delta": 1, "reason": "delivery"}),
        (f"/api/v1/producer/{pid}/orders/{part}/confirm", None),
        (f"/api/v1/producer/{pid}/orders/{part}/ship", {"carrier": "a", "tracking_number": "b"}),
        (f"/api/v1/producer/{pid}/orders/{part}/deliver", None),
        (f"/api/v1/producer/{pid}/orders/{part}/cancel", {"reason": "x"}),
    ]
    reads = [
        f"/api/v1/producer/{pid}/products",
        f"/api/v1/producer/{pid}/orders",
        f"/api/v1/producer/{pid}/orders/{part}",
    ]
    failures = []
    for who, secret, status in _denials(session, shop):
        for path, body in writes:
            got = call(client, spec, "POST", path, secret, json=body).status_code
            if got != status:
                failures.append((who, "POST", path, got))
        for path in reads:
            got = call(client, spec, "GET", path, secret).status_code
            expected = {"read-only token writing": 200, "anonymous": 401}.get(who, status)
            if got != expected:
                failures.append((who, "GET", path, got))
    assert not failures, failures
    assert stock_of(session, pack) == 18
    assert session.get(OrderPart, part).status == PartStatus.PLACED


def test_a_signed_in_browser_cannot_write_through_the_api(client, session, shop):
    log_in(client, shop["owner"].email)
    path = f"/api/v1/producer/{shop['producer'].id}/packs/{shop['variant_id']}/stock"
    response = client.post(path, json={"delta": 1, "reason": "delivery"})
    assert response.status_code == 403
    assert response.get_json()["type"].endswith("#problem-csrf-refused")
    page = client.get("/account/")
    with_csrf = client.post(
        path,
        json={"delta": 1, "reason": "delivery"},
        headers={"X-CSRFToken": csrf_token_from(page.text)},
    )
    assert with_csrf.status_code == 401  # the cookie is no credential for the API
    assert stock_of(session, shop["variant_id"]) == 18


def test_rate_limits_answer_429_with_headers(limited_app, shop):  # noqa: F811
    limited_app.config["LIMIT_API_TOKEN"] = "2 per minute"
    client = limited_app.test_client()
    path = f"/api/v1/producer/{shop['producer'].id}/products"
    first = client.get(path, headers=bearer(shop["secret"]))
    assert first.status_code == 200
    assert first.headers["RateLimit"].startswith("limit=2, remaining=1")
    client.get(path, headers=bearer(shop["secret"]))
    third = client.get(path, headers=bearer(shop["secret"]))
    assert third.status_code == 429
    assert third.mimetype == "application/problem+json"
    assert third.get_json()["type"].endswith("#problem-too-many-requests")
    assert int(third.headers["Retry-After"]) >= 1
