"""Sessions: loading the signed-in account, signing in and out, the login redirect."""

from __future__ import annotations

from flask import flash, g, jsonify, redirect, request, session, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import login_user, logout_user
from sqlalchemy import select

from storefront.accounts.models import User
from storefront.extensions import db


def load_user(token: str) -> User | None:
    """Flask-Login's loader: the active account holding this session token."""
    if not token or len(token) > 64:
        return None
    return db.session.execute(
        select(User).where(User.session_token == token, User.is_active.is_(True))
    ).scalar_one_or_none()


def unauthorized() -> ResponseReturnValue:
    """Send an anonymous visitor to the login page, coming back here afterwards."""
    if request.path.startswith("/api/"):
        return jsonify(error=401, message="login required"), 401
    flash(gettext("Vui lòng đăng nhập để tiếp tục."), "info")
    next_path = None
    if request.method in ("GET", "HEAD"):
        next_path = request.full_path.rstrip("?")
    return redirect(url_for("accounts.login", next=next_path))


def _clear_session() -> None:
    session.clear()
    # Flask-WTF caches this request's CSRF token on g; it was derived from the secret
    # just dropped with the session, so forget it and let the next form get a new one.
    g.pop("csrf_token", None)


def sign_in(user: User, remember: bool = False) -> None:
    """Start a fresh session for `user`: whatever the old session held (and its id in
    any attacker's hands) is dropped before the account is attached."""
    _clear_session()
    login_user(user, remember=remember)


def sign_out() -> None:
    """End the session; logout_user() then marks the remember-me cookie for deletion."""
    _clear_session()
    logout_user()
