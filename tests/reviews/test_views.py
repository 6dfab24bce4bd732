"""Review pages as visitors use them, every denial included, and what the product page,
cards and listing show of reviews without more queries."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from storefront.orders.emails import send_pending_emails
from storefront.reviews import services
from storefront.reviews.models import Review, ReviewStatus
from storefront.reviews.services import ReviewDraft
from tests.accounts.helpers import log_in, make_member, make_user, post_form
from tests.conftest import csrf_token_from
from tests.factories import make_product
from tests.producers.helpers import jpeg_bytes
from tests.reviews.helpers import bought


def write_url(part, product):
    return f"/reviews/write/{part.id}/{product.id}"


def post_review(client, url, stars="5", body="Mật ong thơm, đặc, đóng gói cẩn thận.", **files):
    token = csrf_token_from(client.get(url).text)
    data = {"csrf_token": token, "stars": stars, "body": body, **files}
    return client.post(url, data=data, content_type="multipart/form-data")


def review_directly(app, session, product, user=None, stars=5, body="Ngon", **kw):
    user = user or make_user(session)
    part = bought(session, product, user.id)
    reviewable = services.reviewable_for_buyer(session, user.id, part.id, product.id)
    review = services.write_review(
        session,
        app.config["MEDIA_ROOT"],
        reviewable,
        ReviewDraft(stars=stars, body=body, **kw),
        user.full_name,
        user.id,
    )
    session.commit()
    return review


def test_a_buyer_writes_a_review_with_a_photo_and_it_shows_on_the_product_page(client, session):
    product = make_product(session, name="Mật ong hoa Ban")
    lan = make_user(session, full_name="Nguyễn Thị Lan")
    part = bought(session, product, lan.id)
    log_in(client, lan.email)
    order_page = client.get(f"/orders/{part.number}").text
    assert write_url(part, product) in order_page
    response = post_review(
        client, write_url(part, product), photos=(io.BytesIO(jpeg_bytes()), "anh.jpg")
    )
    assert response.status_code == 302
    page = client.get(f"/products/{product.slug}").text
    assert "Đã mua hàng" in page
    assert "Nguyễn Thị L." in page
    assert "Phân loại: Hộp 500 g" in page
    assert "Mật ong thơm, đặc" in page
    assert "/media/reviews/" in page
    assert "đã đánh giá" in client.get(f"/orders/{part.number}").text
    # A second review of the same part is refused, nothing changes.
    again = client.get(write_url(part, product))
    assert again.status_code == 403
    assert session.execute(select(Review)).scalars().all().__len__() == 1


def test_anonymous_visitors_are_sent_to_log_in(client, session):
    product = make_product(session)
    part = bought(session, product, make_user(session).id)
    response = client.get(write_url(part, product))
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_another_buyers_part_is_a_404(client, session):
    product = make_product(session)
    part = bought(session, product, make_user(session).id)
    log_in(client, make_user(session).email)
    assert client.get(write_url(part, product)).status_code == 404
    response = post_form(client, "/account/", write_url(part, product), {"stars": "5"})
    assert response.status_code == 404


def test_an_undelivered_part_is_refused(client, session):
    product = make_product(session)
    lan = make_user(session)
    part = bought(session, product, lan.id, delivered=False)
    log_in(client, lan.email)
    response = client.get(write_url(part, product))
    assert response.status_code == 403
    assert "nhận được hàng" in response.text
    assert write_url(part, product) not in client.get(f"/orders/{part.number}").text


def test_bad_input_is_a_clear_message_and_nothing_is_stored(client, session):
    product = make_product(session)
    lan = make_user(session)
    part = bought(session, product, lan.id)
    log_in(client, lan.email)
    for stars, body in (("9", "x"), ("abc", "x"), ("5", "x" * 2001)):
        response = post_review(client, write_url(part, product), stars=stars, body=body)
        assert response.status_code == 400
    response = post_review(
        client, write_url(part, product), photos=(io.BytesIO(b"not a photo"), "a.jpg")
    )
    assert response.status_code == 400
    assert "JPEG" in response.text
    assert session.execute(select(Review)).first() is None


def test_a_guest_reviews_through_the_link_in_the_delivered_email(app, client, session, smtp_inbox):
    product = make_product(session, name="Lạc đỏ Na Son")
    part = bought(session, product)  # a guest's order
    send_pending_emails(session, part.order_id)
    delivered = [m for m in smtp_inbox.messages if "đã được giao" in str(m["Subject"])]
    text = smtp_inbox.text_of(delivered[0])
    link = re.search(r"http://\S+/reviews/invite/(\S+)", text)
    assert link, text
    url = f"/reviews/invite/{link.group(1)}"
    assert post_review(client, url, stars="4").status_code == 302
    assert client.get(url).status_code == 404  # used once
    assert "Đã mua hàng" in client.get(f"/products/{product.slug}").text


def test_an_account_order_email_links_to_the_review_form(session, smtp_inbox):
    product = make_product(session)
    lan = make_user(session)
    part = bought(session, product, lan.id)
    send_pending_emails(session, part.order_id)
    delivered = [m for m in smtp_inbox.messages if "đã được giao" in str(m["Subject"])]
    assert f"/reviews/write/{part.id}/{product.id}" in smtp_inbox.text_of(delivered[0])


def test_votes_and_reports_need_an_account(app, client, session):
    product = make_product(session)
    review = review_directly(app, session, product)
    page = client.get(f"/products/{product.slug}").text
    assert f"/reviews/{review.id}/helpful" not in page  # a sign-in link instead
    response = client.post(f"/reviews/{review.id}/helpful")
    assert response.status_code in (302, 400)
    assert client.get(f"/reviews/{review.id}/report").status_code == 302


def test_a_signed_in_visitor_votes_once_and_reports(app, client, session):
    product = make_product(session)
    review = review_directly(app, session, product)
    minh = make_user(session)
    log_in(client, minh.email)
    page = f"/products/{product.slug}"
    for _ in range(2):
        post_form(client, page, f"/reviews/{review.id}/helpful", {"next": page})
    session.expire_all()
    assert session.get(Review, review.id).helpful_count == 1
    report = f"/reviews/{review.id}/report"
    assert post_form(client, report, report, {"reason": ""}).status_code == 400
    assert post_form(client, report, report, {"reason": "Quảng cáo"}).status_code == 302


def test_the_producer_replies_from_the_workspace_and_cannot_edit_or_hide(app, client, session):
    product = make_product(session)
    member = make_member(session, product.producer)
    review = review_directly(app, session, product, stars=2, body="Hơi ngọt")
    session.commit()
    log_in(client, member.email)
    workspace = f"/producer/{product.producer_id}/reviews"
    assert "Hơi ngọt" in client.get(workspace).text
    reply = f"/producer/{product.producer_id}/reviews/{review.id}/reply"
    assert post_form(client, workspace, reply, {"body": "Cảm ơn góp ý!"}).status_code == 302
    post_form(client, workspace, reply, {"body": "Sửa lại"})
    session.expire_all()
    assert session.get(Review, review.id).reply_body == "Cảm ơn góp ý!"
    assert "Phản hồi của" in client.get(f"/products/{product.slug}").text
    # No way to change or hide the review: the admin's actions refuse a producer.
    for action in ("hide", "restore", "keep"):
        url = f"/admin/reviews/{review.id}/{action}"
        assert post_form(client, workspace, url, {"reason": "x"}).status_code == 403
    assert client.get("/admin/reviews").status_code == 403
    session.expire_all()
    assert session.get(Review, review.id).status == ReviewStatus.VISIBLE


def test_a_producer_cannot_reply_for_another_producer(app, client, session):
    product = make_product(session)
    review = review_directly(app, session, product)
    outsider = make_member(session, make_product(session).producer)
    session.commit()
    log_in(client, outsider.email)
    own = f"/producer/{outsider_producer(session, outsider)}/reviews"
    theirs = f"/producer/{product.producer_id}/reviews"
    assert client.get(theirs).status_code == 404
    url = f"/producer/{outsider_producer(session, outsider)}/reviews/{review.id}/reply"
    assert post_form(client, own, url, {"body": "Hi"}).status_code == 404


def outsider_producer(session, user):
    from storefront.accounts.models import ProducerMember

    return session.execute(
        select(ProducerMember.producer_id).where(ProducerMember.user_id == user.id)
    ).scalar_one()


@pytest.mark.parametrize("role", ["buyer", "organiser"])
def test_only_admins_moderate(app, client, session, role):
    product = make_product(session)
    review = review_directly(app, session, product)
    log_in(client, make_user(session, role=role).email)
    assert client.get("/admin/reviews").status_code == 403
    response = post_form(client, "/account/", f"/admin/reviews/{review.id}/hide", {"reason": "x"})
    assert response.status_code == 403


def test_an_admin_hides_a_reported_review_and_the_author_sees_why(app, client, session):
    product = make_product(session)
    author = make_user(session)
    review = review_directly(app, session, product, user=author, body="Lời lẽ khó nghe")
    services.report_review(session, review.id, make_user(session).id, "Xúc phạm")
    admin = make_user(session, role="admin")
    session.commit()
    log_in(client, admin.email)
    queue = client.get("/admin/reviews").text
    assert "Xúc phạm" in queue, queue
    url = f"/admin/reviews/{review.id}/hide"
    assert post_form(client, "/admin/reviews", url, {"reason": ""}).status_code == 302
    session.expire_all()
    assert session.get(Review, review.id).status == ReviewStatus.VISIBLE  # no reason
    post_form(client, "/admin/reviews", url, {"reason": "Ngôn từ xúc phạm"})
    assert "Lời lẽ khó nghe" not in client.get(f"/products/{product.slug}").text
    author_client = app.test_client()
    log_in(author_client, author.email)
    mine = author_client.get("/account/reviews").text
    assert "Ngôn từ xúc phạm" in mine


def test_product_page_filters_and_pages_reviews(app, session, client):
    product = make_product(session, stock=100)
    for n in range(12):
        review_directly(app, session, product, stars=5 if n % 2 else 1, body=f"Nhận xét số {n}")
    page = client.get(f"/products/{product.slug}").text
    assert "12 đánh giá" in page and "review_page=2" in page
    ones = client.get(f"/products/{product.slug}?review_stars=1").text
    assert "Nhận xét số 0" in ones and "Nhận xét số 1<" not in ones
    assert (
        "Không có đánh giá phù hợp" in client.get(f"/products/{product.slug}?review_photos=1").text
    )
    for bad in ("review_stars=9", "review_page=abc", "review_sort=%00", "review_page=99999"):
        assert client.get(f"/products/{product.slug}?{bad}").status_code == 200


def test_reviews_cost_the_product_page_one_bounded_statement(app, client, session, count_queries):
    product = make_product(session, stock=100)
    other = make_product(session)

    def statements(slug):
        client.get(f"/products/{slug}")  # warm: sessions, vocabularies
        with count_queries() as counter:
            assert client.get(f"/products/{slug}").status_code == 200
        return counter.count

    without = statements(other.slug)
    review_directly(app, session, product)
    with_one = statements(product.slug)
    for _ in range(12):
        review_directly(app, session, product)
    assert with_one == statements(product.slug) == without + 1


def test_cards_show_the_average_and_count_with_no_more_queries(app, client, session, count_queries):
    plain = make_product(session, name="Bí xanh Tìa Dình")
    rated = make_product(session, name="Mật ong hoa Ban")
    client.get("/products")
    with count_queries() as before:
        client.get("/products?sort=price_asc")
    review_directly(app, session, rated, stars=5)
    review_directly(app, session, rated, stars=4)
    with count_queries() as after:
        listing = client.get("/products?sort=price_asc").text
    assert after.count == before.count
    assert "4,5" in listing and "(2" in listing
    assert "Đã bán 2" in listing
    by_rating = client.get("/products?sort=rating").text
    assert by_rating.index("Mật ong hoa Ban") < by_rating.index(plain.name)
