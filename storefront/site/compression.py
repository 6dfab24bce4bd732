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

from flask import Flask
from flask_compress import Compress

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
