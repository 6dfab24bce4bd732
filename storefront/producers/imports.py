"""Bulk product import and export as CSV: one row per variant, all rows or none.

The import first checks every row and reports each refused one with its line and
reason; only when no row is refused does it change anything, inside a savepoint, so a
failure half-way leaves nothing behind either. Export writes the same columns, so a
producer can export, edit in a spreadsheet and import again. Excel files are not
read: save the sheet as "CSV UTF-8" (comma or semicolon separated both work).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from storefront.catalog import services as catalog
from storefront.catalog.groups import is_valid_subgroup
from storefront.catalog.models import Producer, Product, StockReason, Variant
from storefront.errors import DomainError
from storefront.extensions import Session
from storefront.i18n import N_
from storefront.producers.listings import ListingError, parse_vnd, parse_whole_number
from storefront.spreadsheets import SpreadsheetCsv, unprotect
from storefront.text import strip_controls

COLUMNS = (
    "sku",
    "product_name",
    "variant_label",
    "price_vnd",
    "weight_grams",
    "stock",
    "low_stock_threshold",
    "group",
    "subgroup",
    "product_name_en",
    "description",
    "description_en",
    "published",
    "variant_active",
)
REQUIRED = (
    "sku",
    "product_name",
    "variant_label",
    "price_vnd",
    "weight_grams",
    "group",
    "subgroup",
)
# Read from each row but describing the product: rows of one product must agree.
PRODUCT_FIELDS = (
    "group",
    "subgroup",
    "product_name_en",
    "description",
    "description_en",
    "published",
)
MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
_YES = {"1", "x", "yes", "y", "true", "có", "co"}
_NO = {"0", "no", "n", "false", "không", "khong"}
IMPORT_NOTE = "Nhập từ tệp CSV"


class ImportError_(DomainError):  # noqa: N801 - "ImportError" is a builtin
    """The file as a whole cannot be read."""


@dataclass(frozen=True)
class RowError:
    line: int  # as a spreadsheet numbers it: the header is line 1
    sku: str
    error: DomainError


class _RowRefused(Exception):
    """A row refused while applying, carried out of the savepoint with its line and SKU."""

    def __init__(self, row_error: RowError) -> None:
        super().__init__(row_error.error.message)
        self.row_error = row_error


@dataclass
class ImportReport:
    rows: int = 0
    products_created: int = 0
    products_updated: int = 0
    variants_created: int = 0
    variants_updated: int = 0
    stock_changes: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class _Row:
    """A checked row; None means the file has no such column: keep what is there."""

    line: int
    sku: str
    product_name: str
    label: str
    price_vnd: int
    weight_grams: int
    stock: int | None
    threshold: int | None
    product: dict[str, str | None]
    published: bool | None
    active: bool | None


def _flag(value: str | None) -> bool | None:
    value = (value or "").strip().lower()
    if not value:
        return None
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ListingError(N_("Giá trị “%(value)s” cần là 1 (có) hoặc 0 (không)."), value=value[:20])


def read_rows(data: bytes) -> list[dict[str, str | None]]:
    """The CSV's rows as dicts keyed by COLUMNS (None for a column the file does not
    have), or ImportError_ for a file that cannot be read."""
    if len(data) > MAX_BYTES:
        raise ImportError_(N_("Tệp lớn quá 2 MB."))
    try:
        # Control characters go as they do from every form (storefront/site/inputs.py).
        text = strip_controls(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ImportError_(N_("Tệp cần lưu dạng CSV UTF-8.")) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise ImportError_(N_("Tệp thiếu cột: %(columns)s."), columns=", ".join(missing))
    reader.fieldnames = headers
    rows: list[dict[str, str | None]] = []
    try:
        for raw in reader:
            if len(rows) >= MAX_ROWS:
                raise ImportError_(N_("Tệp có quá %(n)s dòng."), n=MAX_ROWS)
            rows.append({c: unprotect(raw.get(c) or "") if c in headers else None for c in COLUMNS})
    except csv.Error as exc:
        raise ImportError_(N_("Tệp CSV không đúng định dạng.")) from exc
    return rows


def _parse(line: int, raw: dict[str, str | None]) -> _Row:
    text = {name: value or "" for name, value in raw.items()}
    if not text["sku"] or len(text["sku"]) > 64:
        raise ListingError(N_("Thiếu mã SKU (tối đa 64 ký tự)."))
    if not text["product_name"] or len(text["product_name"]) > 200:
        raise ListingError(N_("Thiếu tên sản phẩm (tối đa 200 ký tự)."))
    if not text["variant_label"] or len(text["variant_label"]) > 120:
        raise ListingError(N_("Thiếu quy cách (tối đa 120 ký tự)."))
    if (text["group"] or text["subgroup"]) and not is_valid_subgroup(
        text["group"], text["subgroup"]
    ):
        raise ListingError(N_("Nhóm sản phẩm OCOP không hợp lệ."))
    weight = parse_whole_number(text["weight_grams"], N_("Khối lượng"))
    if not 0 < weight <= 1_000_000:
        raise ListingError(N_("Khối lượng phải lớn hơn 0 gam."))
    stock = parse_whole_number(text["stock"], N_("Tồn kho")) if text["stock"] else None
    if stock is not None and stock > catalog.MAX_STOCK:
        raise ListingError(N_("Tồn kho không hợp lệ."))
    threshold = text["low_stock_threshold"]
    return _Row(
        line=line,
        sku=text["sku"],
        product_name=" ".join(text["product_name"].split()),
        label=text["variant_label"],
        price_vnd=parse_vnd(text["price_vnd"]),
        weight_grams=weight,
        stock=stock,
        threshold=parse_whole_number(threshold, N_("Ngưỡng cảnh báo")) if threshold else None,
        product={name: raw[name] for name in PRODUCT_FIELDS},
        published=_flag(raw["published"]),
        active=_flag(raw["variant_active"]),
    )


def import_products(
    session: Session,
    producer: Producer,
    data: bytes,
    actor_id: int | None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Create or update the producer's products and variants from a CSV (see COLUMNS).

    A row's SKU finds an existing variant of this producer, else a new one is added to
    the product of that name (created unpublished unless `published` says 1). Stock,
    when given, is the counted quantity: the difference is recorded as a correction.
    Returns the report; when it has errors nothing was changed.
    """
    report = ImportReport()
    raw_rows = read_rows(data)
    report.rows = len(raw_rows)
    rows: list[_Row] = []
    seen_skus: dict[str, int] = {}
    product_fields: dict[str, tuple[int, dict[str, str | None]]] = {}
    for index, raw in enumerate(raw_rows, start=2):
        try:
            row = _parse(index, raw)
            if row.sku in seen_skus:
                raise ListingError(
                    N_("Mã SKU lặp lại (đã có ở dòng %(line)s)."), line=seen_skus[row.sku]
                )
            first = product_fields.setdefault(row.product_name, (index, row.product))
            conflicts = [k for k, v in row.product.items() if v and v != first[1][k]]
            if conflicts:
                raise ListingError(
                    N_("Thông tin sản phẩm khác với dòng %(line)s: %(columns)s."),
                    line=first[0],
                    columns=", ".join(conflicts),
                )
            seen_skus[row.sku] = index
            inherited: dict[str, str | None] = {k: v or first[1][k] for k, v in row.product.items()}
            rows.append(replace(row, product=inherited))
        except DomainError as error:
            report.errors.append(RowError(index, raw["sku"] or "", error))

    existing = _existing_variants(session, [row.sku for row in rows])
    products = {
        p.name: p
        for p in session.execute(
            select(Product)
            .options(joinedload(Product.producer))
            .where(Product.producer_id == producer.id)
        ).scalars()
    }
    for row in rows:
        if row.product_name not in products and not row.product["group"]:
            report.errors.append(
                RowError(
                    row.line, row.sku, ListingError(N_("Sản phẩm mới cần nhóm sản phẩm OCOP."))
                )
            )
        variant = existing.get(row.sku)
        if variant is None:
            continue
        if variant.product.producer_id != producer.id:
            report.errors.append(
                RowError(
                    row.line, row.sku, ListingError(N_("Mã SKU này đã được chủ thể khác dùng."))
                )
            )
        elif variant.product.name != row.product_name:
            report.errors.append(
                RowError(
                    row.line,
                    row.sku,
                    ListingError(
                        N_("Mã SKU này thuộc sản phẩm “%(name)s”."), name=variant.product.name
                    ),
                )
            )
    if report.errors:
        report.errors.sort(key=lambda e: e.line)
        return report

    savepoint = session.begin_nested()
    try:
        _apply(session, producer, rows, existing, products, actor_id, report, progress)
    except _RowRefused as refused:
        savepoint.rollback()
        report.errors.append(refused.row_error)
        return report
    savepoint.commit()
    return report


