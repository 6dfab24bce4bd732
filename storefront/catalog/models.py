"""Typed models of the catalogue: who makes what, in which packs, with which OCOP stars."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    false,
    func,
    select,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from storefront.extensions import Model
from storefront.media import HasThumbnail
from storefront.timeutil import utcnow


def str_enum(enum_class: type[enum.StrEnum]) -> Enum:
    """A VARCHAR column holding the enum's values (not its names), checked on write."""
    return Enum(
        enum_class,
        native_enum=False,
        length=20,
        validate_strings=True,
        values_callable=lambda members: [member.value for member in members],
    )


class ProducerKind(enum.StrEnum):
    """The kinds of chủ thể OCOP that may hold a certificate."""

    COOPERATIVE = "cooperative"  # hợp tác xã (HTX)
    ENTERPRISE = "enterprise"  # doanh nghiệp
    HOUSEHOLD = "household"  # hộ kinh doanh
    GROUP = "group"  # tổ hợp tác


class CertificateLevel(enum.StrEnum):
    """Who certified the rank: the province (3-4★) or the central level (5★)."""

    PROVINCE = "province"
    CENTRAL = "central"


class CertificateStatus(enum.StrEnum):
    PENDING = "pending"
    VERIFIED = "verified"
    REJECTED = "rejected"


class Producer(Model):
    __tablename__ = "producer"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[ProducerKind] = mapped_column(str_enum(ProducerKind))
    province_code: Mapped[int] = mapped_column(Integer, index=True)
    ward_code: Mapped[int] = mapped_column(Integer)
    address: Mapped[str] = mapped_column(String(300))
    phone: Mapped[str] = mapped_column(String(20))
    story: Mapped[str] = mapped_column(Text, default="")
    logo_path: Mapped[str | None] = mapped_column(String(300))
    is_active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    products: Mapped[list[Product]] = relationship(back_populates="producer", lazy="raise")


