"""Test data made through the same services the shop uses, so search text and
derived prices are right without a test having to know how."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

from sqlalchemy.orm import Session

from storefront.catalog import services
from storefront.catalog.models import CertificateLevel, Producer, ProducerKind, Product
from storefront.timeutil import today_in_vietnam

DIEN_BIEN = 11
DIEN_BIEN_WARD = 3127  # Phường Điện Biên Phủ
VINH_LONG = 86
VINH_LONG_WARD = 29242  # Phường Trà Vinh

_sequence = itertools.count(1)


def make_producer(
    session: Session,
    name: str | None = None,
    province_code: int = DIEN_BIEN,
    ward_code: int = DIEN_BIEN_WARD,
    **extra: object,
) -> Producer:
    n = next(_sequence)
    data = services.ProducerData(
        name=name or f"HTX Thử nghiệm {n}",
        kind=ProducerKind.COOPERATIVE,
        province_code=province_code,
        ward_code=ward_code,
        address=f"Bản {n}",
        phone="0912345678",
        **extra,  # type: ignore[arg-type]
    )
    return services.create_producer(session, data)


def make_product(
    session: Session,
    producer: Producer | None = None,
    name: str | None = None,
    price: int = 150_000,
    stock: int = 10,
    stars: int | None = 4,
    description: str = "",
    group: tuple[str, str] = ("thuc-pham", "thuc-pham-che-bien"),
    expired: bool = False,
    published: bool = True,
) -> Product:
    """A product with one variant and, unless stars is None, a verified certificate."""
    producer = producer or make_producer(session)
    n = next(_sequence)
    product = services.create_product(
        session,
        producer,
        services.ProductData(
            name=name or f"Sản phẩm thử {n}",
            group_code=group[0],
            subgroup_code=group[1],
            description=description,
            is_published=published,
        ),
    )
    services.add_variant(
        session,
        product,
        services.VariantData(
            sku=f"SKU-{n}", label="Hộp 500 g", price_vnd=price, weight_grams=500, stock=stock
        ),
    )
    if stars:
        decided = today_in_vietnam() - timedelta(days=(40 * 30 if expired else 30))
        certificate = services.add_certificate(
            session,
            product,
            services.CertificateData(
                stars=stars,
                level=CertificateLevel.CENTRAL if stars == 5 else CertificateLevel.PROVINCE,
                decision_number=f"{n}/QĐ-UBND",
                decision_date=decided,
                issuing_body="UBND tỉnh Điện Biên",
            ),
        )
        services.verify_certificate(session, certificate)
    return product


def days_ago(days: int) -> date:
    return today_in_vietnam() - timedelta(days=days)
