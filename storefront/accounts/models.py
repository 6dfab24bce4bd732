"""People of the shop: accounts with one role, their saved addresses, producer membership,
and the provinces a province officer looks after."""

from __future__ import annotations

import enum
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storefront.catalog.models import Producer, str_enum
from storefront.extensions import Model
from storefront.outbox import OutboxColumns
from storefront.timeutil import utcnow


class Role(enum.StrEnum):
    """What an account may do; every account has exactly one role."""

    BUYER = "buyer"
    PRODUCER = "producer"  # acts for the producers it is a member of
    ORGANISER = "organiser"  # runs trade fairs, features products
    OFFICER = "officer"  # cán bộ OCOP tỉnh: reads the dashboards of its provinces
    ADMIN = "admin"


def new_session_token() -> str:
    """A fresh random login identifier; replacing it signs the account out everywhere."""
    return secrets.token_urlsafe(32)


class User(UserMixin, Model):
    """An account. Flask-Login knows it by `session_token`, never by its id, so changing
    the password (which replaces the token) ends every other session and remember-me cookie."""

    # "user" is a reserved word in PostgreSQL.
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    full_name: Mapped[str] = mapped_column(String(120), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.BUYER)
    language: Mapped[str] = mapped_column(String(2), default="vi")
    is_active: Mapped[bool] = mapped_column(default=True)
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    addresses: Mapped[list[Address]] = relationship(
        back_populates="user", order_by="Address.id", lazy="raise"
    )

    def get_id(self) -> str:
        return self.session_token

    @property
    def display_name(self) -> str:
        return self.full_name or self.email

    def has_role(self, *roles: Role | str) -> bool:
        return self.role in roles


class Address(Model):
    """A delivery address a buyer saved: 2025 province and ward, street, phone."""

    __tablename__ = "address"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    recipient_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))
    province_code: Mapped[int] = mapped_column(Integer)
    ward_code: Mapped[int] = mapped_column(Integer)
    street: Mapped[str] = mapped_column(String(300))
    is_default: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    user: Mapped[User] = relationship(back_populates="addresses", lazy="raise")


class ProducerMember(Model):
    """An account acting for a producer (chủ thể). The owner adds and removes members."""

    __tablename__ = "producer_member"
    __table_args__ = (UniqueConstraint("producer_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    is_owner: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    producer: Mapped[Producer] = relationship(lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")


class OfficerProvince(Model):
    """A province whose OCOP dashboard a province officer (cán bộ OCOP tỉnh) may read.
    Granted by an admin together with the officer role; an officer may have several."""

    __tablename__ = "officer_province"
    __table_args__ = (UniqueConstraint("user_id", "province_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    province_code: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AccountEmail(OutboxColumns, Model):
    """An email to an account (password reset link, "you already have an account"),
    written to the outbox by the request and delivered by the job worker, which writes
    its text (and makes the reset link) at delivery time (storefront/outbox.py)."""

    __tablename__ = "account_email"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
