"""Operations that change the catalogue. Callers commit; these only flush."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, update

from storefront.catalog.groups import is_valid_subgroup
from storefront.catalog.models import (
    CertificateLevel,
    CertificateStatus,
    OcopCertificate,
    Producer,
    ProducerKind,
    Product,
    ProductPhoto,
    StockMovement,
    StockReason,
    Variant,
)
from storefront.catalog.search import refresh_search_text
from storefront.errors import DomainError
from storefront.extensions import Session
from storefront.i18n import N_
from storefront.places import get_province, normalize_vn_phone, ward_in_province
from storefront.text import slugify
from storefront.timeutil import add_months, utcnow

CERTIFICATE_VALIDITY_MONTHS = 36
MAX_PRICE_VND = 1_000_000_000  # the dearest pack; also bounds the price filter
MAX_STOCK = 1_000_000
MAX_WEIGHT_GRAMS = 1_000_000


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
    if len(data.name.strip()) > 200:
        raise CatalogError(N_("Tên sản phẩm không được để trống (tối đa 200 ký tự)."))
    if not is_valid_subgroup(data.group_code, data.subgroup_code):
        raise CatalogError(N_("Nhóm sản phẩm OCOP không hợp lệ."))
    product = Product(
        producer_id=producer.id,
        producer=producer,
        slug=unique_slug(session, Product, data.name),
        name=data.name.strip(),
        name_en=data.name_en.strip()[:200],  # as update_product keeps it
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
    _check_variant(data.sku.strip(), data.label.strip(), data)
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


# --- Changes made from the producer's workspace -------------------------------------

# The sign of the delta each stock reason allows.
_REASON_SIGNS = {
    StockReason.DELIVERY: (1,),
    StockReason.CORRECTION: (1, -1),
    StockReason.BREAKAGE: (-1,),
    StockReason.ORDER: (-1,),
    StockReason.RETURNED: (1,),
}


@dataclass(frozen=True)
class VariantChanges:
    sku: str
    label: str
    price_vnd: int
    weight_grams: int
    low_stock_threshold: int
    is_active: bool = True


def update_product(session: Session, product: Product, data: ProductData) -> None:
    """Change a product's names, group and descriptions (its slug never changes)."""
    if not data.name.strip() or len(data.name.strip()) > 200:
        raise CatalogError(N_("Tên sản phẩm không được để trống (tối đa 200 ký tự)."))
    if not is_valid_subgroup(data.group_code, data.subgroup_code):
        raise CatalogError(N_("Nhóm sản phẩm OCOP không hợp lệ."))
    product.name = data.name.strip()
    product.name_en = data.name_en.strip()[:200]
    product.group_code, product.subgroup_code = data.group_code, data.subgroup_code
    product.description = data.description.strip()
    product.description_en = data.description_en.strip()
    session.flush()
    refresh_search_text(session, [product])


def set_published(session: Session, product: Product, published: bool) -> None:
    """Show or hide a product in the catalogue. Showing needs at least one variant on
    sale (out of stock is fine: buyers see "Hết hàng"), never a product with nothing to buy."""
    if published:
        active = session.execute(
            select(Variant.id).where(Variant.product_id == product.id, Variant.is_active.is_(True))
        ).first()
        if active is None:
            raise CatalogError(N_("Cần ít nhất một quy cách đang bán trước khi đăng sản phẩm."))
    product.is_published = published
    session.flush()


def _check_variant(sku: str, label: str, data: VariantData | VariantChanges) -> None:
    """What a new or changed variant must be, within its columns' sizes."""
    if not label or not sku:
        raise CatalogError(N_("Quy cách và mã SKU không được để trống."))
    if len(sku) > 64 or len(label) > 120:
        raise CatalogError(N_("Mã SKU tối đa 64 ký tự, quy cách tối đa 120 ký tự."))
    if not 0 < data.price_vnd <= MAX_PRICE_VND:
        raise CatalogError(N_("Giá phải là số nguyên dương (đồng)."))
    if not 0 < data.weight_grams <= MAX_WEIGHT_GRAMS:
        raise CatalogError(N_("Khối lượng phải lớn hơn 0 gam."))
    if not 0 <= data.low_stock_threshold <= MAX_STOCK:
        raise CatalogError(N_("Ngưỡng cảnh báo tồn kho không hợp lệ."))


