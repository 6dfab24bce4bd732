"""Schemathesis against the live app, in process (WSGI), over every operation of the
document: a fixed seed and budget, every check it has. No 5xx, every answer matching
its schema and content type, every status documented, every write refused without its
token (`ignored_auth`), bad input refused and good input accepted.

Path parameters are either what schemathesis draws or the ids of the seeded shop
(tests/api/world.py), so the producer's operations run on the producer's own objects
with a write token, not only into 404s. Run alone: `.venv/bin/pytest
tests/api/test_schemathesis.py` (TEST_DATABASE_URL=… for PostgreSQL).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import schemathesis
from flask import Flask, g
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig

from storefront.api import views_public
from storefront.catalog import queries
from tests.api.world import ApiWorld, build_api_world

EXAMPLES = 20  # per operation, each phase
SEED = 20261202
MIN_CALLS = 500  # requests in all (examples, coverage and fuzzing phases)
HTTP_METHODS = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
CALLS: list[tuple[str, str, int]] = []  # every request sent: method, path, status


@pytest.fixture
def api_world(session) -> ApiWorld:  # type: ignore[no-untyped-def]
    return build_api_world(session)


def fresh_requests(app: Flask):  # type: ignore[no-untyped-def]
    """The app as WSGI, each request with an empty `g`, as on a server (see
    tests/conftest.FreshRequestClient: the test's app context would carry one
    request's token and user into the next)."""

    def wsgi(environ, start_response):  # type: ignore[no-untyped-def]
        for name in list(g):
            g.pop(name)

        def record(status: str, *args):  # type: ignore[no-untyped-def]
            CALLS.append((environ["REQUEST_METHOD"], environ["PATH_INFO"], int(status[:3])))
            return start_response(status, *args)

        return app(environ, record)

    return wsgi


@pytest.fixture
def api_schema(app: Flask, api_world: ApiWorld):  # type: ignore[no-untyped-def]
    config = SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            # The token is added to every call (headers() below); drawn Authorization
            # headers would only be overwritten by it. `ignored_auth` still calls every
            # secured operation without a token and with a wrong one.
            "generation": {"deterministic": True, "with-security-parameters": False},
            "operations": CROSS_FIELD_RULES,
        }
    )
    document = "/api/v1/openapi.json"
    schema = schemathesis.openapi.from_wsgi(document, fresh_requests(app), config=config)

    @schema.hook
    def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
        """Half the time the shop's real objects instead of what was drawn. Only values
        already valid are swapped (an id ≥ 1, a non-empty text), so a case drawn to
        break the schema still breaks it."""
        known = api_world.path_values(context.operation.path)
        real = {
            name: known[name]
            for name, value in (path_parameters or {}).items()
            if name in known and _valid_path_value(name, value)
        }
        if not real:
            return st.just(path_parameters)
        chosen = st.fixed_dictionaries({n: st.sampled_from(v) for n, v in real.items()})
        return st.one_of(st.just(path_parameters), chosen.map(lambda c: {**path_parameters, **c}))

    @schema.hook
    def flatmap_query(context: Any, query: dict[str, Any] | None) -> Any:
        """Drawn values the API must refuse although the schema cannot say so. A
        delivery quote's `province` is what a person typed (a slug, a name, a
        pre-2025 name, any case and diacritics: places.find_province), which no JSON
        Schema can list; drawn text names no province and is refused with a 422 naming
        the field (tests/api/test_public.py), so the check that schema-valid input is
        accepted gets real province names and slugs instead."""
        path, query = context.operation.path, query or {}
        if path.endswith(("/delivery", "/cart/quote")) and isinstance(query.get("province"), str):
            return st.sampled_from(PROVINCES).map(lambda p: {**query, "province": p})
        if path == "/api/v1/products" and isinstance(query.get("cursor"), str):
            # A cursor is a signed token the API hands out for one set of filters, so
            # drawn text is refused (400, tests/api/test_public.py); a real one for the
            # drawn filters instead, page 2 (past the end: the last page).
            if all(isinstance(value, str) for value in query.values()):
                filters = queries.parse_filters(query)
                return st.just({**query, "cursor": views_public.cursor_for(filters, 2)})
        return st.just(query)

    return schema


