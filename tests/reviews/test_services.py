"""Who may review, once per delivered part; aggregates kept on the product row; the
producer's one reply; votes, reports and moderation; guests' single-use links."""

from __future__ import annotations

import hashlib

import pytest
from sqlalchemy import select

from storefront.audit.models import AuditEntry
from storefront.catalog.models import Product
from storefront.errors import NotFound
from storefront.orders.fulfilment import get_part
from storefront.reviews import services
from storefront.reviews.models import Review, ReviewInvite
from storefront.reviews.services import ReviewDraft, ReviewError
from tests.accounts.helpers import make_member, make_user
from tests.factories import make_product
from tests.reviews.helpers import bought

SECRET = "test-secret"


def write(session, app, user, part, product, stars=5, body="Mật ong thơm, đặc.", **kw):
    reviewable = services.reviewable_for_buyer(session, user.id, part.id, product.id)
    review = services.write_review(
        session,
        app.config["MEDIA_ROOT"],
        reviewable,
        ReviewDraft(stars=stars, body=body, **kw),
        user.full_name,
        user_id=user.id,
    )
    session.commit()
    return review


def product_row(session, product_id):
    session.expire_all()
    return session.get(Product, product_id)


def test_a_delivered_buyer_reviews_and_the_product_row_counts_it(app, session):
    product = make_product(session, name="Mật ong hoa Ban")
    lan, minh = make_user(session, full_name="Nguyễn Thị Lan"), make_user(session)
    write(session, app, lan, bought(session, product, lan.id), product, stars=5)
    write(session, app, minh, bought(session, product, minh.id, quantity=2), product, stars=2)
    row = product_row(session, product.id)
    assert (row.rating_count, row.rating_sum, row.rating_score) == (2, 7, 350)
    assert row.rating_counts() == {5: 1, 4: 0, 3: 0, 2: 1, 1: 0}
    assert row.rating_average == 3.5
    assert row.sold_count == 3  # delivered units
    review = session.execute(select(Review).where(Review.user_id == lan.id)).scalar_one()
    assert review.author_name == "Nguyễn Thị L."
    assert review.variant_label == "Hộp 500 g"  # the one pack bought


def test_only_delivered_parts_count_as_sold(session):
    product = make_product(session)
    bought(session, product, quantity=4, delivered=False)
    assert product_row(session, product.id).sold_count == 0


def test_a_second_review_of_the_same_part_is_refused(app, session):
    product = make_product(session)
    lan = make_user(session)
    part = bought(session, product, lan.id)
    write(session, app, lan, part, product)
    with pytest.raises(ReviewError, match="đã đánh giá"):
        services.reviewable_for_buyer(session, lan.id, part.id, product.id)
    assert product_row(session, product.id).rating_count == 1


def test_the_database_refuses_a_second_review_written_at_once(app, session):
    """Two submissions that both passed the check: the unique constraint stops one."""
    product = make_product(session)
    lan = make_user(session)
    part = bought(session, product, lan.id)
    first = services.reviewable_for_buyer(session, lan.id, part.id, product.id)
    second = services.reviewable_for_buyer(session, lan.id, part.id, product.id)
    media_root = app.config["MEDIA_ROOT"]
    services.write_review(session, media_root, first, ReviewDraft(5, ""), "Lan", lan.id)
    with pytest.raises(ReviewError):
        services.write_review(session, media_root, second, ReviewDraft(1, ""), "Lan", lan.id)
    session.commit()
    assert product_row(session, product.id).rating_count == 1


def test_another_buyers_part_is_not_found(session):
    product = make_product(session)
    lan, thief = make_user(session), make_user(session)
    part = bought(session, product, lan.id)
    with pytest.raises(NotFound):
        services.reviewable_for_buyer(session, thief.id, part.id, product.id)


def test_a_product_not_in_the_part_is_not_found(session):
    product, other = make_product(session), make_product(session)
    lan = make_user(session)
    part = bought(session, product, lan.id)
    with pytest.raises(NotFound):
        services.reviewable_for_buyer(session, lan.id, part.id, other.id)


def test_an_undelivered_part_cannot_be_reviewed(session):
    product = make_product(session)
    lan = make_user(session)
    part = bought(session, product, lan.id, delivered=False)
    with pytest.raises(ReviewError, match="nhận được hàng"):
        services.reviewable_for_buyer(session, lan.id, part.id, product.id)


def test_a_producer_cannot_review_its_own_product(session):
    product = make_product(session)
    member = make_member(session, product.producer)
    part = bought(session, product, member.id)
    with pytest.raises(ReviewError, match="chính mình"):
        services.reviewable_for_buyer(session, member.id, part.id, product.id)


@pytest.mark.parametrize(
    ("draft", "message"),
    [
        (ReviewDraft(0, ""), "1 đến 5"),
        (ReviewDraft(6, ""), "1 đến 5"),
        (ReviewDraft(5, "x" * 2001), "2000"),
        (ReviewDraft(5, "", pack="Thùng 10 hũ"), "quy cách"),
        (ReviewDraft(5, "", photos=[b"1", b"2", b"3", b"4"]), "3"),
    ],
)
def test_bad_drafts_are_refused_and_nothing_changes(app, session, draft, message):
    product = make_product(session)
    lan = make_user(session)
    part = bought(session, product, lan.id)
    reviewable = services.reviewable_for_buyer(session, lan.id, part.id, product.id)
    with pytest.raises(ReviewError, match=message):
        services.write_review(session, app.config["MEDIA_ROOT"], reviewable, draft, "Lan")
    session.rollback()
    assert product_row(session, product.id).rating_count == 0


