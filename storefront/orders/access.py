"""Who may see an order: its account, an admin, or this browser after placing the order
or answering with the order's email or phone (remembered in the signed session)."""

from __future__ import annotations

from flask import session
from flask_login import current_user

from storefront.orders.models import Order

SESSION_KEY = "orders"
REMEMBERED = 20


def grant_order_access(number: str) -> None:
    """Let this browser see the order (after placing it, or after the lookup form)."""
    numbers = [n for n in session.get(SESSION_KEY, []) if n != number]
    session[SESSION_KEY] = [*numbers, number][-REMEMBERED:]


def can_view(order: Order) -> bool:
    if current_user.is_authenticated:
        if order.user_id is not None and order.user_id == current_user.id:
            return True
        if current_user.role == "admin":
            return True
    return order.number in session.get(SESSION_KEY, [])
