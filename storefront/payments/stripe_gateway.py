"""Stripe's API, and the only module of the shop that imports `stripe`.

Callers pass plain values and get plain dataclasses back; Stripe's errors become
GatewayUnavailable (could not reach Stripe, or Stripe failed: the outcome is unknown and a
retry with the same idempotency key is safe) or GatewayRefused (Stripe answered no).
Amounts are VND, which Stripe treats as zero-decimal: 150.000 ₫ is `amount=150000`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import stripe

from storefront.errors import DomainError
from storefront.i18n import N_

logger = logging.getLogger(__name__)
CURRENCY = "vnd"
# Seconds to connect and to wait for an answer: a buyer is waiting on the checkout page.
TIMEOUT = (5, 20)
MAX_NETWORK_RETRIES = 2


class GatewayError(DomainError):
    """Stripe did not do what was asked."""


class GatewayUnavailable(GatewayError):
    """Stripe could not be reached or failed; whether it acted is unknown."""


class GatewayRefused(GatewayError):
    """Stripe answered with an error: the request was not carried out."""


class InvalidEvent(Exception):
    """A webhook body that is not signed with the endpoint's secret, or is too old."""


@dataclass(frozen=True)
class LineItem:
    name: str
    unit_amount_vnd: int
    quantity: int


@dataclass(frozen=True)
class CheckoutSession:
    id: str
    url: str | None
    status: str  # open, complete, expired
    payment_status: str  # unpaid, paid, no_payment_required
    payment_intent: str | None
    amount_total: int | None
    currency: str | None


@dataclass(frozen=True)
class StripeRefund:
    id: str
    status: str  # pending, requires_action, succeeded, failed, canceled
    amount: int


def _ensure_http_client() -> None:
    # The library's default waits 80 s for an answer; tests install their own client.
    if stripe.default_http_client is None:
        stripe.default_http_client = stripe.RequestsClient(timeout=TIMEOUT)


def _call(operation: str, function: Any, *args: Any, **params: Any) -> Any:
    _ensure_http_client()
    try:
        return function(*args, **params)
    except (stripe.APIConnectionError, stripe.APIError, stripe.RateLimitError) as error:
        logger.warning("stripe %s: could not complete: %s", operation, error)
        raise GatewayUnavailable(
            N_(
                "Chưa kết nối được với cổng thanh toán thẻ (Stripe). Vui lòng thử lại sau ít "
                "phút, hoặc chọn thanh toán khi nhận hàng."
            )
        ) from error
    except (stripe.AuthenticationError, stripe.PermissionError, stripe.IdempotencyError) as error:
        # The shop's keys or requests are wrong: nothing a buyer can act on, or should read.
        logger.error("stripe %s refused the shop's request: %s", operation, error)
        raise GatewayRefused(
            N_(
                "Thanh toán thẻ đang tạm ngưng do sự cố kỹ thuật của shop. Vui lòng chọn "
                "thanh toán khi nhận hàng hoặc thử lại sau."
            )
        ) from error
    except stripe.StripeError as error:
        logger.error("stripe %s refused: %s", operation, error)
        raise GatewayRefused(
            N_("Cổng thanh toán thẻ (Stripe) từ chối yêu cầu: %(reason)s"),
            reason=getattr(error, "user_message", None) or str(error)[:200],
        ) from error


def _session(value: Mapping[str, Any]) -> CheckoutSession:
    intent = value.get("payment_intent")
    if isinstance(intent, Mapping):  # expanded
        intent = intent.get("id")
    return CheckoutSession(
        id=str(value["id"]),
        url=value.get("url"),
        status=str(value.get("status") or ""),
        payment_status=str(value.get("payment_status") or ""),
        payment_intent=intent,
        amount_total=value.get("amount_total"),
        currency=value.get("currency"),
    )


def create_checkout_session(
    *,
    api_key: str,
    order_number: str,
    attempt: int,
    line_items: Sequence[LineItem],
    customer_email: str,
    idempotency_key: str,
    expires_at: datetime,
    success_url: str,
    cancel_url: str,
    locale: str = "vi",
) -> CheckoutSession:
    """Open a Stripe Checkout Session for an order, in VND, expiring at `expires_at`."""
    metadata = {"order_number": order_number, "attempt": str(attempt)}
    created = _call(
        "checkout.Session.create",
        stripe.checkout.Session.create,
        api_key=api_key,
        idempotency_key=idempotency_key,
        max_network_retries=MAX_NETWORK_RETRIES,
        mode="payment",
        line_items=[
            {
                "price_data": {
                    "currency": CURRENCY,
                    "unit_amount": item.unit_amount_vnd,
                    "product_data": {"name": item.name[:250]},
                },
                "quantity": item.quantity,
            }
            for item in line_items
        ],
        customer_email=customer_email,
        client_reference_id=order_number,
        metadata=metadata,
        payment_intent_data={"metadata": metadata, "description": order_number},
        expires_at=int(expires_at.astimezone(UTC).timestamp()),
        success_url=success_url,
        cancel_url=cancel_url,
        locale=locale if locale in ("vi", "en") else "auto",
    )
    return _session(created)


def expire_checkout_session(api_key: str, session_id: str) -> CheckoutSession:
    """Close an open session so it can no longer be paid. When Stripe refuses because the
    session is no longer open, the session as it now stands is returned instead."""
    try:
        expired = _call(
            "checkout.Session.expire",
            stripe.checkout.Session.expire,
            session_id,
            api_key=api_key,
            max_network_retries=MAX_NETWORK_RETRIES,
        )
        return _session(expired)
    except GatewayRefused:
        return retrieve_checkout_session(api_key, session_id)


def retrieve_checkout_session(api_key: str, session_id: str) -> CheckoutSession:
    """A session as Stripe has it now."""
    found = _call(
        "checkout.Session.retrieve", stripe.checkout.Session.retrieve, session_id, api_key=api_key
    )
    return _session(found)


def create_refund(
    *,
    api_key: str,
    payment_intent: str,
    amount_vnd: int,
    idempotency_key: str,
    metadata: Mapping[str, str],
) -> StripeRefund:
    """Refund `amount_vnd` of a payment; the same key never refunds twice."""
    refund = _call(
        "Refund.create",
        stripe.Refund.create,
        api_key=api_key,
        idempotency_key=idempotency_key,
        max_network_retries=MAX_NETWORK_RETRIES,
        payment_intent=payment_intent,
        amount=amount_vnd,
        metadata=dict(metadata),
    )
    return StripeRefund(
        id=str(refund["id"]), status=str(refund["status"]), amount=int(refund["amount"])
    )


def verify_event(payload: bytes, signature: str, secret: str) -> dict[str, Any]:
    """The event in a webhook body, as plain data, once its `Stripe-Signature` header is
    checked against the endpoint secret (and its timestamp is at most 5 minutes old).
    Raises InvalidEvent otherwise."""
    try:
        stripe.Webhook.construct_event(payload, signature, secret)
        event = json.loads(payload)
    except (stripe.SignatureVerificationError, ValueError) as error:
        raise InvalidEvent(str(error)) from error
    if not isinstance(event, dict) or not isinstance(event.get("id"), str):
        raise InvalidEvent("not an event")
    return event