def _existing_variants(session: Session, skus: list[str]) -> dict[str, Variant]:
    found: dict[str, Variant] = {}
    for start in range(0, len(skus), 500):
        chunk = skus[start : start + 500]
        for variant in session.execute(
            select(Variant).options(selectinload(Variant.product)).where(Variant.sku.in_(chunk))
        ).scalars():
            found[variant.sku] = variant
    return found


def _apply(
    session: Session,
    producer: Producer,
    rows: list[_Row],
    existing: dict[str, Variant],
    products: dict[str, Product],
    actor_id: int | None,
    report: ImportReport,
    progress: Callable[[int], None] | None,
) -> None:
    touched: dict[str, _Row] = {}
    for row in rows:
        try:
            _apply_row(session, producer, row, existing, products, actor_id, report, touched)
        except DomainError as error:
            raise _RowRefused(RowError(row.line, row.sku, error)) from error
        if progress is not None:
            progress(1)
    for name, first in touched.items():
        if first.published is not None:
            try:
                catalog.set_published(session, products[name], first.published)
            except DomainError as error:
                raise _RowRefused(RowError(first.line, first.sku, error)) from error


def _apply_row(
    session: Session,
    producer: Producer,
    row: _Row,
    existing: dict[str, Variant],
    products: dict[str, Product],
    actor_id: int | None,
    report: ImportReport,
    touched: dict[str, _Row],
) -> None:
    fields = row.product
    product = products.get(row.product_name)

    def given(name: str, current: str) -> str:
        value = fields[name]
        return (
            value or current
            if name in ("group", "subgroup")
            else current
            if value is None
            else value
        )

    data = catalog.ProductData(
        name=row.product_name,
        group_code=given("group", product.group_code if product else ""),
        subgroup_code=given("subgroup", product.subgroup_code if product else ""),
        description=given("description", product.description if product else ""),
        name_en=given("product_name_en", product.name_en if product else ""),
        description_en=given("description_en", product.description_en if product else ""),
        is_published=False,
    )
    if row.product_name not in touched:
        if product is None:
            product = catalog.create_product(session, producer, data)
            session.flush()
            products[row.product_name] = product
            report.products_created += 1
        else:
            catalog.update_product(session, product, data)
            report.products_updated += 1
        touched[row.product_name] = row
    product = products[row.product_name]
    variant = existing.get(row.sku)
    threshold = (
        row.threshold
        if row.threshold is not None
        else (variant.low_stock_threshold if variant else 5)
    )
    active = row.active if row.active is not None else (variant.is_active if variant else True)
    changes = catalog.VariantChanges(
        row.sku, row.label, row.price_vnd, row.weight_grams, threshold, active
    )
    if variant is None:
        variant = catalog.add_variant(
            session,
            product,
            catalog.VariantData(row.sku, row.label, row.price_vnd, row.weight_grams, 0, threshold),
        )
        if not active:
            catalog.update_variant(session, variant, changes)
        report.variants_created += 1
        delta = row.stock or 0
        reason = StockReason.DELIVERY
    else:
        catalog.update_variant(session, variant, changes)
        report.variants_updated += 1
        delta = 0 if row.stock is None else row.stock - variant.stock
        reason = StockReason.CORRECTION
    if delta:
        catalog.adjust_stock(session, variant.id, delta, reason, actor_id, IMPORT_NOTE)
        report.stock_changes += 1


def export_products(session: Session, producer_id: int) -> str:
    """Every variant of the producer's products as CSV text (with a BOM, so spreadsheet
    programs read the Vietnamese letters), in the columns import_products reads."""
    products = session.execute(
        select(Product)
        .options(selectinload(Product.variants))
        .where(Product.producer_id == producer_id)
        .order_by(Product.name, Product.id)
    ).scalars()
    writer = SpreadsheetCsv()
    writer.writerow(COLUMNS)
    for product in products:
        for variant in product.variants:
            writer.writerow(
                [
                    variant.sku,
                    product.name,
                    variant.label,
                    variant.price_vnd,
                    variant.weight_grams,
                    variant.stock,
                    variant.low_stock_threshold,
                    product.group_code,
                    product.subgroup_code,
                    product.name_en,
                    product.description,
                    product.description_en,
                    1 if product.is_published else 0,
                    1 if variant.is_active else 0,
                ]
            )
    return writer.text()