def test_photos_go_through_the_product_photo_pipeline(app, session):
    from pathlib import Path

    from PIL import Image

    product = make_product(session)
    lan = make_user(session)
    photo = Image.new("RGB", (900, 700), "orange")
    exif = Image.Exif()
    exif[0x010F] = "Camera Maker"  # Make
    import io

    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", exif=exif)
    review = write(
        session, app, lan, bought(session, product, lan.id), product, photos=[buffer.getvalue()]
    )
    assert review.has_photos and len(review.photos) == 1
    stored = Path(app.config["MEDIA_ROOT"]) / review.photos[0]["path"]
    assert review.photos[0]["path"].startswith("reviews/")
    with Image.open(stored) as image:
        assert not image.getexif()  # re-encoded: no metadata
    assert (stored.parent / (stored.stem + "-thumb.jpg")).is_file()


def test_a_broken_photo_is_refused(app, session):
    from storefront.media import UploadRefused

    product = make_product(session)
    lan = make_user(session)
    reviewable = services.reviewable_for_buyer(
        session, lan.id, bought(session, product, lan.id).id, product.id
    )
    with pytest.raises(UploadRefused):
        services.write_review(
            session,
            app.config["MEDIA_ROOT"],
            reviewable,
            ReviewDraft(5, "", photos=[b"not an image"]),
            "Lan",
        )


def test_the_producer_replies_once_and_only_to_its_own_products(app, session):
    product = make_product(session)
    member = make_member(session, product.producer)
    other = make_member(session, make_product(session).producer)
    lan = make_user(session)
    review = write(session, app, lan, bought(session, product, lan.id), product)
    with pytest.raises(NotFound):
        services.reply_to_review(session, review.id, other.id, other.id, "Cảm ơn")
    services.reply_to_review(session, review.id, product.producer_id, member.id, "Cảm ơn bạn!")
    session.commit()
    with pytest.raises(ReviewError, match="đã trả lời"):
        services.reply_to_review(session, review.id, product.producer_id, member.id, "Lần 2")
    session.expire_all()
    review = session.get(Review, review.id)
    assert review.reply_body == "Cảm ơn bạn!"
    assert (review.stars, review.body) == (5, "Mật ong thơm, đặc.")  # untouched


def test_helpful_votes_once_per_account_never_ones_own(app, session):
    product = make_product(session)
    lan, minh = make_user(session), make_user(session)
    review = write(session, app, lan, bought(session, product, lan.id), product)
    services.vote_helpful(session, review.id, minh.id)
    session.commit()
    with pytest.raises(ReviewError, match="đã bình chọn"):
        services.vote_helpful(session, review.id, minh.id)
    with pytest.raises(ReviewError, match="chính mình"):
        services.vote_helpful(session, review.id, lan.id)
    session.rollback()
    session.expire_all()
    assert session.get(Review, review.id).helpful_count == 1


def test_hiding_takes_the_review_out_of_the_aggregates_and_is_audited(app, session):
    product = make_product(session)
    admin = make_user(session, role="admin")
    lan, minh = make_user(session), make_user(session)
    review = write(session, app, lan, bought(session, product, lan.id), product, stars=1)
    services.report_review(session, review.id, minh.id, "Nội dung xúc phạm")
    with pytest.raises(ReviewError, match="đã báo cáo"):
        services.report_review(session, review.id, minh.id, "Lần nữa")
    with pytest.raises(ReviewError, match="lý do"):
        services.hide_review(session, review.id, admin.id, "  ")
    services.hide_review(session, review.id, admin.id, "Ngôn từ không phù hợp")
    session.commit()
    row = product_row(session, product.id)
    assert (row.rating_count, row.rating_1, row.rating_score) == (0, 0, None)
    services.restore_review(session, review.id, admin.id)
    session.commit()
    row = product_row(session, product.id)
    assert (row.rating_count, row.rating_1, row.rating_score) == (1, 1, 100)
    actions = session.execute(
        select(AuditEntry.action, AuditEntry.actor_id).order_by(AuditEntry.id)
    ).all()
    assert actions == [("review.hide", admin.id), ("review.restore", admin.id)]


def test_a_guest_reviews_once_through_the_emailed_link(app, session):
    product = make_product(session)
    part = get_part(session, bought(session, product).id)  # a guest order, with its lines
    tokens = services.issue_invites(session, SECRET, part)
    session.commit()
    token = tokens[product.id]
    stored = session.execute(select(ReviewInvite.token_hash)).scalar_one()
    assert stored == hashlib.sha256(token.encode()).hexdigest() and token not in stored
    media_root = app.config["MEDIA_ROOT"]
    review = services.write_invited_review(session, media_root, SECRET, token, ReviewDraft(4, ""))
    session.commit()
    assert review.user_id is None and review.author_name == "Nguyễn Thị L."
    with pytest.raises(NotFound, match="đã được dùng"):
        services.write_invited_review(session, media_root, SECRET, token, ReviewDraft(4, ""))
    assert product_row(session, product.id).rating_count == 1


@pytest.mark.parametrize("forge", ["", "abc", "tampered"])
def test_a_forged_link_is_refused(session, forge):
    product = make_product(session)
    part = get_part(session, bought(session, product).id)
    token = services.issue_invites(session, SECRET, part)[product.id]
    session.commit()
    bad = (
        token[:-2] + ("AA" if not token.endswith("AA") else "BB") if forge == "tampered" else forge
    )
    with pytest.raises(NotFound):
        services.reviewable_for_invite(session, SECRET, bad)
    with pytest.raises(NotFound):  # signed with another key
        services.reviewable_for_invite(session, "another-secret", token)
