"""Accounts: registration, sign-in, passwords, profiles and addresses, roles and access."""

from __future__ import annotations

from flask import Flask


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
    login_manager.login_view = "accounts.login"
    login_manager.user_loader(load_user)
    login_manager.unauthorized_handler(unauthorized)
