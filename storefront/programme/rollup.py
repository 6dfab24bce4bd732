"""The daily rollup behind the dashboards, and the facts they read.

`flask programme refresh` (run nightly, and whenever wanted) sums the counted parts of
every closed day (before today in Vietnam) into programme_reach_day. Days it has seen
are summed again when one of their parts changed since (a cancellation, or a refund that
cancels a part, after the day closed), so the rollup and the live orders agree after
each refresh. The dashboards read the rollup for the days it covers and the live orders
for the rest, so today's orders show at once and nothing is counted twice.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Select, Subquery, delete, func, insert, select, union_all

from storefront.extensions import Session
from storefront.orders.models import Order, OrderPart
from storefront.orders.reach import local_day, part_facts
from storefront.programme.models import ReachDay, ReachOriginDay, ReachRollup

ROLLUP_ID = 1
EPOCH = date(2000, 1, 1)  # before any order


def covered_until(session: Session) -> date | None:
    """The first day the rollup does not hold (None before the first refresh)."""
    return session.execute(
        select(ReachRollup.covered_until).where(ReachRollup.id == ROLLUP_ID)
    ).scalar_one_or_none()


def facts(
    session: Session,
    first_day: date,
    last_day: date,
    origin_codes: list[int] | None,
    producer_ids: Select[tuple[int]] | None = None,
) -> Subquery:
    """Rows with day, producer_id, origin, destination, parts, units, revenue_vnd for
    parts placed from `first_day` to `last_day` (inclusive) that came from `origin_codes`
    (None: every province) and, if given, from the producers `producer_ids` selects:
    rollup rows for covered days, live parts after. Reads the rollup's coverage (one
    statement)."""
    dialect = session.get_bind().dialect.name
    until = covered_until(session)
    branches = []
    if until is not None and first_day < until:
        rolled = select(
            ReachDay.day.label("day"),
            ReachDay.producer_id.label("producer_id"),
            ReachDay.origin_province_code.label("origin"),
            ReachDay.destination_province_code.label("destination"),
            ReachDay.parts.label("parts"),
            ReachDay.units.label("units"),
            ReachDay.revenue_vnd.label("revenue_vnd"),
        ).where(ReachDay.day >= first_day, ReachDay.day <= last_day, ReachDay.day < until)
        if origin_codes is not None:
            rolled = rolled.where(ReachDay.origin_province_code.in_(origin_codes))
        if producer_ids is not None:
            rolled = rolled.where(ReachDay.producer_id.in_(producer_ids))
        branches.append(rolled)
    live_from = first_day if until is None else max(first_day, until)
    if live_from <= last_day or not branches:
        live = part_facts(dialect, live_from, last_day)
        if origin_codes is not None:
            live = live.where(OrderPart.origin_province_code.in_(origin_codes))
        if producer_ids is not None:
            live = live.where(OrderPart.producer_id.in_(producer_ids))
        branches.append(live)
    if len(branches) == 1:
        return branches[0].subquery("facts")
    return union_all(*branches).subquery("facts")


def origin_facts(
    session: Session, first_day: date, last_day: date, origin_codes: list[int] | None
) -> Subquery:
    """Rows with day, origin, outside, parts, units, revenue_vnd, as `facts` but summed
    over producers and destinations (the coarser rollup, and the live parts after it)."""
    dialect = session.get_bind().dialect.name
    until = covered_until(session)
    branches: list[Select] = []  # type: ignore[type-arg]
    if until is not None and first_day < until:
        rolled = select(
            ReachOriginDay.day.label("day"),
            ReachOriginDay.origin_province_code.label("origin"),
            ReachOriginDay.outside.label("outside"),
            ReachOriginDay.parts.label("parts"),
            ReachOriginDay.units.label("units"),
            ReachOriginDay.revenue_vnd.label("revenue_vnd"),
        ).where(
            ReachOriginDay.day >= first_day,
            ReachOriginDay.day <= last_day,
            ReachOriginDay.day < until,
        )
        if origin_codes is not None:
            rolled = rolled.where(ReachOriginDay.origin_province_code.in_(origin_codes))
        branches.append(rolled)
    live_from = first_day if until is None else max(first_day, until)
    if live_from <= last_day or not branches:
        query = part_facts(dialect, live_from, last_day)
        if origin_codes is not None:
            query = query.where(OrderPart.origin_province_code.in_(origin_codes))
        live = query.subquery("live")
        branches.append(
            select(
                live.c.day,
                live.c.origin,
                (live.c.origin != live.c.destination).label("outside"),
                live.c.parts,
                live.c.units,
                live.c.revenue_vnd,
            )
        )
    if len(branches) == 1:
        return branches[0].subquery("origin_facts")
    return union_all(*branches).subquery("origin_facts")


def _sum_origins(days: list[date] | None):  # type: ignore[no-untyped-def]
    outside = ReachDay.origin_province_code != ReachDay.destination_province_code
    query = select(
        ReachDay.day,
        ReachDay.origin_province_code,
        outside,
        func.sum(ReachDay.parts),
        func.sum(ReachDay.units),
        func.sum(ReachDay.revenue_vnd),
    ).group_by(ReachDay.day, ReachDay.origin_province_code, outside)
    if days is not None:
        query = query.where(ReachDay.day.in_(days))
    return query


ORIGIN_COLUMNS = ["day", "origin_province_code", "outside", "parts", "units", "revenue_vnd"]


def _grouped(dialect: str, first_day: date, last_day: date, days: list[date] | None):  # type: ignore[no-untyped-def]
    parts = part_facts(dialect, first_day, last_day).subquery()
    query = select(
        parts.c.day,
        parts.c.producer_id,
        parts.c.origin,
        parts.c.destination,
        func.sum(parts.c.parts),
        func.sum(parts.c.units),
        func.sum(parts.c.revenue_vnd),
    ).group_by(parts.c.day, parts.c.producer_id, parts.c.origin, parts.c.destination)
    if days is not None:
        query = query.where(parts.c.day.in_(days))
    return query


COLUMNS = [
    "day",
    "producer_id",
    "origin_province_code",
    "destination_province_code",
    "parts",
    "units",
    "revenue_vnd",
]


def refresh(session: Session, today: date, now: datetime) -> int:
    """Bring the rollup up to the end of yesterday (Vietnam), summing again the days whose
    parts changed since the last refresh. Returns how many days were (re)summed. Flushes
    only; the caller commits, so readers see the old rollup or the new one, never half."""
    dialect = session.get_bind().dialect.name
    state = session.get(ReachRollup, ROLLUP_ID, with_for_update=dialect == "postgresql")
    if state is None:
        session.execute(delete(ReachDay))
        session.execute(delete(ReachOriginDay))
        if today > EPOCH:
            session.execute(
                insert(ReachDay).from_select(
                    COLUMNS, _grouped(dialect, EPOCH, _before(today), None)
                )
            )
            session.execute(insert(ReachOriginDay).from_select(ORIGIN_COLUMNS, _sum_origins(None)))
        session.add(ReachRollup(id=ROLLUP_ID, covered_until=today, refreshed_at=now))
        session.flush()
        return (today - EPOCH).days
    day = local_day(Order.placed_at, dialect)
    changed = set(
        session.execute(
            select(day)
            .join(OrderPart, OrderPart.order_id == Order.id)
            .where(OrderPart.updated_at >= state.refreshed_at)
            .distinct()
        ).scalars()
    )
    changed = {d for d in changed if d < state.covered_until}
    days = sorted(changed | set(_days(state.covered_until, today)))
    if days:
        session.execute(delete(ReachDay).where(ReachDay.day.in_(days)))
        session.execute(
            insert(ReachDay).from_select(COLUMNS, _grouped(dialect, days[0], days[-1], days))
        )
        session.execute(delete(ReachOriginDay).where(ReachOriginDay.day.in_(days)))
        session.execute(insert(ReachOriginDay).from_select(ORIGIN_COLUMNS, _sum_origins(days)))
    state.covered_until = max(state.covered_until, today)
    state.refreshed_at = now
    session.flush()
    return len(days)


def _before(day: date) -> date:
    return date.fromordinal(day.toordinal() - 1)


def _days(first: date, until: date) -> list[date]:
    return [date.fromordinal(n) for n in range(first.toordinal(), until.toordinal())]
