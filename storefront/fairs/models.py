"""Typed models of fairs, their exhibitors and featured products, and home-page features."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.catalog.models import Producer, Product, Variant, str_enum
from storefront.extensions import Model
from storefront.timeutil import utcnow


class FairState(enum.StrEnum):
    DRAFT = "draft"  # only its organisers and admins see it
    PUBLISHED = "published"  # public; the online fair opens and closes by its times
    CLOSED = "closed"  # ended early or archived: public page, no fair prices


class ExhibitorStatus(enum.StrEnum):
    INVITED = "invited"  # the organiser asked; the producer has not accepted yet
    REQUESTED = "requested"  # the producer asked; the organiser has not accepted yet
    ACCEPTED = "accepted"  # has a booth


class Fair(Model):
    """A trade fair: the physical event's dates and venue, and the online fair's window.

    `opens_at` and `closes_at` are stored in UTC; organisers enter them in Vietnam time.
    The online fair is open while opens_at <= now < closes_at and the state is published.
    """

    __tablename__ = "fair"
    __table_args__ = (
        CheckConstraint("closes_at > opens_at", name="closes_after_opening"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    banner_path: Mapped[str | None] = mapped_column(String(300))
    venue: Mapped[str] = mapped_column(String(300))
    province_code: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    opens_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closes_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    state: Mapped[FairState] = mapped_column(str_enum(FairState), default=FairState.DRAFT)
    organiser_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    exhibitors: Mapped[list[FairExhibitor]] = relationship(
        back_populates="fair", order_by="FairExhibitor.id", lazy="raise"
    )
    features: Mapped[list[FairFeature]] = relationship(
        back_populates="fair", order_by="(FairFeature.position, FairFeature.id)", lazy="raise"
    )

    def is_open(self, now: datetime) -> bool:
        """Whether the online fair takes orders at fair prices at `now` (aware)."""
        return self.state == FairState.PUBLISHED and as_utc(self.opens_at) <= now < as_utc(
            self.closes_at
        )

    def phase(self, now: datetime) -> str:
        """'upcoming', 'open' or 'past' for the online fair, whatever the state."""
        if self.state == FairState.CLOSED or now >= as_utc(self.closes_at):
            return "past"
        return "open" if now >= as_utc(self.opens_at) else "upcoming"


def as_utc(moment: datetime) -> datetime:
    """An aware UTC datetime (SQLite hands back naive UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class FairExhibitor(Model):
    """A producer at a fair; once accepted it has a booth showing the products it chose."""

    __tablename__ = "fair_exhibitor"
    __table_args__ = (UniqueConstraint("fair_id", "producer_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fair.id", ondelete="CASCADE"))
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    status: Mapped[ExhibitorStatus] = mapped_column(str_enum(ExhibitorStatus))
    booth_description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    fair: Mapped[Fair] = relationship(back_populates="exhibitors", lazy="raise")
    producer: Mapped[Producer] = relationship(lazy="raise")
    booth_products: Mapped[list[BoothProduct]] = relationship(
        order_by="(BoothProduct.position, BoothProduct.product_id)",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )


class BoothProduct(Model):
    """A product the exhibitor shows in its booth."""

    __tablename__ = "booth_product"

    exhibitor_id: Mapped[int] = mapped_column(
        ForeignKey("fair_exhibitor.id", ondelete="CASCADE"), primary_key=True
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship(lazy="raise")


class FairFeature(Model):
    """A featured pack (variant) of an exhibitor's product, in the organiser's order, with an
    optional fair price charged only while the online fair is open."""

    __tablename__ = "fair_feature"
    __table_args__ = (
        UniqueConstraint("fair_id", "variant_id"),
        CheckConstraint("fair_price_vnd IS NULL OR fair_price_vnd > 0", name="fair_price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fair.id", ondelete="CASCADE"))
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    fair_price_vnd: Mapped[int | None] = mapped_column(Integer)

    fair: Mapped[Fair] = relationship(back_populates="features", lazy="raise")
    variant: Mapped[Variant] = relationship(lazy="raise")


class HomeFeature(Model):
    """A product organisers put on the home page, in position order, between two dates
    (inclusive, on Vietnam's calendar)."""

    __tablename__ = "home_feature"
    __table_args__ = (CheckConstraint("ends_on >= starts_on", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date, index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    product: Mapped[Product] = relationship(lazy="raise")


class FairOrder(Model):
    """An order whose buyer came through the fair's page (or bought at its fair price)."""

    __tablename__ = "fair_order"

    order_id: Mapped[int] = mapped_column(
        ForeignKey("customer_order.id", ondelete="CASCADE"), primary_key=True
    )
    fair_id: Mapped[int] = mapped_column(ForeignKey("fair.id"), index=True)
