"""Who may call each buyer and batch operation: every operation is sent by an anonymous
caller, a guest cart token, the buyer, another buyer, the producer, another producer, a
revoked token, an expired token and a read-only token, and answers as documented: 401
without a working credential, 403 for the wrong kind of account or a read-only token
writing (and for a signed-in browser's cookie writing: the CSRF check), 404 for another's
order or batch, and the operation's success for its owner."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import select

from storefront.accounts.models import User
from storefront.cart import services as carts
from storefront.catalog.models import Product
from storefront.orders.models import OrderLine, OrderPart
from tests.accounts.helpers import log_in
from tests.api.buyer_helpers import CHECKOUT_BODY, Shop, api, make_shop
from tests.api.helpers import spec_of
from tests.api.test_buyer import _batch_body
from tests.conftest import csrf_token_from
from tests.reviews.helpers import bought
from tests.traceability.helpers import make_batch

ANONYMOUS, GUEST_CART = "anonymous", "guest_cart"
BUYER, OTHER_BUYER, PRODUCER, OTHER_PRODUCER = "buyer", "other_buyer", "producer", "other_producer"
REVOKED, EXPIRED, READ_ONLY = "revoked", "expired", "read_only"


@dataclass
class World:
    shop: Shop
    guest_cart: str
    placed_number: str  # the buyer's order, not yet shipped
    placed_part: int
    delivered_number: str  # the buyer's delivered order
    delivered_part: int
    delivered_product: int
    batch_id: int
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture
def world(session):
    shop = make_shop(session)
    product = session.execute(select(Product).where(Product.slug == shop.product_slug)).scalar_one()
    placed = bought(session, product, shop.buyer_id, delivered=False)
    delivered = bought(session, product, shop.buyer_id)
    cart = carts.get_or_create_cart(session, user_id=shop.buyer_id)
    carts.add_item(session, cart, shop.pack_id, 1)
    guest = carts.get_or_create_cart(session)
    carts.add_item(session, guest, shop.pack_id, 1)
    batch = make_batch(session, product=product)
    session.commit()
    delivered_product = session.execute(
        select(OrderLine.product_id).join(OrderPart).where(OrderPart.id == delivered.id)
    ).scalar_one()
    return World(
        shop=shop,
        guest_cart=guest.token,
        placed_number=placed.number,
        placed_part=placed.id,
        delivered_number=delivered.number,
        delivered_part=delivered.id,
        delivered_product=delivered_product,
        batch_id=batch.id,
    )


@dataclass(frozen=True)
class Operation:
    method: str
    path: Callable[[World], str]
    expected: dict[str, int]  # who → status; the owner goes last
    body: Callable[[World], Any] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    producer_side: bool = False  # a producer's operation: its own tokens are "revoked" etc.


def _buyer_op(owner: int, other_buyer: int, read_only: int, guest: int = 401) -> dict[str, int]:
    return {
        ANONYMOUS: 401,
        REVOKED: 401,
        EXPIRED: 401,
        PRODUCER: 403,
        OTHER_PRODUCER: 403,
        READ_ONLY: read_only,
        GUEST_CART: guest,
        OTHER_BUYER: other_buyer,
        BUYER: owner,
    }


def _producer_op(owner: int, read_only: int) -> dict[str, int]:
    return {
        ANONYMOUS: 401,
        REVOKED: 401,
        EXPIRED: 401,
        BUYER: 403,
        OTHER_BUYER: 403,
        OTHER_PRODUCER: 404,
        READ_ONLY: read_only,
        PRODUCER: owner,
    }


def _placed_part(w: World) -> str:
    return f"/api/v1/orders/{w.placed_number}/parts/{w.placed_part}/cancel"


OPERATIONS: dict[str, Operation] = {
    # a new guest cart needs no credential at all: whoever asks gets a new, empty one
    "create_cart": Operation(
        "POST", lambda w: "/api/v1/carts", {who: 201 for who in _buyer_op(0, 0, 0)}
    ),
    "cart": Operation("GET", lambda w: "/api/v1/cart", _buyer_op(200, 200, 200, guest=200)),
    "add_line": Operation(
        "POST",
        lambda w: "/api/v1/cart/lines",
        _buyer_op(200, 200, 403, guest=200),  # another buyer adds to their own cart
        body=lambda w: {"pack_id": w.shop.pack_id},
    ),
    "set_line": Operation(
        "PUT",
        lambda w: f"/api/v1/cart/lines/{w.shop.pack_id}",
        _buyer_op(200, 404, 403, guest=200),  # not in another buyer's cart
        body=lambda w: {"quantity": 2},
    ),
    "remove_line": Operation(
        "DELETE",
        lambda w: f"/api/v1/cart/lines/{w.shop.pack_id}",
        _buyer_op(200, 404, 403, guest=200),
    ),
    "cart_quote": Operation(
        "GET",
        lambda w: "/api/v1/cart/quote?province=ha-noi",
        _buyer_op(200, 409, 200, guest=200),  # another buyer's own cart is empty
    ),
    "checkout": Operation(
        "POST",
        lambda w: "/api/v1/cart/checkout",
        _buyer_op(201, 409, 403, guest=201),
        body=lambda w: CHECKOUT_BODY,
        headers={"Idempotency-Key": "access-1"},
    ),
    "orders": Operation("GET", lambda w: "/api/v1/orders", _buyer_op(200, 200, 200)),
    "order": Operation(
        "GET",
        lambda w: f"/api/v1/orders/{w.placed_number}",
        _buyer_op(200, 404, 200),
    ),
    "cancel_part": Operation("POST", _placed_part, _buyer_op(200, 404, 403)),
    "review": Operation(
        "POST",
        lambda w: f"/api/v1/orders/{w.delivered_number}/parts/{w.delivered_part}/reviews",
        _buyer_op(201, 404, 403),
        body=lambda w: {"product_id": w.delivered_product, "stars": 4},
    ),
    "batches": Operation(
        "GET",
        lambda w: f"/api/v1/producer/{w.shop.producer_id}/batches",
        _producer_op(200, 200),
        producer_side=True,
    ),
    "create_batch": Operation(
        "POST",
        lambda w: f"/api/v1/producer/{w.shop.producer_id}/batches",
        _producer_op(201, 403),
        body=lambda w: _batch_body(w.shop),
        producer_side=True,
    ),
    "batch": Operation(
        "GET",
        lambda w: f"/api/v1/producer/{w.shop.producer_id}/batches/{w.batch_id}",
        _producer_op(200, 200),
        producer_side=True,
    ),
}


def _credentials(world: World, who: str, producer_side: bool) -> dict[str, str | None]:
    tokens = world.shop.tokens
    secret = {
        ANONYMOUS: None,
        GUEST_CART: None,
        BUYER: tokens["buyer"],
        OTHER_BUYER: tokens["other_buyer"],
        PRODUCER: tokens["producer"],
        OTHER_PRODUCER: tokens["other_producer"],
        REVOKED: tokens["producer_revoked" if producer_side else "revoked"],
        EXPIRED: tokens["producer_expired" if producer_side else "expired"],
        READ_ONLY: tokens["producer_read" if producer_side else "buyer_read"],
    }[who]
    return {"secret": secret, "cart": world.guest_cart if who == GUEST_CART else None}


def test_every_buyer_and_batch_operation_is_listed_here(client):
    """A new operation of these blueprints cannot escape this matrix."""
    endpoints = {
        rule.endpoint.split(".", 1)[1]
        for rule in client.application.url_map.iter_rules()
        if rule.endpoint.startswith(("api_buyer.", "api_batches."))
    }
    assert endpoints == set(OPERATIONS)


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_each_caller_gets_what_the_operation_allows(client, session, world, name):
    spec = spec_of(client)
    operation = OPERATIONS[name]
    answers = {}
    for who in operation.expected:
        response = api(
            client,
            spec,
            operation.method,
            operation.path(world),
            headers=operation.headers,
            json=operation.body(world) if operation.body else None,
            **_credentials(world, who, operation.producer_side),
        )
        answers[who] = response.status_code
        if response.status_code == 403 and who == READ_ONLY:
            assert response.get_json()["type"].endswith("insufficient-scope")
    assert answers == operation.expected


def test_another_buyers_cart_is_not_the_buyers(client, session, world):
    spec = spec_of(client)
    theirs = api(client, spec, "GET", "/api/v1/cart", world.shop.tokens["other_buyer"])
    assert theirs.get_json()["groups"] == []
    mine = api(client, spec, "GET", "/api/v1/cart", world.shop.tokens["buyer"])
    assert mine.get_json()["item_count"] == 1


def test_a_signed_in_browser_cannot_write_through_the_api(client, session, world):
    """A sign-in cookie is never an API credential: without a token a write is refused by
    the CSRF check, and with a valid CSRF token it still has no credential."""
    spec = spec_of(client)
    buyer = session.get(User, world.shop.buyer_id)
    log_in(client, buyer.email)
    body = {"pack_id": world.shop.pack_id}
    forged = api(client, spec, "POST", "/api/v1/cart/lines", json=body)
    assert forged.status_code == 403 and forged.get_json()["type"].endswith("csrf-refused")
    token = csrf_token_from(client.get("/account/tokens/").text)
    with_csrf = api(
        client, spec, "POST", "/api/v1/cart/lines", json=body, headers={"X-CSRFToken": token}
    )
    assert with_csrf.status_code == 401
    session.expire_all()
    own = carts.find_cart(session, user_id=buyer.id)
    assert own is not None
    assert [line.quantity for line in carts.summarize(session, own, _now()).items] == [1]


def _now():  # type: ignore[no-untyped-def]
    from storefront.pricing import PriceContext
    from storefront.timeutil import utcnow

    return PriceContext(utcnow())


def test_buyers_make_and_revoke_their_own_tokens_on_the_account_page(client, session, world):
    buyer = session.get(User, world.shop.buyer_id)
    log_in(client, buyer.email)
    page = client.get("/account/tokens/")
    assert page.status_code == 200 and "giỏ hàng, đặt hàng" in page.text
    made = client.post(
        "/account/tokens/",
        data={
            "csrf_token": csrf_token_from(page.text),
            "name": "App",
            "scope": "write",
            "days": "30",
        },
    )
    secret = made.text.split('class="token-secret">')[1].split("<")[0]
    spec = spec_of(client)
    assert api(client, spec, "GET", "/api/v1/orders", secret).status_code == 200
