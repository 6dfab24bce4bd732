"""Producers' side of the shop: applying to sell, membership, and the workspace where a
producer keeps listings, stock, photos and certificates, fulfils orders and sees sales."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the workspace's blueprints (the landing page and members live in views.py,
    registered with the others) and the `flask producers` commands."""
    from storefront.admin.certificates import bp as admin_certificates_bp
    from storefront.producers.cli import producers_cli
    from storefront.producers.views_insights import bp as insights_bp
    from storefront.producers.views_listings import bp as listings_bp
    from storefront.producers.views_orders import bp as orders_bp
    from storefront.producers.views_stock import bp as stock_bp

    for blueprint in (listings_bp, stock_bp, orders_bp, insights_bp, admin_certificates_bp):
        app.register_blueprint(blueprint)
    app.cli.add_command(producers_cli)
