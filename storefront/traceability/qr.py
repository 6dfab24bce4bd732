"""QR codes of batch stamps: they point at the batch's public trace page."""

from __future__ import annotations

import io

import segno

# Medium error correction survives a scuffed or partly covered stamp and keeps the
# symbol small (version 3 or 4 for the shop's URLs); segno raises the level when it fits.
ERROR_LEVEL = "m"


def trace_url(public_base_url: str, code: str) -> str:
    """The address a stamp's QR code opens: PUBLIC_BASE_URL + /t/<code>."""
    return f"{public_base_url.rstrip('/')}/t/{code}"


def make_qr(url: str) -> segno.QRCode:
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_svg(url: str, title: str = "") -> bytes:
    """The QR code as a standalone SVG file (scalable: for designers and label printers)."""
    buffer = io.BytesIO()
    make_qr(url).save(buffer, kind="svg", scale=10, border=4, title=title or None, xmldecl=True)
    return buffer.getvalue()


def qr_png(url: str, scale: int = 12) -> bytes:
    """The QR code as a PNG image with a four-module quiet zone."""
    buffer = io.BytesIO()
    make_qr(url).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()
