"""Redis for the cache and the rate limits, with short time limits, failing open.

Redis holds nothing the shop cannot do without: rendered catalogue fragments and rate
limit counters. When it is unreachable or stops answering, a request waits at most
REDIS_CONNECT_TIMEOUT / REDIS_SOCKET_TIMEOUT seconds for it, then goes on: the cache
answers "not cached" (the page is rendered afresh) and the rate limits are counted in
the worker's own memory until Redis answers again (Flask-Limiter's in-memory fallback).
Both say so in the log, the cache at most once per LOG_EVERY seconds per app in a worker.
"""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any

import redis
from flask import Flask
from flask_caching.backends.rediscache import RedisCache

logger = logging.getLogger("storefront.redis")
LOG_EVERY = 30.0


def client_options(config: dict[str, Any]) -> dict[str, Any]:
    """redis-py's time limits for one connection, from the shop's settings."""
    return {
        "socket_connect_timeout": config["REDIS_CONNECT_TIMEOUT"],
        "socket_timeout": config["REDIS_SOCKET_TIMEOUT"],
    }


class FailOpenRedisCache(RedisCache):
    """Flask-Caching's Redis backend whose every failure is a miss, never an error."""

    _last_logged = 0.0

    @classmethod
    def factory(cls, app: Flask, config: dict[str, Any], args: Any, kwargs: Any) -> RedisCache:
        client = redis.Redis.from_url(config["CACHE_REDIS_URL"], **client_options(config))
        return cls(client, key_prefix=config.get("CACHE_KEY_PREFIX") or "", **kwargs)

    def _failed(self, operation: str, exc: Exception) -> None:
        now = time.monotonic()
        if now - self._last_logged >= LOG_EVERY:
            self._last_logged = now
            logger.warning("Redis cache unavailable (%s: %s); serving uncached", operation, exc)

    def get(self, key: str) -> Any:
        try:
            return super().get(key)
        except redis.RedisError as exc:
            self._failed("get", exc)
            return None

    def get_many(self, *keys: str) -> list[Any]:
        try:
            return list(super().get_many(*keys))
        except redis.RedisError as exc:
            self._failed("get_many", exc)
            return [None] * len(keys)

    def set(self, key: str, value: Any, timeout: int | timedelta | None = None) -> Any:
        try:
            return super().set(key, value, timeout)
        except redis.RedisError as exc:
            self._failed("set", exc)
            return False

    def add(self, key: str, value: Any, timeout: int | timedelta | None = None) -> Any:
        try:
            return super().add(key, value, timeout)
        except redis.RedisError as exc:
            self._failed("add", exc)
            return False

    def set_many(self, mapping: dict[str, Any], timeout: int | timedelta | None = None) -> Any:
        try:
            return super().set_many(mapping, timeout)
        except redis.RedisError as exc:
            self._failed("set_many", exc)
            return []

    def delete(self, key: str) -> Any:
        try:
            return super().delete(key)
        except redis.RedisError as exc:
            self._failed("delete", exc)
            return False

    def delete_many(self, *keys: str) -> Any:
        try:
            return super().delete_many(*keys)
        except redis.RedisError as exc:
            self._failed("delete_many", exc)
            return []

    def has(self, key: str) -> Any:
        try:
            return super().has(key)
        except redis.RedisError as exc:
            self._failed("has", exc)
            return False

    def clear(self) -> Any:
        try:
            return super().clear()
        except redis.RedisError as exc:
            self._failed("clear", exc)
            return False

    def inc(self, key: str, delta: int = 1) -> Any:
        try:
            return super().inc(key, delta)
        except redis.RedisError as exc:
            self._failed("inc", exc)
            return None

    def dec(self, key: str, delta: int = 1) -> Any:
        try:
            return super().dec(key, delta)
        except redis.RedisError as exc:
            self._failed("dec", exc)
            return None


def ping(config: dict[str, Any]) -> str:
    """ "ok", "degraded" (configured but not answering) or "off" (not configured), for
    /healthz: one PING on a fresh connection, within the configured time limits."""
    url = config.get("REDIS_URL") or ""
    if not url:
        return "off"
    client = redis.Redis.from_url(url, **client_options(config))
    try:
        client.ping()
    except redis.RedisError:
        logger.warning("health check: Redis unreachable at the configured REDIS_URL")
        return "degraded"
    finally:
        client.close()
    return "ok"
