"""What every workspace view shares: the acting producer, the acting account, flashes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from flask import abort, flash
from flask_login import current_user

from storefront.accounts.access import require_producer_member
from storefront.catalog.cache import catalogue_changed
from storefront.catalog.models import Producer, Product
from storefront.errors import DomainError, NotFound
from storefront.extensions import db
from storefront.producers.listings import get_product
from storefront.storage import MediaStorage, media_storage

logger = logging.getLogger(__name__)
T = TypeVar("T")


def acting_producer(producer_id: int) -> Producer:
    """The producer in the URL, if the signed-in account acts for it; 404 otherwise."""
    require_producer_member(producer_id)
    return db.get_or_404(Producer, producer_id)


def own(getter: Callable[..., T], producer_id: int, object_id: int) -> T:
    """`getter(session, producer_id, object_id)` for one of the producer's own objects;
    404 when it belongs to another producer or does not exist."""
    try:
        return getter(db.session, producer_id, object_id)
    except NotFound:
        abort(404)


def own_product(producer_id: int, product_id: int) -> Product:
    """The producer's product with variants and photos, or 404."""
    return own(get_product, producer_id, product_id)


def actor_id() -> int:
    return int(current_user.id)


def media_root() -> MediaStorage:
    """The media store (storefront/storage.py) uploads go to."""
    return media_storage()


def commit() -> None:
    """Commit the request's changes. Stock, photo order and certificate decisions are
    conditional UPDATE statements the session does not track, so the catalogue's
    cached pages are told explicitly."""
    db.session.commit()
    catalogue_changed()


def refused(error: DomainError) -> None:
    """Undo the request's changes and tell the person why; NotFound becomes a 404."""
    db.session.rollback()
    if isinstance(error, NotFound):
        abort(404)
    flash(str(error), "error")
