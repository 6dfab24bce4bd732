"""The province's OCOP dashboard: how far its certified products travel.

Every figure is an aggregate: parts, units and goods revenue of orders (cancelled parts
excluded, shipping left out), split by whether the part left its producer's province
(storefront.orders.reach decides, as it does for the sales page and the fair report).
No buyer's name, phone or address is ever read here. Each section costs a fixed number
of SQL statements whatever the volume: the sums are made by the database, from the
daily rollup for closed days and from the live orders after it (storefront.programme.rollup).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, exists, func, or_, select

from storefront.catalog.models import (
    CertificateStatus,
    OcopCertificate,
    Producer,
    ProducerKind,
    Product,
    ProductPhoto,
    Variant,
    current_stars_expr,
)
from storefront.extensions import Session
from storefront.fairs.models import Fair, FairState
from storefront.fairs.report import fair_reports
from storefront.places import Province, all_provinces, get_province
from storefront.programme.periods import Period
from storefront.programme.rollup import facts, origin_facts

ACTIVE_DAYS = 90  # a producer is active when it sold in the last 90 days
EXPIRY_SOON, EXPIRY_LATER = 60, 180
TOP_DESTINATIONS = 10
LIST_LIMIT = 200  # rows of a list section (certificates, products held back)
PRODUCER_SORTS = ("name", "parts", "revenue", "outside")


def share(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to share."""
    return part / whole if whole else None


@dataclass
class Reach:
    """Parts, units and goods revenue, split inside/outside the origin province."""

    parts: int = 0
    units: int = 0
    revenue_vnd: int = 0
    outside_parts: int = 0
    outside_units: int = 0
    outside_revenue_vnd: int = 0

    def add(self, is_outside: bool, parts: int, units: int, revenue: int) -> None:
        self.parts += parts
        self.units += units
        self.revenue_vnd += revenue
        if is_outside:
            self.outside_parts += parts
            self.outside_units += units
            self.outside_revenue_vnd += revenue

    @property
    def inside_parts(self) -> int:
        return self.parts - self.outside_parts

    @property
    def inside_units(self) -> int:
        return self.units - self.outside_units

    @property
    def inside_revenue_vnd(self) -> int:
        return self.revenue_vnd - self.outside_revenue_vnd

    @property
    def outside_share(self) -> float | None:
        """Share of order parts delivered outside the province: the headline number."""
        return share(self.outside_parts, self.parts)

    @property
    def outside_revenue_share(self) -> float | None:
        return share(self.outside_revenue_vnd, self.revenue_vnd)


@dataclass
class Month:
    key: str  # "2025-07"
    reach: Reach


@dataclass
class Destination:
    province_code: int
    name: str
    parts: int
    units: int
    revenue_vnd: int
    is_home: bool


@dataclass
class Headline:
    current: Reach
    previous: Reach

    @property
    def trend_points(self) -> float | None:
        """Change of the outside share since the previous period, in percentage points."""
        now, before = self.current.outside_share, self.previous.outside_share
        if now is None or before is None:
            return None
        return round(100 * (now - before), 1)


@dataclass
class ReachSection:
    headline: Headline
    months: list[Month]
    destinations: list[Destination]  # every destination, most revenue first


def reach_section(session: Session, codes: list[int], period: Period) -> ReachSection:
    """Reach of the provinces `codes`: headline with the previous period, by month, and by
    destination province. Three statements (plus the rollup's coverage, twice)."""
    dialect = session.get_bind().dialect.name
    previous = period.previous()
    src = origin_facts(session, previous.first_day, period.last_day, codes)
    is_out = src.c.outside
    in_period = (src.c.day >= period.first_day).label("in_period")
    headline = Headline(Reach(), Reach())
    for current, is_outside, parts, units, revenue in session.execute(
        select(in_period, is_out, *_sums(src)).group_by(in_period, is_out)
    ):
        (headline.current if current else headline.previous).add(
            bool(is_outside), parts, units, revenue
        )
    month = _month_key(src.c.day, dialect).label("month")
    months: dict[str, Reach] = {key: Reach() for key in _month_keys(period)}
    for key, is_outside, parts, units, revenue in session.execute(
        select(month, is_out, *_sums(src))
        .where(src.c.day >= period.first_day)
        .group_by(month, is_out)
    ):
        months.setdefault(key, Reach()).add(bool(is_outside), parts, units, revenue)
    src = facts(session, period.first_day, period.last_day, codes)
    destinations = [
        Destination(code, _name(code), parts, units, revenue, code in codes)
        for code, parts, units, revenue in session.execute(
            select(src.c.destination, *_sums(src))
            .where(src.c.day >= period.first_day)
            .group_by(src.c.destination)
        )
    ]
    destinations.sort(key=lambda d: (-d.revenue_vnd, -d.parts, d.name))
    return ReachSection(headline, [Month(k, r) for k, r in sorted(months.items())], destinations)


