"""Known sign-in devices: the owner's browser is never locked out by someone else's
failed passwords (OWASP's "device cookie" defence against account lock-out, ASVS 6.3).

A successful sign-in leaves a signed cookie naming the account (a hash of its address)
and a random device id. Failed passwords are then counted per account *and* client:
the device id when the request carries that account's cookie, else the address. A
second, higher limit counts failures per account from every client without the cookie,
so a brute force spread over many addresses is still stopped, while the owner on a
device that signed in before goes on being checked only by their own failures.
"""

from __future__ import annotations

import hashlib
import secrets

from flask import current_app, request
from itsdangerous import BadSignature, URLSafeSerializer
from werkzeug.wrappers import Response

COOKIE = "login_device"
SALT = "storefront.accounts.login-device"
MAX_AGE = 365 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(str(current_app.config["SECRET_KEY"]), salt=SALT)


def _account(email: str) -> str:
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def known_device(email: str) -> str | None:
    """This request's device id if it carries a device cookie for `email`."""
    raw = request.cookies.get(COOKIE, "")
    if not raw or len(raw) > 200:
        return None
    try:
        account, device = _serializer().loads(raw)
    except (BadSignature, ValueError, TypeError):
        return None
    if not isinstance(device, str) or account != _account(email):
        return None
    return device


def remember_device(response: Response, email: str) -> Response:
    """Mark this browser as one `email` signed in from (keeping its device id)."""
    device = known_device(email) or secrets.token_urlsafe(16)
    response.set_cookie(
        COOKIE,
        _serializer().dumps([_account(email), device]),
        max_age=MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response
