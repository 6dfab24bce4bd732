"""Errors the order services raise; views show them to the buyer, admin or producer."""

from __future__ import annotations

from typing import Any

from storefront.errors import DomainError


class OrderError(DomainError):
    """An order request the shop refuses. `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


class OutOfStock(OrderError):
    """A line asks for more than the stock; nothing was taken for any line."""

    def __init__(self, message: str, variant_id: int, remaining: int, **params: Any) -> None:
        super().__init__(message, remaining=remaining, **params)
        self.variant_id = variant_id
        self.remaining = remaining


class TransitionRefused(OrderError):
    """A status change the allowed-transitions table (or the order's payment) forbids."""
