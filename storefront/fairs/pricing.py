"""Fair prices, fed into storefront.pricing: what a featured pack costs while its fair is
open, decided on the server from the database.

A featured pack's fair price applies only while its fair is published and its online
window is open (opens_at <= now < closes_at; the organiser set both in Vietnam time) and
only for an accepted exhibitor. Never after closing time, whatever a page showed earlier.
`fairs.init_app` registers `FairPrices` at app start.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import ColumnElement, DateTime, Select, bindparam, exists, select

from storefront.catalog.models import Product, Variant
from storefront.extensions import Session
from storefront.fairs.attribution import open_fair_id, record_fair_order
from storefront.fairs.models import (
    ExhibitorStatus,
    Fair,
    FairExhibitor,
    FairFeature,
    FairState,
    as_utc,
)
from storefront.pricing import Offer, PackPrice, PriceContext

SOURCE = "fair"


@dataclass(frozen=True)
class FairPrice:
    variant_id: int
    fair_id: int
    fair_price_vnd: int


@cache
def _open_fair_prices_statement() -> Select[tuple[int, int, int | None]]:
    """Built once per process, so that SQLAlchemy keeps its cache key (computing it for
    these five joins took longer than the query itself on every product page)."""
    now = bindparam("now", type_=DateTime(timezone=True))
    return (
        select(FairFeature.variant_id, Fair.id, FairFeature.fair_price_vnd)
        .join(Fair, Fair.id == FairFeature.fair_id)
        .join(Variant, Variant.id == FairFeature.variant_id)
        .join(Product, Product.id == Variant.product_id)
        .join(
            FairExhibitor,
            (FairExhibitor.fair_id == Fair.id) & (FairExhibitor.producer_id == Product.producer_id),
        )
        .where(
            FairFeature.variant_id.in_(bindparam("ids", expanding=True)),
            FairFeature.fair_price_vnd.is_not(None),
            Fair.state == FairState.PUBLISHED,
            Fair.opens_at <= now,
            Fair.closes_at > now,
            FairExhibitor.status == ExhibitorStatus.ACCEPTED,
        )
        .order_by(FairFeature.variant_id, FairFeature.fair_price_vnd, Fair.id)
    )


def any_fair_open(now: ColumnElement[datetime]) -> ColumnElement[bool]:
    """Whether any published fair's online window is open at `now`: the product page's
    fact "fair" (catalog/product_page.py); while none is, which is most of the time, the
    page asks this source nothing. Coarser than the statement above on purpose (no pack
    or exhibitor): PostgreSQL plans one table in a fraction of the time it took for the
    four of the exact question (the page's statement 1.06 ms against 1.56, measured)."""
    return exists().where(
        Fair.state == FairState.PUBLISHED, Fair.opens_at <= now, Fair.closes_at > now
    )


def open_fair_prices(
    session: Session, variant_ids: Iterable[int], now: datetime
) -> list[FairPrice]:
    """Every fair price in force at `now` for these packs, lowest first (one query)."""
    ids = sorted(set(variant_ids))
    if not ids:
        return []
    rows = session.execute(_open_fair_prices_statement(), {"ids": ids, "now": as_utc(now)})
    return [FairPrice(variant_id, fair_id, price) for variant_id, fair_id, price in rows]


def came_through(context: PriceContext) -> int | None:
    """The id of the fair whose page the buyer came from, if that is the channel."""
    channel = context.channel
    return channel.id if channel is not None and channel.kind == SOURCE else None


class FairPrices:
    """The pricing source of fairs."""

    name = SOURCE

    def offers(
        self, session: Session, retail: Mapping[int, int], context: PriceContext
    ) -> list[Offer]:
        """One offer per pack: the fair the buyer came through when it has a price for the
        pack, else the lowest open fair price (ties: the older fair). Only prices below
        retail count, so a pack whose price fell under its fair price is sold at retail."""
        preferred = came_through(context)
        chosen: dict[int, FairPrice] = {}
        for offer in open_fair_prices(session, retail, context.now):
            if not offer.fair_price_vnd < retail[offer.variant_id]:
                continue
            current = chosen.get(offer.variant_id)
            if current is None or (offer.fair_id == preferred and current.fair_id != preferred):
                chosen[offer.variant_id] = offer
        return [
            Offer(vid, offer.fair_price_vnd, SOURCE, offer.fair_id) for vid, offer in chosen.items()
        ]

    def order_placed(
        self,
        session: Session,
        order_id: int,
        prices: Mapping[int, PackPrice],
        context: PriceContext,
    ) -> None:
        """Credit the order to the fair the buyer came through while it is still open, else
        to the fair whose price it used."""
        attributed = open_fair_id(session, came_through(context), context.now)
        record_fair_order(session, order_id, order_fair_id(prices, attributed))


def order_fair_id(prices: Mapping[int, PackPrice], attributed_fair_id: int | None) -> int | None:
    """The fair an order is attributed to: the fair the buyer came through, else the fair
    whose price the order used (the first by pack id)."""
    if attributed_fair_id is not None:
        return attributed_fair_id
    for vid in sorted(prices):
        fair_id = prices[vid].source_id(SOURCE)
        if fair_id is not None:
            return fair_id
    return None
