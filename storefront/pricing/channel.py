"""The channel a buyer came through (a fair's page), remembered in the signed session
cookie so that the price they saw there is the price they pay, and the order is
credited to it. No server state: the cookie holds the channel and when it ends."""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

SESSION_KEY = "came_through"


@dataclass(frozen=True)
class Channel:
    """Where a buyer came from: a source's name (such as "fair") and the id of its row."""

    kind: str
    id: int


def _timestamp(moment: datetime) -> int:
    if moment.tzinfo is None:  # SQLite hands back naive UTC
        moment = moment.replace(tzinfo=UTC)
    return int(moment.timestamp())


def remember_channel(cookie: MutableMapping[str, Any], channel: Channel, until: datetime) -> None:
    """Store the channel in `cookie` (Flask's session) until `until`."""
    value = {"kind": channel.kind, "id": channel.id, "until": _timestamp(until)}
    if cookie.get(SESSION_KEY) != value:
        cookie[SESSION_KEY] = value


def channel_from_cookie(cookie: MutableMapping[str, Any], now: datetime) -> Channel | None:
    """The channel the buyer came through, unless it has ended by `now` (then forgotten).
    The source that set it re-checks it in the database before trusting it."""
    value = cookie.get(SESSION_KEY)
    if not isinstance(value, dict):
        return None
    kind, ident, until = value.get("kind"), value.get("id"), value.get("until")
    if (
        not isinstance(kind, str)
        or not isinstance(ident, int)
        or not isinstance(until, int)
        or _timestamp(now) >= until
    ):
        cookie.pop(SESSION_KEY, None)
        return None
    return Channel(kind, ident)
