"""The payment methods checkout offers. Each method registers itself here; checkout
renders the options from `available_methods()` and places the order the same way for
all of them. A card method (issue 5) plugs in by registering a PaymentMethod whose
`is_available` checks its keys and whose `start` sends the buyer to the card page.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from storefront.orders.models import Order


def _always(config: Mapping[str, Any]) -> bool:
    return True


@dataclass(frozen=True)
class PaymentMethod:
    code: str  # stored on the order, at most 20 characters
    label: str  # msgid shown at checkout
    description: str  # msgid shown under the label
    # True when the order waits for money before it ships (transfer, card); False for COD.
    awaiting_payment: bool
    is_available: Callable[[Mapping[str, Any]], bool] = _always
    # Called after the order is committed; returns a URL to send the buyer to (a card
    # payment page), or None to show the order confirmation.
    start: Callable[[Order], str | None] | None = None


_METHODS: dict[str, PaymentMethod] = {}


def register(method: PaymentMethod) -> PaymentMethod:
    """Add a method to the checkout (registering a code again replaces it)."""
    if not method.code or len(method.code) > 20:
        raise ValueError("a payment method code is 1 to 20 characters")
    _METHODS[method.code] = method
    return method


def unregister(code: str) -> None:
    """Remove a method (tests that register a temporary one)."""
    _METHODS.pop(code, None)


def available_methods(config: Mapping[str, Any]) -> list[PaymentMethod]:
    """The methods offered now, in registration order."""
    return [method for method in _METHODS.values() if method.is_available(config)]


def get_method(code: str, config: Mapping[str, Any]) -> PaymentMethod | None:
    """The available method with this code, or None (unknown, or not configured)."""
    method = _METHODS.get(code)
    return method if method is not None and method.is_available(config) else None


def method_label(code: str) -> str:
    """The msgid naming a method, for order pages (the code itself if it is unknown)."""
    method = _METHODS.get(code)
    return method.label if method is not None else code
