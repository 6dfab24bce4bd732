"""A synthetic order history for benchmarks (`flask demo generate --orders N`).

N order parts over the last two years, on the producers and packs already in the
database: seasonal (Tết in January and February, the mid-autumn months), mostly cash on
delivery, about 55–60% delivered outside the producer's province (Hà Nội and Hồ Chí Minh
buy most), one order in eight with two producers, about 7% of parts cancelled, and a few
fairs (with the orders placed through them). Rows go in with bulk inserts (COPY on
PostgreSQL) as in storefront.demo.generate; buyers are made up ("Khách demo …"), and no
stock is taken. Only flushes; the caller commits.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select, text

from storefront.accounts.models import Role, User
from storefront.catalog.models import Producer, Product, Variant
from storefront.demo.generate import _write
from storefront.extensions import Session
from storefront.fairs.models import Fair, FairOrder, FairState
from storefront.orders.models import Order, OrderLine, OrderPart, PartStatus, PaymentStatus
from storefront.orders.placement import NUMBER_ALPHABET
from storefront.places import all_provinces, wards_of
from storefront.timeutil import VIETNAM_TZ

BATCH_PARTS = 20_000
DAYS = 730
HOME_SHARE = 0.42  # parts bought in the producer's own province
CANCELLED_SHARE = 0.07
TWO_PRODUCERS = 0.12
FAIRS = 6
FAIR_SHARE = 0.5  # of the orders placed while a fair is open, of its province's producers
# Relative weight of each month (January first): Tết gifts, then the mid-autumn season.
SEASON = (1.8, 1.5, 0.8, 0.8, 0.9, 0.9, 0.9, 1.0, 1.2, 1.3, 1.1, 1.4)
BIG_CITIES = {1: 9.0, 79: 10.0, 48: 2.5, 31: 2.5, 92: 2.0}  # Hà Nội, HCM, Đà Nẵng, …
PAYMENTS = (("cod", 0.78), ("bank_transfer", 0.18), ("card", 0.04))


@dataclass
class OrdersSummary:
    orders: int = 0
    parts: int = 0
    lines: int = 0
    fairs: int = 0


@dataclass(frozen=True)
class _Pack:
    variant_id: int
    product_id: int
    product_name: str
    label: str
    sku: str
    price: int
    weight: int


def _reserve(session: Session, table: str, count: int) -> list[int]:
    if session.get_bind().dialect.name == "postgresql":
        stmt = text(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) "  # noqa: S608 - fixed names
            "FROM generate_series(1, :n)"
        )
        return list(session.execute(stmt, {"n": count}).scalars())
    top = session.execute(text(f"SELECT max(id) FROM {table}")).scalar_one() or 0  # noqa: S608
    return list(range(top + 1, top + 1 + count))


def _number(order_id: int) -> str:
    digits, n = [], order_id
    for _ in range(6):
        n, r = divmod(n, len(NUMBER_ALPHABET))
        digits.append(NUMBER_ALPHABET[r])
    return f"OC-9{order_id // 30**6 % 1000:03d}-{''.join(reversed(digits))}"


def _moment(rng: random.Random, today: date) -> datetime:
    """A placing time in the last DAYS days, by season, mostly in the daytime."""
    while True:
        day = today - timedelta(days=rng.randrange(DAYS))
        if rng.random() * max(SEASON) <= SEASON[day.month - 1]:
            break
    hour = min(23, max(0, int(rng.gauss(14, 4))))
    local = datetime.combine(day, time(hour, rng.randrange(60), rng.randrange(60)))
    return local.replace(tzinfo=VIETNAM_TZ).astimezone(UTC)


def _status(rng: random.Random, placed: datetime, now: datetime) -> PartStatus:
    if rng.random() < CANCELLED_SHARE:
        return PartStatus.CANCELLED
    age = (now - placed).days
    if age > 7:
        return PartStatus.DELIVERED
    return rng.choice((PartStatus.PLACED, PartStatus.CONFIRMED, PartStatus.SHIPPED))


def _load_packs(session: Session) -> dict[int, list[_Pack]]:
    """Active packs of published products, by producer."""
    packs: dict[int, list[_Pack]] = {}
    for producer_id, *row in session.execute(
        select(
            Product.producer_id,
            Variant.id,
            Product.id,
            Product.name,
            Variant.label,
            Variant.sku,
            Variant.price_vnd,
            Variant.weight_grams,
        )
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.is_active.is_(True), Product.is_published.is_(True))
        .order_by(Variant.id)
    ):
        packs.setdefault(producer_id, []).append(_Pack(*row))
    return packs


def _make_fairs(
    session: Session, rng: random.Random, today: date, provinces: list[int]
) -> list[tuple[int, int, datetime, datetime]]:
    """(fair id, province, opens, closes) of a few past fairs, run by an organiser."""
    organiser = session.execute(
        select(User.id).where(User.role.in_((Role.ORGANISER, Role.ADMIN))).order_by(User.id)
    ).scalar()
    if organiser is None or not provinces:
        return []
    fairs = []
    for n in range(FAIRS):
        province = provinces[n % len(provinces)]
        starts = today - timedelta(days=30 + rng.randrange(DAYS - 60))
        ends = starts + timedelta(days=4)
        opens = datetime.combine(starts, time(8)).replace(tzinfo=VIETNAM_TZ).astimezone(UTC)
        closes = datetime.combine(ends, time(22)).replace(tzinfo=VIETNAM_TZ).astimezone(UTC)
        fair = Fair(
            slug=f"hoi-cho-ocop-demo-{province}-{starts.isoformat()}-{rng.randrange(10**6)}",
            name=f"Hội chợ OCOP demo {n + 1}",
            description="Hội chợ sinh ra cho đo hiệu năng.",
            venue="Trung tâm hội chợ",
            province_code=province,
            starts_on=starts,
            ends_on=ends,
            opens_at=opens,
            closes_at=closes,
            state=FairState.PUBLISHED,
            organiser_id=organiser,
        )
        session.add(fair)
        session.flush()
        fairs.append((fair.id, province, opens, closes))
    return fairs


def generate_orders(
    session: Session,
    parts: int,
    seed: int,
    today: date,
    now: datetime,
    progress: Callable[[int], object] | None = None,
) -> OrdersSummary:
    """Insert about `parts` order parts (see the module's docstring)."""
    rng = random.Random(seed)  # noqa: S311 - test data, not security
    summary = OrdersSummary()
    packs = _load_packs(session)
    producers = {
        pid: (name, code)
        for pid, name, code in session.execute(
            select(Producer.id, Producer.name, Producer.province_code).where(
                Producer.id.in_(list(packs))
            )
        )
    }
    producer_ids = sorted(producers)
    if parts <= 0 or not producer_ids:
        return summary
    codes = [p.code for p in all_provinces()]
    weights = [BIG_CITIES.get(code, 1.0) for code in codes]
    ward_of = {code: wards_of(code)[0].code for code in codes}
    home_provinces = sorted({code for _, code in producers.values()})
    fairs = _make_fairs(session, rng, today, home_provinces)
    summary.fairs = len(fairs)
    methods = [method for method, _ in PAYMENTS]
    method_weights = [weight for _, weight in PAYMENTS]
    made = 0
    while made < parts:
        size = min(BATCH_PARTS, parts - made)
        plans = []  # (placed, destination, [producer ids])
        planned = 0
        while planned < size:
            first = rng.choice(producer_ids)
            group = [first]
            if planned + 1 < size and rng.random() < TWO_PRODUCERS:
                second = rng.choice(producer_ids)
                if second != first:
                    group.append(second)
            origin = producers[first][1]
            if rng.random() < HOME_SHARE:
                destination = origin
            else:
                destination = rng.choices(codes, weights)[0]
            plans.append((_moment(rng, today), destination, group))
            planned += len(group)
        order_ids = _reserve(session, "customer_order", len(plans))
        part_ids = iter(_reserve(session, "order_part", planned))
        orders, part_rows, line_rows, fair_rows = [], [], [], []
        for order_id, (placed, destination, group) in zip(order_ids, plans, strict=True):
            items_total = shipping_total = 0
            cancelled_all = True
            for producer_id in group:
                part_id = next(part_ids)
                chosen = rng.sample(
                    packs[producer_id], k=min(len(packs[producer_id]), rng.choice((1, 1, 1, 2)))
                )
                items = weight = 0
                for pack in chosen:
                    quantity = rng.choice((1, 1, 1, 2, 2, 3, 5))
                    items += pack.price * quantity
                    weight += pack.weight * quantity
                    line_rows.append(
                        {
                            "part_id": part_id,
                            "variant_id": pack.variant_id,
                            "product_id": pack.product_id,
                            "product_name": pack.product_name,
                            "variant_label": pack.label,
                            "sku": pack.sku,
                            "unit_price_vnd": pack.price,
                            "unit_weight_grams": pack.weight,
                            "quantity": quantity,
                        }
                    )
                fee = 22_000 if producers[producer_id][1] == destination else 35_000
                status = _status(rng, placed, now)
                cancelled_all = cancelled_all and status == PartStatus.CANCELLED
                items_total += items
                shipping_total += fee
                part_rows.append(
                    {
                        "id": part_id,
                        "order_id": order_id,
                        "producer_id": producer_id,
                        "producer_name": producers[producer_id][0],
                        "origin_province_code": producers[producer_id][1],
                        "status": status.value,
                        "items_total_vnd": items,
                        "shipping_fee_vnd": fee,
                        "weight_grams": weight,
                        "carrier": "",
                        "tracking_number": "",
                        "updated_at": placed,
                    }
                )
            method = rng.choices(methods, method_weights)[0]
            paid = method != "cod" and not cancelled_all
            orders.append(
                {
                    "id": order_id,
                    "number": _number(order_id),
                    "checkout_token": f"demo-order-{order_id}-{seed}",
                    "user_id": None,
                    "contact_name": f"Khách demo {order_id}",
                    "phone": f"09{order_id % 10**8:08d}",
                    "email": f"khach{order_id}@demo.invalid",
                    "province_code": destination,
                    "ward_code": ward_of[destination],
                    "street": "Số 1",
                    "note": "",
                    "language": "vi",
                    "payment_method": method,
                    "payment_status": (
                        PaymentStatus.CANCELLED
                        if cancelled_all
                        else PaymentStatus.PAID
                        if paid
                        else PaymentStatus.ON_DELIVERY
                    ).value,
                    "items_total_vnd": items_total,
                    "shipping_total_vnd": shipping_total,
                    "total_vnd": items_total + shipping_total,
                    "placed_at": placed,
                    "paid_at": placed if paid else None,
                }
            )
            for fair_id, province, opens, closes in fairs:
                if (
                    opens <= placed < closes
                    and producers[group[0]][1] == province
                    and rng.random() < FAIR_SHARE
                ):
                    fair_rows.append({"order_id": order_id, "fair_id": fair_id})
                    break
        _write(session, Order, orders)
        _write(session, OrderPart, part_rows)
        _write(session, OrderLine, line_rows)
        _write(session, FairOrder, fair_rows)
        summary.orders += len(orders)
        summary.parts += len(part_rows)
        summary.lines += len(line_rows)
        made += planned
        if progress:
            progress(planned)
    return summary
