"""A constant-string route that bench/catalogue.py measures the real pages against.

Registered only when STOREFRONT_BENCH_ROUTES=1, so it never exists in normal runs. It
goes through the same WSGI stack, middleware and after-request hooks as every page,
so a page's throughput divided by this route's shows what the page itself costs.
"""

from __future__ import annotations

from flask import Blueprint, Response

bp = Blueprint("bench", __name__, url_prefix="/bench")


@bp.get("/bare")
def bare() -> Response:
    return Response("ok", mimetype="text/plain")
