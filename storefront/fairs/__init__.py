"""Trade fairs: the online twin of a physical fair, its exhibitors' booths, featured
products with fair prices, the home page's curated products, and the fair's report."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Feed the fairs into the lower domains without those importing fairs: fair prices
    into storefront.pricing, the fair open now (a banner) and featured products into the
    home page, and the product page's question whether a fair is open."""
    from storefront import pricing
    from storefront.catalog.product_page import PRODUCT_FACTS
    from storefront.catalog.views import HOME_SECTIONS
    from storefront.fairs.home import fair_banner, home_sections
    from storefront.fairs.pricing import SOURCE, FairPrices, any_fair_open

    pricing.register_source(FairPrices())
    PRODUCT_FACTS[SOURCE] = any_fair_open  # none open: the product page skips the source
    HOME_SECTIONS["fair_banner"] = fair_banner
    HOME_SECTIONS["fairs"] = home_sections
