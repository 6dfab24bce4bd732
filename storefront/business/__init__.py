"""Business buyers: shops, restaurants, distributors buying by the case with a tax code.

A business buyer is an ordinary account (any role) holding a `BusinessProfile`; retail
works for them as for anyone. The profile is what quotes, offtake agreements, fair
meetings and invoices (the order's company snapshot) build on.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The business profile page; invoice details for orders; wholesale tiers for the
    pricing function, the product page and the producer's workspace."""
    from storefront.business.services import invoice_details
    from storefront.business.views import bp, workspace
    from storefront.business.wholesale import (
        SOURCE,
        WholesalePrices,
        any_tier_on_sale,
        wholesale_section,
    )
    from storefront.catalog.product_page import PRODUCT_FACTS
    from storefront.catalog.views import PRODUCT_SECTIONS
    from storefront.orders.invoices import register_invoice_source
    from storefront.pricing import register_source

    app.register_blueprint(bp)
    app.register_blueprint(workspace)
    register_invoice_source(invoice_details)
    register_source(WholesalePrices())  # quantity tiers into the one pricing function
    PRODUCT_SECTIONS[SOURCE] = wholesale_section
    PRODUCT_FACTS[SOURCE] = any_tier_on_sale  # no tier: neither the box nor the source
