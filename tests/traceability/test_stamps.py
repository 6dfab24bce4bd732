"""QR codes and stamp sheets, read back: the QR codes decode to the trace page's URL, the
PDF holds N stamps with the Vietnamese text intact."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date

import pypdfium2
import pytest
import zxingcpp
from PIL import Image, ImageDraw
from pypdf import PdfReader

from storefront.traceability import codes, qr, stamps
from tests.accounts.helpers import log_in, make_member
from tests.factories import make_producer, make_product
from tests.traceability.helpers import make_batch

PRODUCT = "Mật ong hoa Ban Mường Phăng"
TITLE = "Tem truy xuất nguồn gốc"


def decode_png(data: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(data)))]


def decode_svg(svg: bytes) -> list[str]:
    """Paint segno's SVG path (runs of dark modules as horizontal strokes one module wide,
    in module units scaled by the path's transform) on a bitmap and decode that: proves
    the SVG file itself carries the right code."""
    text = svg.decode()
    width = float(re.search(r'<svg[^>]* width="([\d.]+)"', text).group(1))  # type: ignore[union-attr]
    scale = re.search(r'transform="scale\(([\d.]+)\)"', text)
    modules = round(width / (float(scale.group(1)) if scale else 1.0))
    path = re.search(r' d="([^"]+)"', text).group(1)  # type: ignore[union-attr]
    image = Image.new("L", (modules, modules), 255)
    draw = ImageDraw.Draw(image)
    x = y = 0.0
    for command, first, second in re.findall(r"([MmHh])(-?[\d.]+)(?:[ ,](-?[\d.]+))?", path):
        if command in "Mm":
            dx, dy = float(first), float(second or 0)
            x, y = (dx, dy) if command == "M" else (x + dx, y + dy)
        else:
            end = float(first) if command == "H" else x + float(first)
            draw.rectangle([round(x), int(y), round(end) - 1, int(y)], fill=0)
            x = end
    large = image.resize((modules * 8, modules * 8), Image.Resampling.NEAREST)
    return [result.text for result in zxingcpp.read_barcodes(large)]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@pytest.fixture
def producer_client(app, session):  # type: ignore[no-untyped-def]
    producer = make_producer(session, name="HTX Ong mật Mường Phăng")
    user = make_member(session, producer, email="ong@example.vn")
    batch = make_batch(session, product=make_product(session, producer, name=PRODUCT, stars=4))
    session.commit()
    client = app.test_client()
    assert log_in(client, user.email).status_code == 302
    return client, batch


def test_the_png_qr_code_decodes_to_the_trace_url(app, producer_client) -> None:
    client, batch = producer_client
    response = client.get(f"/producer/batches/{batch.id}/qr.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.headers["Content-Disposition"].endswith(f'{batch.code}.png"')
    expected = app.config["PUBLIC_BASE_URL"] + "/t/" + batch.code
    assert decode_png(response.data) == [expected]


def test_the_svg_qr_code_decodes_to_the_trace_url(app, producer_client) -> None:
    client, batch = producer_client
    response = client.get(f"/producer/batches/{batch.id}/qr.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert b"<svg" in response.data
    assert decode_svg(response.data) == [app.config["PUBLIC_BASE_URL"] + "/t/" + batch.code]


def test_the_qr_code_follows_public_base_url(app) -> None:
    url = qr.trace_url("https://ocop.dienbien.gov.vn/", "7K3F9QXM2AB")
    assert url == "https://ocop.dienbien.gov.vn/t/7K3F9QXM2AB"
    assert decode_png(qr.qr_png(url)) == [url]


def test_the_stamp_sheet_holds_n_stamps_with_vietnamese_text(app, producer_client) -> None:
    client, batch = producer_client
    response = client.get(f"/producer/batches/{batch.id}/stamps.pdf?count=23")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].endswith(f'{batch.code}.pdf"')
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 2
    text = nfc("\n".join(page.extract_text() for page in reader.pages))
    assert text.count(TITLE) == 23
    assert text.count(codes.display(batch.code)) == 23
    assert " ".join(text.split()).count(PRODUCT) == 23  # wrapped over two lines
    assert text.count("OCOP 4 sao") == 23
    assert text.count("★★★★") == 23
    embedded = set()
    for font in reader.pages[0]["/Resources"]["/Font"].get_object().values():
        font = font.get_object()
        if "/FontDescriptor" in font and "/FontFile2" in font["/FontDescriptor"].get_object():
            embedded.add(str(font["/BaseFont"]).split("+")[-1])
    # the shipped font travels inside the PDF: nothing is assumed of the printing computer
    assert embedded == {"DejaVuSansCondensed", "DejaVuSansCondensed-Bold"}


def test_every_printed_qr_code_scans_to_the_trace_url(app, producer_client) -> None:
    client, batch = producer_client
    response = client.get(f"/producer/batches/{batch.id}/stamps.pdf?count=25")
    document = pypdfium2.PdfDocument(response.data)
    try:
        found = []
        for page in document:
            bitmap = page.render(scale=200 / 72).to_pil()  # 200 dpi, a cheap office printer
            found.append([result.text for result in zxingcpp.read_barcodes(bitmap)])
            page.close()
    finally:
        document.close()
    expected = app.config["PUBLIC_BASE_URL"] + "/t/" + batch.code
    assert [len(texts) for texts in found] == [21, 4]
    assert {text for texts in found for text in texts} == {expected}


def test_without_a_count_the_sheet_is_one_page(producer_client) -> None:
    client, batch = producer_client
    response = client.get(f"/producer/batches/{batch.id}/stamps.pdf")
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    assert reader.pages[0].extract_text().count(TITLE) == stamps.PER_PAGE


@pytest.mark.parametrize("count", ["0", "501", "-3", "abc", "1e3", ""])
def test_a_count_out_of_bounds_is_refused_on_the_batch_page(producer_client, count) -> None:
    client, batch = producer_client
    response = client.get(f"/producer/batches/{batch.id}/stamps.pdf?count={count}")
    assert response.status_code == 422
    assert response.mimetype == "text/html"
    assert "Số tem phải từ 1 đến 500." in response.text or "Vui lòng" in response.text


def test_five_hundred_stamps_take_24_pages() -> None:
    content = stamps.StampContent(
        url="https://ocop.example.vn/t/7K3F9QXM2AB",
        code="7K3F-9QXM-2AB",
        product_name="Yến sào Chư Sê thượng hạng hộp quà tặng cao cấp " * 3,
        variant_label="Hộp 100 g",
        stars=None,
        produced_on=date(2026, 1, 5),
        expires_on=date(2028, 1, 5),
    )
    reader = PdfReader(io.BytesIO(stamps.stamp_sheet_pdf(content, stamps.MAX_STAMPS)))
    assert len(reader.pages) == stamps.sheet_count(500) == 24
    last = nfc(reader.pages[-1].extract_text())
    assert last.count(TITLE) == 500 - 23 * 21
    assert "…" in last  # a long name is cut, not spilled over the next stamp
    assert "sao" not in last.replace("Yến sào", "")  # no stars without a certificate
    for bad in (0, 501):
        with pytest.raises(ValueError):
            stamps.stamp_sheet_pdf(content, bad)
