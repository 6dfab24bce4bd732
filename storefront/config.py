"""Settings read from environment variables when the app is created.

Nothing here reads the environment at import time: `load_config()` is called by
the app factory with a mapping (normally `os.environ`), so tests can pass their own.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from storefront.database import engine_options

DEVELOPMENT_SECRET_KEY = "dev-only-insecure-secret-key"  # noqa: S105 - refused in production
ENVIRONMENTS = ("development", "testing", "production")
MEDIA_STORES = ("local",)  # storefront/storage.py: add a store there and here


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


def _seconds(env: Mapping[str, str], name: str, default: float, allow_zero: bool = False) -> float:
    raw = env.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a number of seconds, got {raw!r}") from exc
    if not (0 <= value if allow_zero else 0 < value) or value > 3600:
        lowest = "0 (off)" if allow_zero else "more than 0"
        raise ConfigError(f"{name} must be {lowest} and at most 3600 seconds, got {raw!r}")
    return value


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
    if production and not redis_url:
        raise ConfigError(
            "REDIS_URL is missing. In production the rate limits (sign-in, registration, "
            "password reset, order lookup) must be counted in one place shared by every "
            "worker and server: set REDIS_URL, e.g. redis://127.0.0.1:6379/0"
        )

    connect_timeout = _seconds(env, "DATABASE_CONNECT_TIMEOUT", 5)
    statement_timeout = _seconds(env, "DATABASE_STATEMENT_TIMEOUT", 10, allow_zero=True)

    return {
        "STOREFRONT_ENV": app_env,
        "DEBUG": False,
        "TESTING": app_env == "testing",
        "SECRET_KEY": secret_key or DEVELOPMENT_SECRET_KEY,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options(
            database_url, connect_timeout, statement_timeout
        ),
        "REDIS_URL": redis_url,
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": env.get("RATELIMIT_ENABLED", "1") != "0",
        # Redis holds only the cache and the limit counters: a request waits for it this
        # long at most, then goes on without it (storefront/redis_store.py).
        "REDIS_CONNECT_TIMEOUT": _seconds(env, "REDIS_CONNECT_TIMEOUT", 0.5),
        "REDIS_SOCKET_TIMEOUT": _seconds(env, "REDIS_SOCKET_TIMEOUT", 0.5),
        "RATELIMIT_STORAGE_OPTIONS": {
            "socket_connect_timeout": _seconds(env, "REDIS_CONNECT_TIMEOUT", 0.5),
            "socket_timeout": _seconds(env, "REDIS_SOCKET_TIMEOUT", 0.5),
        },
        # Redis unreachable: count the limits in this worker's memory until it answers
        # again (logged), and never fail a request over a counter.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        # Where buyers report a suspected counterfeit stamp or a problem with an order.
        "SUPPORT_EMAIL": env.get("SUPPORT_EMAIL", "hotro@ocop.example"),
        "SUPPORT_PHONE": env.get("SUPPORT_PHONE", ""),
        "PUBLIC_BASE_URL": env.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "MEDIA_ROOT": env.get("MEDIA_ROOT") or str(Path(instance_path) / "media"),
        # The media store (storefront/storage.py); "local" is MEDIA_ROOT, shared by
        # every app server when it is on a shared volume.
        "MEDIA_STORAGE": _media_storage(env),
        # Whole request bodies beyond this answer 413 before any view reads them; the
        # upload checks (5 MB per photo) give the finer, friendlier message.
        "MAX_CONTENT_LENGTH": _int(env, "MAX_UPLOAD_MB", 16) * 1024 * 1024,
        "BABEL_DEFAULT_LOCALE": "vi",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "LANGUAGES": ("vi", "en"),
        "PRODUCTS_PER_PAGE": _int(env, "PRODUCTS_PER_PAGE", 24),
        # Rendered catalogue listings are cached this long (0 turns the cache off);
        # any committed catalogue change invalidates them at once, see catalog/cache.py.
        "CATALOG_CACHE_SECONDS": _int(env, "CATALOG_CACHE_SECONDS", 60),
        "CACHE_TYPE": "storefront.redis_store.FailOpenRedisCache" if redis_url else "SimpleCache",
        "CACHE_REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": "storefront:",
        "CACHE_DEFAULT_TIMEOUT": 300,
        # Only bench/catalogue.py sets this: it adds /bench/bare, a constant-string route.
        "BENCH_ROUTES": env.get("STOREFRONT_BENCH_ROUTES", "0") == "1",
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
        "MAIL_TIMEOUT": _int(env, "MAIL_TIMEOUT", 10),
        # Accounts: remember-me lifetime, reset links, argon2id cost (cheap only in tests).
        "REMEMBER_COOKIE_DURATION": timedelta(days=_int(env, "REMEMBER_DAYS", 30)),
        "PASSWORD_RESET_MAX_AGE": 3600,
        "PASSWORD_HASH_TIME_COST": 1 if app_env == "testing" else 3,
        "PASSWORD_HASH_MEMORY_KIB": 8192 if app_env == "testing" else 65536,
        "PASSWORD_HASH_PARALLELISM": 1 if app_env == "testing" else 4,
        # Rate limits (Flask-Limiter syntax) per client address and per submitted account.
        "LIMIT_LOGIN_PER_IP": env.get("LIMIT_LOGIN_PER_IP", "20 per minute;200 per hour"),
        # Failed sign-ins per account and client (the device that signed in before, else
        # the address), and per account from clients it never signed in from: the owner's
        # known device is never blocked by others' failures (accounts/devices.py).
        "LIMIT_LOGIN_PER_ACCOUNT": env.get("LIMIT_LOGIN_PER_ACCOUNT", "5 per minute;20 per hour"),
        "LIMIT_LOGIN_PER_ACCOUNT_ANY_CLIENT": env.get(
            "LIMIT_LOGIN_PER_ACCOUNT_ANY_CLIENT", "30 per hour;100 per day"
        ),
        "LIMIT_REGISTER_PER_IP": env.get("LIMIT_REGISTER_PER_IP", "5 per minute;30 per hour"),
        "LIMIT_REGISTER_PER_EMAIL": env.get("LIMIT_REGISTER_PER_EMAIL", "3 per hour"),
        "LIMIT_RESET_PER_IP": env.get("LIMIT_RESET_PER_IP", "5 per minute;30 per hour"),
        "LIMIT_RESET_PER_EMAIL": env.get("LIMIT_RESET_PER_EMAIL", "3 per hour"),
        # The JSON API: public reads per address, token calls per token.
        "LIMIT_API_PUBLIC": env.get("LIMIT_API_PUBLIC", "120 per minute"),
        "LIMIT_API_TOKEN": env.get("LIMIT_API_TOKEN", "300 per minute"),
        # Reviews, per account (or guest link): writing, "Hữu ích" votes, reports.
        "LIMIT_REVIEW_WRITE": env.get("LIMIT_REVIEW_WRITE", "5 per minute;20 per day"),
        "LIMIT_REVIEW_VOTE": env.get("LIMIT_REVIEW_VOTE", "30 per minute;300 per day"),
        "LIMIT_REVIEW_REPORT": env.get("LIMIT_REVIEW_REPORT", "5 per minute;30 per day"),
        # Orders: the shop's bank account for VietQR transfers (demo values unless set; the
        # transfer option is hidden in production until they are), and how long an unpaid
        # transfer order holds its stock before `flask orders expire-unpaid` cancels it.
        **_bank_account(env),
        "BANK_TRANSFER_HOLD_HOURS": _int(env, "BANK_TRANSFER_HOLD_HOURS", 24),
        "LIMIT_ORDER_LOOKUP_PER_IP": env.get(
            "LIMIT_ORDER_LOOKUP_PER_IP", "10 per minute;60 per hour"
        ),
        **_stripe(env),
        **_operations(env, production),
    }


def _media_storage(env: Mapping[str, str]) -> str:
    kind = env.get("MEDIA_STORAGE") or "local"
    if kind not in MEDIA_STORES:
        raise ConfigError(f"MEDIA_STORAGE must be one of {', '.join(MEDIA_STORES)}, not {kind!r}")
    return kind


def _operations(env: Mapping[str, str], production: bool) -> dict[str, Any]:
    """Running on servers (storefront/ops): logs, metrics, error reports, the proxy."""
    log_format = env.get("LOG_FORMAT") or ("json" if production else "text")
    if log_format not in ("json", "text"):
        raise ConfigError("LOG_FORMAT must be json or text")
    proxies = _int(env, "TRUSTED_PROXIES", 0)
    if not 0 <= proxies <= 5:
        raise ConfigError("TRUSTED_PROXIES must be the number of proxies in front, 0 to 5")
    allow = env.get("METRICS_ALLOW", "127.0.0.1,::1")
    for item in filter(None, (part.strip() for part in allow.split(","))):
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError as exc:
            raise ConfigError(f"METRICS_ALLOW: {item!r} is not an address or network") from exc
    return {
        "LOG_FORMAT": log_format,
        "TRUSTED_PROXIES": proxies,
        # /metrics: these client addresses or networks, or the bearer of METRICS_TOKEN.
        "METRICS_ALLOW": allow,
        "METRICS_TOKEN": (env.get("METRICS_TOKEN") or "").strip(),
        "SENTRY_DSN": (env.get("SENTRY_DSN") or "").strip(),
    }


def _stripe(env: Mapping[str, str]) -> dict[str, Any]:
    """Card payments through Stripe, offered only when both keys are set; a card order
    holds its stock for STRIPE_HOLD_MINUTES, the Checkout Session's expiry (Stripe accepts
    30 minutes to 24 hours)."""
    hold = _int(env, "STRIPE_HOLD_MINUTES", 30)
    if not 30 <= hold <= 23 * 60:
        raise ConfigError("STRIPE_HOLD_MINUTES must be between 30 and 1380 (Stripe's limits)")
    return {
        "STRIPE_SECRET_KEY": (env.get("STRIPE_SECRET_KEY") or "").strip(),
        "STRIPE_WEBHOOK_SECRET": (env.get("STRIPE_WEBHOOK_SECRET") or "").strip(),
        "STRIPE_HOLD_MINUTES": hold,
    }


DEMO_BANK_ACCOUNT = {
    "BANK_BIN": "970436",
    "BANK_ACCOUNT_NUMBER": "0000000000",
    "BANK_ACCOUNT_NAME": "TAI KHOAN DEMO KHONG CHUYEN TIEN",
}


def _bank_account(env: Mapping[str, str]) -> dict[str, Any]:
    values: dict[str, Any] = {
        key: (env.get(key) or "").strip() or demo for key, demo in DEMO_BANK_ACCOUNT.items()
    }
    if not (len(values["BANK_BIN"]) == 6 and values["BANK_BIN"].isdigit()):
        raise ConfigError("BANK_BIN must be the bank's 6-digit NAPAS BIN, e.g. 970436")
    number = values["BANK_ACCOUNT_NUMBER"]
    if not (1 <= len(number) <= 19 and number.isascii() and number.isalnum()):
        raise ConfigError("BANK_ACCOUNT_NUMBER must be 1 to 19 letters or digits")
    values["BANK_ACCOUNT_IS_DEMO"] = not (env.get("BANK_ACCOUNT_NUMBER") or "").strip()
    return values
