"""A short-lived cache of rendered catalogue fragments (listing results, home shelves).

Listing pages are the busiest and the same for every visitor, so their main
content is rendered once per (filters, language, day, catalogue version) and kept
for CATALOG_CACHE_SECONDS. Any committed change to a catalogue row bumps the
catalogue version, which is part of every fragment's key, so buyers see a new price or
product on their next request, on every worker and every host.

The version lives where all of them read it, never only in a process's memory:
- with REDIS_URL, in Redis (INCR after the commit; the fragments are there too). Redis
  down fails open: every fragment is a miss and is rendered afresh;
- without it, in the one-row table `catalogue_version`, bumped in the same transaction
  as the catalogue change (just before its commit) and read once per request. Each
  process then caches its own fragments, but under the shared version, so several
  workers (`gunicorn -w 4` in development) never serve a stale listing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from itertools import chain
from typing import Any

from flask import Flask, current_app, g, has_app_context
from markupsafe import Markup
from sqlalchemy import event, insert, select, update
from sqlalchemy.orm import Session

from storefront.catalog.models import (
    CatalogueVersion,
    OcopCertificate,
    Producer,
    Product,
    ProductPhoto,
    Variant,
)
from storefront.extensions import cache, db, rowcount

VERSION_KEY = "catalog:version"
CATALOGUE_MODELS = (Producer, Product, Variant, ProductPhoto, OcopCertificate)
_CHANGED = "catalogue_changed"


def register(app: Flask) -> None:
    if not event.contains(Session, "after_flush", _note_catalogue_changes):
        event.listen(Session, "after_flush", _note_catalogue_changes)
        event.listen(Session, "before_commit", _bump_version_in_transaction)
        event.listen(Session, "after_commit", _bump_version_after_commit)
        event.listen(Session, "after_rollback", _forget_changes)


def _note_catalogue_changes(session: Session, flush_context: Any) -> None:
    touched = chain(session.new, session.dirty, session.deleted)
    if any(isinstance(obj, CATALOGUE_MODELS) for obj in touched):
        session.info[_CHANGED] = True


def _version_in_redis() -> bool:
    return bool(current_app.config.get("REDIS_URL"))


def _bump_version_in_transaction(session: Session) -> None:
    """Without Redis: bump the version row in the transaction about to commit, so the
    change and the new version become visible together."""
    if not has_app_context() or _version_in_redis():
        return
    if not session.info.get(_CHANGED):
        session.flush()  # what the commit would flush next may touch the catalogue
    if session.info.get(_CHANGED):
        _bump_row(session)


def _bump_row(session: Session | Any) -> None:
    bumped = session.execute(
        update(CatalogueVersion)
        .where(CatalogueVersion.id == 1)
        .values(version=CatalogueVersion.version + 1)
    )
    if rowcount(bumped) == 0:  # a database emptied by hand (tests) lost the row
        session.execute(insert(CatalogueVersion).values(id=1, version=1))


def _bump_version_after_commit(session: Session) -> None:
    if session.info.pop(_CHANGED, False) and has_app_context():
        g.pop("catalogue_version", None)
        if _version_in_redis():
            cache.cache.inc(VERSION_KEY)


def _forget_changes(session: Session) -> None:
    session.info.pop(_CHANGED, None)


def note_catalogue_change(session: Session | Any) -> None:
    """Say that this transaction changed catalogue rows with bulk statements (review
    aggregates, sold counts): the cached fragments go stale when it commits."""
    session.info[_CHANGED] = True


def catalogue_changed() -> None:
    """Make every cached catalogue fragment stale (call after committing changes made
    with bulk statements, which the session does not track)."""
    if not has_app_context():  # nothing cached here to invalidate
        return
    g.pop("catalogue_version", None)
    if _version_in_redis():
        cache.cache.inc(VERSION_KEY)
        return
    # In the request's own session, not a second connection: the changes are committed
    # already, and one connection per request is all a pool (or a test's) has to give.
    _bump_row(db.session)
    db.session.commit()


def current_version() -> int:
    """The catalogue version every worker agrees on, read once per request (from Redis,
    or from the database when there is no Redis)."""
    if "catalogue_version" not in g:
        if _version_in_redis():
            g.catalogue_version = int(cache.get(VERSION_KEY) or 0)
        else:
            found = db.session.execute(
                select(CatalogueVersion.version).where(CatalogueVersion.id == 1)
            ).scalar()
            g.catalogue_version = found or 0
    return int(g.catalogue_version)


def cached_fragment(
    name: str, parts: tuple[object, ...], today: date, render: Callable[[], str]
) -> Markup:
    """The rendered fragment for `parts`, from the cache or freshly rendered and stored.

    `render` must return HTML produced by our own autoescaping templates: it is
    marked safe so the page template can embed it as it is."""
    seconds = current_app.config["CATALOG_CACHE_SECONDS"]
    if seconds <= 0:
        return Markup(render())  # noqa: S704 - our own rendered template
    version = current_version()
    digest = hashlib.sha256(repr((version, today.isoformat(), parts)).encode()).hexdigest()[:32]
    key = f"catalog:{name}:{digest}"
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout=seconds)
    return Markup(html)  # noqa: S704 - our own rendered template, from our cache
