"""Every operation of the API document × every kind of caller: who gets 401, 403 or
404, and that the one who may gets through. The operations come from the live document,
so a new one fails `test_every_operation_is_classified` until RULES says who may call
it (as tests/test_access_control.py does for the pages)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from flask.testing import FlaskClient

from tests.accounts.helpers import log_in
from tests.api.helpers import bearer, conforms, spec_of
from tests.api.world import ApiWorld, build_api_world

HTTP_METHODS = {"get", "put", "post", "delete", "patch"}

# The callers, by name: "browser" is a signed-in buyer's browser (its cookie is no
# credential for the API); the tokens are the buyer's for the buyer's operations
# (cart, orders) and the producer owner's for the producer's, so "revoked", "expired"
# and "read-only" are each the very caller's own token in that state.
ANONYMOUS, BROWSER, BUYER, OTHER_BUYER = "anonymous", "browser", "buyer", "other buyer"
PRODUCER, OTHER_PRODUCER = "producer", "other producer"
REVOKED, EXPIRED, READ_ONLY = "revoked token", "expired token", "read-only token"
CALLERS = (
    ANONYMOUS,
    BROWSER,
    BUYER,
    OTHER_BUYER,
    PRODUCER,
    OTHER_PRODUCER,
    REVOKED,
    EXPIRED,
    READ_ONLY,
)


def is_buyer_path(path: str) -> bool:
    return path == "/api/v1/cart" or path.startswith(("/api/v1/cart/", "/api/v1/orders"))


def _public(caller: str, method: str, path: str) -> int | None:
    return None  # everyone may read the public catalogue (and make a guest cart)


def _producer(caller: str, method: str, path: str) -> int | None:
    """The producer's own operations: its own write token gets through, its read-only
    token only reads; the status everyone else gets."""
    if caller == PRODUCER or (caller == READ_ONLY and method == "get"):
        return None
    if caller in (ANONYMOUS, REVOKED, EXPIRED):
        return 401
    if caller == BROWSER:
        # a browser's cookie: no credential (401); a write with it meets the CSRF check
        return 401 if method == "get" else 403
    if caller == OTHER_PRODUCER:
        return 404  # another producer's objects, exactly as the pages answer
    return 403  # buyers' tokens; a read-only token writing


def _buyer(caller: str, method: str, path: str) -> int | None:
    """A buyer's cart and orders: each buyer gets their own (another buyer's order is
    404); producers' tokens are the wrong kind of account (403)."""
    if caller == BUYER or (caller == READ_ONLY and method == "get"):
        return None
    if caller == OTHER_BUYER:
        return 404 if path.startswith("/api/v1/orders/") else None
    if caller in (ANONYMOUS, REVOKED, EXPIRED):
        return 401
    if caller == BROWSER:
        return 401 if method == "get" else 403
    return 403  # producers' tokens; a read-only token writing


# (caller, method, path) -> the status refused with, None when let through; the first
# rule whose test the operation's path passes applies.
RULES: list[tuple[Callable[[str], bool], Callable[[str, str, str], int | None]]] = [
    (lambda path: path.startswith("/api/v1/producer/"), _producer),
    (is_buyer_path, _buyer),
    (lambda path: True, _public),
]


def _secured(path: str) -> bool:
    return path.startswith("/api/v1/producer/") or is_buyer_path(path)


# A body the allowed caller's request is accepted with (the denials come before it is
# read: the token is checked first).
CHECKOUT = {
    "contact_name": "Trần Văn Minh",
    "phone": "0987 654 321",
    "email": "minh@example.vn",
    "province_code": 1,
    "ward_code": 4,
    "street": "5 Ngõ Huế",
    "note": "",
    "payment_method": "cod",
}


def _body(world: ApiWorld, method: str, path: str) -> dict[str, Any] | None:
    bodies = {
        "/stock": {"delta": 1, "reason": "delivery", "note": "Lô mới"},
        "/ship": {"carrier": "VNPost", "tracking_number": "EV123VN"},
        "/cancel": {"reason": "Hết hàng"},
        "/cart/lines": {"pack_id": world.pack_id, "quantity": 1},
        "/cart/lines/{pack_id}": {"quantity": 2},
        "/checkout": CHECKOUT,
        "/reviews": {"product_id": world.extra.get("review_product_id", 1), "stars": 5},
    }
    return next((b for end, b in bodies.items() if path.endswith(end)), None)


