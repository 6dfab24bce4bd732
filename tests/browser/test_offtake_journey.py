"""A business buyer asks a cooperative for an offtake agreement from the product page,
making the schedule with "Tạo lịch"; the cooperative accepts it in its workspace; the
first delivery falls due (`flask offtake due`) and becomes an order both sides see.
Real Chromium."""

from __future__ import annotations

from datetime import timedelta

from playwright.sync_api import Page, expect

from storefront.extensions import db
from storefront.offtake.due import run_due
from storefront.timeutil import today_in_vietnam
from tests.accounts.helpers import make_member
from tests.browser.conftest import open_account_menu
from tests.factories import make_producer, make_product
from tests.offtake.helpers import make_business

PASSWORD = "hợp đồng bao tiêu"


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


def test_an_agreement_is_asked_accepted_and_its_first_delivery_becomes_an_order(
    page: Page, session
) -> None:  # type: ignore[no-untyped-def]
    producer = make_producer(session, name="HTX Ong mật Mường Phăng")
    make_member(session, producer, email="htx@example.vn", password=PASSWORD)
    product = make_product(session, producer, name="Mật ong hoa Ban", price=250_000, stock=50)
    make_business(session, email="sieuthi@example.vn", password=PASSWORD)
    session.commit()
    today = today_in_vietnam()

    _sign_in(page, "sieuthi@example.vn")
    page.goto(f"/products/{product.slug}")
    page.get_by_role("link", name="Đề nghị bao tiêu").click()
    page.get_by_label("Đơn giá mỗi đơn vị (₫)").fill("220.000")
    page.get_by_label("Ngày giao đầu tiên").fill(today.isoformat())
    page.get_by_label("Ngày giao cuối cùng").fill((today + timedelta(days=62)).isoformat())
    page.get_by_label("Chu kỳ").select_option(label="Mỗi tháng")
    page.get_by_label("Số lượng mỗi lần giao").fill("10")
    page.get_by_role("button", name="Tạo lịch", exact=True).click()
    expect(page.get_by_role("group", name="Lần giao 3")).to_be_visible()
    page.get_by_role("button", name="Gửi đề xuất").click()
    expect(page.get_by_text("Đã gửi đề nghị bao tiêu; chờ chủ thể trả lời.")).to_be_visible()
    _sign_out(page)

    _sign_in(page, "htx@example.vn")
    page.goto("/producer")
    page.get_by_role("link", name="Bao tiêu").first.click()
    page.get_by_role("link", name="HĐ-", exact=False).first.click()
    page.get_by_role("button", name="Chấp nhận đề xuất").click()
    expect(page.get_by_text("Đã chấp nhận: hợp đồng có hiệu lực")).to_be_visible()
    expect(page.get_by_text("Đang thực hiện")).to_be_visible()

    assert run_due(db.session, today).ordered == 1  # the timer's run, today
    page.reload()
    expect(page.get_by_text("Đã thành đơn hàng: 10/30 (33%)")).to_be_visible()
    page.get_by_role("link", name="OC-", exact=False).click()
    expect(page.get_by_text("Mật ong hoa Ban")).to_be_visible()
    _sign_out(page)

    _sign_in(page, "sieuthi@example.vn")
    page.goto("/account/agreements")
    expect(page.get_by_text("Đã thành đơn 10/30 (33%)", exact=False)).to_be_visible()
