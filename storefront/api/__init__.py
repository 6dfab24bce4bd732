"""The JSON API under /api/v1/, with its OpenAPI 3.1 document generated from the code.

Why flask-smorest (marshmallow-code's, maintained with marshmallow, webargs and apispec):
it is a Flask extension on plain Flask blueprints, so the API lives beside the pages in
the same app, under the same converters, extensions and error pages, where APIFlask
would replace the Flask class of the whole shop; its schemas (marshmallow) both parse
the request (webargs) and produce the document (apispec), so the document cannot drift
from what the code accepts and answers; spectree would bring pydantic as a second way
of validating input beside the forms. The document is `/api/v1/openapi.json`, the docs
page `/api/v1/docs` (templates/api/docs.html, rendered from the document on the server:
no script, no CDN).

Every operation calls the service the pages call; this package only parses, checks the
token and maps results (see views_public and views_producer).
"""

from __future__ import annotations

import http
from typing import Any

from flask import Flask, current_app, render_template
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from storefront.api import problems, schemas
from storefront.numbers import INT_MAX
from storefront.site.inputs import IdConverter, TextConverter

OPENAPI_VERSION = "3.1.0"


class ShopApi(Api):
    """flask-smorest's Api, with errors as problem+json and the shop's error handlers.

    The shop's error handler (site.errors) answers every HTTPException; under /api/ it
    hands over to `problems.from_http_error`, so smorest's own handler is not installed
    (it would answer for the pages too)."""

    ERROR_SCHEMA = schemas.Problem

    def _register_error_handlers(self) -> None:
        pass

    def _register_responses(self) -> None:
        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if not (100 <= status < 200) and status not in (204, 304):
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, problems.PROBLEM_MIMETYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, problems.PROBLEM_MIMETYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def init_app(app: Flask) -> None:
    """Register the API's blueprints, its document and docs page, and its error shape."""
    from storefront.api import views_batches, views_buyer, views_producer, views_public
    from storefront.api.views_tokens import bp as tokens_bp
    from storefront.site import errors

    app.config.update(
        API_TITLE="OCOP Storefront API",
        API_VERSION="v1",
        OPENAPI_VERSION=OPENAPI_VERSION,
        OPENAPI_URL_PREFIX="/api/v1",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS={
            "info": {
                "description": "Vietnam's OCOP products: the catalogue, producers, places, "
                "a buyer's cart, checkout and orders, and a producer's own stock, orders and "
                "batches. Errors are RFC 9457 problems."
            },
            "components": {
                "securitySchemes": {
                    "bearerAuth": {
                        "type": "http",
                        "scheme": "bearer",
                        "description": "A personal access token from the account page",
                    },
                    "cartToken": {
                        "type": "apiKey",
                        "in": "header",
                        "name": "X-Cart-Token",
                        "description": "A guest cart's token, from POST /api/v1/carts",
                    },
                }
            },
        },
    )
    api = ShopApi(app)
    # A row id is 1 to 2³¹ - 1 (IdConverter); a larger one matches no route.
    api.register_converter(
        IdConverter, lambda _: {"type": "integer", "minimum": 1, "maximum": INT_MAX}
    )
    api.register_converter(TextConverter, lambda _: {"type": "string", "minLength": 1})
    for blueprint in (views_public.bp, views_producer.bp, views_batches.bp, views_buyer.bp):
        api.register_blueprint(blueprint)
    app.register_blueprint(tokens_bp)
    app.add_url_rule("/api/v1/docs", "api_docs", docs_page)
    errors.API_ERRORS[:] = [problems.from_http_error]


def docs_page() -> Any:
    """The API's documentation, rendered from the live document."""
    api: ShopApi = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"]
    spec = api.spec.to_dict()
    return render_template("api/docs.html", spec=spec, problems=problems.PROBLEMS)
