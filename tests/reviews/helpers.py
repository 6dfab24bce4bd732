"""Delivered order parts to review, made through the shop's own services."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from storefront.catalog.models import Product
from storefront.orders import fulfilment
from storefront.orders.models import Order, OrderPart
from tests.orders.helpers import place, variant_of


@dataclass(frozen=True)
class Bought:
    """A part as plain values: rows expire whenever a request commits."""

    id: int
    order_id: int
    number: str


def part_of(session: Session, order: Order) -> OrderPart:
    return session.execute(select(OrderPart).where(OrderPart.order_id == order.id)).scalar_one()


def deliver(session: Session, part_id: int) -> None:
    fulfilment.confirm_part(session, part_id)
    fulfilment.ship_part(session, part_id, "Viettel Post", "VT123456")
    fulfilment.deliver_part(session, part_id)
    session.commit()


def bought(
    session: Session,
    product: Product,
    user_id: int | None = None,
    quantity: int = 1,
    delivered: bool = True,
) -> Bought:
    """An order of `product` by the account (a guest when None), delivered unless told."""
    order = place(session, [(variant_of(session, product).id, quantity)], user_id=user_id)
    part = Bought(part_of(session, order).id, order.id, order.number)
    if delivered:
        deliver(session, part.id)
    return part
