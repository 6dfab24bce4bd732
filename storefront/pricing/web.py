"""For views: the pricing context of the visitor making this request."""

from __future__ import annotations

from flask import session
from flask_login import current_user

from storefront.pricing.channel import channel_from_cookie
from storefront.pricing.services import PriceContext
from storefront.timeutil import utcnow


def visitor_price_context() -> PriceContext:
    """Now, the channel the visitor came through (signed session cookie) and who they are:
    the product page, the cart, checkout and the order all price with this."""
    now = utcnow()
    buyer_id = int(current_user.id) if current_user and current_user.is_authenticated else None
    return PriceContext(now, channel=channel_from_cookie(session, now), buyer_id=buyer_id)
