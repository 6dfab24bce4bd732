"""Checkout: placing the order from the cart.

Nothing the form says about prices, weights or totals is used: the page's quote
(cart.quote) and the order are both computed from the catalogue and storefront.pricing.
"""

from __future__ import annotations

from dataclasses import dataclass

from storefront.cart.models import Cart
from storefront.cart.services import clear_cart, summarize
from storefront.extensions import Session
from storefront.orders.placement import (
    Contact,
    DeliveryAddress,
    LineRequest,
    OrderRequest,
    PlacedOrder,
    place_order,
)
from storefront.payments.registry import PaymentMethod
from storefront.pricing import PriceContext


@dataclass(frozen=True)
class CheckoutDetails:
    """What the buyer typed and chose at checkout."""

    contact: Contact
    address: DeliveryAddress
    payment_method: PaymentMethod
    checkout_token: str
    user_id: int | None = None
    language: str = "vi"
    wants_invoice: bool = False  # a business buyer's "xuất hóa đơn"


def place_order_from_cart(
    session: Session, cart: Cart, details: CheckoutDetails, pricing: PriceContext
) -> PlacedOrder:
    """Place the cart's lines as one order (all or nothing), priced with the context the
    cart and checkout pages used, and empty the cart in the same transaction. The same
    checkout token returns the order it already placed. Only flushes; the caller commits,
    or rolls back on an error."""
    lines = [
        LineRequest(variant_id=item.variant.id, quantity=item.quantity)
        for item in summarize(session, cart, pricing).items
    ]
    placed = place_order(
        session,
        OrderRequest(
            checkout_token=details.checkout_token,
            contact=details.contact,
            address=details.address,
            lines=lines,
            payment_method=details.payment_method.code,
            awaiting_payment=details.payment_method.awaiting_payment,
            user_id=details.user_id,
            language=details.language,
            channel=pricing.channel,
            wants_invoice=details.wants_invoice,
        ),
    )
    if placed.created:
        clear_cart(session, cart)
    return placed
