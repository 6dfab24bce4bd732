"""What the fair pages and the home page show, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import DateTime, Select, bindparam, select
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from storefront.catalog.card_rows import CARD_TODAY, card_select, read_cards
from storefront.catalog.models import Producer, Product, Variant, current_stars_expr
from storefront.catalog.queries import ProductCard
from storefront.extensions import Session
from storefront.fairs.models import (
    BoothProduct,
    ExhibitorStatus,
    Fair,
    FairExhibitor,
    FairFeature,
    FairState,
    HomeFeature,
    as_utc,
)
from storefront.fairs.pricing import SOURCE as FAIR_SOURCE
from storefront.pricing import Offer, PackPrice

# The row a fair query selects beside the product (a booth's exhibitor id, a feature).
_Extra = TypeVar("_Extra")
_Row = TypeVar("_Row", bound=tuple[Any, ...])

HOME_FAIRS = 4
HOME_FEATURES = 12


@dataclass
class FeaturedCard:
    """A featured pack on a fair page; `fair_price` is set only while the fair is open."""

    card: ProductCard
    variant: Variant
    fair_price: int | None
    fair_id: int = 0

    @property
    def price(self) -> PackPrice:
        """The pack's price at this fair, as storefront.pricing states it (with the
        discount from retail), or retail when the fair is not open."""
        offer = None
        if self.fair_price is not None:
            offer = Offer(self.variant.id, self.fair_price, FAIR_SOURCE, self.fair_id)
        return PackPrice(self.variant.id, self.variant.price_vnd, offer)


@dataclass
class Booth:
    exhibitor: FairExhibitor
    cards: list[ProductCard] = field(default_factory=list)


@dataclass
class FairPage:
    fair: Fair
    is_open: bool
    phase: str
    booths: list[Booth]
    featured: list[FeaturedCard]


@dataclass
class FairLists:
    current: list[Fair]
    upcoming: list[Fair]
    past: list[Fair]


def public_fairs(session: Session, now: datetime) -> FairLists:
    """Published and closed fairs split into current, upcoming and past (one query)."""
    now = as_utc(now)
    fairs = session.execute(
        select(Fair)
        .where(Fair.state.in_([FairState.PUBLISHED, FairState.CLOSED]))
        .order_by(Fair.opens_at, Fair.id)
    ).scalars()
    lists = FairLists([], [], [])
    for fair in fairs:
        {"open": lists.current, "upcoming": lists.upcoming, "past": lists.past}[
            fair.phase(now)
        ].append(fair)
    lists.past.reverse()  # the most recent first
    return lists


_NOW = bindparam("fairs_now", type_=DateTime(timezone=True))


def current_fairs(session: Session, now: datetime, limit: int = HOME_FAIRS) -> list[Fair]:
    """Published fairs open online at `now`, closing soonest first (the statement built
    once per process: every home page asks)."""
    stmt = _current_fairs_statement(limit)
    return list(session.execute(stmt, {"fairs_now": as_utc(now)}).scalars())


@cache
def _current_fairs_statement(limit: int) -> Select[tuple[Fair]]:
    return (
        select(Fair)
        .where(Fair.state == FairState.PUBLISHED, Fair.opens_at <= _NOW, Fair.closes_at > _NOW)
        .order_by(Fair.closes_at, Fair.id)
        .limit(limit)
    )


def _cards(
    session: Session, stmt: Select[tuple[Product, _Extra]], today: date
) -> list[tuple[ProductCard, _Extra]]:
    """Run a statement selecting (Product, extra) joined to Producer; add stars and photos."""
    stars = current_stars_expr(today).label("stars")
    rows = session.execute(
        stmt.add_columns(stars).options(
            contains_eager(Product.producer), selectinload(Product.photos)
        )
    ).all()
    return [(ProductCard(product=row[0], stars=row[2]), row[1]) for row in rows]


def _public_product(stmt: Select[_Row]) -> Select[_Row]:
    return stmt.join(Product.producer).where(
        Product.is_published.is_(True), Producer.is_active.is_(True)
    )


def _featured(card: ProductCard, feature: FairFeature, is_open: bool) -> FeaturedCard:
    """A featured pack with its fair price only while the fair is open and below retail."""
    price = feature.fair_price_vnd
    if not is_open or price is None or price >= feature.variant.price_vnd:
        price = None
    return FeaturedCard(card, feature.variant, price, feature.fair_id)


def fair_by_slug(session: Session, slug: str) -> Fair | None:
    return session.execute(select(Fair).where(Fair.slug == slug)).scalar_one_or_none()


def fair_page(session: Session, fair: Fair, now: datetime, today: date) -> FairPage:
    """The fair's booths (accepted exhibitors with their chosen products) and featured packs,
    with fair prices only while the fair is open: six queries whatever the fair's size."""
    now = as_utc(now)
    exhibitors = list(
        session.execute(
            select(FairExhibitor)
            .join(FairExhibitor.producer)
            .options(contains_eager(FairExhibitor.producer))
            .where(
                FairExhibitor.fair_id == fair.id,
                FairExhibitor.status == ExhibitorStatus.ACCEPTED,
                Producer.is_active.is_(True),
            )
            .order_by(Producer.name, FairExhibitor.id)
        ).scalars()
    )
    booths = {e.id: Booth(e) for e in exhibitors}
    if booths:
        stmt = _public_product(
            select(Product, BoothProduct.exhibitor_id)
            .join(BoothProduct, BoothProduct.product_id == Product.id)
            .where(BoothProduct.exhibitor_id.in_(list(booths)))
            .order_by(BoothProduct.exhibitor_id, BoothProduct.position, Product.id)
        )
        for card, exhibitor_id in _cards(session, stmt, today):
            booths[exhibitor_id].cards.append(card)

    is_open = fair.is_open(now)
    accepted = [e.producer_id for e in exhibitors]
    featured: list[FeaturedCard] = []
    if accepted:
        features = _public_product(
            select(Product, FairFeature)
            .join(Variant, Variant.product_id == Product.id)
            .join(FairFeature, FairFeature.variant_id == Variant.id)
            .options(joinedload(FairFeature.variant))
            .where(
                FairFeature.fair_id == fair.id,
                Variant.is_active.is_(True),
                Product.producer_id.in_(accepted),
            )
            .order_by(FairFeature.position, FairFeature.id)
        )
        featured = [
            _featured(card, feature, is_open) for card, feature in _cards(session, features, today)
        ]
    return FairPage(fair, is_open, fair.phase(now), list(booths.values()), featured)


