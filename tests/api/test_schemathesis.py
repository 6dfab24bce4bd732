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
    config = SchemathesisConfig.from_dict({"seed": SEED, "generation": {"deterministic": True}})
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
            if name in known and _valid_path_value(value)
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
        if path.endswith("/delivery") and isinstance(query.get("province"), str):
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


PROVINCES = ["dien-bien", "Điện Biên", "ha noi", "TP HCM", "Trà Vinh", "gia-lai", "Kon Tum"]


def _valid_path_value(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return (isinstance(value, int) and value >= 1) or (isinstance(value, str) and value != "")


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
    case.call_and_validate(headers=headers(api_world))


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
            if not any(
                m == method.upper() and pattern.match(path) and 200 <= status < 300
                for m, path, status in CALLS
            ):
                missed.append(f"{method.upper()} {template}")
    assert not missed, f"never answered 2xx: {missed}"
    assert len(CALLS) >= MIN_CALLS, len(CALLS)


def headers(world: ApiWorld) -> dict[str, str]:
    """The owner's write token, and no compression: schemathesis asks for gzip as
    `requests` does, and the WSGI transport, unlike an HTTP client, does not unpack it."""
    return {"Authorization": f"Bearer {world.secrets['write']}", "Accept-Encoding": "identity"}
