"""Checking API answers against the live OpenAPI document, and making tokens."""

from __future__ import annotations

import re
from typing import Any

from flask.testing import FlaskClient
from jsonschema import Draft202012Validator
from werkzeug.test import TestResponse

from storefront.api import tokens
from storefront.timeutil import utcnow

_PARAM = re.compile(r"\{[^}]+\}")


def spec_of(client: FlaskClient) -> dict[str, Any]:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def _operation(spec: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    for template, operations in spec["paths"].items():
        pattern = "^" + _PARAM.sub("[^/]+", template) + "$"
        if re.match(pattern, path) and method.lower() in operations:
            return operations[method.lower()]
    raise AssertionError(f"{method} {path} is not in the document")


def _resolve(spec: dict[str, Any], item: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in item:
        name = item["$ref"].split("/")
        item = spec[name[1]][name[2]][name[3]]
    return item


def conforms(spec: dict[str, Any], method: str, path: str, response: TestResponse) -> None:
    """The status is documented for the operation (or its default), the content type is
    the documented one, and the body matches the documented schema."""
    operation = _operation(spec, method, path.split("?")[0])
    responses = operation["responses"]
    status = str(response.status_code)
    assert status in responses or "default" in responses, (status, method, path)
    documented = _resolve(spec, responses.get(status) or responses["default"])
    if response.status_code == 304 or "content" not in documented:
        return
    mimetype = response.mimetype
    assert mimetype in documented["content"], (mimetype, list(documented["content"]))
    schema = documented["content"][mimetype]["schema"]
    validator = Draft202012Validator({**schema, "components": spec["components"]})
    errors = sorted(validator.iter_errors(response.get_json()), key=str)
    assert not errors, [f"{list(e.absolute_path)}: {e.message}" for e in errors[:5]]


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def token_for(session, user, scope: str = "write", days: int = 30) -> str:  # type: ignore[no-untyped-def]
    made = tokens.create_token(session, user, "kho", scope, days, utcnow())
    session.commit()
    return made.secret
