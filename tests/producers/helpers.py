"""Data for the producer workspace's tests: a producer's product, photo, order part and
pending certificate, made through the shop's own services."""

from __future__ import annotations

import io
from datetime import timedelta
from typing import Any

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from storefront.catalog import services as catalog
from storefront.catalog.models import CertificateLevel, Producer
from storefront.orders.models import OrderPart
from storefront.orders.placement import place_order
from storefront.timeutil import today_in_vietnam
from tests.factories import make_product
from tests.orders.helpers import order_request, variant_of


def jpeg_bytes(size: tuple[int, int] = (800, 600), colour: str = "orange") -> bytes:
    """A real JPEG made by Pillow."""
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


def workspace_objects(session: Session, producer: Producer) -> dict[str, Any]:
    """One of each object the workspace's URLs point at, all belonging to `producer`."""
    product = make_product(session, producer, name="Mật ong hoa Ban", stock=20)
    variant = variant_of(session, product)
    photo = catalog.add_photo(session, product, "products/world.jpg", 800, 600, "Hũ mật ong")
    order = place_order(session, order_request([(variant.id, 2)])).order
    certificate = catalog.add_certificate(
        session,
        product,
        catalog.CertificateData(
            stars=4,
            level=CertificateLevel.PROVINCE,
            decision_number="99/QĐ-UBND",
            decision_date=today_in_vietnam() - timedelta(days=10),
            issuing_body="UBND tỉnh Điện Biên",
        ),
    )
    session.flush()
    return {
        "product_id": product.id,
        "variant_id": variant.id,
        "photo_id": photo.id,
        "part_id": part_id_of(session, order.id),
        "certificate_id": certificate.id,
    }


def part_id_of(session: Session, order_id: int) -> int:
    """The id of the (single) part of an order."""
    return session.execute(select(OrderPart.id).where(OrderPart.order_id == order_id)).scalar_one()
