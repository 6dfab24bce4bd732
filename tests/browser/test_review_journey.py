"""A buyer whose parcel arrived writes a review with a photo; it shows on the product page
with "Đã mua hàng"; the producer replies from the workspace; someone reports it and an
admin hides it. Real Chromium, phone-sized."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.accounts.helpers import PASSWORD, make_member, make_user
from tests.factories import make_product
from tests.producers.helpers import jpeg_bytes
from tests.reviews.helpers import bought


def _sign_in(page: Page, email: str) -> None:
    page.context.clear_cookies()
    page.goto("/account/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Mật khẩu", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_text("Đăng nhập thành công.")).to_be_visible()


def test_review_reply_report_and_hide(page: Page, session, tmp_path) -> None:  # type: ignore[no-untyped-def]
    product = make_product(session, name="Mật ong hoa Ban")
    buyer = make_user(session, email="lan@example.vn", full_name="Nguyễn Thị Lan")
    producer = make_member(session, product.producer, email="htx@example.vn")
    reporter = make_user(session, email="minh@example.vn")
    admin = make_user(session, email="admin@example.vn", role="admin")
    part = bought(session, product, buyer.id)
    session.commit()
    photo = tmp_path / "hu-mat-ong.jpg"
    photo.write_bytes(jpeg_bytes((1200, 900), "goldenrod"))

    _sign_in(page, buyer.email)
    page.goto(f"/orders/{part.number}")
    page.get_by_role("link", name="Đánh giá Mật ong hoa Ban").click()
    page.get_by_label("Bạn chấm sản phẩm mấy sao?").select_option("5")
    page.get_by_label("Nhận xét của bạn").fill("Mật thơm, đặc, đóng chai cẩn thận.")
    page.get_by_label(re.compile("^Ảnh thực tế")).set_input_files(str(photo))
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Cảm ơn bạn đã đánh giá!")).to_be_visible()
    review = page.locator(".review").first
    expect(review.get_by_text("Đã mua hàng")).to_be_visible()
    expect(review.get_by_text("Mật thơm, đặc, đóng chai cẩn thận.")).to_be_visible()
    expect(review.get_by_role("img", name="Ảnh 1 của người mua")).to_be_visible()

    _sign_in(page, producer.email)
    page.goto(f"/producer/{product.producer_id}/reviews")
    page.get_by_label("Trả lời công khai của chủ thể").fill("Cảm ơn chị Lan!")
    page.get_by_role("button", name="Đăng trả lời").click()
    expect(page.get_by_text("Đã đăng trả lời.")).to_be_visible()

    _sign_in(page, reporter.email)
    page.goto(f"/products/{product.slug}")
    expect(page.get_by_text("Cảm ơn chị Lan!")).to_be_visible()
    page.get_by_role("link", name="Báo cáo").click()
    page.get_by_label("Lý do báo cáo").fill("Thử báo cáo")
    page.get_by_role("button", name="Gửi báo cáo").click()
    expect(page.get_by_text("Đã gửi báo cáo.")).to_be_visible()

    _sign_in(page, admin.email)
    page.goto("/admin/reviews")
    page.get_by_label("Lý do ẩn (người viết sẽ thấy)").fill("Kiểm thử ẩn")
    page.get_by_role("button", name="Ẩn đánh giá").click()
    expect(page.get_by_text("Đã cập nhật đánh giá.")).to_be_visible()
    page.goto(f"/products/{product.slug}")
    expect(page.get_by_text("Mật thơm, đặc, đóng chai cẩn thận.")).to_have_count(0)
