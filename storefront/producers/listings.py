"""A producer's listings: products and variants as the producer sees and edits them.

Every getter here is scoped to one producer: an id of another producer's product,
variant or photo is NotFound, whether it came from the URL or from a form field.
Callers check membership (storefront.accounts.access) and commit; these only flush.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from storefront import money
from storefront.catalog import services as catalog
from storefront.catalog.models import (
    Producer,
    Product,
    ProductPhoto,
    StockReason,
    Variant,
)
from storefront.errors import DomainError, NotFound
from storefront.extensions import Session
from storefront.i18n import N_


class ListingError(DomainError):
    """A change to the producer's listings the shop refuses."""


def parse_whole_number(text: str, what: str) -> int:
    """A non-negative whole number from what a person typed (storefront.money's parser),
    or ListingError naming `what` (a msgid such as "Giá")."""
    try:
        return money.parse_whole_number(text)
    except ValueError:
        raise ListingError(
            N_("%(what)s “%(value)s” không hợp lệ: nhập số nguyên, ví dụ 150.000 hoặc 150000."),
            what=what,
            value=(text or "").strip()[:30],
        ) from None


def parse_vnd(text: str) -> int:
    """A price in whole đồng: "150.000", "150000", "150.000 ₫" all give 150000."""
    value = parse_whole_number(text, N_("Giá"))
    if not 0 < value <= catalog.MAX_PRICE_VND:
        raise ListingError(N_("Giá phải từ 1 ₫ đến 1.000.000.000 ₫."))
    return value


@dataclass(frozen=True)
class VariantInput:
    """A variant as typed in the form: text parsed by `parsed()`."""

    sku: str
    label: str
    price: str
    weight_grams: str
    low_stock_threshold: str
    stock: str = "0"
    is_active: bool = True

    def parsed(self) -> catalog.VariantChanges:
        return catalog.VariantChanges(
            sku=self.sku,
            label=self.label,
            price_vnd=parse_vnd(self.price),
            weight_grams=parse_whole_number(self.weight_grams, N_("Khối lượng")),
            low_stock_threshold=parse_whole_number(
                self.low_stock_threshold or "0", N_("Ngưỡng cảnh báo")
            ),
            is_active=self.is_active,
        )


@dataclass(frozen=True)
class ListingRow:
    """A product on the producer's listing page, with what needs attention."""

    product: Product
    low_stock: list[Variant]
    out_of_stock: list[Variant]


def listing(session: Session, producer_id: int) -> list[ListingRow]:
    """All the producer's products (published or not), their variants and photos, in
    three queries; the low and empty stock of active variants is flagged."""
    products = session.execute(
        select(Product)
        .options(selectinload(Product.variants), selectinload(Product.photos))
        .where(Product.producer_id == producer_id)
        .order_by(Product.is_published.desc(), Product.name, Product.id)
    ).scalars()
    rows = []
    for product in products:
        active = [v for v in product.variants if v.is_active]
        rows.append(
            ListingRow(
                product=product,
                low_stock=[v for v in active if 0 < v.stock <= v.low_stock_threshold],
                out_of_stock=[v for v in active if v.stock <= 0],
            )
        )
    return rows


def get_product(session: Session, producer_id: int, product_id: int) -> Product:
    """The producer's own product with its producer, variants and photos, or NotFound."""
    product = session.execute(
        select(Product)
        .options(
            joinedload(Product.producer),
            selectinload(Product.variants),
            selectinload(Product.photos),
        )
        .where(Product.id == product_id, Product.producer_id == producer_id)
    ).scalar_one_or_none()
    if product is None:
        raise NotFound(N_("Không tìm thấy sản phẩm."))
    return product


def get_variant(session: Session, producer_id: int, variant_id: int) -> Variant:
    """A variant of one of the producer's products, or NotFound."""
    variant = session.execute(
        select(Variant)
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.id == variant_id, Product.producer_id == producer_id)
    ).scalar_one_or_none()
    if variant is None:
        raise NotFound(N_("Không tìm thấy quy cách sản phẩm."))
    return variant


def get_photo(session: Session, producer_id: int, photo_id: int) -> ProductPhoto:
    """A photo of one of the producer's products, or NotFound."""
    photo = session.execute(
        select(ProductPhoto)
        .join(Product, Product.id == ProductPhoto.product_id)
        .where(ProductPhoto.id == photo_id, Product.producer_id == producer_id)
    ).scalar_one_or_none()
    if photo is None:
        raise NotFound(N_("Không tìm thấy ảnh."))
    return photo


def create_listing(
    session: Session,
    producer: Producer,
    product: catalog.ProductData,
    first_variant: VariantInput,
    actor_id: int | None,
) -> Product:
    """A new, unpublished product with its first variant; opening stock is recorded
    as a delivery in the stock history."""
    created = catalog.create_product(
        session, producer, catalog.ProductData(**{**product.__dict__, "is_published": False})
    )
    session.flush()
    add_variant(session, created, first_variant, actor_id)
    return created


def add_variant(
    session: Session, product: Product, data: VariantInput, actor_id: int | None
) -> Variant:
    """Add a pack size; its opening stock goes through the stock history."""
    changes = data.parsed()
    opening = parse_whole_number(data.stock or "0", N_("Tồn kho"))
    if opening > catalog.MAX_STOCK:
        raise ListingError(N_("Tồn kho không hợp lệ."))
    variant = catalog.add_variant(
        session,
        product,
        catalog.VariantData(
            sku=changes.sku,
            label=changes.label,
            price_vnd=changes.price_vnd,
            weight_grams=changes.weight_grams,
            stock=0,
            low_stock_threshold=changes.low_stock_threshold,
        ),
    )
    if opening:
        catalog.adjust_stock(
            session, variant.id, opening, StockReason.DELIVERY, actor_id, N_("Tồn kho ban đầu")
        )
    return variant


def update_variant(session: Session, variant: Variant, data: VariantInput) -> None:
    """Change a variant's details (not its stock: that is a stock movement)."""
    catalog.update_variant(session, variant, data.parsed())
