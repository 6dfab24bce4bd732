"""A buyer registers, signs out and in again, applies to sell as a producer; an admin
approves; the new producer sees the producer area. Real Chromium, JavaScript on."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from storefront.accounts.models import Role
from tests.accounts.helpers import make_user

BUYER_EMAIL = "lo.thi.ong@example.vn"
BUYER_PASSWORD = "ong rừng hoa Ban Mường Phăng"
ADMIN_PASSWORD = "quản trị OCOP Điện Biên"
CHOOSE_PROVINCE = "Chọn tỉnh, xem danh sách phường, xã"


def _sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_role("navigation", name="Tài khoản").get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu", exact=True).fill(password)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Đăng nhập thành công.")).to_be_visible()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất", exact=True).click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()


def test_register_apply_get_approved_and_open_the_producer_area(page: Page, session) -> None:  # type: ignore[no-untyped-def]
    make_user(session, email="admin@example.vn", role=Role.ADMIN, password=ADMIN_PASSWORD)
    session.commit()

    # register: signed in straight away
    page.goto("/")
    page.get_by_role("link", name="Đăng ký").click()
    page.get_by_label("Họ và tên").fill("Lò Thị Ong")
    page.get_by_label("Email").fill(BUYER_EMAIL)
    page.get_by_label("Mật khẩu", exact=True).fill(BUYER_PASSWORD)
    page.get_by_label("Nhập lại mật khẩu").fill(BUYER_PASSWORD)
    page.get_by_role("button", name="Tạo tài khoản").click()
    expect(page.get_by_role("heading", name="Tài khoản của tôi", level=1)).to_be_visible()

    _sign_out(page)
    _sign_in(page, BUYER_EMAIL, BUYER_PASSWORD)

    # apply: choosing the province brings up its wards (places.js submits the form)
    page.get_by_role("link", name="Tài khoản", exact=True).click()
    page.get_by_role("link", name="Đăng ký làm chủ thể OCOP").click()
    page.get_by_label("Tên chủ thể").fill("HTX Ong mật Mường Phăng")
    page.get_by_label("Loại hình chủ thể").select_option("cooperative")
    expect(page.get_by_role("button", name=CHOOSE_PROVINCE)).to_be_hidden()  # JS does it
    page.get_by_label("Tỉnh, thành phố").select_option(label="Điện Biên")
    ward = page.get_by_label("Phường, xã")
    expect(ward.locator("option", has_text="Phường Điện Biên Phủ")).to_have_count(1)
    expect(page.get_by_label("Tên chủ thể")).to_have_value("HTX Ong mật Mường Phăng")
    ward.select_option(label="Phường Điện Biên Phủ")
    page.get_by_label("Địa chỉ").fill("Bản Kéo")
    page.get_by_label("Số điện thoại liên hệ").fill("0987 654 321")
    page.get_by_label("Giới thiệu ngắn").fill("Ong nuôi dưới tán rừng hoa Ban.")
    page.get_by_role("button", name="Gửi đơn").click()
    expect(page.get_by_text("Đã gửi đơn.")).to_be_visible()
    _sign_out(page)

    # the admin approves
    _sign_in(page, "admin@example.vn", ADMIN_PASSWORD)
    page.get_by_role("link", name="Quản trị").click()
    page.get_by_role("link", name="Đơn đăng ký chủ thể").click()
    page.get_by_role("link", name="HTX Ong mật Mường Phăng").click()
    page.get_by_role("button", name="Duyệt và tạo trang chủ thể").click()
    expect(page.get_by_text("Đã duyệt: HTX Ong mật Mường Phăng")).to_be_visible()
    _sign_out(page)

    # the applicant now works in the producer area
    _sign_in(page, BUYER_EMAIL, BUYER_PASSWORD)
    page.get_by_role("link", name="Khu vực chủ thể").click()
    expect(page.get_by_role("heading", name="Khu vực chủ thể", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="HTX Ong mật Mường Phăng")).to_be_visible()
    expect(page.get_by_text("Chủ sở hữu")).to_be_visible()


def test_saving_an_address_without_javascript(browser, live_server: str, session) -> None:  # type: ignore[no-untyped-def]
    make_user(session, email=BUYER_EMAIL, password=BUYER_PASSWORD)
    session.commit()
    context = browser.new_context(java_script_enabled=False, base_url=live_server, locale="vi-VN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/")
        _sign_in(page, BUYER_EMAIL, BUYER_PASSWORD)
        page.goto("/account/addresses/new")
        page.get_by_label("Số điện thoại").fill("0912 345 678")
        page.get_by_label("Tỉnh, thành phố").select_option(label="Điện Biên")
        page.get_by_role("button", name=CHOOSE_PROVINCE).click()
        page.get_by_label("Phường, xã").select_option(label="Phường Điện Biên Phủ")
        page.get_by_label("Số nhà, đường, thôn, bản").fill("Số 5, tổ 3")
        page.get_by_role("button", name="Lưu địa chỉ").click()
        expect(page.get_by_text("Đã lưu địa chỉ.")).to_be_visible()
        expect(page.get_by_text("Số 5, tổ 3, Phường Điện Biên Phủ, Điện Biên")).to_be_visible()
    finally:
        context.close()
