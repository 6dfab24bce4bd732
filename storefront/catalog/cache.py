"""A short-lived cache of rendered catalogue fragments (listing results, home shelves).

Listing pages are the busiest and the same for every visitor, so their main
content is rendered once per (filters, language, day, catalogue version) and kept
for CATALOG_CACHE_SECONDS. Any committed change to a catalogue row bumps the
catalogue version, so buyers see a new price or product on their next request;
the time limit only bounds staleness when several servers share no cache (with
REDIS_URL set they share Redis, and the version with it).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from itertools import chain
from typing import Any

from flask import Flask, current_app
from markupsafe import Markup
from sqlalchemy import event
from sqlalchemy.orm import Session

from storefront.catalog.models import OcopCertificate, Producer, Product, ProductPhoto, Variant
from storefront.extensions import cache

VERSION_KEY = "catalog:version"
CATALOGUE_MODELS = (Producer, Product, Variant, ProductPhoto, OcopCertificate)
_CHANGED = "catalogue_changed"


def register(app: Flask) -> None:
    if not event.contains(Session, "after_flush", _note_catalogue_changes):
        event.listen(Session, "after_flush", _note_catalogue_changes)
        event.listen(Session, "after_commit", _bump_version_after_commit)
        event.listen(Session, "after_rollback", _forget_changes)


def _note_catalogue_changes(session: Session, flush_context: Any) -> None:
    touched = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, CATALOGUE_MODELS) for obj in touched):
        session.info[_CHANGED] = True


def _bump_version_after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False):
        catalogue_changed()


def _forget_changes(session: Session) -> None:
    session.info.pop(_CHANGED, None)


def note_catalogue_change(session: Session | Any) -> None:
    """Say that this transaction changed catalogue rows with bulk statements (review
    aggregates, sold counts): the cached fragments go stale when it commits."""
    session.info[_CHANGED] = True


def catalogue_changed() -> None:
    """Make every cached catalogue fragment stale (call after committing changes made
    with bulk statements, which the session does not track)."""
    try:
        cache.cache.inc(VERSION_KEY)
    except RuntimeError:  # no app context: nothing cached here to invalidate
        pass


def cached_fragment(
    name: str, parts: tuple[object, ...], today: date, render: Callable[[], str]
) -> Markup:
    """The rendered fragment for `parts`, from the cache or freshly rendered and stored.

    `render` must return HTML produced by our own autoescaping templates: it is
    marked safe so the page template can embed it as it is."""
    seconds = current_app.config["CATALOG_CACHE_SECONDS"]
    if seconds <= 0:
        return Markup(render())  # noqa: S704 - our own rendered template
    version = cache.get(VERSION_KEY) or 0
    digest = hashlib.sha256(repr((version, today.isoformat(), parts)).encode()).hexdigest()[:32]
    key = f"catalog:{name}:{digest}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout=seconds)
    return Markup(html)  # noqa: S704 - our own rendered template, from our cache
