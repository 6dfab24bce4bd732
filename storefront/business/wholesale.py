"""Wholesale prices (giá sỉ): quantity tiers per pack, and the pricing source that
applies them.

A producer gives a pack up to MAX_TIERS tiers, "from 10 units: 150.000 ₫, from 50:
135.000 ₫", optionally for business buyers only. Tiers are checked as a whole: quantities
strictly increasing from 2, prices strictly decreasing, every price below the pack's
retail price, whole đồng. `WholesalePrices` (registered by business.init_app) offers
each pack of a cart, checkout or order the lowest tier its quantity reaches and the
buyer may use; storefront.pricing then takes the lowest of all offers (a fair price
may beat a tier, or a tier the fair price), so the buyer always gets the best.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import TypeVar

from flask import render_template
from markupsafe import Markup
from sqlalchemy import ColumnElement, Select, bindparam, delete, exists, false, or_, select

from storefront.business.models import BusinessProfile, WholesaleTier
from storefront.cart.services import MAX_LINE_QUANTITY
from storefront.catalog.cache import note_catalogue_change
from storefront.catalog.models import Product, Variant
from storefront.errors import DomainError, NotFound
from storefront.extensions import Session, db
from storefront.i18n import N_
from storefront.money import parse_whole_number
from storefront.pricing import Offer, PackPrice, PriceContext

SOURCE = "wholesale"
MAX_TIERS = 5
MAX_TIER_QUANTITY = MAX_LINE_QUANTITY  # a cart line holds no more: a higher tier is unreachable


class WholesaleError(DomainError):
    """Tiers the shop refuses to save."""


@dataclass(frozen=True)
class TierInput:
    """One tier as typed: "10" units, "150.000" đồng. Both empty: no tier."""

    min_quantity: str
    price: str

    @property
    def is_blank(self) -> bool:
        return not self.min_quantity.strip() and not self.price.strip()


@dataclass(frozen=True)
class Tier:
    min_quantity: int
    price_vnd: int
    business_only: bool = False


def own_variant(session: Session, producer_id: int, variant_id: int) -> Variant:
    """A pack of one of the producer's products, or NotFound (another producer's too)."""
    variant = session.execute(
        select(Variant)
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.id == variant_id, Product.producer_id == producer_id)
    ).scalar_one_or_none()
    if variant is None:
        raise NotFound(N_("Không tìm thấy quy cách sản phẩm."))
    return variant


def _number(text: str, refusal: str, row: int) -> int:
    try:
        return parse_whole_number(text)
    except ValueError:
        raise WholesaleError(refusal, row=row) from None


def check_tiers(inputs: Sequence[TierInput], retail_vnd: int, business_only: bool) -> list[Tier]:
    """The tiers as they would be saved, or WholesaleError naming the first problem."""
    rows = [(n, typed) for n, typed in enumerate(inputs, start=1) if not typed.is_blank]
    if len(rows) > MAX_TIERS:
        raise WholesaleError(N_("Tối đa %(n)s bậc giá sỉ cho mỗi quy cách."), n=MAX_TIERS)
    tiers: list[Tier] = []
    for row, typed in rows:
        if not typed.min_quantity.strip() or not typed.price.strip():
            raise WholesaleError(N_("Bậc %(row)s: cần cả số lượng và giá."), row=row)
        quantity = _number(typed.min_quantity, N_("Bậc %(row)s: số lượng phải là số nguyên."), row)
        price = _number(
            typed.price, N_("Bậc %(row)s: giá phải là số đồng nguyên, ví dụ 150.000."), row
        )
        if not 2 <= quantity <= MAX_TIER_QUANTITY:
            raise WholesaleError(
                N_("Bậc %(row)s: số lượng từ 2 đến %(max)s."), row=row, max=MAX_TIER_QUANTITY
            )
        if not 0 < price < retail_vnd:
            raise WholesaleError(N_("Bậc %(row)s: giá sỉ phải thấp hơn giá bán lẻ."), row=row)
        if tiers and quantity <= tiers[-1].min_quantity:
            raise WholesaleError(N_("Bậc %(row)s: số lượng phải lớn hơn bậc trước."), row=row)
        if tiers and price >= tiers[-1].price_vnd:
            raise WholesaleError(N_("Bậc %(row)s: giá phải thấp hơn bậc trước."), row=row)
        tiers.append(Tier(quantity, price, business_only))
    return tiers


def set_tiers(
    session: Session,
    producer_id: int,
    variant_id: int,
    inputs: Sequence[TierInput],
    business_only: bool = False,
) -> list[WholesaleTier]:
    """Replace the pack's tiers with these (none: no wholesale price). Only the pack's
    producer may: another producer's pack is NotFound. A refusal changes nothing."""
    variant = own_variant(session, producer_id, variant_id)
    tiers = check_tiers(inputs, variant.price_vnd, business_only)
    session.execute(delete(WholesaleTier).where(WholesaleTier.variant_id == variant.id))
    rows = [
        WholesaleTier(
            variant_id=variant.id,
            min_quantity=tier.min_quantity,
            price_vnd=tier.price_vnd,
            business_only=tier.business_only,
        )
        for tier in tiers
    ]
    session.add_all(rows)
    session.flush()
    note_catalogue_change(session)  # the product page shows the tiers
    return rows


