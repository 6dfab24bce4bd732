"""Shipping: the fee for each producer's parcel, from rules an admin can change."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Put the delivery box (fee and estimated window) on the catalogue's product page."""
    from storefront.catalog.views import PRODUCT_SECTIONS
    from storefront.shipping.product_page import delivery_section

    PRODUCT_SECTIONS["delivery"] = delivery_section
