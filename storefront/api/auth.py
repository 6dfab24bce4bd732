"""Who calls the API: a personal access token in `Authorization: Bearer …`, never a cookie.

Writes are token-authenticated, so the form CSRF check does not apply to a request
that carries a bearer token (a browser never adds one on its own); any other write to
the API that carries cookies goes through the CSRF check, and then is refused for want
of a token, so a signed-in browser cannot be made to change anything through the API.
A write with no credentials at all is a plain 401.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Response, abort, current_app, g, request
from flask.globals import request_ctx
from flask_limiter.util import get_remote_address
from sqlalchemy import select

from storefront.accounts.models import ProducerMember, Role, User
from storefront.api import tokens
from storefront.api.models import ApiToken, TokenScope
from storefront.api.problems import problem
from storefront.extensions import csrf, db, limiter
from storefront.timeutil import utcnow

F = TypeVar("F", bound=Callable[..., Any])
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer_secret() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        return None
    return secret.strip()


CART_HEADER = "X-Cart-Token"
# Writes that use no credential at all (making a new, empty guest cart): nothing a
# browser's cookies could be lent to, so no CSRF check.
CREDENTIAL_FREE_WRITES = frozenset({"api_buyer.create_cart"})


def cart_secret() -> str | None:
    """The guest cart token of the X-Cart-Token header (POST /api/v1/carts made it)."""
    secret = request.headers.get(CART_HEADER, "").strip()
    return secret if 0 < len(secret) <= 100 else None


def check_csrf() -> None:
    """Before every API request: the form CSRF check for writes that carry cookies and
    neither a bearer token nor a cart token, the only requests a forged form could send
    in a visitor's name. Both tokens are headers a browser never adds on its own (a
    cross-site page cannot set them without a CORS preflight, which these endpoints do
    not answer). A write with no credentials at all answers 401 in the view."""
    if request.method in SAFE_METHODS or request.endpoint in CREDENTIAL_FREE_WRITES:
        return
    if bearer_secret() is None and request.headers.get(CART_HEADER) is None and request.cookies:
        csrf.protect()


def current_token() -> tuple[ApiToken, User] | None:
    if "api_token" not in g:
        secret = bearer_secret()
        g.api_token = tokens.authenticate(db.session, secret, utcnow()) if secret else None
    return cast(tuple[ApiToken, User] | None, g.api_token)


def _unauthorized() -> Response:
    return problem(401, headers={"WWW-Authenticate": 'Bearer realm="ocop"'})


def token_required(scope: TokenScope, role: Role = Role.PRODUCER) -> Callable[[F], F]:
    """A working token of an account of `role`, with `scope` (write implies read)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            found = current_token()
            if found is None:
                return _unauthorized()
            token, user = found
            if user.role != role:
                abort(403)
            if "producer_id" in kwargs:
                require_member(user, kwargs["producer_id"])  # before the scope: 404
            if scope == TokenScope.WRITE and token.scope != TokenScope.WRITE:
                return insufficient_scope()
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorator


def insufficient_scope() -> Response:
    return problem(403, slug="insufficient-scope", detail=_scope_detail())


def unauthorized() -> Response:
    return _unauthorized()


def _scope_detail() -> str:
    from flask_babel import gettext

    return str(gettext("Mã truy cập này chỉ được đọc (quyền read)."))


def token_user() -> User:
    found = current_token()
    assert found is not None  # noqa: S101 - only called behind token_required
    return found[1]


def require_member(user: User, producer_id: int) -> None:
    """404 unless the token's account acts for this producer, as the pages answer."""
    member = db.session.execute(
        select(ProducerMember.id).where(
            ProducerMember.user_id == user.id, ProducerMember.producer_id == producer_id
        )
    ).first()
    if member is None:
        abort(404)


def rate_key() -> str:
    """Per token for token calls (its hash's start), per cart token for a guest cart's,
    per address otherwise."""
    secret = bearer_secret()
    if secret:
        return "api-token:" + tokens.hash_secret(secret)[:32]
    cart = cart_secret()
    if cart:
        return "api-cart:" + tokens.hash_secret(cart)[:32]
    return "api-ip:" + (get_remote_address() or "")


def public_limit() -> str:
    return str(current_app.config["LIMIT_API_PUBLIC"])


def token_limit() -> str:
    return str(current_app.config["LIMIT_API_TOKEN"])


def rate_limited(limit: Callable[[], str]) -> Callable[[F], F]:
    return cast(Callable[[F], F], limiter.limit(limit, key_func=rate_key))


def rate_limit_headers(response: Response) -> Response:
    """RateLimit (IETF draft: limit, remaining, reset seconds) and, on 429, Retry-After."""
    if not hasattr(request_ctx, "_limiter_request_context"):
        return response  # no limit was checked (a 404 before any view, say)
    current = limiter.current_limit
    if current is None:
        return response
    reset = max(0, int(current.reset_at - utcnow().timestamp()))
    amount = current.limit.amount
    seconds = current.limit.get_expiry()
    response.headers["RateLimit"] = f"limit={amount}, remaining={current.remaining}, reset={reset}"
    response.headers["RateLimit-Policy"] = f"{amount};w={seconds}"
    if response.status_code == 429:
        response.headers["Retry-After"] = str(max(1, reset))
    return response


def api_blueprint_hooks(bp: Blueprint) -> None:
    """What every API blueprint does around its views: the CSRF check for writes without
    a bearer token (the blueprint is exempt from the global one), RateLimit headers."""
    csrf.exempt(bp)
    bp.before_request(check_csrf)
    bp.after_request(rate_limit_headers)
