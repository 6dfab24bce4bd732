"""Each product's OCOP stars in force, kept on its row so listings filter and sort on an
index instead of working out every product's certificates.

`Product.stars` is what `current_stars_expr` answers (0 for none) and
`Product.stars_until` the last day that answer holds: the day its certificate expires,
or the eve of a verified decision that will raise it. Any flush that adds, changes or
removes a certificate refreshes its products; bulk statements call `refresh_stars`
themselves. Rows whose `stars_until` has passed are refreshed by
`refresh_expired_stars`, which the listing runs once a day per process (and
`flask catalog refresh-stars` from cron, for servers that list nothing all day).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from flask import Flask
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.util import identity_key

from storefront.catalog.cache import catalogue_changed
from storefront.catalog.models import CertificateStatus, OcopCertificate, Product
from storefront.extensions import Session
from storefront.timeutil import today_in_vietnam

_CHANGED = "certificates_changed"
_CHUNK = 500


def stars_in_force(
    certificates: Iterable[tuple[int, date, date]], day: date
) -> tuple[int, date | None]:
    """(stars, until) from a product's verified certificates as (stars, decision date,
    expiry): the best one in force on `day` (the longest-lasting of equals), and the last
    day that holds."""
    rows = list(certificates)
    valid = [(stars, expires) for stars, decided, expires in rows if decided <= day <= expires]
    stars, until = max(valid, default=(0, None))
    raised = [decided - timedelta(days=1) for s, decided, _ in rows if decided > day and s > stars]
    if raised:
        until = min([until, *raised]) if until else min(raised)
    return stars, until


def refresh_stars(session: Session, product_ids: Iterable[int], day: date | None = None) -> int:
    """Recompute the stars of these products as of `day` (today in Vietnam by default);
    answers how many rows changed. Only flushes."""
    day = day or today_in_vietnam()
    ids = sorted(set(product_ids))
    changed = 0
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        found: dict[int, list[tuple[int, date, date]]] = defaultdict(list)
        for product_id, stars, decided, expires in session.execute(
            select(
                OcopCertificate.product_id,
                OcopCertificate.stars,
                OcopCertificate.decision_date,
                OcopCertificate.expires_on,
            ).where(
                OcopCertificate.product_id.in_(chunk),
                OcopCertificate.status == CertificateStatus.VERIFIED,
            )
        ):
            found[product_id].append((stars, decided, expires))
        current = dict(
            (row.id, (row.stars, row.stars_until))
            for row in session.execute(
                select(Product.id, Product.stars, Product.stars_until).where(Product.id.in_(chunk))
            )
        )
        rows = []
        for product_id, before in current.items():
            after = stars_in_force(found.get(product_id, ()), day)
            if after != before:
                rows.append({"id": product_id, "stars": after[0], "stars_until": after[1]})
        if rows:
            session.execute(update(Product), rows)  # by primary key, one executemany
            _expire_loaded(session, [row["id"] for row in rows])
        changed += len(rows)
    return changed


def refresh_expired_stars(session: Session, day: date | None = None) -> int:
    """Refresh every product whose stars stopped holding before `day`. Only flushes."""
    day = day or today_in_vietnam()
    stale = session.execute(select(Product.id).where(Product.stars_until < day)).scalars()
    return refresh_stars(session, list(stale), day)


def keep_current(app: Flask, session: Session, day: date) -> None:
    """Once a day per process: refresh the products whose stars have expired, and commit
    when any changed (the catalogue cache then moves on by itself)."""
    if app.extensions.get("catalog_stars_day") == day:
        return
    if refresh_expired_stars(session, day):
        session.commit()
        catalogue_changed()  # bulk updates: the cache does not see them by itself
    mark_current(app, day)


def mark_current(app: Flask, day: date) -> None:
    """Note that the stars hold on `day` (refreshed, or nothing to refresh: a new
    database), so the listing's first request of that day skips the check."""
    app.extensions["catalog_stars_day"] = day


def _expire_loaded(session: Session, product_ids: list[int]) -> None:
    for product_id in product_ids:
        product = session.identity_map.get(identity_key(Product, product_id))
        if product is not None:
            session.expire(product, ["stars", "stars_until"])


def register(app: Flask) -> None:
    if not event.contains(OrmSession, "after_flush", _note_certificates):
        event.listen(OrmSession, "after_flush", _note_certificates)
        event.listen(OrmSession, "after_flush_postexec", _refresh_noted)


def _note_certificates(session: OrmSession, flush_context: Any) -> None:
    ids = session.info.setdefault(_CHANGED, set())
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, OcopCertificate) and obj.product_id is not None:
            ids.add(obj.product_id)
    if not ids:
        session.info.pop(_CHANGED, None)


def _refresh_noted(session: OrmSession, flush_context: Any) -> None:
    ids = session.info.pop(_CHANGED, None)
    if ids:
        refresh_stars(session, ids)
