"""Operations that change the catalogue. Callers commit; these only flush."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storefront.catalog.groups import is_valid_subgroup
from storefront.catalog.models import (
    CertificateLevel,
    CertificateStatus,
    OcopCertificate,
    Producer,
    ProducerKind,
    Product,
    ProductPhoto,
    Variant,
)
from storefront.catalog.search import refresh_search_text
from storefront.errors import DomainError
from storefront.i18n import N_
from storefront.places import get_province, normalize_vn_phone, ward_in_province
from storefront.text import slugify
from storefront.timeutil import add_months, utcnow

CERTIFICATE_VALIDITY_MONTHS = 36
MAX_PRICE_VND = 1_000_000_000
MAX_STOCK = 1_000_000


class CatalogError(DomainError):
    """A catalogue change the shop refuses."""


@dataclass(frozen=True)
class ProducerData:
    name: str
    kind: ProducerKind
    province_code: int
    ward_code: int
    address: str
    phone: str
    story: str = ""
    logo_path: str | None = None


@dataclass(frozen=True)
class ProductData:
    name: str
    group_code: str
    subgroup_code: str
    description: str = ""
    name_en: str = ""
    description_en: str = ""
    is_published: bool = True


@dataclass(frozen=True)
class VariantData:
    sku: str
    label: str
    price_vnd: int
    weight_grams: int
    stock: int = 0
    low_stock_threshold: int = 5


@dataclass(frozen=True)
class CertificateData:
    stars: int
    level: CertificateLevel
    decision_number: str
    decision_date: date
    issuing_body: str
    expires_on: date | None = None  # 36 months after the decision unless stated
    scan_path: str | None = None


def unique_slug(session: Session, model: type[Producer] | type[Product], text: str) -> str:
    """An ASCII slug from `text`, suffixed with -2, -3… if already taken. Slugs never change
    once given, so links printed on stamps and shared online keep working."""
    base = slugify(text)[:100] or "san-pham"
    taken = set(
        session.execute(
            select(model.slug).where((model.slug == base) | model.slug.startswith(base + "-"))
        ).scalars()
    )
    if base not in taken:
        return base
    suffix = 2
    while f"{base}-{suffix}" in taken:
        suffix += 1
    return f"{base}-{suffix}"


def create_producer(session: Session, data: ProducerData) -> Producer:
    """Register a producer (chủ thể OCOP) after checking its place and phone."""
    if not data.name.strip():
        raise CatalogError(N_("Tên chủ thể không được để trống."))
    if get_province(data.province_code) is None:
        raise CatalogError(N_("Tỉnh, thành phố không hợp lệ."))
    if not ward_in_province(data.ward_code, data.province_code):
        raise CatalogError(N_("Phường, xã không thuộc tỉnh, thành phố đã chọn."))
    phone = normalize_vn_phone(data.phone)
    if phone is None:
        raise CatalogError(N_("Số điện thoại không hợp lệ."))
    producer = Producer(
        slug=unique_slug(session, Producer, data.name),
        name=data.name.strip(),
        kind=ProducerKind(data.kind),
        province_code=data.province_code,
        ward_code=data.ward_code,
        address=data.address.strip(),
        phone=phone,
        story=data.story.strip(),
        logo_path=data.logo_path,
    )
    session.add(producer)
    session.flush()
    return producer


def create_product(session: Session, producer: Producer, data: ProductData) -> Product:
    """Add a product to a producer's catalogue; its slug is fixed from the name."""
    if not data.name.strip():
        raise CatalogError(N_("Tên sản phẩm không được để trống."))
    if not is_valid_subgroup(data.group_code, data.subgroup_code):
        raise CatalogError(N_("Nhóm sản phẩm OCOP không hợp lệ."))
    product = Product(
        producer_id=producer.id,
        producer=producer,
        slug=unique_slug(session, Product, data.name),
        name=data.name.strip(),
        name_en=data.name_en.strip(),
        group_code=data.group_code,
        subgroup_code=data.subgroup_code,
        description=data.description.strip(),
        description_en=data.description_en.strip(),
        is_published=data.is_published,
    )
    session.add(product)
    refresh_search_text(session, [product])
    return product


