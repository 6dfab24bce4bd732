"""Error reports to Sentry (or a compatible service) when SENTRY_DSN is set.

Off without SENTRY_DSN, and sentry-sdk is then never imported. Personal data stays
home: send_default_pii is off (no cookies, no user address, no request bodies) and
`scrub` runs on every event before it leaves, dropping what could still carry a buyer's
phone, address or email: the request's body, cookies, query string and headers other
than a few harmless ones, the user beyond their id, and local variables in frames.
"""

from __future__ import annotations

from typing import Any

from flask import Flask

KEPT_HEADERS = {"host", "user-agent", "accept", "accept-language", "x-request-id"}


def register(app: Flask) -> None:
    dsn = app.config["SENTRY_DSN"]
    if not dsn:
        return
    import sentry_sdk
    from sentry_sdk.integrations.flask import FlaskIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=app.config["STOREFRONT_ENV"],
        integrations=[FlaskIntegration()],
        send_default_pii=False,
        include_local_variables=False,
        max_request_body_size="never",
        before_send=scrub,  # type: ignore[arg-type]  # plain dicts, as the SDK sends
        traces_sample_rate=0,
    )


def scrub(event: dict[str, Any], hint: Any = None) -> dict[str, Any]:
    """The event without personal data (see the module's text); returns it to send."""
    req = event.get("request")
    if isinstance(req, dict):
        for key in ("data", "cookies", "query_string", "env"):
            req.pop(key, None)
        headers = req.get("headers")
        if isinstance(headers, dict):
            req["headers"] = {k: v for k, v in headers.items() if k.lower() in KEPT_HEADERS}
        if isinstance(req.get("url"), str):
            req["url"] = req["url"].split("?", 1)[0]
    user = event.get("user")
    if isinstance(user, dict):
        event["user"] = {"id": user["id"]} if "id" in user else {}
    for exception in (event.get("exception") or {}).get("values") or []:
        for frame in (exception.get("stacktrace") or {}).get("frames") or []:
            frame.pop("vars", None)
    event.pop("extra", None)
    breadcrumbs = event.get("breadcrumbs")
    if isinstance(breadcrumbs, dict):
        for crumb in breadcrumbs.get("values") or []:
            crumb.pop("data", None)
    return event
