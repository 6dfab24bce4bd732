"""Carts live in the database so any app server can serve them; a guest's cart is found by
the random token in a signed cookie, a signed-in buyer's by the account."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.catalog.models import Variant
from storefront.extensions import Model
from storefront.timeutil import utcnow


def new_cart_token() -> str:
    return secrets.token_urlsafe(24)


class Cart(Model):
    __tablename__ = "cart"

    id: Mapped[int] = mapped_column(primary_key=True)
    token: Mapped[str] = mapped_column(String(64), unique=True, default=new_cart_token)
    # One cart per account; guests' carts have no account.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow, index=True
    )
    # What the buyer last typed at checkout, and what it refused, so that every checkout
    # POST can end in a redirect (no form resubmission on Back or refresh). Its shape is
    # checkout's (checkout/draft.py); emptied when the order is placed.
    checkout_draft: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    lines: Mapped[list[CartLine]] = relationship(
        back_populates="cart", order_by="CartLine.id", lazy="raise", cascade="all, delete-orphan"
    )


class CartLine(Model):
    __tablename__ = "cart_line"
    __table_args__ = (
        UniqueConstraint("cart_id", "variant_id"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("cart.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    cart: Mapped[Cart] = relationship(back_populates="lines", lazy="raise")
    variant: Mapped[Variant] = relationship(lazy="raise")