def update_variant(session: Session, variant: Variant, data: VariantChanges) -> None:
    """Change a variant's SKU, label, price, weight, low-stock threshold or whether it is
    sold; stock changes go through adjust_stock, never here."""
    sku, label = data.sku.strip(), data.label.strip()
    _check_variant(sku, label, data)
    taken = session.execute(
        select(Variant.id).where(Variant.sku == sku, Variant.id != variant.id)
    ).first()
    if taken:
        raise CatalogError(N_("Mã SKU %(sku)s đã được dùng."), sku=sku)
    variant.sku, variant.label = sku, label
    variant.price_vnd, variant.weight_grams = data.price_vnd, data.weight_grams
    variant.low_stock_threshold, variant.is_active = data.low_stock_threshold, data.is_active
    session.flush()
    refresh_price_from(session, variant.product_id)


def adjust_stock(
    session: Session,
    variant_id: int,
    delta: int,
    reason: StockReason,
    actor_id: int | None = None,
    note: str = "",
) -> int:
    """Add `delta` to a variant's stock in one conditional statement (never below zero,
    never above MAX_STOCK) and record why; returns the new stock."""
    reason = StockReason(reason)
    if delta == 0 or (1 if delta > 0 else -1) not in _REASON_SIGNS[reason]:
        raise CatalogError(N_("Số lượng thay đổi không phù hợp với lý do đã chọn."))
    if abs(delta) > MAX_STOCK:
        raise CatalogError(N_("Tồn kho không hợp lệ."))
    new_stock = session.execute(
        update(Variant)
        .where(
            Variant.id == variant_id,
            Variant.stock + delta >= 0,
            Variant.stock + delta <= MAX_STOCK,
        )
        .values(stock=Variant.stock + delta)
        .returning(Variant.stock)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    if new_stock is None:
        raise CatalogError(N_("Không đủ tồn kho để trừ %(n)s."), n=abs(delta))
    session.add(
        StockMovement(
            variant_id=variant_id,
            delta=delta,
            stock_after=new_stock,
            reason=reason,
            note=note.strip()[:300],
            actor_id=actor_id,
        )
    )
    session.flush()
    variant = session.get(Variant, variant_id)
    if variant is not None:
        session.expire(variant, ["stock"])
    return int(new_stock)


def record_stock_movements(
    session: Session,
    deltas: Mapping[int, int],
    reason: StockReason,
    actor_id: int | None = None,
    note: str = "",
) -> None:
    """Record stock changes another service already made atomically (an order taking or
    returning stock), so the variant's history is complete."""
    for variant_id in sorted(deltas):
        if deltas[variant_id]:
            session.add(
                StockMovement(
                    variant_id=variant_id,
                    delta=deltas[variant_id],
                    reason=StockReason(reason),
                    note=note.strip()[:300],
                    actor_id=actor_id,
                )
            )
    session.flush()


def delete_photo(session: Session, photo: ProductPhoto) -> None:
    """Remove a photo from its product and close the gap in the order."""
    product_id = photo.product_id
    session.delete(photo)
    session.flush()
    remaining = session.execute(
        select(ProductPhoto.id)
        .where(ProductPhoto.product_id == product_id)
        .order_by(ProductPhoto.position, ProductPhoto.id)
    ).scalars()
    reorder_photos(session, product_id, list(remaining))


def reorder_photos(session: Session, product_id: int, ordered_ids: Sequence[int]) -> None:
    """Put a product's photos in this order (the first is the one catalogue cards show);
    the ids must be exactly the product's photos."""
    current = set(
        session.execute(
            select(ProductPhoto.id).where(ProductPhoto.product_id == product_id)
        ).scalars()
    )
    if set(ordered_ids) != current or len(ordered_ids) != len(current):
        raise CatalogError(N_("Danh sách ảnh không khớp với sản phẩm."))
    for position, photo_id in enumerate(ordered_ids):
        session.execute(
            update(ProductPhoto)
            .where(ProductPhoto.id == photo_id, ProductPhoto.product_id == product_id)
            .values(position=position)
            .execution_options(synchronize_session=False)
        )
    session.flush()
