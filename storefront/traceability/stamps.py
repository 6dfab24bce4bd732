"""Printable A4 sheets of traceability stamps (tem truy xuất nguồn gốc).

Every stamp of a sheet is the same, so it is drawn once as a PDF form XObject and placed
N times: a 500-stamp sheet stays small and quick to make. Text uses DejaVu Sans
Condensed, shipped in storefront/fonts/ (it covers Vietnamese and the ★ sign), embedded
as a subset so the PDF prints the same everywhere.
"""

from __future__ import annotations

import io
import math
import threading
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reportlab.lib.colors import Color, black, white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from storefront.dates import format_day
from storefront.traceability.qr import make_qr

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR, BOLD = "StampSans", "StampSans-Bold"
FONT_FILES = {REGULAR: "DejaVuSansCondensed.ttf", BOLD: "DejaVuSansCondensed-Bold.ttf"}

TITLE = "Tem truy xuất nguồn gốc"
COLUMNS, ROWS = 3, 7
PER_PAGE = COLUMNS * ROWS
MIN_STAMPS, MAX_STAMPS = 1, 500
PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 10 * mm
STAMP_WIDTH = (PAGE_WIDTH - 2 * MARGIN) / COLUMNS
STAMP_HEIGHT = (PAGE_HEIGHT - 2 * MARGIN) / ROWS
PADDING = 2 * mm
TITLE_BAND = 6 * mm
GUIDE_GREY = Color(0.6, 0.6, 0.6)

_fonts_lock = threading.Lock()


@dataclass(frozen=True)
class StampContent:
    """What each stamp of a sheet carries."""

    url: str  # the QR code's target: the batch's trace page
    code: str  # the batch code as printed, grouped: 7K3F-9QXM-2AB
    product_name: str
    variant_label: str
    stars: int | None
    produced_on: date
    expires_on: date


def sheet_count(stamps: int) -> int:
    """How many A4 pages `stamps` stamps take."""
    return math.ceil(stamps / PER_PAGE)


def _register_fonts() -> None:
    with _fonts_lock:
        registered = set(pdfmetrics.getRegisteredFontNames())
        for name, filename in FONT_FILES.items():
            if name not in registered:
                pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / filename)))


def _fit(text: str, font: str, size: float, width: float) -> str:
    """The text, cut with an ellipsis if it is wider than `width`."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _draw_qr(canvas: Canvas, url: str, x: float, y: float, size: float) -> None:
    """The QR code (with its four-module quiet zone) as filled rectangles, one per run of
    dark modules in a row."""
    rows = [list(row) for row in make_qr(url).matrix_iter(scale=1, border=4)]
    module = size / len(rows)
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    path = canvas.beginPath()
    for index, row in enumerate(rows):
        top = y + size - (index + 1) * module
        start = None
        for column, dark in enumerate([*row, 0]):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                path.rect(x + start * module, top, (column - start) * module, module)
                start = None
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=0, fill=1)


def _draw_stamp(canvas: Canvas, content: StampContent) -> None:
    """One stamp in a STAMP_WIDTH × STAMP_HEIGHT box whose lower left corner is (0, 0)."""
    width, height = STAMP_WIDTH, STAMP_HEIGHT
    canvas.setStrokeColor(GUIDE_GREY)  # cutting guide
    canvas.setLineWidth(0.3)
    canvas.setDash(2, 2)
    canvas.rect(0.5, 0.5, width - 1, height - 1, stroke=1, fill=0)
    canvas.setDash()

    canvas.setFillColor(black)
    canvas.setFont(BOLD, 7.5)
    canvas.drawCentredString(width / 2, height - PADDING - 7.5 * 0.85, TITLE)

    qr_size = height - 2 * PADDING - TITLE_BAND
    _draw_qr(canvas, content.url, PADDING, PADDING, qr_size)

    left = PADDING + qr_size + 1.5 * mm
    text_width = width - left - PADDING
    canvas.setFillColor(black)
    y = PADDING + qr_size - 7
    lines = simpleSplit(content.product_name, BOLD, 7, text_width)
    if len(lines) > 3:
        lines = [*lines[:2], _fit(" ".join(lines[2:]), BOLD, 7, text_width)]
    canvas.setFont(BOLD, 7)
    for line in lines:
        canvas.drawString(left, y, line)
        y -= 8
    canvas.setFont(REGULAR, 6.5)
    canvas.drawString(left, y, _fit(content.variant_label, REGULAR, 6.5, text_width))
    y -= 9
    if content.stars:
        canvas.setFont(REGULAR, 7)
        canvas.drawString(left, y, _fit(f"OCOP {content.stars} sao", REGULAR, 7, text_width))
        y -= 8
        canvas.drawString(left, y, "★" * content.stars)
        y -= 8.5
    canvas.setFont(REGULAR, 6.5)
    canvas.drawString(left, y, f"NSX: {format_day(content.produced_on)}")
    y -= 7.5
    canvas.drawString(left, y, f"HSD: {format_day(content.expires_on)}")
    canvas.setFont(BOLD, 8.5)
    canvas.drawString(left, PADDING + 1, _fit(content.code, BOLD, 8.5, text_width))


def stamp_sheet_pdf(content: StampContent, count: int) -> bytes:
    """An A4 PDF with `count` identical stamps, 21 to a page (3 × 7, cutting guides
    dashed). Raises ValueError unless 1 <= count <= 500."""
    if not MIN_STAMPS <= count <= MAX_STAMPS:
        raise ValueError(f"count must be between {MIN_STAMPS} and {MAX_STAMPS}")
    _register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"{TITLE}: {content.product_name} ({content.code})")
    canvas.setAuthor("OCOP Storefront")
    canvas.setSubject(content.url)
    canvas.beginForm("stamp", 0, 0, STAMP_WIDTH, STAMP_HEIGHT)
    _draw_stamp(canvas, content)
    canvas.endForm()
    for index in range(count):
        slot = index % PER_PAGE
        if index and slot == 0:
            canvas.showPage()
        column, row = slot % COLUMNS, slot // COLUMNS
        canvas.saveState()
        canvas.translate(
            MARGIN + column * STAMP_WIDTH, PAGE_HEIGHT - MARGIN - (row + 1) * STAMP_HEIGHT
        )
        canvas.doForm("stamp")
        canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
