"""Checkout: the shipping quote for a cart, and placing the order from it.

Nothing the form says about prices, weights or totals is used: the quote and the order
are both computed from the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from storefront.cart.models import Cart
from storefront.cart.services import CartSummary, ProducerGroup, clear_cart, summarize
from storefront.extensions import Session
from storefront.fairs.pricing import effective_unit_price
from storefront.orders.placement import (
    Contact,
    DeliveryAddress,
    LineRequest,
    OrderRequest,
    PlacedOrder,
    place_order,
)
from storefront.payments.registry import PaymentMethod
from storefront.places import get_province
from storefront.shipping.services import current_rates, shipping_fee


@dataclass(frozen=True)
class QuotedGroup:
    group: ProducerGroup
    shipping_fee_vnd: int | None  # None until the destination province is known

    @property
    def total_vnd(self) -> int | None:
        if self.shipping_fee_vnd is None:
            return None
        return self.group.items_total_vnd + self.shipping_fee_vnd


@dataclass(frozen=True)
class Quote:
    summary: CartSummary
    groups: list[QuotedGroup]

    @property
    def shipping_total_vnd(self) -> int | None:
        fees = [g.shipping_fee_vnd for g in self.groups]
        return None if any(fee is None for fee in fees) else sum(fee or 0 for fee in fees)

    @property
    def total_vnd(self) -> int | None:
        shipping = self.shipping_total_vnd
        return None if shipping is None else self.summary.items_total_vnd + shipping


def with_fair_prices(
    session: Session, summary: CartSummary, fair_id: int | None, now: datetime
) -> CartSummary:
    """The summary with each pack at the price the order will charge now: the open
    fair's price where there is one (the same rule place_order applies)."""
    prices = effective_unit_price(
        session, [item.variant.id for item in summary.items], now, fair_id
    )
    groups = [
        replace(
            group,
            items=[
                replace(item, fair_price_vnd=prices[item.variant.id][0])
                if prices.get(item.variant.id, (0, None))[1] is not None
                else item
                for item in group.items
            ],
        )
        for group in summary.groups
    ]
    return replace(summary, groups=groups)


def quote(session: Session, summary: CartSummary, destination_province_code: int) -> Quote:
    """Each producer's parcel with its shipping fee to the destination (fees are None
    while no valid province is chosen)."""
    known = get_province(destination_province_code) is not None
    rates = current_rates(session) if known and summary.groups else None
    groups = []
    for group in summary.groups:
        fee = None
        if rates is not None:
            fee = shipping_fee(
                rates, group.producer.province_code, destination_province_code, group.weight_grams
            )
        groups.append(QuotedGroup(group, fee))
    return Quote(summary, groups)


@dataclass(frozen=True)
class CheckoutDetails:
    """What the buyer typed and chose at checkout."""

    contact: Contact
    address: DeliveryAddress
    payment_method: PaymentMethod
    checkout_token: str
    user_id: int | None = None
    language: str = "vi"
    fair_id: int | None = None  # fairs.attribution.attributed_fair_id at submission


def place_order_from_cart(session: Session, cart: Cart, details: CheckoutDetails) -> PlacedOrder:
    """Place the cart's lines as one order (all or nothing) and empty the cart in the same
    transaction. The same checkout token returns the order it already placed. Only
    flushes; the caller commits, or rolls back on an error."""
    lines = [
        LineRequest(variant_id=item.variant.id, quantity=item.quantity)
        for item in summarize(session, cart).items
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
            fair_id=details.fair_id,
        ),
    )
    if placed.created:
        clear_cart(session, cart)
    return placed
