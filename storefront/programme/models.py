"""The daily rollup the dashboards read for closed days: order parts, units and goods
revenue per Vietnam day, producer, origin and destination province."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import Model

_SUMS = ["parts", "units", "revenue_vnd"]


class ReachDay(Model):
    """Counted parts (storefront.orders.reach.part_facts) summed for one day."""

    __tablename__ = "programme_reach_day"
    __table_args__ = (
        UniqueConstraint("day", "producer_id", "origin_province_code", "destination_province_code"),
        # Covering on PostgreSQL: a province's section reads the index alone (after the
        # refresh's VACUUM), never the rows scattered over the table.
        Index(
            "ix_programme_reach_day_origin_day",
            "origin_province_code",
            "day",
            postgresql_include=[*_SUMS, "destination_province_code", "producer_id"],
        ),
        Index(
            "ix_programme_reach_day_producer_day",
            "producer_id",
            "day",
            postgresql_include=[*_SUMS, "origin_province_code", "destination_province_code"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"))
    origin_province_code: Mapped[int] = mapped_column(Integer)
    destination_province_code: Mapped[int] = mapped_column(Integer)
    parts: Mapped[int] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(BigInteger)
    revenue_vnd: Mapped[int] = mapped_column(BigInteger)


class ReachOriginDay(Model):
    """The same sums per day, origin province and inside/outside only: what the headline,
    the months and the national ranking need, some 50 rows a day for the whole country."""

    __tablename__ = "programme_reach_origin_day"
    __table_args__ = (UniqueConstraint("day", "origin_province_code", "outside"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date)
    origin_province_code: Mapped[int] = mapped_column(Integer)
    outside: Mapped[bool] = mapped_column()
    parts: Mapped[int] = mapped_column(BigInteger)
    units: Mapped[int] = mapped_column(BigInteger)
    revenue_vnd: Mapped[int] = mapped_column(BigInteger)


class ReachRollup(Model):
    """The rollup's one bookkeeping row: which days it holds and when it last looked."""

    __tablename__ = "programme_rollup"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Every day before this one is in programme_reach_day; later days are read live.
    covered_until: Mapped[date] = mapped_column(Date)
    # Parts changed since then (a cancellation after the day closed) are counted again.
    refreshed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
