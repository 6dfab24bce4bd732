"""Offtake agreements (hợp đồng bao tiêu) between business buyers and producers: terms
in versions each side proposes and the other accepts, a schedule of deliveries that
become orders when due (`flask offtake due`), progress, CSV and a printable summary."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The buyer's and the producer's agreement pages, the product page's offtake box and
    the `flask offtake` commands."""
    from storefront.catalog.views import PRODUCT_SECTIONS
    from storefront.offtake.commands import offtake_cli
    from storefront.offtake.product_page import offtake_section
    from storefront.offtake.views import buyer_bp, producer_bp

    PRODUCT_SECTIONS["offtake"] = offtake_section

    app.register_blueprint(buyer_bp)
    app.register_blueprint(producer_bp)
    app.cli.add_command(offtake_cli)
