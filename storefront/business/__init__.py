"""Business buyers: shops, restaurants, distributors buying by the case with a tax code.

A business buyer is an ordinary account (any role) holding a `BusinessProfile`; retail
works for them as for anyone. The profile is what quotes, offtake agreements, fair
meetings and invoices (the order's company snapshot) build on.
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The business profile page under /account/business."""
    from storefront.business.views import bp

    app.register_blueprint(bp)
