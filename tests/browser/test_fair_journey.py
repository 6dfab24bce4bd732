"""An organiser creates a fair and invites a producer, who accepts while the fair is still
a draft; the organiser features its honey at a fair price typed as Vietnamese write it
(a refused price keeps the form as filled in) and publishes; a buyer finds the fair on
the home page, sees the fair price beside the crossed-out normal price on the product
page, in the cart and at checkout, buys at it, and the fair report shows the sale.
Real Chromium.
"""

from __future__ import annotations

import re
from datetime import timedelta

from playwright.sync_api import Page, expect

from storefront.accounts.models import Role
from storefront.places import find_province, wards_of
from tests.accounts.helpers import make_member, make_user
from tests.factories import make_producer, make_product
from tests.fairs.helpers import vietnam_now

PASSWORD = "hội chợ OCOP Điện Biên"
FAIR = "Hội chợ OCOP Điện Biên mùa hoa Ban"


def _sign_in(page: Page, email: str) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Tài khoản").get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Đăng nhập thành công.")).to_be_visible()


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Đăng xuất", exact=True).click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()


def test_organiser_runs_a_fair_and_a_buyer_sees_the_fair_price(page: Page, session) -> None:  # type: ignore[no-untyped-def]
    make_user(session, email="btc@example.vn", role=Role.ORGANISER, password=PASSWORD)
    producer = make_producer(session, name="HTX Ong mật Mường Phăng")
    make_member(session, producer, email="htx@example.vn", password=PASSWORD)
    make_product(session, producer, name="Mật ong hoa Ban", price=250_000)
    session.commit()
    opens = vietnam_now() - timedelta(hours=1)
    closes = vietnam_now() + timedelta(days=3)

    # the organiser creates the fair and invites the cooperative
    _sign_in(page, "btc@example.vn")
    page.get_by_role("link", name="Hội chợ", exact=True).click()
    page.get_by_role("navigation", name="Tài khoản").get_by_role(
        "link", name="Quản lý hội chợ"
    ).click()
    page.get_by_role("link", name="Tạo hội chợ").click()
    page.get_by_label("Tên hội chợ").fill(FAIR)
    page.get_by_label("Giới thiệu").fill("Sản phẩm OCOP Tây Bắc, trực tuyến và tại quảng trường.")
    page.get_by_label("Địa điểm tổ chức").fill("Quảng trường 7/5")
    page.get_by_label("Tỉnh, thành phố").select_option(label="Điện Biên")
    page.get_by_label("Ngày khai mạc").fill(opens.strftime("%Y-%m-%d"))
    page.get_by_label("Ngày bế mạc").fill(closes.strftime("%Y-%m-%d"))
    page.get_by_label("Mở cửa trực tuyến (giờ Việt Nam)").fill(opens.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Đóng cửa trực tuyến (giờ Việt Nam)").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Tạo hội chợ").click()
    expect(page.get_by_text("Đã tạo hội chợ (bản nháp).")).to_be_visible()
    page.get_by_label("Chủ thể OCOP").select_option(label="HTX Ong mật Mường Phăng")
    page.get_by_role("button", name="Mời tham gia").click()
    expect(page.get_by_text("Đã mời chủ thể tham gia hội chợ.")).to_be_visible()
    fair_url = page.url
    _sign_out(page)

    # the cooperative accepts while the fair is still a draft, and sets up its booth
    _sign_in(page, "htx@example.vn")
    page.get_by_role("link", name="Hội chợ", exact=True).click()
    page.get_by_role("link", name="Hội chợ của chủ thể").click()
    expect(page.get_by_text(FAIR)).to_be_visible()
    expect(page.get_by_text("Chưa công bố")).to_be_visible()
    page.get_by_role("button", name="Nhận lời mời").click()
    expect(page.get_by_text("Đã nhận lời mời: gian hàng của bạn đã mở.")).to_be_visible()
    page.get_by_role("link", name="Sửa gian hàng").click()
    page.get_by_label("Giới thiệu gian hàng").fill("Mật ong nuôi dưới tán rừng hoa Ban.")
    page.get_by_label("Mật ong hoa Ban").check()
    page.get_by_role("button", name="Lưu gian hàng").click()
    expect(page.get_by_text("Đã lưu gian hàng.")).to_be_visible()
    _sign_out(page)

    # the organiser features the honey at a fair price, then publishes the fair
    _sign_in(page, "btc@example.vn")
    page.goto(fair_url)
    price = page.get_by_label("Giá hội chợ (đồng, để trống nếu giữ giá thường)")
    page.get_by_label("Sản phẩm", exact=True).select_option(index=0)
    page.get_by_label("Thứ tự").fill("3")
    price.fill("199,5")  # not whole đồng: refused, and the form stays as filled in
    page.get_by_role("button", name="Thêm sản phẩm nổi bật").click()
    expect(page.get_by_text("Nhập số tiền bằng số nguyên đồng")).to_be_visible()
    expect(price).to_have_value("199,5")
    expect(page.get_by_label("Thứ tự")).to_have_value("3")
    price.fill("199.000 ₫")
    page.get_by_role("button", name="Thêm sản phẩm nổi bật").click()
    expect(page.get_by_text("Đã lưu sản phẩm nổi bật.")).to_be_visible()
    page.get_by_label("Trạng thái").select_option(label="Đã công bố")
    page.get_by_role("button", name="Đổi trạng thái").click()
    expect(page.get_by_text("Đã đổi trạng thái hội chợ.")).to_be_visible()
    _sign_out(page)

    # a buyer finds the fair on the home page and sees the fair price
    page.goto("/")
    fairs = page.get_by_role("region", name="Hội chợ đang diễn ra")
    fairs.get_by_role("link", name=FAIR).click()
    expect(page.get_by_role("heading", name=FAIR, level=1)).to_be_visible()
    featured = page.get_by_role("region", name="Sản phẩm nổi bật")
    expect(featured.get_by_text("199.000")).to_be_visible()
    expect(featured.locator("del")).to_contain_text("250.000")
    booths = page.get_by_role("region", name="Gian hàng")
    expect(booths.get_by_text("Mật ong nuôi dưới tán rừng hoa Ban.")).to_be_visible()

    # the buyer orders the honey at the fair price, delivered to Hà Nội: the same price
    # on the product page, in the cart and at checkout
    featured.get_by_role("link", name="Mật ong hoa Ban").click()
    expect(page.locator(".variants .price-fair")).to_have_text(re.compile("199.000"))
    page.get_by_role("button", name=re.compile("^Thêm vào giỏ")).first.click()
    expect(page.locator(".cart-count")).to_have_text("1")
    page.goto("/cart")
    line = page.locator(".cart-line")
    expect(line.locator(".price-fair")).to_have_text(re.compile("199.000"))
    expect(line.locator("del")).to_contain_text("250.000")
    expect(line.locator(".discount")).to_contain_text("−20 %")
    expect(page.locator("#cart-items-total")).to_have_text(re.compile("199.000"))
    page.get_by_role("link", name="Thanh toán").click()
    expect(page.locator("#checkout-items-total")).to_have_text(re.compile("199.000"))
    ha_noi = find_province("Hà Nội")
    assert ha_noi is not None
    ward = wards_of(ha_noi.code)[0]
    page.get_by_label("Họ và tên người nhận").fill("Trần Thu Hà")
    page.get_by_label("Số điện thoại").fill("0987 654 321")
    page.get_by_label("Email").fill("thuha@example.vn")
    page.get_by_label("Tỉnh, thành phố").select_option(label=ha_noi.name)
    expect(page.get_by_label("Phường, xã").locator("option", has_text=ward.name)).to_have_count(1)
    page.get_by_label("Phường, xã").select_option(label=ward.name)
    page.get_by_label("Số nhà, đường, thôn, bản").fill("18 Hàng Bạc")
    page.get_by_label("Thanh toán khi nhận hàng (COD)").check()
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page.get_by_role("heading", name="Đặt hàng thành công")).to_be_visible()
    expect(page.get_by_text("199.000").first).to_be_visible()

    # the organiser's report shows the sale, outside the producer's province
    _sign_in(page, "btc@example.vn")
    page.goto(fair_url)
    page.get_by_role("link", name="Xem báo cáo").click()
    expect(page.get_by_text("1 đơn, 1 sản phẩm, doanh thu 199.000")).to_be_visible()
    expect(page.get_by_role("cell", name="100%")).to_be_visible()
