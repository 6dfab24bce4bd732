"""What sells and where: a producer's sales by week, by product and by destination.

Counted from order lines of parts not cancelled, at the prices paid, without shipping.
Weeks run Monday to Sunday on Vietnam's calendar. One query fetches the lines of the
period and everything is added up here, so the page costs the same whatever it shows.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select

from storefront.extensions import Session
from storefront.orders.models import Order, OrderLine, OrderPart, PartStatus
from storefront.orders.reach import outside
from storefront.places import get_province
from storefront.timeutil import VIETNAM_TZ

DEFAULT_WEEKS = 12
WEEK_CHOICES = (4, 12, 26, 52)
TOP_PRODUCTS = 10


@dataclass(frozen=True)
class Week:
    start: date  # a Monday
    revenue_vnd: int
    units: int


@dataclass(frozen=True)
class ProductSales:
    product_id: int
    name: str
    units: int
    revenue_vnd: int


@dataclass(frozen=True)
class ProvinceSales:
    province_code: int
    name: str
    orders: int
    revenue_vnd: int
    is_home: bool


@dataclass
class SalesReport:
    weeks: list[Week]
    top_products: list[ProductSales]
    provinces: list[ProvinceSales]
    home_province_code: int
    orders: int = 0
    orders_outside: int = 0
    revenue_vnd: int = 0
    units: int = 0

    @property
    def share_outside(self) -> float | None:
        """Share of orders shipped outside the producer's province (None without orders)."""
        return self.orders_outside / self.orders if self.orders else None


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _local_day(moment: datetime) -> date:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM_TZ).date()


def sales_report(
    session: Session, producer_id: int, home_province_code: int, today: date, weeks: int
) -> SalesReport:
    """Sales of the last `weeks` weeks up to `today` (Vietnam's date): revenue and units
    per week (empty weeks included), the top products, and orders per destination
    province with the share sent outside `home_province_code`. One query."""
    first_week = week_start(today) - timedelta(weeks=weeks - 1)
    since = datetime.combine(first_week, time.min, tzinfo=VIETNAM_TZ).astimezone(UTC)
    rows = session.execute(
        select(
            Order.placed_at,
            Order.province_code,
            OrderPart.id,
            OrderPart.origin_province_code,
            OrderLine.product_id,
            OrderLine.product_name,
            OrderLine.quantity,
            OrderLine.unit_price_vnd,
        )
        .join(OrderPart, OrderPart.order_id == Order.id)
        .join(OrderLine, OrderLine.part_id == OrderPart.id)
        .where(
            OrderPart.producer_id == producer_id,
            OrderPart.status != PartStatus.CANCELLED,
            Order.placed_at >= since,
        )
        .order_by(Order.placed_at)
    ).all()

    by_week: dict[date, list[int]] = {first_week + timedelta(weeks=n): [0, 0] for n in range(weeks)}
    by_product: dict[int, list[Any]] = {}  # [name, quantity, revenue]
    part_province: dict[int, int] = {}
    part_outside: dict[int, bool] = {}
    province_revenue: dict[int, int] = defaultdict(int)
    for placed_at, province_code, part_id, origin, product_id, name, quantity, unit_price in rows:
        amount = quantity * unit_price
        bucket = by_week.get(week_start(_local_day(placed_at)))
        if bucket is None:
            continue
        bucket[0] += amount
        bucket[1] += quantity
        entry = by_product.setdefault(product_id, [name, 0, 0])
        entry[1] += quantity
        entry[2] += amount
        part_province[part_id] = province_code
        part_outside[part_id] = outside(origin, province_code)
        province_revenue[province_code] += amount

    province_orders: dict[int, int] = defaultdict(int)
    for code in part_province.values():
        province_orders[code] += 1
    provinces = [
        ProvinceSales(
            code,
            province.name if (province := get_province(code)) else str(code),
            province_orders[code],
            province_revenue[code],
            code == home_province_code,
        )
        for code in province_orders
    ]
    provinces.sort(key=lambda p: (-p.orders, -p.revenue_vnd, p.name))
    top = sorted(
        (
            ProductSales(pid, name, units, revenue)
            for pid, (name, units, revenue) in by_product.items()
        ),
        key=lambda p: (-p.revenue_vnd, -p.units, p.name),
    )[:TOP_PRODUCTS]
    report = SalesReport(
        weeks=[Week(start, revenue, units) for start, (revenue, units) in sorted(by_week.items())],
        top_products=top,
        provinces=provinces,
        home_province_code=home_province_code,
    )
    report.orders = len(part_province)
    # Outside the producer's province at the time of each order (storefront.orders.reach).
    report.orders_outside = sum(part_outside.values())
    report.revenue_vnd = sum(week.revenue_vnd for week in report.weeks)
    report.units = sum(week.units for week in report.weeks)
    return report