def banner_packs(
    session: Session, fair: Fair, now: datetime, today: date, limit: int
) -> list[FeaturedCard]:
    """The first featured packs of an accepted exhibitor of `fair`, with the fair price
    while the fair is open: for the home page's banner (two queries)."""
    stmt = _public_product(
        select(Product, FairFeature)
        .join(Variant, Variant.product_id == Product.id)
        .join(FairFeature, FairFeature.variant_id == Variant.id)
        .join(
            FairExhibitor,
            (FairExhibitor.fair_id == FairFeature.fair_id)
            & (FairExhibitor.producer_id == Product.producer_id),
        )
        .options(joinedload(FairFeature.variant))
        .where(
            FairFeature.fair_id == fair.id,
            FairExhibitor.status == ExhibitorStatus.ACCEPTED,
            Variant.is_active.is_(True),
        )
        .order_by(FairFeature.position, FairFeature.id)
        .limit(limit)
    )
    is_open = fair.is_open(as_utc(now))
    return [_featured(card, feature, is_open) for card, feature in _cards(session, stmt, today)]


def home_features(session: Session, today: date, limit: int = HOME_FEATURES) -> list[ProductCard]:
    """The curated products whose date window includes `today`, in position order (the
    statement built once per process, the day bound when it runs)."""
    stmt = _home_features_statement(limit)
    cards: list[ProductCard] = []
    seen: set[int] = set()
    # Plain card rows (catalog.card_rows): the home page shows nothing else of them.
    for product, stars, _ in read_cards(session, stmt, today):
        if product.id not in seen and len(cards) < limit:
            seen.add(product.id)
            cards.append(ProductCard(product=product, stars=stars))
    return cards


@cache
def _home_features_statement(limit: int) -> Select[Any]:
    # The features first, in a limited subquery: joined directly, a database without
    # statistics on the (small) feature table starts from every product instead.
    features = (
        select(HomeFeature.id, HomeFeature.product_id, HomeFeature.position)
        .where(HomeFeature.starts_on <= CARD_TODAY, HomeFeature.ends_on >= CARD_TODAY)
        .order_by(HomeFeature.position, HomeFeature.id)
        .limit(limit * 10)
        .subquery()
    )
    return card_select(
        _public_product(
            select(Product)
            .join(features, features.c.product_id == Product.id)
            .order_by(features.c.position, features.c.id)
            .limit(limit * 2)
        )
    )


def exhibitor_fairs(session: Session, producer_id: int) -> list[FairExhibitor]:
    """A producer's invitations, requests and booths, with their fairs: drafts too, so an
    organiser can gather exhibitors before the fair goes public (the page marks them)."""
    return list(
        session.execute(
            select(FairExhibitor)
            .options(joinedload(FairExhibitor.fair))
            .join(FairExhibitor.fair)
            .where(FairExhibitor.producer_id == producer_id)
            .order_by(Fair.opens_at.desc())
        ).scalars()
    )


def open_fairs_for_producer_requests(
    session: Session, producer_id: int, now: datetime
) -> list[Fair]:
    """Published fairs not yet past where this producer is not an exhibitor yet."""
    now = as_utc(now)
    taken = select(FairExhibitor.fair_id).where(FairExhibitor.producer_id == producer_id)
    return list(
        session.execute(
            select(Fair)
            .where(Fair.state == FairState.PUBLISHED, Fair.closes_at > now, Fair.id.not_in(taken))
            .order_by(Fair.opens_at)
        ).scalars()
    )


def manage_page(session: Session, fair: Fair) -> tuple[list[FairExhibitor], list[FairFeature]]:
    """All exhibitors (any status) and features of a fair, for its organisers."""
    exhibitors = list(
        session.execute(
            select(FairExhibitor)
            .options(joinedload(FairExhibitor.producer))
            .where(FairExhibitor.fair_id == fair.id)
            .order_by(FairExhibitor.id)
        ).scalars()
    )
    features = list(
        session.execute(
            select(FairFeature)
            .options(joinedload(FairFeature.variant).joinedload(Variant.product))
            .where(FairFeature.fair_id == fair.id)
            .order_by(FairFeature.position, FairFeature.id)
        ).scalars()
    )
    return exhibitors, features
