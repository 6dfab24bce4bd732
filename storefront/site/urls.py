"""Redirect targets that cannot lead a visitor off the site."""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_next_path(candidate: str | None, default: str = "/") -> str:
    """Return `candidate` if it is a path on this site, else `default`.

    Refuses absolute URLs, scheme-relative `//host` and `/\\host` forms, control
    characters and anything that is not a plain path starting with a single slash.
    """
    if not candidate or len(candidate) > 2000:
        return default
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in candidate) or "\\" in candidate:
        return default
    if not candidate.startswith("/") or candidate.startswith("//"):
        return default
    parts = urlsplit(candidate)
    if parts.scheme or parts.netloc:
        return default
    return candidate
