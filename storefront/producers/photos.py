"""Product photos from the producer's workspace: upload, alt text, order, delete."""

from __future__ import annotations

from sqlalchemy import func, select

from storefront import media
from storefront.catalog import services as catalog
from storefront.catalog.models import Product, ProductPhoto
from storefront.errors import DomainError
from storefront.extensions import Session
from storefront.i18n import N_

MAX_PHOTOS = 12
MAX_ALT = 300


class PhotoError(DomainError):
    """A photo change the shop refuses."""


def upload_photo(
    session: Session, media_root: media.Store, product: Product, data: bytes, alt: str
) -> ProductPhoto:
    """Check, re-encode and attach an uploaded photo. Nothing is stored when refused."""
    count = session.execute(
        select(func.count()).select_from(ProductPhoto).where(ProductPhoto.product_id == product.id)
    ).scalar_one()
    if count >= MAX_PHOTOS:
        raise PhotoError(N_("Mỗi sản phẩm có tối đa %(n)s ảnh."), n=MAX_PHOTOS)
    alt = " ".join(alt.split())
    if len(alt) > MAX_ALT:
        raise PhotoError(N_("Mô tả ảnh tối đa %(n)s ký tự."), n=MAX_ALT)
    stored = media.store_photo(media_root, data)
    return catalog.add_photo(session, product, stored.path, stored.width, stored.height, alt)


def set_alt(session: Session, photo: ProductPhoto, alt: str) -> None:
    """Change the text read out instead of the photo."""
    alt = " ".join(alt.split())
    if len(alt) > MAX_ALT:
        raise PhotoError(N_("Mô tả ảnh tối đa %(n)s ký tự."), n=MAX_ALT)
    photo.alt = alt
    session.flush()


def move_photo(session: Session, photo: ProductPhoto, step: int) -> None:
    """Move a photo one place earlier (step -1) or later (+1) among its product's photos."""
    ids = list(
        session.execute(
            select(ProductPhoto.id)
            .where(ProductPhoto.product_id == photo.product_id)
            .order_by(ProductPhoto.position, ProductPhoto.id)
        ).scalars()
    )
    index = ids.index(photo.id)
    target = index + (1 if step > 0 else -1)
    if 0 <= target < len(ids):
        ids[index], ids[target] = ids[target], ids[index]
        catalog.reorder_photos(session, photo.product_id, ids)


def delete_photo(session: Session, photo: ProductPhoto) -> str | None:
    """Remove a photo; returns its file path when no other photo uses the same file
    (the caller deletes it after commit), else None."""
    path = photo.path
    catalog.delete_photo(session, photo)
    still_used = session.execute(
        select(ProductPhoto.id).where(ProductPhoto.path == path).limit(1)
    ).first()
    return None if still_used else path
