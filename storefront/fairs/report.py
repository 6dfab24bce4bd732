"""A fair's report for its organisers: what the orders attributed to it sold, by exhibitor
and product, and where the buyers live compared with each producer's province; and its
business side (meetings held, quotes asked and accepted, offtake agreements signed),
which the business domains feed in through BUSINESS_FIGURES."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from storefront.extensions import Session
from storefront.fairs.models import FairOrder
from storefront.orders.models import Order, OrderLine, OrderPart, PartStatus
from storefront.orders.reach import outside
from storefront.places import get_province
from storefront.spreadsheets import SpreadsheetCsv


@dataclass
class ProductRow:
    producer_name: str
    product_name: str
    orders: int
    units: int
    revenue_vnd: int


@dataclass
class ExhibitorRow:
    producer_id: int
    producer_name: str
    province_name: str
    orders: int = 0
    units: int = 0
    revenue_vnd: int = 0
    outside_orders: int = 0  # orders delivered outside the producer's province

    @property
    def outside_share(self) -> int:
        """Percent of this exhibitor's orders going outside its province (rounded)."""
        return round(100 * self.outside_orders / self.orders) if self.orders else 0


@dataclass
class ProvinceRow:
    province_name: str
    orders: int
    revenue_vnd: int


@dataclass
class FairReport:
    orders: int
    units: int
    revenue_vnd: int
    exhibitors: list[ExhibitorRow]
    products: list[ProductRow]
    provinces: list[ProvinceRow]

    @property
    def outside_share(self) -> int:
        """Percent of the exhibitors' orders going outside their province (rounded)."""
        parts = sum(e.orders for e in self.exhibitors)
        return round(100 * sum(e.outside_orders for e in self.exhibitors) / parts) if parts else 0


@dataclass
class BusinessRow:
    """One line of the business section: how many (meetings held, quotes accepted…),
    how many of them with a buyer outside the producer's province, and for agreements
    their value. `label` is a msgid, translated where it is shown."""

    key: str
    label: str
    count: int
    outside: int = 0
    value_vnd: int | None = None

    @property
    def outside_share(self) -> int:
        """Percent with buyers outside the producer's province (rounded)."""
        return round(100 * self.outside / self.count) if self.count else 0


# The business section's rows, from the domains that own them, each (session, fair_id) ->
# rows: "meetings" (storefront/meetings/report.py), "quotes" and "agreements" (the quote
# and offtake domains' fair figures). They register in their init_app, so fairs imports
# none of them; the section shows them in BUSINESS_ORDER.
BusinessFigures = Callable[[Session, int], list[BusinessRow]]
BUSINESS_FIGURES: dict[str, BusinessFigures] = {}
BUSINESS_ORDER = ("meetings", "quotes", "agreements")


def business_section(session: Session, fair_id: int) -> list[BusinessRow]:
    """The fair's business rows from every registered domain, in BUSINESS_ORDER."""
    rank = {name: i for i, name in enumerate(BUSINESS_ORDER)}
    rows: list[BusinessRow] = []
    for name in sorted(BUSINESS_FIGURES, key=lambda n: (rank.get(n, len(rank)), n)):
        rows += BUSINESS_FIGURES[name](session, fair_id)
    return rows


def _province_name(code: int) -> str:
    province = get_province(code)
    return province.name if province else str(code)


def _report_rows(fair_ids: list[int]) -> Any:
    """Lines of parts not cancelled, of orders attributed to these fairs, with the fair."""
    return (
        select(
            FairOrder.fair_id,
            Order.id,
            Order.province_code,
            OrderPart.producer_id,
            OrderPart.producer_name,
            OrderPart.origin_province_code,
            OrderLine.product_id,
            OrderLine.product_name,
            OrderLine.quantity,
            OrderLine.unit_price_vnd,
        )
        .join(FairOrder, FairOrder.order_id == Order.id)
        .join(OrderPart, OrderPart.order_id == Order.id)
        .join(OrderLine, OrderLine.part_id == OrderPart.id)
        .where(FairOrder.fair_id.in_(fair_ids), OrderPart.status != PartStatus.CANCELLED)
        .order_by(FairOrder.fair_id, Order.id, OrderPart.id, OrderLine.id)
    )


