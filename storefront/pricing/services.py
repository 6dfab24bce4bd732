"""The one pricing function: what a buyer pays for each pack, right now.

The product page, the cart, the checkout summary and order placement all call
`price_packs` (or `price_variants`) with the same context, so the price a buyer sees is
the price the order charges. The retail price comes from the catalogue; registered
sources add offers below it and the lowest offer wins. A source decides among its own
offers (a fair prefers the fair the buyer came through) and may record, at placement,
that an order used it (a fair's sales report).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from storefront.extensions import Session
from storefront.pricing.channel import Channel


@dataclass(frozen=True)
class PriceContext:
    """Who is buying, when, how many, and through which channel. Sources use what they
    need: fairs the time and the channel; quantity tiers (issue 15) the quantities and
    the buyer."""

    now: datetime
    channel: Channel | None = None
    quantities: Mapping[int, int] = field(default_factory=dict)  # pack id → how many
    buyer_id: int | None = None


@dataclass(frozen=True)
class Offer:
    """A price below retail that a source offers for a pack."""

    variant_id: int
    price_vnd: int
    source: str  # the source's name, such as "fair"
    source_id: int  # which of the source's rows: the fair's id


@dataclass(frozen=True)
class PackPrice:
    """What one pack costs: the retail price and the offer that beats it, if any."""

    variant_id: int
    retail_vnd: int
    offer: Offer | None = None

    @property
    def unit_vnd(self) -> int:
        return self.offer.price_vnd if self.offer is not None else self.retail_vnd

    @property
    def is_reduced(self) -> bool:
        return self.offer is not None

    @property
    def discount_percent(self) -> int:
        """How much below retail, in whole percent (0 at retail; at least 1 when reduced)."""
        if self.offer is None:
            return 0
        return max(1, round(100 * (self.retail_vnd - self.unit_vnd) / self.retail_vnd))

    def source_id(self, source: str) -> int | None:
        """The id of the `source` row whose offer sets this price (a fair's id), if any."""
        if self.offer is not None and self.offer.source == source:
            return self.offer.source_id
        return None


class PriceSource(Protocol):
    """What a domain registers to feed prices in."""

    name: str

    def offers(
        self, session: Session, retail: Mapping[int, int], context: PriceContext
    ) -> Iterable[Offer]:
        """Offers for some of these packs (pack id → retail price), at most one each."""
        ...

    def order_placed(
        self,
        session: Session,
        order_id: int,
        prices: Mapping[int, PackPrice],
        context: PriceContext,
    ) -> None:
        """Called inside the placing transaction with the prices the order charged."""
        ...


class Priced(Protocol):
    id: int
    price_vnd: int


_SOURCES: dict[str, PriceSource] = {}


def register_source(source: PriceSource) -> None:
    """Feed a source's offers into every price (registering a name again replaces it)."""
    _SOURCES[source.name] = source


def unregister_source(name: str) -> None:
    _SOURCES.pop(name, None)


def price_packs(
    session: Session,
    retail: Mapping[int, int],
    context: PriceContext,
    skip: Collection[str] = (),
) -> dict[int, PackPrice]:
    """For each pack (id → retail price in VND) its price now: the lowest offer strictly
    between 0 and retail, else retail. One query per registered source, except the
    sources named in `skip`, which the caller knows have no offer for these packs."""
    best: dict[int, Offer] = {}
    if retail:
        for source in _SOURCES.values():
            if source.name in skip:
                continue
            for offer in source.offers(session, retail, context):
                normal = retail.get(offer.variant_id)
                if normal is None or not 0 < offer.price_vnd < normal:
                    continue
                current = best.get(offer.variant_id)
                if current is None or offer.price_vnd < current.price_vnd:
                    best[offer.variant_id] = offer
    return {vid: PackPrice(vid, price, best.get(vid)) for vid, price in retail.items()}


def price_variants(
    session: Session,
    variants: Iterable[Priced],
    context: PriceContext,
    skip: Collection[str] = (),
) -> dict[int, PackPrice]:
    """`price_packs` for catalogue variants already loaded (no query for retail prices)."""
    return price_packs(session, {v.id: v.price_vnd for v in variants}, context, skip)


def record_order_prices(
    session: Session, order_id: int, prices: Mapping[int, PackPrice], context: PriceContext
) -> None:
    """Tell every source which prices a placed order charged (inside its transaction)."""
    for source in _SOURCES.values():
        source.order_placed(session, order_id, prices, context)
