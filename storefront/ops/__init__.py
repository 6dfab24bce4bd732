"""Running the shop on servers: request logs, metrics, error reports, readiness and the
proxy in front. Registered by the app factory; no domain depends on it except to count
an order placed (metrics.order_placed)."""

from __future__ import annotations

import time

from flask import Flask, Response, g, request

from storefront.ops import logs, metrics


def register(app: Flask) -> None:
    from storefront.ops import proxy, readiness, reporting

    proxy.register(app)
    logs.register(app)
    metrics.register(app)
    app.after_request(_finish)
    readiness.register(app)
    reporting.register(app)


def _finish(response: Response) -> Response:
    """The end of every request: echo its id, count it, write its log line. One hook that
    reads the request once for all three (registered before the other after-request
    hooks, so it runs after them, on the response as it leaves)."""
    # Flask's `g` and `request` are proxies, each use a context lookup: taken once.
    state = g._get_current_object()
    request_id = state.get("request_id")
    if request_id is None:  # a request that failed before our first hook
        return response
    seconds = time.perf_counter() - state.request_started
    response.headers[logs.REQUEST_ID_HEADER] = request_id
    served = request._get_current_object()  # type: ignore[attr-defined]
    rule = served.url_rule
    route = rule.rule if rule is not None else "unmatched"
    method, status = served.method, response.status_code
    if rule is None or rule.endpoint != "metrics":
        metrics.count(route, method, status, seconds)
    logs.write_line(request_id, method, route, status, seconds, state.get("_login_user"))
    return response
