"""The sharing pictures of photos stored before their upload made one (media.SHARED_FOLDERS)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from storefront import media
from storefront.catalog.models import ProductPhoto
from storefront.extensions import Session
from storefront.fairs.models import Fair
from storefront.storage import media_storage


@dataclass(frozen=True)
class SharePictures:
    checked: int  # photos whose sharing picture is there now or was made
    unreadable: list[str]  # stored paths whose photo is missing or cannot be read


def make_missing_share_pictures(
    session: Session, store: media.Store | None = None
) -> SharePictures:
    """Make the sharing picture of every product photo and fair banner that has none."""
    store = media_storage() if store is None else store
    paths = set(session.scalars(select(ProductPhoto.path).distinct()))
    banners = select(Fair.banner_path).where(Fair.banner_path.is_not(None)).distinct()
    paths.update(path for path in session.scalars(banners) if path)
    unreadable = sorted(path for path in paths if not media.make_share_image(store, path))
    return SharePictures(checked=len(paths) - len(unreadable), unreadable=unreadable)
