"""Stock from the producer's side: record a delivery, a count or a breakage, and the
history of every change. The change itself is catalog.services.adjust_stock: one
conditional UPDATE with the history row in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from storefront.accounts.models import User
from storefront.catalog import services as catalog
from storefront.catalog.models import StockMovement, StockReason
from storefront.extensions import Session
from storefront.i18n import N_
from storefront.producers.listings import ListingError, get_variant, parse_whole_number

# What a producer may choose; ORDER and RETURNED are written by orders themselves.
MANUAL_REASONS: dict[StockReason, str] = {
    StockReason.DELIVERY: N_("Nhập hàng"),
    StockReason.CORRECTION: N_("Kiểm kê, điều chỉnh"),
    StockReason.BREAKAGE: N_("Hư hỏng, hao hụt"),
}
REASON_LABELS: dict[StockReason, str] = {
    **MANUAL_REASONS,
    StockReason.ORDER: N_("Bán theo đơn hàng"),
    StockReason.RETURNED: N_("Đơn hàng huỷ, trả lại kho"),
}


def parse_delta(text: str) -> int:
    """A signed change such as "+20", "-3" or "12" (a plain number adds)."""
    text = (text or "").strip()
    sign = -1 if text[:1] in ("-", "−") else 1
    return sign * parse_whole_number(text.lstrip("+-− "), N_("Số lượng"))


def adjust(
    session: Session,
    producer_id: int,
    variant_id: int,
    delta_text: str,
    reason: str,
    actor_id: int | None,
    note: str = "",
) -> int:
    """Change the stock of one of the producer's variants (NotFound for anyone else's,
    even when the id was posted in a form); breakage is entered as a positive number
    and taken away. Returns the new stock."""
    variant = get_variant(session, producer_id, variant_id)
    try:
        chosen = StockReason(reason)
    except ValueError as exc:
        raise ListingError(N_("Vui lòng chọn lý do thay đổi tồn kho.")) from exc
    if chosen not in MANUAL_REASONS:
        raise ListingError(N_("Vui lòng chọn lý do thay đổi tồn kho."))
    delta = parse_delta(delta_text)
    if chosen == StockReason.BREAKAGE:
        delta = -abs(delta)
    if delta == 0:
        raise ListingError(N_("Số lượng thay đổi phải khác 0."))
    return catalog.adjust_stock(session, variant.id, delta, chosen, actor_id, note)


@dataclass(frozen=True)
class MovementRow:
    movement: StockMovement
    actor_name: str


def history(session: Session, variant_id: int, limit: int = 200) -> list[MovementRow]:
    """The variant's stock changes, newest first, with who made them (one query)."""
    rows = session.execute(
        select(StockMovement, User.full_name, User.email)
        .outerjoin(User, User.id == StockMovement.actor_id)
        .where(StockMovement.variant_id == variant_id)
        .order_by(StockMovement.created_at.desc(), StockMovement.id.desc())
        .limit(limit)
    ).all()
    return [MovementRow(movement, name or email or "") for movement, name, email in rows]
