"""Pricing: what a buyer pays for a pack, decided once for every page and for the order.

The catalogue holds the retail price. Other domains feed offers in through a
`PriceSource` registered at app start (fairs: the fair price while a fair is open;
later wholesale tiers), so the catalogue, cart, checkout and orders call
`price_packs` and never import the domains that feed it.
"""

from storefront.pricing.channel import Channel, channel_from_cookie, remember_channel
from storefront.pricing.services import (
    Offer,
    PackPrice,
    PriceContext,
    PriceSource,
    price_packs,
    price_variants,
    record_order_prices,
    register_source,
    unregister_source,
)

__all__ = [
    "Channel",
    "Offer",
    "PackPrice",
    "PriceContext",
    "PriceSource",
    "channel_from_cookie",
    "price_packs",
    "price_variants",
    "record_order_prices",
    "register_source",
    "remember_channel",
    "unregister_source",
]
