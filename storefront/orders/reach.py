"""How far orders travel: the one definition of "outside the province".

An order part is *outside* when the order's delivery province differs from the part's
origin province, the producer's province at the time of the order (copied onto the part
when it was placed, so a producer who moves later does not rewrite history). Counted:
parts not cancelled, their goods (lines at the prices paid, without shipping), by the
day the order was placed on Vietnam's calendar (UTC+7 all year, no daylight saving).

The producer sales page, the fair report and the province dashboards all count with
`is_outside`; the dashboards read `part_facts` (live) or its daily rollup.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, Date, Select, func, literal, select

from storefront.orders.models import Order, OrderLine, OrderPart, PartStatus
from storefront.timeutil import VIETNAM_TZ

VIETNAM_OFFSET_HOURS = 7  # Asia/Ho_Chi_Minh has kept UTC+7 since 1975


def is_outside(origin: ColumnElement[int], destination: ColumnElement[int]) -> ColumnElement[bool]:
    """SQL: the part went to another province than the one it came from."""
    return origin != destination


def outside(origin_province_code: int, destination_province_code: int) -> bool:
    """The same rule for values already loaded."""
    return origin_province_code != destination_province_code


def local_day(column: Any, dialect: str) -> ColumnElement[date]:
    """SQL for the Vietnam calendar day of a UTC timestamp column."""
    if dialect == "postgresql":
        return func.date(func.timezone("Asia/Ho_Chi_Minh", column), type_=Date)
    return func.date(column, f"+{VIETNAM_OFFSET_HOURS} hours", type_=Date)


def day_start_utc(day: date) -> datetime:
    """The UTC moment Vietnam's `day` begins."""
    return datetime.combine(day, time.min, tzinfo=VIETNAM_TZ).astimezone(UTC)


def part_units() -> Select[tuple[int, int]]:
    """(part id, units) from the order lines, to join onto parts."""
    return select(OrderLine.part_id, func.sum(OrderLine.quantity).label("units")).group_by(
        OrderLine.part_id
    )


def part_facts(dialect: str, first_day: date, last_day: date | None = None) -> Select:  # type: ignore[type-arg]
    """One row per counted part placed from `first_day` to `last_day` (Vietnam days,
    inclusive; open-ended without `last_day`): day, producer_id, origin, destination,
    parts (1), units and revenue_vnd (goods only). The rollup stores the same columns
    summed per day, producer and destination."""
    units = (
        select(func.coalesce(func.sum(OrderLine.quantity), 0))
        .where(OrderLine.part_id == OrderPart.id)
        .correlate(OrderPart)
        .scalar_subquery()
    )
    query = (
        select(
            local_day(Order.placed_at, dialect).label("day"),
            OrderPart.producer_id.label("producer_id"),
            OrderPart.origin_province_code.label("origin"),
            Order.province_code.label("destination"),
            literal(1).label("parts"),
            units.label("units"),
            OrderPart.items_total_vnd.label("revenue_vnd"),
        )
        .join(Order, Order.id == OrderPart.order_id)
        .where(
            OrderPart.status != PartStatus.CANCELLED, Order.placed_at >= day_start_utc(first_day)
        )
    )
    if last_day is not None:
        query = query.where(
            Order.placed_at < day_start_utc(date.fromordinal(last_day.toordinal() + 1))
        )
    return query
