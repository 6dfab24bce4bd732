"""Personal access tokens: made and revoked on the account page, checked on each call.

A token is `ocop_` and 43 random URL-safe characters (256 bits); only its SHA-256 is
stored, so a leaked database leaks no usable token, and a fast hash is enough for a
secret that long (no password to guess). It acts for the account that made it, with a
scope (read, or read and write) and an expiry; revoking it works at once.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from storefront.accounts.models import Role, User
from storefront.api.models import ApiToken, TokenScope
from storefront.errors import DomainError, NotFound
from storefront.extensions import Session, rowcount
from storefront.i18n import N_

PREFIX = "ocop_"
LIFETIMES_DAYS = (30, 90, 365)
MAX_TOKENS = 20  # live tokens per account
MAX_NAME = 80
TOKEN_ROLES = (Role.BUYER, Role.PRODUCER)


class TokenError(DomainError):
    """A token the shop will not make."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


def create_token(
    session: Session, user: User, name: str, scope: str, days: int, now: datetime
) -> NewToken:
    """A new token for a buyer's or a producer's account (a buyer's works the cart,
    checkout, orders and reviews; a producer's the workspace); the secret is in the
    result only."""
    if user.role not in TOKEN_ROLES:
        raise TokenError(N_("Chỉ tài khoản người mua hoặc chủ thể OCOP được tạo mã truy cập."))
    name = " ".join((name or "").split())
    if not name:
        raise TokenError(N_("Vui lòng đặt tên cho mã truy cập."))
    if len(name) > MAX_NAME:
        raise TokenError(N_("Tên dài quá %(n)s ký tự."), n=MAX_NAME)
    try:
        chosen = TokenScope(scope)
    except ValueError as exc:
        raise TokenError(N_("Vui lòng chọn quyền của mã truy cập.")) from exc
    if days not in LIFETIMES_DAYS:
        raise TokenError(N_("Vui lòng chọn thời hạn của mã truy cập."))
    if len(live_tokens(session, user.id, now)) >= MAX_TOKENS:
        raise TokenError(N_("Bạn đã có %(n)s mã truy cập; hãy thu hồi bớt."), n=MAX_TOKENS)
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_secret(secret),
        prefix=secret[: len(PREFIX) + 4],
        scope=chosen,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(token)
    session.flush()
    return NewToken(token, secret)


def live_tokens(session: Session, user_id: int, now: datetime) -> list[ApiToken]:
    """The account's tokens that still work, newest first."""
    stmt = (
        select(ApiToken)
        .where(
            ApiToken.user_id == user_id,
            ApiToken.revoked_at.is_(None),
            ApiToken.expires_at > now,
        )
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(session.execute(stmt).scalars())


def revoke_token(session: Session, user_id: int, token_id: int, now: datetime) -> None:
    """Revoke one of the account's own tokens (NotFound for anyone else's)."""
    result = session.execute(
        update(ApiToken)
        .where(ApiToken.id == token_id, ApiToken.user_id == user_id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=now)
    )
    if rowcount(result) != 1:
        raise NotFound(N_("Không tìm thấy mã truy cập."))


def authenticate(session: Session, secret: str, now: datetime) -> tuple[ApiToken, User] | None:
    """The token and its active account for a presented secret, if it works now."""
    if not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    row = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == hash_secret(secret))
    ).one_or_none()
    if row is None:
        return None
    token, user = row
    if not token.is_usable(now) or not user.is_active:
        return None
    return token, user
