"""Placing an order through the API exactly once per `Idempotency-Key`.

The key is the caller's (an account, or a guest cart): the first request with it places
the order through checkout's own service (checkout.services.place_order_from_cart, the
form's way in); a retry with the same key and the same body gets that order back; the
same key with another body is refused, since it cannot be the same order.

The key row is written first, in the order's transaction, under a unique (caller, key)
index: of two retries at once, the second waits on the index until the first commits,
then fails to insert and reads the first one's order, so one order is placed. If the
first fails (sold out, say) its row goes with its rollback and the key is free again.
The order's checkout token is derived from the caller and key, so even a retry that
found no row (never expected) would meet the order's own unique token.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront.api.models import IdempotencyKey
from storefront.cart.models import Cart
from storefront.checkout.services import CheckoutDetails, place_order_from_cart
from storefront.errors import DomainError
from storefront.extensions import Session
from storefront.i18n import N_
from storefront.orders.models import Order
from storefront.pricing import PriceContext

MAX_KEY = 255


class IdempotencyError(DomainError):
    """The key is missing, malformed, or was used for another request."""

    def __init__(self, message: str, reused: bool = False, **params: Any) -> None:
        super().__init__(message, **params)
        self.reused = reused


@dataclass(frozen=True)
class Placed:
    order: Order
    replayed: bool  # True when an earlier request with this key placed it


def check_key(key: str | None) -> str:
    """The key as sent: 1 to 255 visible ASCII characters."""
    key = (key or "").strip()
    if not key:
        raise IdempotencyError(
            N_("Thiếu tiêu đề Idempotency-Key (một chuỗi ngẫu nhiên, ví dụ UUID).")
        )
    if len(key) > MAX_KEY or not all(33 <= ord(c) <= 126 for c in key):
        raise IdempotencyError(
            N_("Idempotency-Key phải gồm 1 đến %(n)s ký tự ASCII nhìn thấy được."), n=MAX_KEY
        )
    return key


def fingerprint(body: Mapping[str, Any]) -> str:
    """The SHA-256 of the body as parsed (keys sorted), so spacing and order do not count."""
    text = json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def checkout_token_for(caller: str, key: str) -> str:
    """The order's checkout token for this caller and key (43 URL-safe characters)."""
    digest = hashlib.sha256(f"api-idempotency:{caller}:{key}".encode()).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _existing(session: Session, caller: str, key: str, request_hash: str) -> Placed | None:
    row = session.execute(
        select(IdempotencyKey).where(IdempotencyKey.caller == caller, IdempotencyKey.key == key)
    ).scalar_one_or_none()
    if row is None:
        return None
    if row.request_hash != request_hash or row.order_id is None:
        raise IdempotencyError(
            N_("Idempotency-Key này đã được dùng cho một yêu cầu khác; hãy dùng khoá mới."),
            reused=True,
        )
    order = session.get(Order, row.order_id)
    assert order is not None  # noqa: S101 - the key's order cannot go (cascade)
    return Placed(order, replayed=True)


def find_replay(session: Session, caller: str, key: str, body: Mapping[str, Any]) -> Placed | None:
    """The order an earlier request with this key and body placed; IdempotencyError when
    the key went with another body; None for a new key."""
    return _existing(session, caller, check_key(key), fingerprint(body))


def place_once(
    session: Session,
    caller: str,
    key: str,
    body: Mapping[str, Any],
    cart: Cart,
    details: CheckoutDetails,
    pricing: PriceContext,
) -> Placed:
    """Place the cart's order for this key, or give back the order the key already
    placed. Raises IdempotencyError (key reused with another body) or the checkout's
    OrderError; only flushes, the caller commits (or rolls back on an error)."""
    key = check_key(key)
    request_hash = fingerprint(body)
    found = _existing(session, caller, key, request_hash)
    if found is not None:
        return found
    row = IdempotencyKey(caller=caller, key=key, request_hash=request_hash)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        # Another request with this key got there first and has committed by now (the
        # insert waited for it): its order is this one.
        found = _existing(session, caller, key, request_hash)
        if found is None:
            raise
        return found
    details = replace(details, checkout_token=checkout_token_for(caller, key))
    placed = place_order_from_cart(session, cart, details, pricing)
    row.order_id = placed.order.id
    session.flush()
    return Placed(placed.order, replayed=not placed.created)
