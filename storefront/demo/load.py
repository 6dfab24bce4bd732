"""Load the demo catalogue (storefront/demo/catalogue.py) through the catalogue services.

Idempotent: producers and products are keyed by their slugs, and whatever already
exists is left as it is, so loading twice creates nothing the second time.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from storefront import media
from storefront.catalog import services
from storefront.catalog.models import CertificateLevel, Producer, Product
from storefront.demo import images
from storefront.demo.catalogue import PRODUCERS, PRODUCTS, DemoProducer, DemoProduct
from storefront.extensions import Session
from storefront.places import Province, find_province, wards_of
from storefront.text import slugify
from storefront.timeutil import add_months

CENTRAL_ISSUER = "Bộ Nông nghiệp và Môi trường"


@dataclass
class LoadSummary:
    producers_created: int = 0
    producers_existing: int = 0
    products_created: int = 0
    products_existing: int = 0


def issuing_body(stars: int, province: Province) -> tuple[CertificateLevel, str]:
    """Who ranks a product: the central ministry for 5★, the province's People's Committee
    for 3–4★ (the rule since July 2025)."""
    if stars == 5:
        return CertificateLevel.CENTRAL, CENTRAL_ISSUER
    committee = "UBND thành phố" if province.kind == "city" else "UBND tỉnh"
    return CertificateLevel.PROVINCE, f"{committee} {province.short_name}"


def decision_date(today: date, age_months: int, number: str) -> date:
    """A decision date `age_months` before today, moved back a few days (derived from the
    decision number) so that the demo's dates do not all share one day of the month."""
    shift = int(number.split("/")[0]) % 19
    return add_months(today, -age_months) - timedelta(days=shift)


def _province(name: str) -> Province:
    province = find_province(name)
    if province is None:
        raise ValueError(f"demo data names an unknown province: {name}")
    return province


def _ward_code(province: Province, ward_name: str) -> int:
    for ward in wards_of(province.code):
        if ward.name == ward_name:
            return ward.code
    raise ValueError(f"demo data names a ward not in {province.name}: {ward_name}")


def _create_producer(session: Session, media_root: media.Store, demo: DemoProducer) -> Producer:
    province = _province(demo.province)
    logo = images.store_media(media_root, "producers", images.producer_logo(demo.name), "png")
    return services.create_producer(
        session,
        services.ProducerData(
            name=demo.name,
            kind=demo.kind,
            province_code=province.code,
            ward_code=_ward_code(province, demo.ward),
            address=demo.address,
            phone=demo.phone,
            story=demo.story,
            logo_path=logo,
        ),
    )


def _create_product(
    session: Session, media_root: media.Store, producer: Producer, demo: DemoProduct, today: date
) -> Product:
    product = services.create_product(
        session,
        producer,
        services.ProductData(
            name=demo.name,
            group_code=demo.group,
            subgroup_code=demo.subgroup,
            description=demo.description,
            name_en=demo.name_en,
        ),
    )
    for variant in demo.variants:
        services.add_variant(
            session,
            product,
            services.VariantData(
                sku=variant.sku,
                label=variant.label,
                price_vnd=variant.price,
                weight_grams=variant.grams,
                stock=variant.stock,
            ),
        )
    province = _province(next(p.province for p in PRODUCERS if p.name == demo.producer))
    picture = images.product_picture(demo.name, province.short_name, demo.group)
    path = images.store_photo(media_root, picture)
    width, height = images.PHOTO_SIZE
    services.add_photo(session, product, path, width, height, alt=demo.name)

    cert = demo.certificate
    level, body = issuing_body(cert.stars, province)
    certificate = services.add_certificate(
        session,
        product,
        services.CertificateData(
            stars=cert.stars,
            level=level,
            decision_number=cert.number,
            decision_date=decision_date(today, cert.age_months, cert.number),
            issuing_body=body,
        ),
    )
    if cert.verified:
        services.verify_certificate(session, certificate)
    return product


def load_demo(session: Session, media_root: media.Store, today: date) -> LoadSummary:
    """Create the demo producers and products that do not exist yet (matched by slug),
    with variants, a generated photo and an OCOP certificate each. Only flushes."""
    summary = LoadSummary()
    producer_slugs = [slugify(p.name) for p in PRODUCERS]
    producers = {
        p.slug: p
        for p in session.execute(
            select(Producer).where(Producer.slug.in_(producer_slugs))
        ).scalars()
    }
    existing_products = set(
        session.execute(
            select(Product.slug).where(Product.slug.in_([slugify(p.name) for p in PRODUCTS]))
        ).scalars()
    )

    by_name: dict[str, Producer] = {}
    for demo, slug in zip(PRODUCERS, producer_slugs, strict=True):
        if slug in producers:
            summary.producers_existing += 1
            by_name[demo.name] = producers[slug]
        else:
            summary.producers_created += 1
            by_name[demo.name] = _create_producer(session, media_root, demo)

    for demo_product in PRODUCTS:
        if slugify(demo_product.name) in existing_products:
            summary.products_existing += 1
            continue
        _create_product(session, media_root, by_name[demo_product.producer], demo_product, today)
        summary.products_created += 1
    return summary
