"""A business buyer asks a quote from a fair booth, the producer answers it in the
workspace, the buyer accepts it by bank transfer, and the order appears on both sides.
Real Chromium, phone-sized."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from storefront.fairs import services as fair_services
from storefront.timeutil import today_in_vietnam
from tests.accounts.helpers import PASSWORD, make_member, make_user
from tests.browser.conftest import open_account_menu
from tests.business.helpers import make_business_buyer
from tests.factories import make_producer, make_product
from tests.fairs.helpers import make_fair


def _sign_in(page: Page, email: str) -> None:
    page.goto("/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Đăng nhập thành công.")).to_be_visible()


def _sign_out(page: Page) -> None:
    open_account_menu(page)
    page.get_by_role("button", name="Đăng xuất", exact=True).click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()


def test_a_quote_from_a_fair_booth_becomes_an_order_on_both_sides(page: Page, session) -> None:  # type: ignore[no-untyped-def]
    producer = make_producer(session, name="HTX Ong mật Mường Phăng")
    member = make_member(session, producer, email="htx-bg@example.vn")
    make_product(session, producer, name="Mật ong hoa Ban", price=250_000, stock=100)
    fair = make_fair(session, make_user(session, role="organiser"), name="Hội chợ OCOP Tây Bắc")
    exhibitor = fair_services.invite_exhibitor(session, fair, producer.id)
    fair_services.accept_invitation(session, exhibitor)
    make_business_buyer(session, email="sieuthi@example.vn")
    session.commit()

    # the buyer asks from the booth
    _sign_in(page, "sieuthi@example.vn")
    page.goto(f"/fairs/{fair.slug}")
    page.get_by_role("link", name="Yêu cầu báo giá từ gian hàng này").click()
    expect(page.get_by_role("heading", name="Yêu cầu báo giá")).to_be_visible()
    page.get_by_label("Mật ong hoa Ban · Hộp 500 g").fill("40")
    page.get_by_label("Giao đến tỉnh, thành phố").select_option(label="Thành phố Hà Nội")
    page.get_by_label("Ghi chú cho chủ thể (quy cách đóng gói, hoá đơn…)").fill("Xuất hoá đơn VAT")
    page.get_by_role("button", name="Gửi yêu cầu báo giá").click()
    expect(page.get_by_text("Đã gửi yêu cầu báo giá.")).to_be_visible()
    number = page.get_by_role("heading", level=1).inner_text().removeprefix("Báo giá ")
    _sign_out(page)

    # the producer answers in the workspace
    _sign_in(page, member.email)
    page.goto(f"/producer/{producer.id}/orders")
    page.get_by_role("navigation", name="Quản lý chủ thể").get_by_role(
        "link", name="Báo giá"
    ).click()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_text("Xuất hoá đơn VAT").first).to_be_visible()
    page.get_by_label("Đơn giá Hộp 500 g").fill("210.000")
    page.get_by_label("Phí vận chuyển (₫)").fill("60.000")
    page.get_by_label("Thời gian chuẩn bị (ngày)").fill("3")
    valid = today_in_vietnam() + timedelta(days=7)
    page.get_by_label("Báo giá có hiệu lực đến ngày").fill(valid.isoformat())
    page.get_by_role("button", name="Gửi báo giá").click()
    expect(page.get_by_text("Đã gửi báo giá cho người mua.")).to_be_visible()
    _sign_out(page)

    # the buyer accepts by bank transfer
    _sign_in(page, "sieuthi@example.vn")
    open_account_menu(page)
    page.get_by_role("link", name="Báo giá của tôi").click()
    page.get_by_role("link", name=number).click()
    expect(page.get_by_text("210.000").first).to_be_visible()
    page.get_by_label("Phường, xã").select_option(index=1)
    page.get_by_label("Số nhà, đường, thôn, bản").fill("12 Phố Huế")
    page.get_by_label("Chuyển khoản ngân hàng (VietQR)").check()
    page.get_by_role("button", name="Chấp nhận báo giá, đặt hàng").click()
    expect(page.get_by_text("Đã chấp nhận báo giá.")).to_be_visible()
    order_number = page.url.split("/orders/")[1].split("/")[0]
    expect(page.get_by_text("8.460.000").first).to_be_visible()  # 40 × 210.000 + 60.000
    _sign_out(page)

    # the order is in the producer's orders
    _sign_in(page, member.email)
    page.goto(f"/producer/{producer.id}/orders")
    expect(page.get_by_role("link", name=order_number)).to_be_visible()