def add_variant(session: Session, product: Product, data: VariantData) -> Variant:
    """Add a pack size to a product and update the product's 'from' price."""
    if not data.label.strip() or not data.sku.strip():
        raise CatalogError(N_("Quy cách và mã SKU không được để trống."))
    if not 0 < data.price_vnd <= MAX_PRICE_VND:
        raise CatalogError(N_("Giá phải là số nguyên dương (đồng)."))
    if data.weight_grams <= 0:
        raise CatalogError(N_("Khối lượng phải lớn hơn 0 gam."))
    if not 0 <= data.stock <= MAX_STOCK:
        raise CatalogError(N_("Tồn kho không hợp lệ."))
    if session.execute(select(Variant.id).where(Variant.sku == data.sku.strip())).first():
        raise CatalogError(N_("Mã SKU %(sku)s đã được dùng."), sku=data.sku)
    position = session.execute(
        select(func.count()).select_from(Variant).where(Variant.product_id == product.id)
    ).scalar_one()
    variant = Variant(
        product_id=product.id,
        sku=data.sku.strip(),
        label=data.label.strip(),
        price_vnd=int(data.price_vnd),
        weight_grams=int(data.weight_grams),
        stock=int(data.stock),
        low_stock_threshold=int(data.low_stock_threshold),
        position=position,
    )
    session.add(variant)
    session.flush()
    refresh_price_from(session, product.id)
    return variant


def refresh_price_from(session: Session, product_id: int) -> None:
    """Recompute a product's lowest active variant price (used for price filters)."""
    lowest = (
        select(func.min(Variant.price_vnd))
        .where(Variant.product_id == product_id, Variant.is_active.is_(True))
        .scalar_subquery()
    )
    session.execute(update(Product).where(Product.id == product_id).values(price_from=lowest))


def add_photo(
    session: Session, product: Product, path: str, width: int, height: int, alt: str = ""
) -> ProductPhoto:
    """Attach an already stored image file (path relative to MEDIA_ROOT) to a product."""
    position = session.execute(
        select(func.count()).select_from(ProductPhoto).where(ProductPhoto.product_id == product.id)
    ).scalar_one()
    photo = ProductPhoto(
        product_id=product.id, path=path, width=width, height=height, alt=alt, position=position
    )
    session.add(photo)
    session.flush()
    return photo


def add_certificate(session: Session, product: Product, data: CertificateData) -> OcopCertificate:
    """Record an OCOP certificate for a product; it counts only once verified."""
    if data.stars not in (3, 4, 5):
        raise CatalogError(N_("Hạng sao OCOP phải là 3, 4 hoặc 5."))
    if not data.decision_number.strip() or not data.issuing_body.strip():
        raise CatalogError(N_("Cần số quyết định và cơ quan cấp."))
    expires_on = data.expires_on or add_months(data.decision_date, CERTIFICATE_VALIDITY_MONTHS)
    if expires_on <= data.decision_date:
        raise CatalogError(N_("Ngày hết hạn phải sau ngày quyết định."))
    certificate = OcopCertificate(
        product_id=product.id,
        stars=data.stars,
        level=CertificateLevel(data.level),
        decision_number=data.decision_number.strip(),
        decision_date=data.decision_date,
        issuing_body=data.issuing_body.strip(),
        expires_on=expires_on,
        scan_path=data.scan_path,
    )
    session.add(certificate)
    session.flush()
    return certificate


def verify_certificate(session: Session, certificate: OcopCertificate) -> None:
    """Mark a certificate as checked against the decision; its stars now show."""
    certificate.status = CertificateStatus.VERIFIED
    certificate.verified_at = utcnow()
    certificate.rejection_reason = ""
    session.flush()
