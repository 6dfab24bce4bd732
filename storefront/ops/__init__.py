"""Running the shop on servers: request logs, metrics, error reports, readiness and the
proxy in front. Registered by the app factory; no domain depends on it except to count
an order placed (metrics.order_placed)."""

from __future__ import annotations

from flask import Flask


def register(app: Flask) -> None:
    from storefront.ops import logs, metrics, proxy, readiness, reporting

    proxy.register(app)
    logs.register(app)
    metrics.register(app)
    readiness.register(app)
    reporting.register(app)
