"""A producer on a phone adds a product with a photo, publishes it, finds it in the
catalogue, then confirms and ships an order a buyer placed. Real Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from sqlalchemy import select

from storefront.catalog.models import Product, Variant
from storefront.orders.models import OrderPart, PartStatus
from tests.accounts.helpers import make_member
from tests.factories import make_producer
from tests.orders.helpers import place
from tests.producers.helpers import jpeg_bytes

OWNER_EMAIL = "ong.muong.phang@example.vn"
OWNER_PASSWORD = "mật ong hoa Ban Mường Phăng"


def _sign_in(page: Page) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Tài khoản").get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Email").fill(OWNER_EMAIL)
    page.get_by_label("Mật khẩu", exact=True).fill(OWNER_PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Đăng nhập thành công.")).to_be_visible()


def test_add_a_product_with_a_photo_and_ship_an_order(page: Page, session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    producer = make_producer(session, name="HTX Ong mật Mường Phăng")
    make_member(session, producer, email=OWNER_EMAIL, password=OWNER_PASSWORD)
    session.commit()
    photo = tmp_path / "mat-ong.jpg"
    photo.write_bytes(jpeg_bytes((1600, 1200), "goldenrod"))

    _sign_in(page)
    page.get_by_role("link", name="Khu vực chủ thể").click()
    page.get_by_role("navigation", name=re.compile("^Quản lý")).get_by_role(
        "link", name="Sản phẩm", exact=True
    ).click()
    page.get_by_role("link", name="Thêm sản phẩm").click()
    page.get_by_label("Tên sản phẩm (tiếng Việt)").fill("Mật ong hoa Ban Mường Phăng")
    page.get_by_label("Nhóm sản phẩm OCOP").select_option("thuc-pham/thuc-pham-che-bien")
    page.get_by_label("Mô tả (tiếng Việt)").fill("Mật ong rừng từ hoa Ban, thu hoạch tháng 3.")
    page.get_by_label("Quy cách").fill("Hũ 500 g")
    page.get_by_label("Mã SKU").fill("MP-MO-500")
    page.get_by_label("Giá bán").fill("180.000")
    page.get_by_label("Khối lượng khi gửi").fill("700")
    page.get_by_label("Tồn kho ban đầu").fill("12")
    page.get_by_role("button", name="Lưu sản phẩm").click()
    expect(page.get_by_text("Đã tạo sản phẩm.")).to_be_visible()

    page.get_by_label("Ảnh (JPEG, PNG hoặc WebP").set_input_files(str(photo))
    page.get_by_label("Mô tả ảnh cho người khiếm thị").fill("Hũ mật ong hoa Ban trên bàn gỗ")
    page.get_by_role("button", name="Tải ảnh lên").click()
    expect(page.get_by_text("Đã thêm ảnh.")).to_be_visible()
    expect(page.get_by_role("img", name="Hũ mật ong hoa Ban trên bàn gỗ")).to_be_visible()
    page.get_by_role("button", name="Đăng bán").click()
    expect(page.get_by_text("Đã đăng bán.")).to_be_visible()

    page.goto("/products")
    card = page.get_by_role("listitem").filter(has_text="Mật ong hoa Ban Mường Phăng")
    expect(card).to_have_count(1)
    # the card shows the uploaded photo's 320 px copy, and it loads
    expect(card.locator("img")).to_have_attribute(
        "src", re.compile(r"^/media/products/[0-9a-f]{32}-thumb\.jpg$")
    )
    # (Chromium may show the large photo instead when it already holds it in its cache)
    assert card.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    expect(card.get_by_text("180.000")).to_be_visible()

    # a buyer in Hà Nội orders two jars (placed through the orders service)
    session.expire_all()
    variant = session.execute(
        select(Variant).join(Product).where(Product.name == "Mật ong hoa Ban Mường Phăng")
    ).scalar_one()
    order = place(session, [(variant.id, 2)], email="lan@example.vn")

    page.goto("/producer/")
    page.get_by_role("main").get_by_role("link", name=re.compile("^Đơn hàng")).first.click()
    page.get_by_role("link", name=order.number).click()
    page.get_by_role("button", name="Xác nhận đơn hàng").click()
    expect(page.get_by_text("Đã xác nhận đơn hàng.")).to_be_visible()
    page.get_by_label("Đơn vị vận chuyển").fill("Viettel Post")
    page.get_by_label("Mã vận đơn").fill("VTP-2611-0042")
    page.get_by_role("button", name="Đã gửi hàng").click()
    expect(page.get_by_text("Đã ghi nhận gửi hàng.")).to_be_visible()
    expect(page.get_by_text("Đang giao").first).to_be_visible()

    session.expire_all()
    part = session.execute(select(OrderPart).where(OrderPart.order_id == order.id)).scalar_one()
    assert (part.status, part.tracking_number) == (PartStatus.SHIPPED, "VTP-2611-0042")