def _operations(spec: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (method, path)
        for path, operations in spec["paths"].items()
        for method in operations
        if method in HTTP_METHODS
    ]


def _rule(path: str) -> Callable[[str, str, str], int | None]:
    return next(rule for applies, rule in RULES if applies(path))


def _url(world: ApiWorld, path: str) -> str:
    values = world.path_values(path)
    return re.sub(r"\{([^}]+)\}", lambda m: str(values[m.group(1)][0]), path)


def test_every_operation_is_classified(client):
    spec = spec_of(client)
    unknown = []
    for method, path in _operations(spec):
        secured = bool(spec["paths"][path][method].get("security"))
        if secured != _secured(path):
            unknown.append(f"{method.upper()} {path}: secured={secured}, not in RULES")
    assert not unknown, unknown
    assert len(_operations(spec)) >= 17


@pytest.fixture
def world(session) -> ApiWorld:  # type: ignore[no-untyped-def]
    return build_api_world(session)


def _caller(app, world: ApiWorld, who: str) -> tuple[FlaskClient, dict[bool, dict[str, str]]]:  # type: ignore[no-untyped-def]
    """The caller's client and its headers for (is it a buyer's operation)."""
    client = app.test_client()
    if who == BROWSER:
        log_in(client, world.buyer.email)
        return client, {True: {}, False: {}}
    mine = {
        BUYER: ("buyer", "buyer"),
        OTHER_BUYER: ("other_buyer", "other_buyer"),
        PRODUCER: ("write", "write"),
        OTHER_PRODUCER: ("stranger", "stranger"),
        REVOKED: ("buyer_revoked", "revoked"),
        EXPIRED: ("buyer_expired", "expired"),
        READ_ONLY: ("buyer_read", "read"),
    }.get(who)
    if mine is None:
        return client, {True: {}, False: {}}
    return client, {
        True: bearer(world.secrets[mine[0]]),
        False: bearer(world.secrets[mine[1]]),
    }


def test_every_operation_answers_each_caller_as_it_should(app, client, world):
    spec = spec_of(client)
    operations = _operations(spec)
    clients = {who: _caller(app, world, who) for who in CALLERS}
    wrong = []
    # Everyone refused first, so the allowed caller's steps (confirm, ship…) come last.
    for let_through in (False, True):
        for method, path in operations:
            expect = _rule(path)
            url = _url(world, path)
            body = _body(world, method, path)
            for who in CALLERS:
                refused = expect(who, method, path)
                if (refused is None) != let_through:
                    continue
                caller, headers = clients[who]
                sent = headers[is_buyer_path(path)] | {"Idempotency-Key": f"k-{who}-{path}"}
                response = caller.open(url, method=method.upper(), headers=sent, json=body)
                conforms(spec, method, url, response)
                got = response.status_code
                # a pack not in this buyer's cart is a 404 of the cart, not a refusal
                not_found_ok = path.startswith("/api/v1/cart/lines/")
                if refused is None and (
                    got in (401, 403) or got >= 500 or (got == 404 and not not_found_ok)
                ):
                    wrong.append((who, method, url, got, "should get through"))
                elif refused is not None and got != refused:
                    wrong.append((who, method, url, got, refused))
    assert not wrong, wrong


def test_a_read_only_token_reads_but_never_writes(app, client, world):
    spec = spec_of(client)
    caller, headers = _caller(app, world, READ_ONLY)
    for method, path in _operations(spec):
        if not _secured(path):
            continue
        url = _url(world, path)
        sent = headers[is_buyer_path(path)]
        got = caller.open(url, method=method.upper(), headers=sent, json={}).status_code
        if method == "get":
            assert got not in (401, 403), (method, url, got)
        else:
            assert got == 403, (method, url, got)
