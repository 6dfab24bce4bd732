"""Security headers on every response."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask, Response

from storefront.site.headers import header_value

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

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


SECURITY_HEADERS = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")


def register(app: Flask) -> None:
    headers = SECURITY_HEADERS + ((HSTS,) if app.config["SEND_HSTS"] else ())
    # Wrapping wsgi_app is how Flask documents adding WSGI middleware; mypy sees a method.
    app.wsgi_app = SecurityHeaders(app.wsgi_app, headers)  # type: ignore[method-assign]
    app.after_request(keep_personal_pages_out_of_caches)


def security_headers(send_hsts: bool) -> dict[str, str]:
    """The same headers as a dict, for the static files WhiteNoise serves before the app."""
    return dict(SECURITY_HEADERS + ((HSTS,) if send_hsts else ()))


class SecurityHeaders:
    """WSGI middleware adding each header to every response of the app unless the
    response has its own. Done on the plain header list WSGI hands over: the same in an
    after-request hook, through werkzeug's `Headers`, cost more than the rest of a bare
    request's hooks together."""

    def __init__(self, app: WSGIApplication, headers: tuple[tuple[str, str], ...]) -> None:
        self.app = app
        self.headers = [(name.lower(), (name, value)) for name, value in headers]

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        def start(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Callable[[bytes], object]:
            present = {name.lower() for name, _ in headers}
            headers.extend(header for lower, header in self.headers if lower not in present)
            return start_response(status, headers, exc_info)

        return self.app(environ, start)


def keep_personal_pages_out_of_caches(response: Response) -> Response:
    """One rule for every response: only what its view marked `public` (the catalogue's
    anonymous pages, uploaded images) or `private` (the catalogue's pages for a visitor
    with a session) may be kept; everything else, accounts, orders, checkout, exports,
    packing slips, settlements and any page added later, is `no-store`, so neither a
    shared cache nor the browser's disk keeps a copy."""
    if not header_value(response.headers, "Cache-Control"):  # most: nothing to parse
        response.headers["Cache-Control"] = "no-store"
        return response
    cache_control = response.cache_control
    if not (cache_control.public or cache_control.private):
        response.headers["Cache-Control"] = "no-store"
    return response
