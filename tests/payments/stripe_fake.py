"""A local stand-in for Stripe's API behind the real `stripe` library, and webhook signing.

    fake = FakeStripeClient()
    stripe.default_http_client = fake      # the library now talks to this object

It subclasses the library's HTTPClient and implements `request()` as its transports do,
so the library's own encoding, retries (with the same idempotency key), response parsing
and error classes all run. It answers like the API for what the shop uses (Checkout
Sessions, Refunds), replays idempotent requests as Stripe does (and refuses a key reused
with other parameters), checks `expires_at` against Stripe's 30 minutes to 24 hours, and
records every request. Below it: webhook events and their `Stripe-Signature`, and the
helpers the payment tests share (`install` for a module's `stripe_api` fixture,
`deliver` to post a signed event, card orders with an open session).
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import stripe

_ids = itertools.count(1)


def new_id(prefix: str) -> str:
    return f"{prefix}_test_{next(_ids):06d}"


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, Any]
    idempotency_key: str | None
    api_key: str


def _nest(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Stripe's form encoding (`a[b][0][c]=v`) back into dicts and lists."""
    root: dict[str, Any] = {}
    for key, value in pairs:
        parts = key.replace("]", "").split("[")
        node = root
        for part in parts[:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value
    return _listify(root)


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    node = {k: _listify(v) for k, v in node.items()}
    if node and all(k.isdigit() for k in node):
        return [node[k] for k in sorted(node, key=int)]
    return node


@dataclass
class Failure:
    # "connection": never reached Stripe; "lost": Stripe acted, the answer was lost;
    # "status": Stripe answered with this HTTP status and error body.
    kind: str
    status: int = 0
    error: dict[str, Any] = field(default_factory=dict)


class FakeStripeClient(stripe.HTTPClient):
    name = "fake"

    def __init__(self) -> None:
        super().__init__()
        self.requests: list[Request] = []
        self.sessions: dict[str, dict[str, Any]] = {}
        self.refunds: dict[str, dict[str, Any]] = {}
        self.failures: list[Failure] = []
        self._replies: dict[str, tuple[str, str, tuple[str, int, dict[str, str]]]] = {}

    # -- what tests arrange -------------------------------------------------------------

    def fail_next(self, count: int = 1, kind: str = "connection", **failure: Any) -> None:
        """Make the next `count` requests fail (the library may retry them)."""
        self.failures.extend(Failure(kind, **failure) for _ in range(count))

    def refuse_next(self, message: str, status: int = 400, code: str = "") -> None:
        self.fail_next(
            kind="status",
            status=status,
            error={"type": "invalid_request_error", "message": message, "code": code},
        )

    def calls(self, method: str, path_start: str) -> list[Request]:
        return [r for r in self.requests if r.method == method and r.path.startswith(path_start)]

    # -- HTTPClient ---------------------------------------------------------------------

    def request(self, method, url, headers, post_data=None, *, _usage=None):  # type: ignore[no-untyped-def]
        parts = urlsplit(url)
        body = post_data.decode() if isinstance(post_data, bytes) else (post_data or "")
        pairs = parse_qsl(body if method == "post" else parts.query, keep_blank_values=True)
        key = (headers or {}).get("Idempotency-Key")
        auth = (headers or {}).get("Authorization", "")
        record = Request(method, parts.path, _nest(pairs), key, auth.removeprefix("Bearer "))
        self.requests.append(record)
        failure = self.failures.pop(0) if self.failures else None
        if failure is not None and failure.kind == "connection":
            raise stripe.APIConnectionError("fake: connection refused", should_retry=True)
        if failure is not None and failure.kind == "status":
            return self._reply(failure.status, {"error": failure.error})
        reply = self._answer(method, parts.path, record, body)
        if failure is not None and failure.kind == "lost":  # done, but the answer never came
            raise stripe.APIConnectionError("fake: connection reset", should_retry=True)
        return reply

    def _answer(self, method: str, path: str, record: Request, body: str):  # type: ignore[no-untyped-def]
        key = record.idempotency_key
        if method == "post" and key is not None:
            fingerprint = f"{path}?{body}"
            if key in self._replies:
                _, previous, reply = self._replies[key]
                if previous != fingerprint:
                    return self._reply(
                        400,
                        {
                            "error": {
                                "type": "idempotency_error",
                                "message": "Keys for idempotent requests can only be used "
                                "with the same parameters they were first used with.",
                            }
                        },
                    )
                return reply
            reply = self._route(method, path, record.params)
            if reply[1] < 500:
                self._replies[key] = (path, fingerprint, reply)
            return reply
        return self._route(method, path, record.params)

    def request_stream(self, method, url, headers, post_data=None, *, _usage=None):  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def close(self) -> None:
        pass

    def _sleep_time_seconds(self, num_retries, response=None):  # type: ignore[no-untyped-def]
        return 0  # the library's backoff, without the wait

    # -- the API --------------------------------------------------------------------------

    @staticmethod
    def _reply(status: int, body: dict[str, Any]) -> tuple[str, int, dict[str, str]]:
        return json.dumps(body), status, {"request-id": "req_fake"}

    def _error(self, message: str, param: str = "", status: int = 400):  # type: ignore[no-untyped-def]
        error = {"type": "invalid_request_error", "message": message, "param": param}
        return self._reply(status, {"error": error})

    def _route(self, method: str, path: str, params: dict[str, Any]):  # type: ignore[no-untyped-def]
        segments = path.strip("/").split("/")
        if method == "post" and path == "/v1/checkout/sessions":
            return self._create_session(params)
        if segments[:3] == ["v1", "checkout", "sessions"] and len(segments) >= 4:
            found = self.sessions.get(segments[3])
            if found is None:
                return self._error(f"No such checkout.session: '{segments[3]}'", status=404)
            if method == "get" and len(segments) == 4:
                return self._reply(200, found)
            if method == "post" and segments[4:] == ["expire"]:
                if found["status"] != "open":
                    return self._error(
                        "Only Checkout Sessions with a status of 'open' can be expired."
                    )
                found.update(status="expired", url=None)
                return self._reply(200, found)
        if method == "post" and path == "/v1/refunds":
            return self._create_refund(params)
        return self._error(f"Unrecognized request URL ({method.upper()}: {path})", status=404)

    def _create_session(self, params: dict[str, Any]):  # type: ignore[no-untyped-def]
        now = int(time.time())
        expires_at = int(params.get("expires_at") or now + 24 * 3600)
        if not now + 30 * 60 <= expires_at <= now + 24 * 3600:
            return self._error(
                "The `expires_at` timestamp must be between 30 minutes and 24 hours from "
                "Checkout Session creation.",
                "expires_at",
            )
        items = params.get("line_items") or []
        currencies = {item["price_data"]["currency"] for item in items}
        if len(currencies) != 1:
            return self._error("All line items must share one currency.", "line_items")
        total = sum(
            int(item["price_data"]["unit_amount"]) * int(item["quantity"]) for item in items
        )
        session_id = new_id("cs")
        session = {
            "id": session_id,
            "object": "checkout.session",
            "mode": params.get("mode"),
            "status": "open",
            "payment_status": "unpaid",
            "amount_total": total,
            "currency": currencies.pop(),
            "customer_email": params.get("customer_email"),
            "client_reference_id": params.get("client_reference_id"),
            "metadata": params.get("metadata") or {},
            "expires_at": expires_at,
            "payment_intent": None,
            "success_url": params.get("success_url"),
            "cancel_url": params.get("cancel_url"),
            "url": f"https://checkout.stripe.com/c/pay/{session_id}",
            "livemode": False,
        }
        self.sessions[session_id] = session
        return self._reply(200, session)

    def _create_refund(self, params: dict[str, Any]):  # type: ignore[no-untyped-def]
        intent = params.get("payment_intent")
        paid = [s for s in self.sessions.values() if s.get("payment_intent") == intent]
        if not paid:
            return self._error(f"No such payment_intent: '{intent}'", "payment_intent", 404)
        amount = int(params.get("amount") or paid[0]["amount_total"])
        refunded = sum(r["amount"] for r in self.refunds.values() if r["payment_intent"] == intent)
        if refunded + amount > paid[0]["amount_total"]:
            return self._error(
                f"Refund amount ({amount}) is greater than unrefunded amount on charge.",
                "amount",
            )
        refund = {
            "id": new_id("re"),
            "object": "refund",
            "amount": amount,
            "currency": paid[0]["currency"],
            "payment_intent": intent,
            "status": "succeeded",
            "metadata": params.get("metadata") or {},
        }
        self.refunds[refund["id"]] = refund
        return self._reply(200, refund)

    # -- what Stripe would send to the webhook ----------------------------------------

    def pay(self, session_id: str, payment_status: str = "paid", **changes: Any) -> dict:
        """The buyer completes a session; returns the session object as events carry it."""
        session = self.sessions[session_id]
        session.update(
            status="complete",
            payment_status=payment_status,
            payment_intent=session.get("payment_intent") or new_id("pi"),
            url=None,
        )
        session.update(changes)
        return dict(session)

    def expire(self, session_id: str) -> dict:
        session = self.sessions[session_id]
        session.update(status="expired", url=None)
        return dict(session)

    def charge(self, intent: str, amount_refunded: int) -> dict:
        total = next(
            s["amount_total"] for s in self.sessions.values() if s["payment_intent"] == intent
        )
        return {
            "id": new_id("ch"),
            "object": "charge",
            "payment_intent": intent,
            "amount": total,
            "amount_refunded": amount_refunded,
            "currency": "vnd",
            "refunded": amount_refunded >= total,
        }


def event(kind: str, obj: dict[str, Any], event_id: str | None = None) -> dict[str, Any]:
    """A webhook event as Stripe sends it."""
    return {
        "id": event_id or new_id("evt"),
        "object": "event",
        "type": kind,
        "api_version": stripe.api_version,
        "created": int(time.time()),
        "livemode": False,
        "data": {"object": obj},
    }


def sign(payload: str, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header Stripe computes: t=<ts>,v1=<HMAC-SHA256 of "ts.payload">."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


# -- fixtures and helpers for the payment tests (import them into a test module) ---------

SECRET_KEY = "sk_test_fake_secret"
WEBHOOK_SECRET = "whsec_test_fake_secret"
WEBHOOK_URL = "/payments/stripe/webhook"


def install(app, monkeypatch) -> FakeStripeClient:  # type: ignore[no-untyped-def]
    """Configure the Stripe keys and replace the library's HTTP client by the fake (for a
    test module's own `stripe_api` fixture)."""
    fake = FakeStripeClient()
    monkeypatch.setattr(stripe, "default_http_client", fake)
    monkeypatch.setitem(app.config, "STRIPE_SECRET_KEY", SECRET_KEY)
    monkeypatch.setitem(app.config, "STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
    return fake


def deliver(client, payload: dict | str, secret: str = WEBHOOK_SECRET, timestamp=None):  # type: ignore[no-untyped-def]
    """POST an event to the webhook, signed as Stripe signs it."""
    body = payload if isinstance(payload, str) else json.dumps(payload)
    return client.post(
        WEBHOOK_URL,
        data=body.encode(),
        headers={"Stripe-Signature": sign(body, secret, timestamp)},
        content_type="application/json",
    )


def card_order(session, lines, **kw):  # type: ignore[no-untyped-def]
    """A card order placed through the order service and committed."""
    from tests.orders.helpers import place

    return place(session, lines, method="card", awaiting=True, **kw)


def open_card_session(session, app, order):  # type: ignore[no-untyped-def]
    """Open a Checkout Session for a card order as the checkout does; returns the attempt."""
    from storefront.payments import card

    loaded = card.load_order(session, order.number)
    payment = card.begin_payment(session, loaded, app.config)
    session.commit()
    card.open_session(session, payment, app.config)
    session.commit()
    return payment
