"""The business profile of an account: who it buys for, and what goes on its invoices."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storefront.extensions import Model
from storefront.timeutil import utcnow


class BusinessProfile(Model):
    """A company or household business (hộ kinh doanh) buying through one account.

    One per account (`user_id` unique). The tax code is stored in its standard form,
    "0100233488" or "0314409058-002" for a branch (services.normalize_tax_code)."""

    __tablename__ = "business_profiles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    name: Mapped[str] = mapped_column(String(200))
    tax_code: Mapped[str] = mapped_column(String(14))
    province_code: Mapped[int] = mapped_column(Integer)
    ward_code: Mapped[int] = mapped_column(Integer)
    address_line: Mapped[str] = mapped_column(String(300))
    contact_name: Mapped[str] = mapped_column(String(120))
    contact_phone: Mapped[str] = mapped_column(String(20))
    buys: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class WholesaleTier(Model):
    """A quantity tier of a pack (giá sỉ): from `min_quantity` units in one order, each
    costs `price_vnd`; with `business_only`, for business buyers only. The pricing
    source (business/wholesale.py) offers the best tier the buyer is entitled to."""

    __tablename__ = "wholesale_tiers"
    __table_args__ = (
        UniqueConstraint("variant_id", "min_quantity"),
        CheckConstraint("min_quantity >= 2", name="from_two_units"),
        CheckConstraint("price_vnd > 0", name="price_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="CASCADE"))
    min_quantity: Mapped[int] = mapped_column(Integer)
    price_vnd: Mapped[int] = mapped_column(Integer)
    business_only: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
