"""A producer records a batch and downloads its QR code and a sheet of stamps; a visitor
who scans the code lands on the batch's trace page and goes on to buy. Real Chromium."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import zxingcpp
from PIL import Image
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from storefront.timeutil import today_in_vietnam
from tests.accounts.helpers import make_member
from tests.browser.conftest import PHONE_VIEWPORT
from tests.factories import make_producer, make_product

PASSWORD = "ong rừng hoa Ban Mường Phăng"
PRODUCT = "Mật ong hoa Ban Mường Phăng"


def _sign_in(page: Page, email: str, password: str) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Tài khoản").get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Đăng nhập thành công.")).to_be_visible()


def test_record_a_batch_print_stamps_and_trace_it(
    page: Page, browser, live_server, session, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    producer = make_producer(session, name="HTX Ong mật Mường Phăng")
    make_product(session, producer, name=PRODUCT, stars=4)
    make_member(session, producer, email="ong@example.vn", password=PASSWORD)
    session.commit()
    today = today_in_vietnam()

    # the producer records a batch: the variant, dates, quantity, a step of the chain
    _sign_in(page, "ong@example.vn", PASSWORD)
    page.goto("/producer/batches")
    page.get_by_role("link", name="Ghi lô sản xuất mới").click()
    page.get_by_label("Sản phẩm và quy cách").select_option(label=f"{PRODUCT} · Hộp 500 g")
    page.get_by_label("Ngày sản xuất").fill((today - timedelta(days=2)).isoformat())
    page.get_by_label("Hạn sử dụng").fill((today + timedelta(days=730)).isoformat())
    page.get_by_label("Số lượng (đơn vị theo quy cách)").fill("300")
    expect(page.get_by_label("Phường, xã")).to_have_value("3127")  # the producer's own ward
    page.get_by_label("Nơi sản xuất (thôn, bản, cơ sở)").fill("Bản Kéo")
    first_step = page.get_by_role("group", name="Công đoạn 1")
    first_step.get_by_label("Công đoạn").select_option(label="Trồng trọt, chăn nuôi, thu hoạch")
    first_step.get_by_label("Ngày").fill((today - timedelta(days=9)).isoformat())
    first_step.get_by_label("Địa điểm").fill("Rừng hoa Ban")
    second_step = page.get_by_role("group", name="Công đoạn 2")
    second_step.get_by_label("Công đoạn").select_option(label="Đóng gói")
    second_step.get_by_label("Ngày").fill((today - timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Ghi lô sản xuất").click()
    expect(page.get_by_text("Đã ghi lô")).to_be_visible()
    code = page.locator(".batch-facts .batch-code").inner_text().strip()
    expect(page.get_by_role("heading", name=f"Lô {code}", level=1)).to_be_visible()

    # its QR code, as a PNG download, scans to the trace page
    with page.expect_download() as png_download:
        page.get_by_role("link", name="Tải mã QR (PNG)").click()
    png = tmp_path / "qr.png"
    png_download.value.save_as(png)
    urls = [result.text for result in zxingcpp.read_barcodes(Image.open(png))]
    assert len(urls) == 1 and urls[0].endswith("/t/" + code.replace("-", ""))

    # and a sheet of 30 stamps, two A4 pages
    page.get_by_label("Số tem cần in").fill("30")
    with page.expect_download() as pdf_download:
        page.get_by_role("button", name="Tải tờ tem (PDF)").click()
    assert pdf_download.value.suggested_filename.endswith(".pdf")
    sheet = tmp_path / "stamps.pdf"
    pdf_download.value.save_as(sheet)
    reader = PdfReader(sheet)
    text = unicodedata.normalize("NFC", "".join(p.extract_text() for p in reader.pages))
    assert len(reader.pages) == 2
    assert text.count("Tem truy xuất nguồn gốc") == 30
    assert text.count(code) == 30

    # a visitor (another browser, not signed in) opens the stamp's address
    visitor = browser.new_context(viewport=PHONE_VIEWPORT, locale="vi-VN", base_url=live_server)
    try:
        phone = visitor.new_page()
        phone.goto(urlsplit(urls[0]).path)
        expect(phone.get_by_role("heading", name=PRODUCT, level=1)).to_be_visible()
        expect(phone.get_by_text("Mã hợp lệ")).to_be_visible()
        expect(phone.get_by_text(code)).to_be_visible()
        expect(phone.locator(".certificate-valid")).to_contain_text("Còn hiệu lực đến hết ngày")
        expect(phone.get_by_role("status")).to_contain_text("Đã xác minh")
        expect(phone.get_by_text("Rừng hoa Ban")).to_be_visible()
        expect(phone.get_by_role("link", name="HTX Ong mật Mường Phăng")).to_be_visible()
        phone.get_by_role("link", name="Mua sản phẩm này").click()
        expect(phone.get_by_role("heading", name=PRODUCT, level=1)).to_be_visible()
        expect(phone.get_by_role("button", name="Thêm vào giỏ Hộp 500 g")).to_be_visible()

        # a code typed with one wrong character is told apart from a forged one
        typo = code[:-1] + ("0" if code[-1] != "0" else "1")
        phone.goto("/t/")
        phone.get_by_label("Mã truy xuất").fill(typo.lower())
        phone.get_by_role("button", name="Tra cứu").click()
        expect(phone.get_by_role("heading", name="Mã truy xuất có vẻ bị gõ nhầm")).to_be_visible()
    finally:
        visitor.close()