def fair_report(session: Session, fair_id: int) -> FairReport:
    """Orders attributed to the fair, counting lines of parts that were not cancelled
    (one query; revenue is goods only, without shipping)."""
    return _build_report([row[1:] for row in session.execute(_report_rows([fair_id]))])


def fair_reports(session: Session, fair_ids: list[int]) -> dict[int, FairReport]:
    """The reports of several fairs in one query (the province dashboard's fair table):
    the same numbers fair_report gives for each."""
    by_fair: dict[int, list[Any]] = {fair_id: [] for fair_id in fair_ids}
    if fair_ids:
        for row in session.execute(_report_rows(fair_ids)):
            by_fair[row[0]].append(row[1:])
    return {fair_id: _build_report(rows) for fair_id, rows in by_fair.items()}


def _build_report(rows: list[Any]) -> FairReport:
    exhibitors: dict[int, ExhibitorRow] = {}
    exhibitor_orders: dict[int, set[int]] = {}
    products: dict[tuple[int, int], ProductRow] = {}
    product_orders: dict[tuple[int, int], set[int]] = {}
    provinces: dict[int, list[int]] = {}  # code -> [orders, revenue]
    province_orders: dict[int, set[int]] = {}
    orders: set[int] = set()
    for order_id, dest, producer_id, producer, origin, product_id, product, qty, price in rows:
        amount = qty * price
        orders.add(order_id)
        ex = exhibitors.setdefault(
            producer_id, ExhibitorRow(producer_id, producer, _province_name(origin))
        )
        ex.units += qty
        ex.revenue_vnd += amount
        if order_id not in exhibitor_orders.setdefault(producer_id, set()):
            exhibitor_orders[producer_id].add(order_id)
            ex.orders += 1
            ex.outside_orders += outside(origin, dest)
        key = (producer_id, product_id)
        row = products.setdefault(key, ProductRow(producer, product, 0, 0, 0))
        row.units += qty
        row.revenue_vnd += amount
        if order_id not in product_orders.setdefault(key, set()):
            product_orders[key].add(order_id)
            row.orders += 1
        totals = provinces.setdefault(dest, [0, 0])
        totals[1] += amount
        if order_id not in province_orders.setdefault(dest, set()):
            province_orders[dest].add(order_id)
            totals[0] += 1
    report = FairReport(
        orders=len(orders),
        units=sum(e.units for e in exhibitors.values()),
        revenue_vnd=sum(e.revenue_vnd for e in exhibitors.values()),
        exhibitors=sorted(exhibitors.values(), key=lambda e: (-e.revenue_vnd, e.producer_name)),
        products=sorted(products.values(), key=lambda p: (-p.revenue_vnd, p.product_name)),
        provinces=sorted(
            (ProvinceRow(_province_name(c), o, r) for c, (o, r) in provinces.items()),
            key=lambda p: (-p.orders, p.province_name),
        ),
    )
    return report


def report_csv(report: FairReport, business: list[BusinessRow] | None = None) -> str:
    """The report's product, exhibitor and province tables, and its business rows, as CSV
    (UTF-8 with a BOM for Excel; cells that would start a formula are neutralised)."""
    writer = SpreadsheetCsv()
    writer.writerow(["chu_the", "san_pham", "don_hang", "so_luong", "doanh_thu_vnd"])
    for p in report.products:
        writer.writerow([p.producer_name, p.product_name, p.orders, p.units, p.revenue_vnd])
    writer.writerow([])
    writer.writerow(["chu_the", "tinh_chu_the", "don_hang", "ty_le_ngoai_tinh_phan_tram"])
    for e in report.exhibitors:
        writer.writerow([e.producer_name, e.province_name, e.orders, e.outside_share])
    writer.writerow([])
    writer.writerow(["tinh_nguoi_mua", "don_hang", "doanh_thu_vnd"])
    for pr in report.provinces:
        writer.writerow([pr.province_name, pr.orders, pr.revenue_vnd])
    if business:
        writer.writerow([])
        writer.writerow(["giao_thuong", "so_luong", "ty_le_ngoai_tinh_phan_tram", "gia_tri_vnd"])
        for row in business:
            value = "" if row.value_vnd is None else row.value_vnd
            writer.writerow([row.key, row.count, row.outside_share, value])
    return writer.text()
