"""Personal access tokens: how a producer's own tools use the API."""

from __future__ import annotations

import enum
from datetime import UTC, datetime

from sqlalchemy import DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storefront.catalog.models import str_enum
from storefront.extensions import Model
from storefront.timeutil import utcnow


class TokenScope(enum.StrEnum):
    READ = "read"  # GET only
    WRITE = "write"  # GET and the changes (stock, fulfilment steps)


class ApiToken(Model):
    """A token an account made on its account page. Only the SHA-256 of the token is
    kept (the token is shown once); `prefix` lets the owner tell tokens apart."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(16))
    scope: Mapped[TokenScope] = mapped_column(str_enum(TokenScope))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def is_usable(self, now: datetime) -> bool:
        return self.revoked_at is None and now < aware(self.expires_at)


def aware(moment: datetime) -> datetime:
    """An aware UTC datetime (SQLite hands back naive UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class IdempotencyKey(Model):
    """An `Idempotency-Key` a caller sent with an order (RFC draft "The Idempotency-Key
    HTTP Header Field"): the same caller and key give back the same order. `caller` is
    the account (`user:<id>`) or the guest cart (`cart:` and its token's hash start);
    `request_hash` is the SHA-256 of the body, so a different body under a used key is
    refused. Unique per caller and key: of two retries at once the second waits on the
    index and then finds the first one's order, so one order is placed."""

    __tablename__ = "api_idempotency_key"
    __table_args__ = (UniqueConstraint("caller", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    caller: Mapped[str] = mapped_column(String(48))
    key: Mapped[str] = mapped_column(String(255))
    request_hash: Mapped[str] = mapped_column(String(64))
    order_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_order.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