# Operations whose input has rules across fields that a JSON Schema cannot state: a
# batch's expiry after its production day and its ward inside its province, a
# checkout's ward inside its province. Schema-valid input breaking them is refused with
# a 422 naming the field, so for these the check that schema-valid input is accepted
# takes 422 too (each rule has its own test in tests/api).
CROSS_FIELD_RULES = [
    {
        "include-name": name,
        "checks": {
            "positive_data_acceptance": {
                "expected-statuses": ["2xx", "3xx", 401, 403, 404, 409, 422, 429]
            }
        },
    }
    for name in (
        "POST /api/v1/producer/{producer_id}/batches",
        "POST /api/v1/cart/checkout",
        # a province as typed (see flatmap_query): the coverage phase's own values (the
        # empty text) skip the hooks
        "GET /api/v1/cart/quote",
    )
]
# Operations whose success needs state that drawn input does not build (a line in the
# cart, a new batch's cross-field rules, a first review): for them, reaching the view
# past the token and answering as documented is what this run can prove; their
# successes are tested in tests/api/test_buyer*.py and test_batches*.py.
PAST_AUTH = frozenset({404, 409, 422}) | frozenset(range(200, 300))
STATEFUL = {
    "POST /api/v1/producer/{producer_id}/batches": PAST_AUTH,
    "DELETE /api/v1/cart/lines/{pack_id}": PAST_AUTH,
    # The buyer's cart carries over from one example to the next: once earlier tests
    # and examples have filled it to the pack's stock, adding or raising a line is
    # refused with the documented 409 (seen on PostgreSQL after the other API tests).
    "POST /api/v1/cart/lines": PAST_AUTH,
    "PUT /api/v1/cart/lines/{pack_id}": PAST_AUTH,
    "GET /api/v1/cart/quote": PAST_AUTH,
    "POST /api/v1/cart/checkout": PAST_AUTH,
    "POST /api/v1/orders/{number}/parts/{part_id}/reviews": PAST_AUTH,
}
INT_PARAMETERS = {"producer_id", "pack_id", "part_id", "batch_id"}
PROVINCES = ["dien-bien", "Điện Biên", "ha noi", "TP HCM", "Trà Vinh", "gia-lai", "Kon Tum"]


def _valid_path_value(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if name in INT_PARAMETERS:
        return isinstance(value, int) and 1 <= value < 2**31
    return isinstance(value, str) and value != ""


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, api_world: ApiWorld, budget) -> None:  # type: ignore[no-untyped-def]
    params = case.path_parameters
    if params and not case.operation.path.endswith("/cancel"):
        # Drawn ids are small numbers (the coverage phase sends 1, 2, …) and may well
        # be the part kept for the cancel operation: the other steps must not ship it
        # first, so they get the other part instead.
        # (the coverage phase sends them as text)
        if str(params.get("part_id")) == str(api_world.cancel_part_id):
            params["part_id"] = api_world.part_id
    case.call_and_validate(headers=headers(api_world, case.operation.path))


@pytest.fixture
def budget(client):  # type: ignore[no-untyped-def]
    """After the run: every operation of the document was called and succeeded at least
    once (the token and the seeded ids reached the view, not only 401s and 404s), and
    the run sent at least MIN_CALLS requests."""
    CALLS.clear()
    yield
    spec = client.get("/api/v1/openapi.json").get_json()
    missed = []
    for template, operations in spec["paths"].items():
        pattern = re.compile("^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$")
        for method in operations.keys() & HTTP_METHODS:
            label = f"{method.upper()} {template}"
            through = STATEFUL.get(label, range(200, 300))
            if not any(
                m == method.upper() and pattern.match(path) and status in through
                for m, path, status in CALLS
            ):
                missed.append(label)
    assert not missed, f"never answered 2xx: {missed}"
    assert len(CALLS) >= MIN_CALLS, len(CALLS)


BUYER_PATHS = ("/api/v1/cart", "/api/v1/orders")


def headers(world: ApiWorld, path: str) -> dict[str, str]:
    """A write token of whom the operation serves (the buyer for the cart and orders,
    the producer's owner otherwise), and no compression: schemathesis asks for gzip as
    `requests` does, and the WSGI transport, unlike an HTTP client, does not unpack it."""
    secret = world.secrets["buyer" if path.startswith(BUYER_PATHS) else "write"]
    return {"Authorization": f"Bearer {secret}", "Accept-Encoding": "identity"}
