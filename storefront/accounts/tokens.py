"""Password reset links: signed, valid for an hour, usable once.

The token carries the account id and a fingerprint of the current password hash.
Setting a new password changes the hash, so a used link (and any older link) stops
working without a table of spent tokens.
"""

from __future__ import annotations

import hashlib
import hmac

from itsdangerous import BadSignature, URLSafeTimedSerializer

from storefront.accounts.models import User
from storefront.extensions import Session

RESET_SALT = "storefront.accounts.password-reset"


def _serializer(secret_key: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=RESET_SALT)


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:24]


def make_reset_token(secret_key: str, user: User) -> str:
    """A signed token for a password reset link for `user`."""
    return _serializer(secret_key).dumps([user.id, _fingerprint(user)])


def user_for_reset_token(
    session: Session, secret_key: str, token: str, max_age: int
) -> User | None:
    """The active account a reset token was made for, or None when the token is forged,
    older than `max_age` seconds, or already used (the password has changed since)."""
    try:
        user_id, fingerprint = _serializer(secret_key).loads(token, max_age=max_age)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(user_id, int) or not isinstance(fingerprint, str):
        return None
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    if not hmac.compare_digest(_fingerprint(user), fingerprint):
        return None
    return user
