"""Shipping fee rules: one row per zone; a zone without a row uses the shop's defaults."""

from __future__ import annotations

import enum
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column

from storefront.catalog.models import str_enum
from storefront.extensions import Model
from storefront.timeutil import utcnow


class ShippingZone(enum.StrEnum):
    """Where a parcel goes, seen from the producer that sends it."""

    SAME_PROVINCE = "same_province"
    OTHER_PROVINCE = "other_province"


class ShippingRate(Model):
    """The fee for a parcel in a zone: a base fee covering `included_grams`, then a fee
    for each started kilogram above that."""

    __tablename__ = "shipping_rate"
    __table_args__ = (
        CheckConstraint("base_fee_vnd >= 0", name="base_fee_not_negative"),
        CheckConstraint("included_grams >= 0", name="included_grams_not_negative"),
        CheckConstraint("extra_kg_fee_vnd >= 0", name="extra_kg_fee_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    zone: Mapped[ShippingZone] = mapped_column(str_enum(ShippingZone), unique=True)
    base_fee_vnd: Mapped[int] = mapped_column(Integer)
    included_grams: Mapped[int] = mapped_column(Integer)
    extra_kg_fee_vnd: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
