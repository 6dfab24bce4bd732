"""Settings read from environment variables when the app is created.

Nothing here reads the environment at import time: `load_config()` is called by
the app factory with a mapping (normally `os.environ`), so tests can pass their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

DEVELOPMENT_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - refused in production
ENVIRONMENTS = ("development", "testing", "production")


class ConfigError(RuntimeError):
    """The environment does not describe a configuration the shop can run with."""


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def load_config(env: Mapping[str, str], instance_path: str) -> dict[str, Any]:
    """Build the Flask config dict from environment variables.

    Raises ConfigError with a message meant for the person starting the server.
    """
    app_env = env.get("STOREFRONT_ENV", "development")
    if app_env not in ENVIRONMENTS:
        raise ConfigError(f"STOREFRONT_ENV must be one of {', '.join(ENVIRONMENTS)}")
    production = app_env == "production"

    secret_key = env.get("SECRET_KEY", "")
    if production and (not secret_key or secret_key == DEVELOPMENT_SECRET_KEY):
        raise ConfigError(
            "SECRET_KEY is missing or is the development default. In production set "
            "SECRET_KEY to a long random value, e.g. "
            "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
        )
    if production and len(secret_key) < 32:
        raise ConfigError("SECRET_KEY must be at least 32 characters in production.")

    default_db = "sqlite:///" + str(Path(instance_path) / "storefront.db")
    database_url = env.get("DATABASE_URL") or default_db
    # Heroku-style URLs name the driver "postgres"; SQLAlchemy wants psycopg 3 spelled out.
    for prefix in ("postgres://", "postgresql://"):
        if database_url.startswith(prefix):
            database_url = "postgresql+psycopg://" + database_url[len(prefix) :]
    redis_url = env.get("REDIS_URL", "")

    engine_options: dict[str, Any] = {"pool_pre_ping": True}
    if database_url.startswith("sqlite"):
        engine_options = {"connect_args": {"timeout": 30}}

    return {
        "STOREFRONT_ENV": app_env,
        "DEBUG": False,
        "TESTING": app_env == "testing",
        "SECRET_KEY": secret_key or DEVELOPMENT_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": env.get("RATELIMIT_ENABLED", "1") != "0",
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MEDIA_ROOT": env.get("MEDIA_ROOT") or str(Path(instance_path) / "media"),
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ("vi", "en"),
        "PRODUCTS_PER_PAGE": _int(env, "PRODUCTS_PER_PAGE", 24),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,
        "SEND_HSTS": production,
        "MAIL_SERVER": env.get("MAIL_SERVER", ""),
        "MAIL_PORT": _int(env, "MAIL_PORT", 25),
        "MAIL_USERNAME": env.get("MAIL_USERNAME", ""),
        "MAIL_PASSWORD": env.get("MAIL_PASSWORD", ""),
        "MAIL_USE_TLS": env.get("MAIL_USE_TLS", "0") == "1",
        "MAIL_FROM": env.get("MAIL_FROM", "OCOP Storefront <no-reply@localhost>"),
    }
