"""Security headers on every response."""

from __future__ import annotations

from flask import Flask, Response, current_app

# No inline scripts or styles anywhere: every script is a file under /static.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self' https://checkout.stripe.com",
        "frame-ancestors 'none'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)


HSTS = "max-age=31536000; includeSubDomains"


def register(app: Flask) -> None:
    app.after_request(add_security_headers)
    app.after_request(keep_personal_pages_out_of_caches)


def security_headers(send_hsts: bool) -> dict[str, str]:
    """The headers every response carries, pages and static files alike."""
    headers = {
        "Content-Security-Policy": CONTENT_SECURITY_POLICY,
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    }
    if send_hsts:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def add_security_headers(response: Response) -> Response:
    for name, value in security_headers(current_app.config["SEND_HSTS"]).items():
        response.headers.setdefault(name, value)
    return response


def keep_personal_pages_out_of_caches(response: Response) -> Response:
    """One rule for every response: only what its view marked `public` (the catalogue's
    anonymous pages, uploaded images) or `private` (the catalogue's pages for a visitor
    with a session) may be kept; everything else, accounts, orders, checkout, exports,
    packing slips, settlements and any page added later, is `no-store`, so neither a
    shared cache nor the browser's disk keeps a copy."""
    cache_control = response.cache_control
    if not (cache_control.public or cache_control.private):
        response.headers["Cache-Control"] = "no-store"
    return response
