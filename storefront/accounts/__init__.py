"""Accounts: registration, sign-in, passwords, profiles and addresses, roles and access."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, session


def init_app(app: Flask) -> None:
    """Bind Flask-Login to the accounts and set the password hashing cost from config."""
    from storefront.accounts import passwords
    from storefront.accounts.login import load_user, unauthorized
    from storefront.extensions import login_manager

    app.extensions["password_hasher"] = passwords.make_hasher(
        app.config["PASSWORD_HASH_TIME_COST"],
        app.config["PASSWORD_HASH_MEMORY_KIB"],
        app.config["PASSWORD_HASH_PARALLELISM"],
    )
    login_manager.init_app(app)
    hooks = app.after_request_funcs[None]
    remember = login_manager._update_remember_cookie
    hooks[:] = [_when_remembering(app, f) if f == remember else f for f in hooks]
    login_manager.login_view = "accounts.login"
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)


def _when_remembering(app: Flask, hook: Callable[..., Any]) -> Callable[[Response], Response]:
    """Flask-Login's after-request hook, called only when it has something to do: when
    the session holds its "_remember" order or the remember cookie is refreshed on every
    request. Otherwise it only looks at the session, and so does this (the session was
    looked at, so the response still says `Vary: Cookie`)."""

    def after_request(response: Response) -> Response:
        if "_remember" in session or app.config.get("REMEMBER_COOKIE_REFRESH_EACH_REQUEST"):
            updated: Response = hook(response)
            return updated
        return response

    return after_request
