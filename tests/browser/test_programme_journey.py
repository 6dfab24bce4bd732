"""An admin makes an account the OCOP officer for Điện Biên on the users page; the officer
opens the dashboard from the header on a 360 px phone (no sideways scroll), picks 2025,
reads the outside share, downloads the producers' CSV, and cannot open Gia Lai's.
Real Chromium."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from storefront.accounts.models import Role
from tests.accounts.helpers import make_user
from tests.programme.helpers import build_province

PASSWORD = "hội chợ OCOP Điện Biên"


def _sign_in(page: Page, email: str) -> None:
    page.goto("/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Đăng nhập thành công.")).to_be_visible()


def _fits(page: Page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"{where} is {width} px wide at 360 px"
    assert width <= 360, f"{where} is {width} px wide at 360 px"


def test_admin_makes_an_officer_who_reads_the_dashboard(
    page: Page, session, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    build_province(session)
    make_user(session, email="qt@example.vn", role=Role.ADMIN, password=PASSWORD)
    make_user(session, email="can.bo@dienbien.gov.vn", full_name="Lò Thị Hoa", password=PASSWORD)
    session.commit()

    _sign_in(page, "qt@example.vn")
    page.goto("/admin/users?q=can.bo")
    page.get_by_label("Vai trò của can.bo@dienbien.gov.vn").select_option(label="Cán bộ OCOP tỉnh")
    page.get_by_label("Tỉnh/thành phố (cán bộ OCOP tỉnh)").select_option(label="Điện Biên")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("can.bo@dienbien.gov.vn giờ là: Cán bộ OCOP tỉnh.")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất", exact=True).click()

    page.set_viewport_size({"width": 360, "height": 780})
    _sign_in(page, "can.bo@dienbien.gov.vn")
    page.get_by_role("navigation", name="Tài khoản").get_by_role(
        "link", name="Chương trình OCOP"
    ).click()
    expect(page).to_have_url(page.url.split("/programme")[0] + "/programme/dien-bien")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Điện Biên")
    _fits(page, "the dashboard")
    page.get_by_label("Khoảng thời gian").select_option(label="Năm 2025")
    page.get_by_role("button", name="Xem").click()
    headline = page.locator(".outside-share")
    expect(headline).to_contain_text("75.0%")  # 3 of the 4 parts of 2025 left the province
    expect(page.get_by_role("img", name="Bản đồ ô 34 tỉnh")).to_be_visible()
    expect(page.get_by_role("cell", name="HTX Mật ong Mường Phăng").last).to_be_visible()
    assert "Nguyễn Thị Lan" not in page.content()  # no buyer's name anywhere
    _fits(page, "the dashboard for 2025")

    with page.expect_download() as download:
        page.locator("#producers").get_by_role("link", name="Tải CSV").click()
    saved = tmp_path / "producers.csv"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    assert text.startswith("chu_the,loai_hinh") and "HTX Mật ong Mường Phăng" in text

    response = page.goto("/programme/gia-lai")
    assert response is not None and response.status == 404
