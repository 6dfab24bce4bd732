"""Taking and returning stock with atomic, conditional statements: never read-then-write.

Rows are updated in primary-key order so two orders sharing variants cannot deadlock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import select, update

from storefront.catalog.cache import note_catalogue_change
from storefront.catalog.models import Product, StockReason, Variant
from storefront.catalog.services import record_stock_movements
from storefront.extensions import Session, rowcount
from storefront.i18n import N_
from storefront.orders.errors import OutOfStock


def take_stock(
    session: Session,
    items: Iterable[tuple[Variant, int]],
    note: str = "",
    actor_id: int | None = None,
) -> None:
    """Take `quantity` of each variant, or raise OutOfStock for the first one short.

    Each row changes only if it still holds enough (``stock >= :n`` in the same
    statement), so stock never goes below zero whatever runs at the same time. On
    OutOfStock the caller must roll back the transaction: the lines already taken
    are then returned with it. Each change is recorded in the variant's stock history.
    """
    items = sorted(items, key=lambda item: item[0].id)
    for variant, quantity in items:
        result = session.execute(
            update(Variant)
            .where(Variant.id == variant.id, Variant.stock >= quantity)
            .values(stock=Variant.stock - quantity)
            .execution_options(synchronize_session=False)
        )
        if rowcount(result) != 1:
            remaining = session.execute(
                select(Variant.stock).where(Variant.id == variant.id)
            ).scalar_one()
            name = variant.product.name
            if remaining <= 0:
                raise OutOfStock(
                    N_("%(name)s (%(label)s) đã hết hàng."),
                    variant_id=variant.id,
                    remaining=0,
                    name=name,
                    label=variant.label,
                )
            raise OutOfStock(
                N_("%(name)s (%(label)s) chỉ còn %(remaining)s, bạn đặt %(wanted)s."),
                variant_id=variant.id,
                remaining=remaining,
                name=name,
                label=variant.label,
                wanted=quantity,
            )
    deltas = {variant.id: -quantity for variant, quantity in items}
    record_stock_movements(session, deltas, StockReason.ORDER, actor_id=actor_id, note=note)


def return_stock(
    session: Session, quantities: Mapping[int, int], note: str = "", actor_id: int | None = None
) -> None:
    """Put quantities back on the shelf (a cancelled or expired part), as atomic increments,
    recorded in the variants' stock history."""
    for variant_id in sorted(quantities):
        session.execute(
            update(Variant)
            .where(Variant.id == variant_id)
            .values(stock=Variant.stock + quantities[variant_id])
            .execution_options(synchronize_session=False)
        )
    record_stock_movements(
        session, dict(quantities), StockReason.RETURNED, actor_id=actor_id, note=note
    )


def count_sold(session: Session, quantities: Mapping[int, int]) -> None:
    """Add units delivered to each product's "Đã bán" counter ({product_id: units}), with
    atomic statements in product-id order, in the transaction that delivered them."""
    for product_id in sorted(quantities):
        session.execute(
            update(Product)
            .where(Product.id == product_id)
            .values(sold_count=Product.sold_count + quantities[product_id])
            .values(updated_at=Product.updated_at)  # a sale is no change of the listing
            .execution_options(synchronize_session=False)
        )
    if quantities:
        note_catalogue_change(session)
