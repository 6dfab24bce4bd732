"""The producer's parts of orders: the list, the CSV export, and each step of a part.

The steps themselves are storefront.orders.fulfilment's (conditional updates, emails
to the buyer queued in the same transaction); these add the producer's scope and the
stock history of a cancelled part.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, select
from sqlalchemy.orm import joinedload, selectinload

from storefront.errors import DomainError, NotFound
from storefront.extensions import Session
from storefront.i18n import N_
from storefront.orders import fulfilment as orders
from storefront.orders.models import Order, OrderPart, PartStatus
from storefront.places import format_vn_phone, get_province, get_ward
from storefront.spreadsheets import SpreadsheetCsv
from storefront.timeutil import utcnow

PAGE_SIZE = 50
MAX_REASON = 300


class FulfilmentError(DomainError):
    """A step the producer asked for that the shop refuses."""


@dataclass(frozen=True)
class PartsPage:
    parts: list[OrderPart]
    counts: dict[PartStatus, int]  # every status, for the filter links
    total: int  # parts matching the filter
    page: int
    pages: int


def parse_status(text: str | None) -> PartStatus | None:
    """The status filter from the query string; anything unknown means all."""
    try:
        return PartStatus(text) if text else None
    except ValueError:
        return None


def parts_page(
    session: Session, producer_id: int, status: PartStatus | None, page: int = 1
) -> PartsPage:
    """One page of the producer's parts, newest first, with orders and lines (four
    queries whatever the page holds)."""
    counts = {status_: 0 for status_ in PartStatus}
    for status_, n in session.execute(
        select(OrderPart.status, func.count())
        .where(OrderPart.producer_id == producer_id)
        .group_by(OrderPart.status)
    ):
        counts[PartStatus(status_)] = n
    total = counts[status] if status else sum(counts.values())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    query = _own_parts(producer_id, status).limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)
    parts = list(session.execute(query).scalars())
    return PartsPage(parts, counts, total, page, pages)


def _own_parts(producer_id: int, status: PartStatus | None) -> Select[tuple[OrderPart]]:
    """The producer's parts (with status `status`, if given), newest order first, each
    with its order and lines."""
    query = (
        select(OrderPart)
        .join(Order, Order.id == OrderPart.order_id)
        .options(joinedload(OrderPart.order), selectinload(OrderPart.lines))
        .where(OrderPart.producer_id == producer_id)
        .order_by(Order.placed_at.desc(), OrderPart.id.desc())
    )
    return query if status is None else query.where(OrderPart.status == status)


def get_own_part(session: Session, producer_id: int, part_id: int) -> OrderPart:
    """The producer's own part with its order and lines (NotFound for anyone else's)."""
    return orders.get_part(session, part_id, producer_id)


def part_for_page(session: Session, producer_id: int, part_id: int) -> OrderPart:
    """The producer's own part with its order, lines and history (NotFound otherwise)."""
    part = session.execute(
        select(OrderPart)
        .options(
            joinedload(OrderPart.order),
            selectinload(OrderPart.lines),
            selectinload(OrderPart.history),
        )
        .where(OrderPart.id == part_id, OrderPart.producer_id == producer_id)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if part is None:
        raise NotFound(N_("Không tìm thấy đơn hàng."))
    return part


def confirm(session: Session, producer_id: int, part_id: int) -> OrderPart:
    """Accept the part (placed → confirmed)."""
    return orders.confirm_part(session, part_id, producer_id=producer_id)


def ship(
    session: Session, producer_id: int, part_id: int, carrier: str, tracking: str
) -> OrderPart:
    """Hand the parcel to a carrier (confirmed → shipped); the buyer is emailed."""
    return orders.ship_part(session, part_id, carrier, tracking, producer_id=producer_id)


def deliver(session: Session, producer_id: int, part_id: int) -> OrderPart:
    """The buyer received it (shipped → delivered)."""
    return orders.deliver_part(session, part_id, producer_id=producer_id)


def cancel(
    session: Session, producer_id: int, part_id: int, reason: str, actor_id: int | None
) -> OrderPart:
    """Cancel a part not yet shipped, with a reason kept in the part's history; the
    orders domain returns its stock (recorded in each variant's history with `actor_id`)
    and emails the buyer."""
    reason = " ".join(reason.split())
    if not reason:
        raise FulfilmentError(N_("Vui lòng nêu lý do huỷ để người mua được biết."))
    if len(reason) > MAX_REASON:
        raise FulfilmentError(N_("Lý do dài quá %(n)s ký tự."), n=MAX_REASON)
    part = orders.cancel_part(
        session,
        part_id,
        actor="producer",
        producer_id=producer_id,
        reason=reason,
        actor_id=actor_id,
    )
    return part


def delivery_address(order: Order) -> str:
    """Street, ward and province of an order, as written on a parcel."""
    ward, province = get_ward(order.ward_code), get_province(order.province_code)
    return ", ".join(
        piece
        for piece in (order.street, ward.name if ward else "", province.name if province else "")
        if piece
    )


EXPORT_COLUMNS = (
    "order_number",
    "placed_at_utc",
    "status",
    "payment_status",
    "recipient",
    "phone",
    "address",
    "province",
    "sku",
    "product",
    "variant",
    "quantity",
    "unit_price_vnd",
    "line_total_vnd",
    "shipping_fee_vnd",
    "carrier",
    "tracking_number",
    # a business buyer's invoice (hóa đơn), empty when none was asked for
    "invoice_company",
    "invoice_tax_code",
    "invoice_address",
)


def export_csv(session: Session, producer_id: int, status: PartStatus | None) -> str:
    """The producer's parts as CSV, one row per line (with a BOM for spreadsheets);
    text that could start a spreadsheet formula is neutralised."""
    writer = SpreadsheetCsv()
    writer.writerow(EXPORT_COLUMNS)
    for part in session.execute(_own_parts(producer_id, status)).scalars():
        order = part.order
        province = get_province(order.province_code)
        for line in part.lines:
            writer.writerow(
                (
                    order.number,
                    order.placed_at.strftime("%Y-%m-%d %H:%M"),
                    part.status,
                    order.payment_status,
                    order.contact_name,
                    format_vn_phone(order.phone),
                    delivery_address(order),
                    province.name if province else "",
                    line.sku,
                    line.product_name,
                    line.variant_label,
                    line.quantity,
                    line.unit_price_vnd,
                    line.line_total_vnd,
                    part.shipping_fee_vnd,
                    part.carrier,
                    part.tracking_number,
                    order.invoice_company_name,
                    order.invoice_tax_code,
                    order.invoice_address,
                )
            )
    return writer.text()


def export_filename(producer_id: int) -> str:
    return f"don-hang-{producer_id}-{utcnow():%Y%m%d}.csv"