class Product(Model):
    __tablename__ = "product"
    __table_args__ = (
        # Published and of an active producer: what the catalogue lists (listed()).
        # Kept by triggers in the database (migration 0071) whatever writes the row or
        # the producer's is_active, so it is not mapped: an object could only hold a
        # stale copy of it.
        Column("is_listed", Boolean, nullable=False, server_default=false()),
        Index("ix_product_listing", "is_published", "created_at"),
        Index("ix_product_price", "is_published", "price_from"),
        # Lets the listing count come from the index alone, without the wide rows.
        Index("ix_product_published_producer", "is_published", "producer_id"),
        # Sorting and filtering by stars walk this index (catalog.stars keeps the column).
        Index("ix_product_stars", "is_published", "stars", "id"),
        Index("ix_product_rating", "is_published", "rating_score"),
        # The catalogue's sort orders over listed products, each followed by the filters'
        # columns, so a page's ids (and the rows skipped to reach a deep page) come from
        # the index alone.
        Index(
            "ix_product_listed_newest",
            "is_listed",
            "created_at",
            "id",
            "group_code",
            "stars",
            "price_from",
            "producer_id",
        ),
        Index(
            "ix_product_listed_price",
            "is_listed",
            "price_from",
            "id",
            "group_code",
            "stars",
            "producer_id",
        ),
        Index(
            "ix_product_listed_stars",
            "is_listed",
            "stars",
            "id",
            "group_code",
            "price_from",
            "producer_id",
        ),
        # A group's or a province's (its producers') products: counted, or sorted when a
        # few thousand, from the index alone.
        Index(
            "ix_product_listed_group",
            "is_listed",
            "group_code",
            "created_at",
            "id",
            "stars",
            "price_from",
            "producer_id",
        ),
        Index(
            "ix_product_listed_producer",
            "is_listed",
            "producer_id",
            "created_at",
            "id",
            "group_code",
            "stars",
            "price_from",
        ),
    )
    __mapper_args__ = {"exclude_properties": ["is_listed"]}

    id: Mapped[int] = mapped_column(primary_key=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    group_code: Mapped[str] = mapped_column(String(40), index=True)
    subgroup_code: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    is_published: Mapped[bool] = mapped_column(default=True)
    # The lowest active variant price, kept by the catalogue services whenever variants
    # change, so price filters and sorting use an index instead of aggregating variants.
    price_from: Mapped[int | None] = mapped_column(Integer)
    # Diacritic-folded name, and folded text of name, description, group, producer and
    # province (with its pre-2025 names): what the full-text index covers. Kept by
    # catalog.search.refresh_search_text(); the index itself lives in the migrations.
    search_name: Mapped[str] = mapped_column(String(200), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    # The OCOP stars in force (0: none) and the last day that holds (None: until a
    # certificate changes): current_stars_expr() kept on the row by catalog.stars.
    stars: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    stars_until: Mapped[date | None] = mapped_column(Date, index=True)

    # Buyers' reviews, kept by storefront.reviews in the same transaction as each review
    # change (visible reviews only), so cards and the product page read them with the row:
    # how many, the sum of their stars, how many gave each star, and the average × 100
    # (what the listing sorts by; NULL without reviews).
    rating_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rating_sum: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rating_1: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rating_2: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rating_3: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rating_4: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rating_5: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    rating_score: Mapped[int | None] = mapped_column(Integer)
    # Units delivered to buyers ("Đã bán"), added when an order part becomes delivered.
    sold_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )

    producer: Mapped[Producer] = relationship(back_populates="products", lazy="raise")
    variants: Mapped[list[Variant]] = relationship(
        back_populates="product", order_by="Variant.position", lazy="raise"
    )
    photos: Mapped[list[ProductPhoto]] = relationship(
        back_populates="product", order_by="ProductPhoto.position", lazy="raise"
    )
    certificates: Mapped[list[OcopCertificate]] = relationship(
        back_populates="product", order_by="OcopCertificate.decision_date", lazy="raise"
    )

    @classmethod
    def listed(cls) -> ColumnElement[bool]:
        """SQL: the product is listed in the catalogue (published, producer active)."""
        listed: ColumnElement[bool] = cls.__table__.c.is_listed
        return listed

    @property
    def rating_average(self) -> float | None:
        """The average of the visible reviews' stars, or None without reviews."""
        return self.rating_sum / self.rating_count if self.rating_count else None

    def rating_counts(self) -> dict[int, int]:
        """How many visible reviews gave each star, 5 down to 1."""
        return {n: getattr(self, f"rating_{n}") for n in (5, 4, 3, 2, 1)}

    def current_certificate(self, today: date) -> OcopCertificate | None:
        """The verified certificate in force on `today` with the most stars, if any.

        Needs `certificates` loaded; expiry is decided by the date alone.
        """
        valid = [c for c in self.certificates if c.is_valid_on(today)]
        return max(valid, key=lambda c: (c.stars, c.expires_on), default=None)


class Variant(Model):
    """A pack of a product that a buyer can put in the cart (quy cách)."""

    __tablename__ = "variant"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price_vnd > 0", name="price_positive"),
        CheckConstraint("weight_grams > 0", name="weight_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    label: Mapped[str] = mapped_column(String(120))
    price_vnd: Mapped[int] = mapped_column(Integer)
    weight_grams: Mapped[int] = mapped_column(Integer)
    stock: Mapped[int] = mapped_column(Integer, default=0)
    low_stock_threshold: Mapped[int] = mapped_column(Integer, default=5)
    is_active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship(back_populates="variants", lazy="raise")

    @property
    def in_stock(self) -> bool:
        return self.stock > 0


class StockReason(enum.StrEnum):
    """Why a variant's stock changed (the sign each reason allows is checked by the service)."""

    DELIVERY = "delivery"  # nhập hàng: +
    CORRECTION = "correction"  # kiểm kê, điều chỉnh: + or -
    BREAKAGE = "breakage"  # hư hỏng, hao hụt: -
    ORDER = "order"  # bán theo đơn hàng: -
    RETURNED = "returned"  # đơn hàng huỷ, trả lại kho: +


class StockMovement(Model):
    """One change of a variant's stock: who, when, how much and why."""

    __tablename__ = "stock_movement"
    __table_args__ = (
        CheckConstraint("delta <> 0", name="delta_not_zero"),
        Index("ix_stock_movement_variant_created", "variant_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="CASCADE"))
    delta: Mapped[int] = mapped_column(Integer)
    # The stock right after this change, when the change itself returned it.
    stock_after: Mapped[int | None] = mapped_column(Integer)
    reason: Mapped[StockReason] = mapped_column(str_enum(StockReason))
    note: Mapped[str] = mapped_column(String(300), default="")
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ProductPhoto(HasThumbnail, Model):
    __tablename__ = "product_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"), index=True)
    # Relative to MEDIA_ROOT; the server chooses it, never the uploader.
    path: Mapped[str] = mapped_column(String(300))
    alt: Mapped[str] = mapped_column(String(300), default="")
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship(back_populates="photos", lazy="raise")


class OcopCertificate(Model):
    """An OCOP ranking decision for a product, as printed on the certificate."""

    __tablename__ = "ocop_certificate"
    __table_args__ = (
        CheckConstraint("stars BETWEEN 3 AND 5", name="stars_3_to_5"),
        CheckConstraint("expires_on > decision_date", name="expires_after_decision"),
        Index("ix_ocop_certificate_validity", "product_id", "status", "expires_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    stars: Mapped[int] = mapped_column(Integer)
    level: Mapped[CertificateLevel] = mapped_column(str_enum(CertificateLevel))
    decision_number: Mapped[str] = mapped_column(String(80))
    decision_date: Mapped[date] = mapped_column(Date)
    issuing_body: Mapped[str] = mapped_column(String(200))
    # Last day the certificate is in force: 36 months after the decision unless stated.
    expires_on: Mapped[date] = mapped_column(Date)
    status: Mapped[CertificateStatus] = mapped_column(
        str_enum(CertificateStatus),
        default=CertificateStatus.PENDING,
    )
    scan_path: Mapped[str | None] = mapped_column(String(300))
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The admin who verified or rejected it (from the workspace's review queue).
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    product: Mapped[Product] = relationship(back_populates="certificates", lazy="raise")

    def is_valid_on(self, day: date) -> bool:
        """Verified and in force on `day`; an expired certificate stops counting by date."""
        return (
            self.status == CertificateStatus.VERIFIED
            and self.decision_date <= day <= self.expires_on
        )


def current_stars_expr(today: date | ColumnElement[date]) -> ColumnElement[int]:
    """SQL for a product's stars today: the best verified, unexpired certificate, else NULL.
    `today` may be a bound parameter, for a statement built once and run any day."""
    return (
        select(func.max(OcopCertificate.stars))
        .where(
            OcopCertificate.product_id == Product.id,
            OcopCertificate.status == CertificateStatus.VERIFIED,
            OcopCertificate.decision_date <= today,
            OcopCertificate.expires_on >= today,
        )
        .correlate(Product)
        .scalar_subquery()
    )


class SearchTerm(Model):
    """A word of the catalogue's search text, or two adjacent words of a product name
    ("mat ong"): the vocabulary that typed searches are corrected against.

    Rebuilt from the search index by catalog.spelling.rebuild_search_terms() and topped
    up whenever a product's search text changes, so counts are approximate in between.
    """

    __tablename__ = "search_term"

    term: Mapped[str] = mapped_column(String(100), primary_key=True)  # folded
    products: Mapped[int] = mapped_column(Integer, default=0)  # products whose text has it
    in_names: Mapped[int] = mapped_column(Integer, default=0)  # products whose name has it
    display: Mapped[str] = mapped_column(String(100), default="")  # as names write it: "mật ong"


class CatalogueVersion(Model):
    """One row: the catalogue version that keys the rendered fragments when there is no
    Redis to hold it (catalog/cache.py). Bumped in the very transaction that changes a
    catalogue row, so every worker on every host sees the change with the commit."""

    __tablename__ = "catalogue_version"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
