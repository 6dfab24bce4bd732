"""Configuration comes from the environment; production refuses weak secrets."""

from __future__ import annotations

import pytest

from storefront.config import DEVELOPMENT_SECRET_KEY, ConfigError, load_config


def test_defaults_to_sqlite_in_instance(tmp_path):
    config = load_config({}, str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path}/storefront.db"
    assert config["RATELIMIT_STORAGE_URI"] == "memory://"
    assert config["BABEL_DEFAULT_LOCALE"] == "vi"


@pytest.mark.parametrize("secret", [None, "", DEVELOPMENT_SECRET_KEY, "short"])
def test_production_refuses_missing_or_default_secret(tmp_path, secret):
    env = {"STOREFRONT_ENV": "production"}
    if secret is not None:
        env["SECRET_KEY"] = secret
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        load_config(env, str(tmp_path))


def test_production_config_is_hardened(tmp_path):
    config = load_config(
        {
            "STOREFRONT_ENV": "production",
            "SECRET_KEY": "x" * 40,
            "DATABASE_URL": "postgres://u@db/shop",
            "REDIS_URL": "redis://r:6379/0",
        },
        str(tmp_path),
    )
    assert config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://u@db/shop"
    assert config["SESSION_COOKIE_SECURE"] and config["SEND_HSTS"]
    assert config["RATELIMIT_STORAGE_URI"] == "redis://r:6379/0"


def test_production_refuses_to_start_without_redis(tmp_path):
    env = {"STOREFRONT_ENV": "production", "SECRET_KEY": "x" * 40}
    with pytest.raises(ConfigError, match="REDIS_URL is missing.*rate limits"):
        load_config(env, str(tmp_path))


@pytest.fixture
def shared_limiter_restored():
    """create_app() binds the one shared limiter to each new app (enabled, with that
    app's storage): put it back, or every later test's requests count against limits."""
    from storefront.extensions import limiter

    saved = dict(limiter.__dict__)
    yield
    limiter.__dict__.clear()
    limiter.__dict__.update(saved)


@pytest.mark.usefixtures("shared_limiter_restored")
def test_development_says_in_the_log_that_limits_are_per_process(monkeypatch, caplog):
    from storefront import create_app

    monkeypatch.setenv("STOREFRONT_ENV", "development")
    monkeypatch.delenv("REDIS_URL", raising=False)
    caplog.set_level("WARNING")
    create_app()
    assert "rate limits are counted in each process's memory" in caplog.text
    caplog.clear()
    monkeypatch.setenv("REDIS_URL", "redis://127.0.0.1:6379/3")
    create_app()
    assert "rate limits are counted" not in caplog.text


@pytest.mark.parametrize("value", ["soon", "0", "-1"])
def test_redis_time_limits_must_be_positive_seconds(tmp_path, value):
    with pytest.raises(ConfigError, match="REDIS_SOCKET_TIMEOUT"):
        load_config({"REDIS_SOCKET_TIMEOUT": value}, str(tmp_path))


def test_create_app_refuses_to_start_in_production_without_secret(monkeypatch):
    from storefront import create_app

    monkeypatch.setenv("STOREFRONT_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app()
