"""The buyer's path on a phone, at the edges a shopper trips over: the VietQR code scans
at phone and desktop widths, and Back after placing an order never re-posts a form."""

from __future__ import annotations

import io
import re

import pytest
import zxingcpp
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page, expect

from storefront.payments import vietqr
from storefront.places import find_province, wards_of
from tests.factories import make_producer, make_product

HA_NOI = find_province("Hà Nội")
assert HA_NOI is not None
HA_NOI_WARD = wards_of(HA_NOI.code)[0]


def _honey(session):  # type: ignore[no-untyped-def]
    product = make_product(
        session, make_producer(session, "HTX Mường Phăng"), "Mật ong hoa Ban", price=350_000
    )
    session.commit()
    return product


def _order_from_the_product_page(page: Page, slug: str, method: str) -> str:
    """Add one pack, check out as a guest to Hà Nội choosing the province (which redraws
    the form), place the order; the order number."""
    page.goto(f"/products/{slug}")
    page.get_by_role("button", name=re.compile("^Thêm vào giỏ")).first.click()
    page.goto("/cart")
    page.get_by_role("link", name="Thanh toán").click()
    page.get_by_label("Họ và tên người nhận").fill("Trần Thu Hà")
    page.get_by_label("Số điện thoại").fill("0987 654 321")
    page.get_by_label("Email").fill("thuha@example.vn")
    page.get_by_label("Tỉnh, thành phố").select_option(label=HA_NOI.name)
    ward = page.get_by_label("Phường, xã")
    expect(ward.locator("option", has_text=HA_NOI_WARD.name)).to_have_count(1)
    ward.select_option(label=HA_NOI_WARD.name)
    expect(page.get_by_label("Họ và tên người nhận")).to_have_value("Trần Thu Hà")
    page.get_by_label("Số nhà, đường, thôn, bản").fill("18 Hàng Bạc")
    page.get_by_label(method).check()
    page.get_by_role("button", name="Đặt hàng").click()
    expect(page.get_by_role("heading", name="Đặt hàng thành công")).to_be_visible()
    return page.locator(".order-number").inner_text()


def _decode(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.mark.parametrize("width", [360, 1280])
def test_the_vietqr_code_scans_as_rendered(page: Page, session, app, width) -> None:  # type: ignore[no-untyped-def]
    honey = _honey(session)
    number = _order_from_the_product_page(page, honey.slug, "Chuyển khoản ngân hàng (VietQR)")
    page.set_viewport_size({"width": width, "height": 900})
    code = page.locator(".vietqr-code svg")
    code.scroll_into_view_if_needed()
    box = code.bounding_box()
    assert box is not None and box["width"] >= 150 and abs(box["width"] - box["height"]) < 1

    decoded = _decode(code.screenshot())

    amount = 350_000 + 35_000  # Mường Phăng (Điện Biên) ships to Hà Nội
    expected = vietqr.build_payload(
        app.config["BANK_BIN"], app.config["BANK_ACCOUNT_NUMBER"], amount, number
    )
    assert decoded == [expected]
    assert f"54{len(str(amount)):02d}{amount}" in decoded[0]
    assert f"08{len(number):02d}{number}" in decoded[0]


def test_back_after_placing_an_order_shows_the_cart_not_a_resubmission(page: Page, session) -> None:  # type: ignore[no-untyped-def]
    honey = _honey(session)
    _order_from_the_product_page(page, honey.slug, "Thanh toán khi nhận hàng (COD)")
    try:
        page.go_back()
    except PlaywrightError as error:  # Chromium's "Confirm Form Resubmission" (ERR_CACHE_MISS)
        pytest.fail(f"Back after the order re-posted a form: {error}")
    assert re.search(r"/(cart|orders/OC-[0-9A-Z-]+(/placed)?)(#\w*)?$", page.url), page.url
    expect(page.get_by_role("heading", name=re.compile("Giỏ hàng|Đơn hàng"))).to_be_visible()
    # And once more: the checkout page before the province was chosen.
    page.go_back()
    assert re.search(r"/(cart|checkout|orders/OC-[0-9A-Z-]+(/placed)?)(#\w*)?$", page.url)


def test_cart_checkout_and_confirmation_fit_a_360px_phone(page: Page, session) -> None:  # type: ignore[no-untyped-def]
    long_name = "Mật ong hoa Ban Mường Phăng nguyên chất thu hoạch vụ xuân"
    product = make_product(
        session, make_producer(session, "HTX Ong mật Mường Phăng Điện Biên"), long_name
    )
    session.commit()
    page.set_viewport_size({"width": 360, "height": 780})

    def fits(where: str) -> None:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 360, f"{where} is {width} px wide at 360 px"

    page.goto(f"/products/{product.slug}")
    page.get_by_role("button", name=re.compile("^Thêm vào giỏ")).first.click()
    page.goto("/cart")
    fits("the cart")
    page.goto("/checkout")
    fits("checkout")
    # the total and "Đặt hàng" stay at the bottom of the screen while the form scrolls
    bar = page.locator(".checkout-submit").bounding_box()
    assert bar is not None and abs(bar["y"] + bar["height"] - 780) < 2, bar
    expect(page.get_by_role("button", name="Đặt hàng")).to_be_in_viewport()
    page.goto("/cart")
    number = _order_from_the_product_page(page, product.slug, "Chuyển khoản ngân hàng (VietQR)")
    fits("the confirmation")
    box = page.locator(".order-number").bounding_box()
    assert box is not None and box["height"] < 40, "the order number wraps"
    page.goto(f"/orders/{number}")
    fits("the order page")
