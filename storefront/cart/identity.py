"""Whose cart this request is about: the signed-in account's, or the guest cart named by
a signed cookie holding the cart's random token (so any app server can find it)."""

from __future__ import annotations

from flask import Response, after_this_request, current_app, request
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import SQLAlchemyError

from storefront.cart import services
from storefront.cart.models import Cart
from storefront.extensions import db
from storefront.pricing.web import visitor_price_context

COOKIE_NAME = "cart"
COOKIE_MAX_AGE = 60 * 24 * 3600


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="storefront.cart")


def current_user_id() -> int | None:
    """The signed-in account's id, or None for a guest."""
    if not hasattr(current_app, "login_manager"):
        return None
    return int(current_user.id) if current_user.is_authenticated else None


def current_summary() -> services.CartSummary:
    """This visitor's cart, priced for them now (the same prices checkout charges)."""
    return services.summarize(db.session, current_cart(), visitor_price_context())


def guest_token() -> str | None:
    """The cart token from the signed cookie, or None when absent or tampered with."""
    raw = request.cookies.get(COOKIE_NAME)
    if not raw or len(raw) > 200:
        return None
    try:
        token = _serializer().loads(raw)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def current_cart(create: bool = False) -> Cart | None:
    """This visitor's cart; with `create`, a new one (and its cookie) when there is none."""
    user_id = current_user_id()
    if user_id is not None:
        if create:
            return services.get_or_create_cart(db.session, user_id=user_id)
        return services.find_cart(db.session, user_id=user_id)
    token = guest_token()
    cart = services.find_cart(db.session, token=token) if token else None
    if cart is None and create:
        cart = services.get_or_create_cart(db.session)
        _set_cookie(cart.token)
    return cart


def cart_item_count() -> int:
    """Items in this visitor's cart for the header: no query without a cart cookie or
    an account, else exactly one."""
    user_id = current_user_id()
    token = None if user_id is not None else guest_token()
    if user_id is None and token is None:
        return 0
    try:
        return services.item_count(db.session, user_id=user_id, token=token)
    except SQLAlchemyError:  # the error page of a database failure must still render
        db.session.rollback()
        return 0


def merge_after_login() -> None:
    """Before each request: a signed-in buyer still holding a guest cart cookie (they just
    signed in) gets that cart merged into the account's, and the cookie is dropped."""
    # Most requests carry no cookie at all: then there are no cookies to parse either.
    if "HTTP_COOKIE" not in request.environ or COOKIE_NAME not in request.cookies:
        return
    user_id = current_user_id()
    if user_id is None:
        return
    token = guest_token()
    if token:
        services.merge_guest_cart(db.session, token, user_id)
        db.session.commit()
    _delete_cookie()


def _set_cookie(token: str) -> None:
    value = _serializer().dumps(token)

    @after_this_request
    def set_cookie(response: Response) -> Response:
        response.set_cookie(
            COOKIE_NAME,
            value,
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        return response


def _delete_cookie() -> None:
    @after_this_request
    def delete_cookie(response: Response) -> Response:
        response.delete_cookie(
            COOKIE_NAME,
            httponly=True,
            samesite="Lax",
            secure=current_app.config["SESSION_COOKIE_SECURE"],
        )
        return response