@cache
def _tiers_statement() -> Select[tuple[WholesaleTier]]:
    """Built once per process: SQLAlchemy then keeps its cache key (the product page asks
    on every request)."""
    return (
        select(WholesaleTier)
        .where(WholesaleTier.variant_id.in_(bindparam("ids", expanding=True)))
        .order_by(WholesaleTier.variant_id, WholesaleTier.min_quantity)
    )


def any_tier_on_sale(now: ColumnElement[datetime]) -> ColumnElement[bool]:
    """Whether a pack on sale of the product (correlated to `Product`) has a tier: the
    product page's fact "wholesale" (catalog/product_page.py). False, the page shows no
    "Giá sỉ" box and asks this source nothing (it has no quantities to price there)."""
    return (
        exists()
        .where(
            WholesaleTier.variant_id == Variant.id,
            Variant.product_id == Product.id,
            Variant.is_active.is_(True),
        )
        .correlate(Product)
    )


def tiers_for(session: Session, variant_ids: Iterable[int]) -> dict[int, list[WholesaleTier]]:
    """Each pack's tiers, smallest quantity first, for all these packs in one query."""
    ids = sorted(set(variant_ids))
    found: dict[int, list[WholesaleTier]] = {vid: [] for vid in ids}
    if not ids:
        return found
    for tier in session.execute(_tiers_statement(), {"ids": ids}).scalars():
        found[tier.variant_id].append(tier)
    return found


T = TypeVar("T", WholesaleTier, Tier)


def best_tier(tiers: Iterable[T], quantity: int, is_business: bool) -> T | None:
    """The lowest price among the tiers `quantity` reaches that this buyer may use."""
    usable = [
        t for t in tiers if t.min_quantity <= quantity and (is_business or not t.business_only)
    ]
    return min(usable, key=lambda t: t.price_vnd, default=None)


class WholesalePrices:
    """The pricing source of wholesale tiers: depends on each pack's quantity and on
    whether the buyer holds a business profile."""

    name = SOURCE

    def offers(
        self, session: Session, retail: Mapping[int, int], context: PriceContext
    ) -> list[Offer]:
        """One query for all the packs bought by two or more (none when no pack is, as on
        a product page): their tiers the quantity reaches, business-only ones only when
        the buyer has a business profile (asked in the same statement)."""
        wanted = {
            vid: quantity
            for vid, quantity in context.quantities.items()
            if vid in retail and quantity >= 2
        }
        if not wanted:
            return []
        entitled: ColumnElement[bool]
        if context.buyer_id is None:
            entitled = WholesaleTier.business_only.is_(false())
        else:
            entitled = or_(
                WholesaleTier.business_only.is_(false()),
                exists().where(BusinessProfile.user_id == context.buyer_id),
            )
        rows = session.execute(
            select(WholesaleTier)
            .where(
                WholesaleTier.variant_id.in_(sorted(wanted)),
                WholesaleTier.min_quantity <= max(wanted.values()),
                entitled,
            )
            .order_by(WholesaleTier.variant_id, WholesaleTier.min_quantity)
        ).scalars()
        by_pack: dict[int, list[WholesaleTier]] = {}
        for tier in rows:
            by_pack.setdefault(tier.variant_id, []).append(tier)
        offers = []
        for vid, tiers in by_pack.items():
            # the query kept only the tiers this buyer may use
            best = best_tier(tiers, wanted[vid], is_business=True)
            if best is not None:
                offers.append(Offer(vid, best.price_vnd, SOURCE, best.id))
        return offers

    def order_placed(
        self,
        session: Session,
        order_id: int,
        prices: Mapping[int, PackPrice],
        context: PriceContext,
    ) -> None:
        """Nothing to record: the order line keeps the unit price it charged."""


@dataclass(frozen=True)
class TierLine:
    """A tier as the product page shows it."""

    min_quantity: int
    price_vnd: int
    business_only: bool


def wholesale_section(product: Product) -> Markup:
    """The product page's "Giá sỉ" box: each pack on sale's tiers (one query for all
    packs), empty when none has any. Registered into the catalogue's product page by
    business.init_app, so the catalogue never imports business."""
    packs = [v for v in product.variants if v.is_active]
    tiers = tiers_for(db.session, [v.id for v in packs])
    shown = [
        (
            variant,
            [TierLine(t.min_quantity, t.price_vnd, t.business_only) for t in tiers[variant.id]],
        )
        for variant in packs
        if tiers[variant.id]
    ]
    if not shown:
        return Markup("")
    any_business_only = any(t.business_only for _, lines in shown for t in lines)
    html = render_template(
        "business/_wholesale.html", packs=shown, any_business_only=any_business_only
    )
    return Markup(html)  # noqa: S704 - our own autoescaped template
