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

from storefront.accounts.models import Role
from tests.accounts.helpers import log_in
from tests.api.helpers import bearer, conforms, spec_of, token_for
from tests.api.world import ApiWorld, build_api_world

HTTP_METHODS = {"get", "put", "post", "delete", "patch"}

# The callers, by name. A buyer has no personal access token (only producer accounts
# make them), so "buyer" is a signed-in buyer's browser (its cookie is no credential for
# the API) and "buyer token" a token whose account is a buyer now.
ANONYMOUS, BUYER, OTHER_BUYER, BUYER_TOKEN = "anonymous", "buyer", "other buyer", "buyer token"
PRODUCER, OTHER_PRODUCER = "producer", "other producer"
REVOKED, EXPIRED, READ_ONLY = "revoked token", "expired token", "read-only token"
CALLERS = (
    ANONYMOUS,
    BUYER,
    OTHER_BUYER,
    BUYER_TOKEN,
    PRODUCER,
    OTHER_PRODUCER,
    REVOKED,
    EXPIRED,
    READ_ONLY,
)


def _public(caller: str, method: str) -> int | None:
    return None  # everyone may read the public catalogue


def _producer(caller: str, method: str) -> int | None:
    """The producer's own operations: its own write token gets through, its read-only
    token only reads; the status everyone else gets."""
    if caller == PRODUCER or (caller == READ_ONLY and method == "get"):
        return None
    if caller in (ANONYMOUS, REVOKED, EXPIRED):
        return 401
    if caller in (BUYER, OTHER_BUYER):
        # a browser's cookie: no credential (401); a write with it meets the CSRF check
        return 401 if method == "get" else 403
    if caller == OTHER_PRODUCER:
        return 404  # another producer's objects, exactly as the pages answer
    return 403  # a buyer's token; a read-only token writing


# path prefix -> (caller, method) -> the status refused with, None when let through;
# the first prefix that matches the operation's path applies.
RULES: dict[str, Callable[[str, str], int | None]] = {
    "/api/v1/producer/": _producer,
    "/api/v1/": _public,
}
# Operations under a prefix whose rule differs from its neighbours' (method, path).
SECURED_PREFIXES = ("/api/v1/producer/",)

# A body the allowed caller's request is accepted with (the denials come before it is
# read: the token is checked first).
BODIES = {
    "/stock": {"delta": 1, "reason": "delivery", "note": "Lô mới"},
    "/ship": {"carrier": "VNPost", "tracking_number": "EV123VN"},
    "/cancel": {"reason": "Hết hàng"},
}


def _operations(spec: dict[str, Any]) -> list[tuple[str, str]]:
    return [
        (method, path)
        for path, operations in spec["paths"].items()
        for method in operations
        if method in HTTP_METHODS
    ]


def _rule(path: str) -> Callable[[str, str], int | None]:
    return next(rule for prefix, rule in RULES.items() if path.startswith(prefix))


def _url(world: ApiWorld, path: str) -> str:
    values = world.path_values(path)
    return re.sub(r"\{([^}]+)\}", lambda m: str(values[m.group(1)][0]), path)


def test_every_operation_is_classified(client):
    spec = spec_of(client)
    unknown = []
    for method, path in _operations(spec):
        secured = bool(spec["paths"][path][method].get("security"))
        if secured != path.startswith(SECURED_PREFIXES):
            unknown.append(f"{method.upper()} {path}: secured={secured}, not in RULES")
    assert not unknown, unknown
    assert len(_operations(spec)) >= 17


@pytest.fixture
def world(session) -> ApiWorld:  # type: ignore[no-untyped-def]
    made = build_api_world(session)
    buyer = made.buyer
    buyer.role = Role.PRODUCER  # made a token as a producer, then became a buyer again
    made.secrets[BUYER_TOKEN] = token_for(session, buyer, "write")
    buyer.role = Role.BUYER
    session.commit()
    return made


def _caller(app, world: ApiWorld, who: str) -> tuple[FlaskClient, dict[str, str]]:  # type: ignore[no-untyped-def]
    client = app.test_client()
    if who in (BUYER, OTHER_BUYER):
        log_in(client, (world.buyer if who == BUYER else world.other_buyer).email)
        return client, {}
    secret = {
        PRODUCER: world.secrets["write"],
        OTHER_PRODUCER: world.secrets["stranger"],
        REVOKED: world.secrets["revoked"],
        EXPIRED: world.secrets["expired"],
        READ_ONLY: world.secrets["read"],
        BUYER_TOKEN: world.secrets.get(BUYER_TOKEN),
    }.get(who)
    return client, bearer(secret) if secret else {}


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
            body = next((b for end, b in BODIES.items() if path.endswith(end)), None)
            for who in CALLERS:
                refused = expect(who, method)
                if (refused is None) != let_through:
                    continue
                caller, headers = clients[who]
                response = caller.open(url, method=method.upper(), headers=headers, json=body)
                conforms(spec, method, url, response)
                got = response.status_code
                if refused is None and (got in (401, 403, 404) or got >= 500):
                    wrong.append((who, method, url, got, "should get through"))
                elif refused is not None and got != refused:
                    wrong.append((who, method, url, got, refused))
    assert not wrong, wrong


def test_a_read_only_token_reads_but_never_writes(app, client, world):
    spec = spec_of(client)
    caller, headers = _caller(app, world, READ_ONLY)
    for method, path in _operations(spec):
        if not path.startswith("/api/v1/producer/"):
            continue
        url = _url(world, path)
        got = caller.open(url, method=method.upper(), headers=headers, json={}).status_code
        assert got == (200 if method == "get" else 403), (method, url, got)
