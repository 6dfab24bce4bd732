"""What each producer's parcel of a cart costs to ship, for the cart and checkout pages.

The fees come from the shipping rules (storefront.shipping), exactly as order placement
computes them. Until the destination province is known each parcel shows the span of
its possible fees: within the producer's own province, or anywhere else.
"""

from __future__ import annotations

from dataclasses import dataclass

from storefront.cart.services import CartSummary, ProducerGroup
from storefront.extensions import Session
from storefront.places import get_province
from storefront.shipping.services import current_rates, shipping_fee


@dataclass(frozen=True)
class QuotedGroup:
    group: ProducerGroup
    shipping_fee_vnd: int | None  # None until the destination province is known
    # (within the producer's province, elsewhere) while the destination is unknown
    fee_span_vnd: tuple[int, int] | None = None

    @property
    def total_vnd(self) -> int | None:
        if self.shipping_fee_vnd is None:
            return None
        return self.group.items_total_vnd + self.shipping_fee_vnd


@dataclass(frozen=True)
class Quote:
    summary: CartSummary
    groups: list[QuotedGroup]
    destination_province_code: int | None = None

    @property
    def shipping_total_vnd(self) -> int | None:
        fees = [g.shipping_fee_vnd for g in self.groups]
        return None if any(fee is None for fee in fees) else sum(fee or 0 for fee in fees)

    @property
    def total_vnd(self) -> int | None:
        shipping = self.shipping_total_vnd
        return None if shipping is None else self.summary.items_total_vnd + shipping


def quote(session: Session, summary: CartSummary, destination_province_code: int | None) -> Quote:
    """Each producer's parcel with its shipping fee to the destination; while no valid
    province is chosen, the fee is None and the span of possible fees is given."""
    if not summary.groups:
        return Quote(summary, [])
    known = get_province(destination_province_code or 0) is not None
    rates = current_rates(session)
    groups = []
    for group in summary.groups:
        origin, weight = group.producer.province_code, group.weight_grams
        if known:
            fee = shipping_fee(rates, origin, destination_province_code or 0, weight)
            groups.append(QuotedGroup(group, fee))
        else:
            # Province codes are positive: -1 stands for "any other province".
            same = shipping_fee(rates, origin, origin, weight)
            elsewhere = shipping_fee(rates, origin, -1, weight)
            groups.append(QuotedGroup(group, None, (min(same, elsewhere), max(same, elsewhere))))
    return Quote(summary, groups, destination_province_code if known else None)