def _sums(src: Any) -> list[Any]:
    return [
        func.coalesce(func.sum(src.c.parts), 0),
        func.coalesce(func.sum(src.c.units), 0),
        func.coalesce(func.sum(src.c.revenue_vnd), 0),
    ]


def _month_key(day: Any, dialect: str) -> Any:
    if dialect == "postgresql":
        return func.to_char(day, "YYYY-MM")
    return func.strftime("%Y-%m", day)


def _month_keys(period: Period) -> list[str]:
    keys, day = [], period.first_day.replace(day=1)
    while day <= period.last_day:
        keys.append(f"{day.year:04d}-{day.month:02d}")
        day = (day + timedelta(days=32)).replace(day=1)
    return keys


def _name(code: int) -> str:
    province = get_province(code)
    return province.name if province else str(code)


# --- the map -------------------------------------------------------------------------

# (column, row) of each province in a tile grid that keeps their rough places on the
# map: the north's mountains on top, the S of the coast, the Mekong delta at the bottom.
TILE_GRID: dict[int, tuple[int, int]] = {
    12: (1, 0), 15: (2, 0), 8: (3, 0), 4: (4, 0),
    11: (0, 1), 14: (1, 1), 25: (2, 1), 19: (3, 1), 20: (4, 1),
    1: (2, 2), 24: (3, 2), 22: (4, 2),
    38: (1, 3), 37: (2, 3), 33: (3, 3), 31: (4, 3),
    40: (1, 4), 42: (2, 4),
    44: (2, 5),
    46: (3, 6),
    48: (3, 7),
    51: (3, 8),
    52: (3, 9),
    66: (3, 10), 56: (4, 10),
    68: (3, 11),
    80: (1, 12), 79: (2, 12), 75: (3, 12),
    91: (0, 13), 82: (1, 13), 86: (2, 13),
    96: (0, 14), 92: (1, 14),
}  # fmt: skip
TILE = 40  # SVG units per tile, gaps included
LEVELS = 5  # colour steps besides "none" and "home"


@dataclass(frozen=True)
class Tile:
    x: int
    y: int
    code: int
    name: str
    label: str  # two or three letters drawn in the tile
    revenue_vnd: int
    level: int  # 0 none, 1..LEVELS by revenue; the home province is marked apart
    is_home: bool


@dataclass(frozen=True)
class TileMap:
    width: int
    height: int
    tiles: list[Tile]


def _initials(province: Province) -> str:
    words = province.short_name.replace("Thành phố ", "").split()
    return "".join(w[0] for w in words)[:3].upper()


