"""Compressed responses: HTML, JSON, CSV and other text go out gzip- or brotli-encoded
when the browser asks for it (Accept-Encoding), through Flask-Compress.

Static files never reach Flask: WhiteNoise (site/assets.py) answers them first with the
gzip copies `flask assets build` wrote. Images are already compressed and are left as
they are. A response that carries an ETag gets the encoding added to it ("…:gzip"), so a
shared cache never hands a gzip body to a client that asked for brotli, and `Vary:
Accept-Encoding` says so too.

BREACH (guessing a secret in a compressed page from its length) needs a secret and text
the attacker chooses in the same body, and many requests sent with the victim's cookies:
the session cookie is SameSite=Lax, so another site's scripts cannot send them with
their requests.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response
from flask_compress import Compress

from storefront.site.headers import header_value

TEXT_TYPES = [
    "text/html",
    "text/css",
    "text/plain",
    "text/csv",
    "text/xml",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/xml",
    "application/rss+xml",
    "image/svg+xml",
]

compress = Compress()


def register(app: Flask) -> None:
    """Compress the app's text responses. Called before any other app-wide after-request
    hook is added, so that it runs last, on the finished response."""
    app.config.setdefault("COMPRESS_MIMETYPES", TEXT_TYPES)
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 5)
    app.config.setdefault("COMPRESS_MIN_SIZE", 500)
    # Streamed responses (file downloads) stay as they are: no buffering, no surprises.
    app.config.setdefault("COMPRESS_STREAMS", False)
    compress.init_app(app)
    hooks = app.after_request_funcs.setdefault(None, [])
    hooks[:] = [_small_first(app, f) if f == compress.after_request else f for f in hooks]


def _small_first(app: Flask, hook: Callable[..., Any]) -> Callable[[Response], Response]:
    """Flask-Compress's hook, with the answer it gives a body shorter than
    COMPRESS_MIN_SIZE worked out first: such a body is never compressed, so all the hook
    does is say `Vary: Accept-Encoding`. Same headers, without its look at the request's
    Accept-Encoding, the response's type and the rest for every short response (redirects,
    health probes, 304s, small JSON)."""

    def after_request(response: Response) -> Response:
        length = response.content_length
        if length is None or length >= app.config["COMPRESS_MIN_SIZE"]:
            compressed: Response = hook(response)
            return compressed
        vary = header_value(response.headers, "Vary")  # as Flask-Compress adds it
        if not vary:
            response.headers["Vary"] = "Accept-Encoding"
        elif "accept-encoding" not in vary.lower():
            response.headers["Vary"] = f"{vary}, Accept-Encoding"
        return response

    return after_request
