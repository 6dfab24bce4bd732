"""A guest on a phone buys from two producers, pays cash on delivery to Hà Nội (another
province than both), sees the order; then a bank-transfer order shows its VietQR code."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from storefront.places import find_province, wards_of
from tests.factories import make_producer, make_product

HA_NOI = find_province("Hà Nội")
assert HA_NOI is not None
HA_NOI_WARD = wards_of(HA_NOI.code)[0]


def _catalogue(session):  # type: ignore[no-untyped-def]
    honey = make_product(
        session,
        make_producer(session, "HTX Mường Phăng"),
        "Mật ong hoa Ban",
        price=350_000,
        stock=10,
    )
    gia_lai = find_province("Gia Lai")
    assert gia_lai is not None
    chu_se = make_producer(
        session,
        "HTX Yến Chư Sê",
        province_code=gia_lai.code,
        ward_code=wards_of(gia_lai.code)[0].code,
    )
    nest = make_product(session, chu_se, "Yến sào Chư Sê", price=1_200_000, stock=10)
    session.commit()
    return honey, nest


def _add_to_cart(page: Page, slug: str, count: str) -> None:
    page.goto(f"/products/{slug}")
    page.get_by_role("button", name=re.compile("^Thêm vào giỏ")).first.click()
    expect(page.get_by_text(re.compile("Đã thêm .* vào giỏ hàng"))).to_be_visible()
    expect(page.locator(".cart-count")).to_have_text(count)


def _fill_delivery(page: Page) -> None:
    page.get_by_label("Họ và tên người nhận").fill("Trần Thu Hà")
    page.get_by_label("Số điện thoại").fill("0987 654 321")
    page.get_by_label("Email").fill("thuha@example.vn")
    # Choosing the province reloads the form with its wards (static/js/places.js).
    page.get_by_label("Tỉnh, thành phố").select_option(label=HA_NOI.name)
    ward = page.get_by_label("Phường, xã")
    expect(ward.locator("option", has_text=HA_NOI_WARD.name)).to_have_count(1)
    ward.select_option(label=HA_NOI_WARD.name)
    expect(page.get_by_label("Họ và tên người nhận")).to_have_value("Trần Thu Hà")
    page.get_by_label("Số nhà, đường, thôn, bản").fill("18 Hàng Bạc")


def test_guest_checks_out_with_cod_then_with_vietqr(page: Page, session) -> None:  # type: ignore[no-untyped-def]
    honey, nest = _catalogue(session)

    _add_to_cart(page, honey.slug, "1")
    _add_to_cart(page, nest.slug, "2")
    page.get_by_role("link", name=re.compile("^Giỏ hàng")).click()
    expect(page.get_by_role("heading", name="HTX Mường Phăng")).to_be_visible()
    expect(page.get_by_role("heading", name="HTX Yến Chư Sê")).to_be_visible()
    page.get_by_role("link", name="Thanh toán").click()

    _fill_delivery(page)
    # Both producers ship to another province: 35.000 ₫ each.
    expect(page.locator(".shipping-fee")).to_have_text([re.compile("35.000"), re.compile("35.000")])
    page.get_by_label("Thanh toán khi nhận hàng (COD)").check()
    page.get_by_role("button", name="Đặt hàng").click()

    expect(page.get_by_role("heading", name="Đặt hàng thành công")).to_be_visible()
    number = page.locator(".order-number").inner_text()
    assert re.fullmatch(r"OC-\d{4}-[0-9A-Z]{6}", number)
    expect(page.get_by_text("HTX Mường Phăng")).to_be_visible()
    expect(page.get_by_text("HTX Yến Chư Sê")).to_be_visible()
    expect(page.locator(".cart-count")).to_have_text("0")
    page.get_by_role("link", name="Xem và theo dõi đơn hàng").click()
    expect(page.get_by_role("heading", name=f"Đơn hàng {number}")).to_be_visible()
    expect(page.locator("svg.vietqr")).to_have_count(0)

    _add_to_cart(page, honey.slug, "1")
    page.goto("/checkout")
    _fill_delivery(page)
    page.get_by_label("Chuyển khoản ngân hàng (VietQR)").check()
    page.get_by_role("button", name="Đặt hàng").click()

    expect(page.get_by_role("heading", name="Đặt hàng thành công")).to_be_visible()
    qr = page.locator("svg.vietqr")
    expect(qr).to_be_visible()
    box = qr.bounding_box()
    assert box is not None and box["width"] >= 150
    second = page.locator(".order-number").inner_text()
    assert second != number
    expect(page.locator(".transfer-note")).to_have_text(second)
    expect(page.locator(".order-payment .price")).to_contain_text("385.000")
