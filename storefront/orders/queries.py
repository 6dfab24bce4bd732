"""What the order pages need, each in a fixed number of queries."""

from __future__ import annotations

import hmac
import re
from datetime import datetime

from sqlalchemy import Select, and_, func, or_, select
from sqlalchemy.orm import selectinload

from storefront.email_policy import InvalidEmail, normalize_email
from storefront.extensions import Session
from storefront.orders.models import Order, OrderLine, OrderPart, PartStatus, PaymentStatus
from storefront.orders.placement import NUMBER_PATTERN
from storefront.places import normalize_vn_phone

_NOT_ALNUM = re.compile(r"[^0-9A-Za-z]")


def is_order_number(text: str) -> bool:
    return bool(NUMBER_PATTERN.fullmatch(text or ""))


def order_for_page(session: Session, number: str) -> Order | None:
    """An order with its parts, lines and history, or None (also for a malformed number)."""
    if not is_order_number(number):
        return None
    return session.execute(
        select(Order)
        .options(
            selectinload(Order.parts).selectinload(OrderPart.lines),
            selectinload(Order.parts).selectinload(OrderPart.history),
        )
        .where(Order.number == number)
    ).scalar_one_or_none()


def contact_matches(order: Order, answer: str) -> bool:
    """Whether `answer` is the order's email (any case) or phone (any common spelling)."""
    answer = (answer or "").strip()
    if not answer or len(answer) > 254:
        return False
    if "@" in answer:
        try:
            typed, stored = normalize_email(answer), normalize_email(order.email)
        except InvalidEmail:
            return False
        return hmac.compare_digest(typed.encode(), stored.encode())
    phone = normalize_vn_phone(answer)
    return phone is not None and hmac.compare_digest(phone, order.phone)


def orders_of_user(session: Session, user_id: int, limit: int = 100) -> list[Order]:
    """A buyer's orders, newest first, with their parts."""
    return list(
        session.execute(
            select(Order)
            .options(selectinload(Order.parts))
            .where(Order.user_id == user_id)
            .order_by(Order.placed_at.desc(), Order.id.desc())
            .limit(limit)
        ).scalars()
    )


def orders_awaiting_payment(session: Session, search: str = "", limit: int = 200) -> list[Order]:
    """Orders waiting for money, oldest first; `search` matches the order number with or
    without its dashes (bank apps often drop them from the transfer note), the phone or
    the email."""
    query = (
        select(Order)
        .options(selectinload(Order.parts))
        .where(Order.payment_status == PaymentStatus.AWAITING)
        .order_by(Order.placed_at, Order.id)
        .limit(limit)
    )
    search = search.strip()
    if search:
        compact = _NOT_ALNUM.sub("", search).upper()
        conditions = [Order.email == search.lower()]
        phone = normalize_vn_phone(search)
        if phone:
            conditions.append(Order.phone == phone)
        if len(compact) >= 6:
            conditions.append(Order.number.endswith(compact[-6:]))
        query = query.where(or_(*conditions))
    return list(session.execute(query).scalars())


def units_sold(since: datetime, limit: int) -> Select[tuple[int, int]]:
    """The best-selling products of orders placed since `since`: (product_id, units) for
    the `limit` products with the most units in parts delivered, or paid and not
    cancelled; most units first. The home page's "Bán chạy" shelf."""
    counted = or_(
        OrderPart.status == PartStatus.DELIVERED,
        and_(Order.payment_status == PaymentStatus.PAID, OrderPart.status != PartStatus.CANCELLED),
    )
    units = func.sum(OrderLine.quantity).label("units")
    return (
        select(OrderLine.product_id, units)
        .join(OrderPart, OrderPart.id == OrderLine.part_id)
        .join(Order, Order.id == OrderPart.order_id)
        .where(Order.placed_at >= since, counted)
        .group_by(OrderLine.product_id)
        .order_by(units.desc(), OrderLine.product_id.desc())
        .limit(limit)
    )
