"""Orders: one order per checkout, split into one part per producer, each with its own
status and history; stock taken and returned atomically."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Feed what sells into the catalogue's home page (the catalogue never imports orders)."""
    from storefront.catalog.queries import SALES_RANKINGS
    from storefront.orders.queries import units_sold

    SALES_RANKINGS["units_sold"] = units_sold
