"""Fair prices: what a pack costs right now, decided on the server from the database.

A featured pack's fair price applies only while its fair is published and its online
window is open (opens_at <= now < closes_at; the organiser set both in Vietnam time) and
only for an accepted exhibitor. Never after closing time, whatever a page showed earlier.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from storefront.catalog.models import Product, Variant
from storefront.extensions import Session
from storefront.fairs.models import (
    ExhibitorStatus,
    Fair,
    FairExhibitor,
    FairFeature,
    FairState,
    as_utc,
)


@dataclass(frozen=True)
class FairPrice:
    variant_id: int
    fair_id: int
    fair_price_vnd: int


def open_fair_prices(
    session: Session, variant_ids: Iterable[int], now: datetime
) -> list[FairPrice]:
    """Every fair price in force at `now` for these packs (one query)."""
    ids = sorted(set(variant_ids))
    if not ids:
        return []
    now = as_utc(now)
    rows = session.execute(
        select(FairFeature.variant_id, Fair.id, FairFeature.fair_price_vnd)
        .join(Fair, Fair.id == FairFeature.fair_id)
        .join(Variant, Variant.id == FairFeature.variant_id)
        .join(Product, Product.id == Variant.product_id)
        .join(
            FairExhibitor,
            (FairExhibitor.fair_id == Fair.id) & (FairExhibitor.producer_id == Product.producer_id),
        )
        .where(
            FairFeature.variant_id.in_(ids),
            FairFeature.fair_price_vnd.is_not(None),
            Fair.state == FairState.PUBLISHED,
            Fair.opens_at <= now,
            Fair.closes_at > now,
            FairExhibitor.status == ExhibitorStatus.ACCEPTED,
        )
        .order_by(FairFeature.variant_id, FairFeature.fair_price_vnd, Fair.id)
    ).all()
    return [FairPrice(variant_id, fair_id, price) for variant_id, fair_id, price in rows]


def effective_unit_price(
    session: Session, variant_ids: Iterable[int], now: datetime, fair_id: int | None = None
) -> dict[int, tuple[int, int | None]]:
    """For each pack found: (the unit price to charge in VND, the fair whose price it is or
    None). The lowest open fair price wins, except that the fair the buyer came through
    (`fair_id`) wins when it has a price for the pack; never above the normal price."""
    ids = sorted(set(variant_ids))
    if not ids:
        return {}
    normal: dict[int, int] = {
        vid: price
        for vid, price in session.execute(
            select(Variant.id, Variant.price_vnd).where(Variant.id.in_(ids))
        ).tuples()
    }
    result: dict[int, tuple[int, int | None]] = {
        vid: (price, None) for vid, price in normal.items()
    }
    chosen: dict[int, FairPrice] = {}
    for offer in open_fair_prices(session, ids, now):
        current = chosen.get(offer.variant_id)
        if current is None or (offer.fair_id == fair_id and current.fair_id != fair_id):
            chosen[offer.variant_id] = offer
    for vid, offer in chosen.items():
        if vid in normal and offer.fair_price_vnd < normal[vid]:
            result[vid] = (offer.fair_price_vnd, offer.fair_id)
    return result


def order_fair_id(
    prices: dict[int, tuple[int, int | None]], attributed_fair_id: int | None
) -> int | None:
    """The fair an order is attributed to: the fair the buyer came through, else the fair
    whose price the order used (the first by pack id)."""
    if attributed_fair_id is not None:
        return attributed_fair_id
    for vid in sorted(prices):
        if prices[vid][1] is not None:
            return prices[vid][1]
    return None