def tile_map(destinations: list[Destination], home_codes: list[int]) -> TileMap:
    """The 34 provinces as tiles shaded by the revenue they bought from `home_codes`."""
    revenue = {d.province_code: d.revenue_vnd for d in destinations}
    top = max(revenue.values(), default=0)
    tiles = []
    for province in all_provinces():
        col, row = TILE_GRID[province.code]
        amount = revenue.get(province.code, 0)
        level = 0 if not amount or not top else max(1, -(-LEVELS * amount // top))
        tiles.append(
            Tile(
                col * TILE,
                row * TILE,
                province.code,
                province.name,
                _initials(province),
                amount,
                level,
                province.code in home_codes,
            )
        )
    columns = 1 + max(c for c, _ in TILE_GRID.values())
    rows = 1 + max(r for _, r in TILE_GRID.values())
    return TileMap(columns * TILE, rows * TILE, sorted(tiles, key=lambda t: (t.y, t.x)))


# --- products --------------------------------------------------------------------------


@dataclass
class CertifiedCount:
    group_code: str
    stars: dict[int, int] = field(default_factory=lambda: {3: 0, 4: 0, 5: 0})

    @property
    def total(self) -> int:
        return sum(self.stars.values())


@dataclass(frozen=True)
class CertificateRow:
    certificate_id: int
    decision_number: str
    stars: int
    expires_on: date
    product_name: str
    product_slug: str
    producer_name: str
    producer_slug: str
    days_left: int  # negative once expired


@dataclass(frozen=True)
class HeldBackRow:
    product_name: str
    product_slug: str
    producer_name: str
    producer_slug: str
    has_photo: bool
    has_stock: bool


@dataclass
class ProductsSection:
    certified: list[CertifiedCount]
    expiring_soon: list[CertificateRow]  # within EXPIRY_SOON days
    expiring_later: list[CertificateRow]  # within EXPIRY_LATER days, after EXPIRY_SOON
    expired: list[CertificateRow]  # ended, and no other certificate in force
    held_back: list[HeldBackRow]


def products_section(session: Session, codes: list[int], today: date) -> ProductsSection:
    """Certified products by group and stars, certificates ending soon or ended, and
    listings held back by a missing photo or stock. Three statements."""
    stars = current_stars_expr(today).label("stars")
    counted = (
        select(Product.group_code, stars)
        .join(Producer, Producer.id == Product.producer_id)
        .where(Producer.province_code.in_(codes), Producer.is_active.is_(True))
        .subquery()
    )
    groups: dict[str, CertifiedCount] = {}
    for group_code, star, number in session.execute(
        select(counted.c.group_code, counted.c.stars, func.count())
        .where(counted.c.stars.is_not(None))
        .group_by(counted.c.group_code, counted.c.stars)
    ):
        groups.setdefault(group_code, CertifiedCount(group_code)).stars[star] = number

    current = OcopCertificate.__table__.alias("in_force")
    in_force = exists().where(
        current.c.product_id == Product.id,
        current.c.status == CertificateStatus.VERIFIED,
        current.c.decision_date <= today,
        current.c.expires_on >= today,
    )
    newer = OcopCertificate.__table__.alias("newer")
    replaced = exists().where(
        newer.c.product_id == OcopCertificate.product_id,
        newer.c.status == CertificateStatus.VERIFIED,
        newer.c.expires_on > OcopCertificate.expires_on,
    )
    rows = session.execute(
        select(
            OcopCertificate.id,
            OcopCertificate.decision_number,
            OcopCertificate.stars,
            OcopCertificate.expires_on,
            Product.name,
            Product.slug,
            Producer.name,
            Producer.slug,
        )
        .join(Product, Product.id == OcopCertificate.product_id)
        .join(Producer, Producer.id == Product.producer_id)
        .where(
            Producer.province_code.in_(codes),
            OcopCertificate.status == CertificateStatus.VERIFIED,
            OcopCertificate.expires_on <= today + timedelta(days=EXPIRY_LATER),
            ~replaced,
            or_(OcopCertificate.expires_on >= today, ~in_force),
        )
        .order_by(OcopCertificate.expires_on, OcopCertificate.id)
        .limit(3 * LIST_LIMIT)
    ).all()
    soon, later, expired = [], [], []
    for cid, number, star, ends, product, pslug, producer, rslug in rows:
        row = CertificateRow(
            cid, number, star, ends, product, pslug, producer, rslug, (ends - today).days
        )
        if row.days_left < 0:
            expired.append(row)
        elif row.days_left <= EXPIRY_SOON:
            soon.append(row)
        else:
            later.append(row)
    expired.reverse()  # most recently ended first

    has_photo = exists().where(ProductPhoto.product_id == Product.id)
    has_stock = exists().where(
        Variant.product_id == Product.id, Variant.is_active.is_(True), Variant.stock > 0
    )
    held_back = [
        HeldBackRow(name, slug, producer, rslug, bool(photo), bool(stock))
        for name, slug, producer, rslug, photo, stock in session.execute(
            select(
                Product.name,
                Product.slug,
                Producer.name,
                Producer.slug,
                has_photo.label("has_photo"),
                has_stock.label("has_stock"),
            )
            .join(Producer, Producer.id == Product.producer_id)
            .where(
                Producer.province_code.in_(codes),
                Producer.is_active.is_(True),
                Product.is_published.is_(True),
                or_(~has_photo, ~has_stock),
            )
            .order_by(Producer.name, Product.name, Product.id)
            .limit(LIST_LIMIT)
        )
    ]
    return ProductsSection(
        sorted(groups.values(), key=lambda g: g.group_code),
        soon[:LIST_LIMIT],
        later[:LIST_LIMIT],
        expired[:LIST_LIMIT],
        held_back,
    )


# --- producers -------------------------------------------------------------------------


@dataclass
class ProducerRow:
    producer_id: int
    name: str
    slug: str
    kind: ProducerKind
    is_active: bool  # sold in the last ACTIVE_DAYS days
    reach: Reach = field(default_factory=Reach)


@dataclass
class ProducersSection:
    rows: list[ProducerRow]
    by_kind: dict[ProducerKind, int]
    active: int
    inactive: int
    sort: str
    descending: bool


def producers_section(
    session: Session,
    codes: list[int],
    period: Period,
    today: date,
    sort: str = "revenue",
    descending: bool = True,
) -> ProducersSection:
    """The provinces' producers with each one's reach in the period (outside share
    included) and whether it sold in the last ACTIVE_DAYS days, sorted by `sort`. Three
    statements (plus the rollup's coverage, twice)."""
    producers = {
        pid: ProducerRow(pid, name, slug, kind, False)
        for pid, name, slug, kind in session.execute(
            select(Producer.id, Producer.name, Producer.slug, Producer.kind)
            .where(Producer.province_code.in_(codes), Producer.is_active.is_(True))
            .order_by(Producer.id)
        )
    }
    # Each producer's own parts, wherever it was when it sold them.
    ids = select(Producer.id).where(Producer.province_code.in_(codes))
    src = facts(session, period.first_day, period.last_day, None, ids)
    is_out = (src.c.origin != src.c.destination).label("is_outside")
    for pid, is_outside, parts, units, revenue in session.execute(
        select(src.c.producer_id, is_out, *_sums(src)).group_by(src.c.producer_id, is_out)
    ):
        if pid in producers:
            producers[pid].reach.add(bool(is_outside), parts, units, revenue)
    recent = facts(session, today - timedelta(days=ACTIVE_DAYS - 1), today, None, ids)
    for (pid,) in session.execute(select(recent.c.producer_id).distinct()):
        if pid in producers:
            producers[pid].is_active = True
    sort = sort if sort in PRODUCER_SORTS else "revenue"
    keys = {
        "name": lambda r: (r.name.casefold(), r.producer_id),
        "parts": lambda r: (r.reach.parts, r.name.casefold()),
        "revenue": lambda r: (r.reach.revenue_vnd, r.name.casefold()),
        "outside": lambda r: (
            -1.0 if r.reach.outside_share is None else r.reach.outside_share,
            r.name.casefold(),
        ),
    }
    rows = sorted(producers.values(), key=keys[sort], reverse=descending)
    by_kind = {kind: 0 for kind in ProducerKind}
    for row in rows:
        by_kind[row.kind] += 1
    active = sum(1 for r in rows if r.is_active)
    return ProducersSection(rows, by_kind, active, len(rows) - active, sort, descending)


# --- fairs -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FairRow:
    fair_id: int
    name: str
    slug: str
    starts_on: date
    ends_on: date
    orders: int
    revenue_vnd: int
    outside_share: int  # percent, as the fair report shows it


def fairs_section(session: Session, codes: list[int], period: Period) -> list[FairRow]:
    """The provinces' public fairs held in the period, with the fair report's numbers
    (storefront.fairs.report, computed once for all of them). Two statements."""
    fairs = session.execute(
        select(Fair.id, Fair.name, Fair.slug, Fair.starts_on, Fair.ends_on)
        .where(
            Fair.province_code.in_(codes),
            Fair.state != FairState.DRAFT,
            and_(Fair.starts_on <= period.last_day, Fair.ends_on >= period.first_day),
        )
        .order_by(Fair.starts_on.desc(), Fair.id.desc())
        .limit(LIST_LIMIT)
    ).all()
    reports = fair_reports(session, [f.id for f in fairs])
    return [
        FairRow(
            f.id,
            f.name,
            f.slug,
            f.starts_on,
            f.ends_on,
            reports[f.id].orders,
            reports[f.id].revenue_vnd,
            reports[f.id].outside_share,
        )
        for f in fairs
    ]


# --- the national view -----------------------------------------------------------------


@dataclass
class ProvinceRank:
    province_code: int
    name: str
    slug: str
    reach: Reach


def national_ranking(session: Session, period: Period) -> list[ProvinceRank]:
    """Every province with the reach of its producers' orders in the period, ranked by
    revenue (the page also ranks by outside share). One statement."""
    src = origin_facts(session, period.first_day, period.last_day, None)
    is_out = src.c.outside
    ranks = {p.code: ProvinceRank(p.code, p.name, p.slug, Reach()) for p in all_provinces()}
    for origin, is_outside, parts, units, revenue in session.execute(
        select(src.c.origin, is_out, *_sums(src)).group_by(src.c.origin, is_out)
    ):
        if origin in ranks:
            ranks[origin].reach.add(bool(is_outside), parts, units, revenue)
    return sorted(ranks.values(), key=lambda r: (-r.reach.revenue_vnd, r.name))


def by_outside_share(ranking: list[ProvinceRank]) -> list[ProvinceRank]:
    """The same provinces ranked by outside share (provinces without orders last)."""
    return sorted(
        ranking,
        key=lambda r: (r.reach.outside_share is None, -(r.reach.outside_share or 0), r.name),
    )
