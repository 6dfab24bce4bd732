"""A guest on a phone buys from two producers: the cart shows a card per line grouped by
producer, with a quantity stepper, a visible remove and each producer's shipping fee;
checkout narrows the long ward list as the guest types; cash on delivery to Hà Nội
(another province than both), then a bank-transfer order shows its VietQR code with
"Sao chép" buttons for the account number, the amount and the transfer note."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from storefront.places import find_province, wards_of
from storefront.text import fold
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
    peanuts = make_product(session, chu_se, "Lạc đỏ Na Son", price=85_000, stock=10)
    session.commit()
    return honey, nest, peanuts


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
    ward = page.get_by_label("Phường, xã", exact=True)
    expect(ward.locator("option", has_text=HA_NOI_WARD.name)).to_have_count(1)
    # Typing part of the name, without its marks, narrows the long list.
    assert ward.locator("option").count() > 50
    page.get_by_label("Gõ để tìm phường hoặc xã").fill(fold(HA_NOI_WARD.name).split(" ", 1)[1])
    expect(ward.locator("option")).to_have_count(2)  # the prompt and the ward
    ward.select_option(label=HA_NOI_WARD.name)
    expect(page.get_by_label("Họ và tên người nhận")).to_have_value("Trần Thu Hà")
    page.get_by_label("Số nhà, đường, thôn, bản").fill("18 Hàng Bạc")


def test_guest_checks_out_with_cod_then_with_vietqr(page: Page, session) -> None:  # type: ignore[no-untyped-def]
    honey, nest, peanuts = _catalogue(session)

    _add_to_cart(page, honey.slug, "1")
    _add_to_cart(page, nest.slug, "2")
    _add_to_cart(page, peanuts.slug, "3")
    page.get_by_role("link", name=re.compile("^Giỏ hàng")).click()
    expect(page.get_by_role("heading", name="HTX Mường Phăng")).to_be_visible()
    expect(page.get_by_role("heading", name="HTX Yến Chư Sê")).to_be_visible()
    # each producer's parcel: before a province is known, the span of its possible fees
    expect(page.locator(".shipping-fee")).to_have_text([re.compile(r"20.000\s₫ – 35.000\s₫")] * 2)
    # the stepper adds one more nest, without typing
    page.get_by_role("button", name="Thêm một Yến sào Chư Sê").click()
    nest_line = page.locator(".cart-line", has_text="Yến sào Chư Sê")
    expect(nest_line.get_by_label("Số lượng Yến sào Chư Sê")).to_have_value("2")
    expect(nest_line.locator(".cart-line-total")).to_contain_text("2.400.000")
    # a visible remove button on each card
    page.get_by_role("button", name="Xoá Lạc đỏ Na Son").click()
    expect(page.get_by_text("Đã xoá sản phẩm khỏi giỏ hàng.")).to_be_visible()
    expect(page.locator(".cart-line")).to_have_count(2)
    # the shipping fee to a province chosen on the cart page
    page.get_by_label("Giao đến").select_option(label=HA_NOI.name)
    page.get_by_role("button", name="Tính phí vận chuyển").click()
    expect(page.locator(".shipping-fee")).to_have_text([re.compile("35.000"), re.compile("35.000")])
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
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
    # "Sao chép" copies what to paste into the bank app: digits only for the amount
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    for name, copied in [
        ("Sao chép Số tài khoản", "0000000000"),
        ("Sao chép Số tiền", "385000"),
        ("Sao chép Nội dung chuyển khoản", second),
    ]:
        page.get_by_role("button", name=name).click()
        assert page.evaluate("navigator.clipboard.readText()") == copied
    expect(page.locator(".order-number")).to_have_css("white-space", "nowrap")
