"""Reviews from verified buyers: who may write one, writing it, the producer's one public
reply, "Hữu ích" votes, reports, and the admins' moderation.

Every change to what a product's visible reviews add up to updates the aggregates on the
product row (`Product.rating_*`) with one atomic statement in the same transaction, so
two reviews written at once both count and cards never aggregate reviews themselves.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from storefront import media
from storefront.accounts.models import ProducerMember, User
from storefront.audit import services as audit
from storefront.catalog.cache import note_catalogue_change
from storefront.catalog.models import Product
from storefront.errors import DomainError, NotFound
from storefront.extensions import Session, rowcount
from storefront.i18n import N_
from storefront.orders.models import OrderPart, PartStatus
from storefront.reviews.models import (
    Review,
    ReviewInvite,
    ReviewReport,
    ReviewStatus,
    ReviewVote,
)
from storefront.timeutil import utcnow

MAX_BODY = 2_000
MAX_PHOTOS = 3
MAX_REASON = 500
MAX_REPLY = 2_000
INVITE_DAYS = 90
INVITE_SALT = "storefront.reviews.invite"


class ReviewError(DomainError):
    """A review action the shop refuses; nothing changed."""

    def __init__(self, message: str, field: str | None = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


def _not_found() -> NotFound:
    return NotFound(N_("Không tìm thấy đơn hàng hoặc sản phẩm để đánh giá."))


@dataclass(frozen=True)
class Reviewable:
    """A product of a delivered part that its buyer may review now."""

    part: OrderPart
    product_id: int
    product_name: str
    packs: list[str]  # the labels of the packs of this product in the part
    order_number: str
    producer_name: str


def public_name(full_name: str) -> str:
    """How a reviewer is named on the page: "Nguyễn Thị Lan" → "Nguyễn Thị L."."""
    words = full_name.split()
    if not words:
        return "Người mua"
    if len(words) == 1:
        return words[0][:60]
    return " ".join([*words[:-1], words[-1][0] + "."])[:120]


def _load_part(session: Session, part_id: int) -> OrderPart | None:
    return session.execute(
        select(OrderPart)
        .options(joinedload(OrderPart.order), selectinload(OrderPart.lines))
        .where(OrderPart.id == part_id)
    ).scalar_one_or_none()


def _check_reviewable(
    session: Session, part: OrderPart | None, product_id: int, user_id: int | None
) -> Reviewable:
    if part is None:
        raise _not_found()
    lines = [line for line in part.lines if line.product_id == product_id]
    if not lines:
        raise _not_found()
    if part.status != PartStatus.DELIVERED:
        raise ReviewError(N_("Bạn có thể đánh giá khi đã nhận được hàng."))
    if user_id is not None:
        member = session.execute(
            select(ProducerMember.id).where(
                ProducerMember.user_id == user_id, ProducerMember.producer_id == part.producer_id
            )
        ).first()
        if member is not None:
            raise ReviewError(N_("Chủ thể không thể đánh giá sản phẩm của chính mình."))
    done = session.execute(
        select(Review.id).where(Review.part_id == part.id, Review.product_id == product_id)
    ).first()
    if done is not None:
        raise ReviewError(N_("Bạn đã đánh giá sản phẩm này cho đơn hàng này."))
    packs = list(dict.fromkeys(line.variant_label for line in lines))
    return Reviewable(
        part, product_id, lines[0].product_name, packs, part.order.number, part.producer_name
    )


def reviewable_for_buyer(
    session: Session, user_id: int, part_id: int, product_id: int
) -> Reviewable:
    """The product of a part of the account's own order that it may review: NotFound for
    someone else's order (ids cannot be probed), ReviewError before delivery, for a
    second review, or for the producer's own product."""
    part = _load_part(session, part_id)
    if part is not None and part.order.user_id != user_id:
        part = None
    return _check_reviewable(session, part, product_id, user_id)


@dataclass
class ReviewDraft:
    stars: int
    body: str
    pack: str = ""
    photos: list[bytes] = field(default_factory=list)


def _clean_draft(draft: ReviewDraft, packs: list[str]) -> tuple[int, str, str]:
    if not isinstance(draft.stars, int) or not 1 <= draft.stars <= 5:
        raise ReviewError(N_("Vui lòng chọn từ 1 đến 5 sao."), field="stars")
    body = "\n".join(line.rstrip() for line in (draft.body or "").strip().splitlines())
    if len(body) > MAX_BODY:
        raise ReviewError(N_("Nhận xét dài tối đa %(n)s ký tự."), field="body", n=MAX_BODY)
    if draft.pack and draft.pack not in packs:
        raise ReviewError(N_("Vui lòng chọn quy cách bạn đã mua."), field="pack")
    if len(draft.photos) > MAX_PHOTOS:
        raise ReviewError(N_("Tối đa %(n)s ảnh."), field="photos", n=MAX_PHOTOS)
    return draft.stars, body, draft.pack or (packs[0] if len(packs) == 1 else "")


def change_aggregates(session: Session, product_id: int, stars: int, sign: int) -> None:
    """Add (sign=1) or take away (sign=-1) one visible review of `stars` on the product
    row, in one statement: the database adds to what is there, whatever runs at once."""
    column = getattr(Product, f"rating_{stars}")
    count = Product.rating_count + sign
    total = Product.rating_sum + sign * stars
    session.execute(
        update(Product)
        .where(Product.id == product_id)
        .values(
            {
                Product.rating_count: count,
                Product.rating_sum: total,
                column: column + sign,
                Product.rating_score: case((count > 0, (total * 100) // count), else_=None),
                Product.updated_at: Product.updated_at,  # a review is no change of the listing
            }
        )
        .execution_options(synchronize_session=False)
    )
    note_catalogue_change(session)


def write_review(
    session: Session,
    media_root: media.Store,
    reviewable: Reviewable,
    draft: ReviewDraft,
    author_name: str,
    user_id: int | None = None,
) -> Review:
    """Store a verified buyer's review (photos through the product photo pipeline) and
    count it in the product's aggregates. A second review of the same product and part
    is refused by the database too, for two submissions at once."""
    stars, body, pack = _clean_draft(draft, reviewable.packs)
    stored = [media.store_photo(media_root, data, folder="reviews") for data in draft.photos]
    review = Review(
        product_id=reviewable.product_id,
        part_id=reviewable.part.id,
        producer_id=reviewable.part.producer_id,
        user_id=user_id,
        author_name=public_name(author_name),
        variant_label=pack,
        stars=stars,
        body=body,
        photos=[{"path": p.path, "width": p.width, "height": p.height} for p in stored],
        has_photos=bool(stored),
    )
    try:
        with session.begin_nested():
            session.add(review)
            session.flush()
    except IntegrityError as exc:
        raise ReviewError(N_("Bạn đã đánh giá sản phẩm này cho đơn hàng này.")) from exc
    change_aggregates(session, review.product_id, stars, +1)
    return review


# Guests: single-use links in the "delivered" email.


def _serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=INVITE_SALT)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def issue_invites(session: Session, secret_key: str, part: OrderPart) -> dict[int, str]:
    """A fresh single-use review link token for each product of a part (needs `lines`):
    {product_id: token}. Only the tokens' hashes are stored; issuing again (an email
    retried) replaces the earlier, unused token."""
    tokens: dict[int, str] = {}
    expires = utcnow() + timedelta(days=INVITE_DAYS)
    for product_id in dict.fromkeys(line.product_id for line in part.lines):
        token = _serializer(secret_key).dumps(secrets.token_urlsafe(24))
        invite = session.execute(
            select(ReviewInvite).where(
                ReviewInvite.part_id == part.id, ReviewInvite.product_id == product_id
            )
        ).scalar_one_or_none()
        if invite is None:
            invite = ReviewInvite(part_id=part.id, product_id=product_id)
            session.add(invite)
        elif invite.used_at is not None:
            continue
        invite.token_hash = _token_hash(token)
        invite.expires_at = expires
        tokens[product_id] = token
    session.flush()
    return tokens


def reviewable_for_invite(
    session: Session, secret_key: str, token: str
) -> tuple[ReviewInvite, Reviewable]:
    """The invite a guest's link carries and what it lets them review; NotFound for a
    forged, unknown, expired or already used link."""
    try:
        _serializer(secret_key).loads(token or "")
    except (BadSignature, ValueError, TypeError):
        raise _invalid_link() from None
    invite = session.execute(
        select(ReviewInvite).where(ReviewInvite.token_hash == _token_hash(token))
    ).scalar_one_or_none()
    if invite is None or invite.used_at is not None or invite.expires_at < _now_like(invite):
        raise _invalid_link()
    part = _load_part(session, invite.part_id)
    return invite, _check_reviewable(session, part, invite.product_id, None)


def _now_like(invite: ReviewInvite) -> datetime:
    # SQLite gives back naive datetimes (UTC); compare like with like.
    now = utcnow()
    return now if invite.expires_at.tzinfo else now.replace(tzinfo=None)


def _invalid_link() -> NotFound:
    return NotFound(N_("Liên kết đánh giá không hợp lệ, đã hết hạn hoặc đã được dùng."))


def write_invited_review(
    session: Session,
    media_root: media.Store,
    secret_key: str,
    token: str,
    draft: ReviewDraft,
) -> Review:
    """A guest's review through their link, which is spent by it (claimed with a
    conditional update, so the same link cannot post twice at once)."""
    invite, reviewable = reviewable_for_invite(session, secret_key, token)
    claimed = session.execute(
        update(ReviewInvite)
        .where(ReviewInvite.id == invite.id, ReviewInvite.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if rowcount(claimed) != 1:
        raise _invalid_link()
    order = reviewable.part.order
    return write_review(session, media_root, reviewable, draft, order.contact_name)


# Votes, reports, replies.


def _visible_review(session: Session, review_id: int) -> Review:
    review = session.get(Review, review_id)
    if review is None or review.status != ReviewStatus.VISIBLE:
        raise NotFound(N_("Không tìm thấy đánh giá."))
    return review


def vote_helpful(session: Session, review_id: int, user_id: int) -> Review:
    """One "Hữu ích" vote per account and review; not on one's own review."""
    review = _visible_review(session, review_id)
    if review.user_id == user_id:
        raise ReviewError(N_("Bạn không thể bình chọn cho đánh giá của chính mình."))
    try:
        with session.begin_nested():
            session.add(ReviewVote(review_id=review.id, user_id=user_id))
            session.flush()
    except IntegrityError as exc:
        raise ReviewError(N_("Bạn đã bình chọn đánh giá này.")) from exc
    session.execute(
        update(Review)
        .where(Review.id == review.id)
        .values(helpful_count=Review.helpful_count + 1)
        .execution_options(synchronize_session=False)
    )
    session.expire(review, ["helpful_count"])
    return review


def report_review(session: Session, review_id: int, user_id: int, reason: str) -> ReviewReport:
    """A signed-in visitor flags a review for the admins, with a reason; once each."""
    review = _visible_review(session, review_id)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReviewError(N_("Vui lòng cho biết lý do."), field="reason")
    if len(reason) > MAX_REASON:
        raise ReviewError(N_("Lý do dài tối đa %(n)s ký tự."), field="reason", n=MAX_REASON)
    report = ReviewReport(review_id=review.id, user_id=user_id, reason=reason)
    try:
        with session.begin_nested():
            session.add(report)
            session.flush()
    except IntegrityError as exc:
        raise ReviewError(N_("Bạn đã báo cáo đánh giá này.")) from exc
    return report


def reply_to_review(
    session: Session, review_id: int, producer_id: int, user_id: int | None, body: str
) -> Review:
    """The producer's one public reply to a review of its product. The producer cannot
    change the review itself, nor reply twice (the update requires no reply yet)."""
    review = session.get(Review, review_id)
    if review is None or review.producer_id != producer_id:
        raise NotFound(N_("Không tìm thấy đánh giá."))
    body = (body or "").strip()
    if not body:
        raise ReviewError(N_("Vui lòng nhập nội dung trả lời."), field="body")
    if len(body) > MAX_REPLY:
        raise ReviewError(N_("Trả lời dài tối đa %(n)s ký tự."), field="body", n=MAX_REPLY)
    result = session.execute(
        update(Review)
        .where(Review.id == review.id, Review.reply_at.is_(None))
        .values(reply_body=body, reply_at=utcnow(), reply_by_id=user_id)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        raise ReviewError(N_("Chủ thể đã trả lời đánh giá này."))
    session.expire(review, ["reply_body", "reply_at", "reply_by_id"])
    return review


# Moderation (admins).


def _resolve_reports(session: Session, review_id: int) -> None:
    session.execute(
        update(ReviewReport)
        .where(ReviewReport.review_id == review_id, ReviewReport.resolved_at.is_(None))
        .values(resolved_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def _moderate(
    session: Session,
    review_id: int,
    admin_id: int,
    target: ReviewStatus,
    reason: str,
) -> Review:
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(N_("Không tìm thấy đánh giá."))
    current = ReviewStatus(review.status)
    if current == target:
        message = (
            N_("Đánh giá này đang bị ẩn.")
            if target == ReviewStatus.HIDDEN
            else N_("Đánh giá này đang hiển thị.")
        )
        raise ReviewError(message)
    result = session.execute(
        update(Review)
        .where(Review.id == review.id, Review.status == current)
        .values(status=target, hidden_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if rowcount(result) != 1:
        raise ReviewError(N_("Đánh giá vừa được người khác cập nhật, vui lòng tải lại trang."))
    change_aggregates(
        session, review.product_id, review.stars, -1 if target == ReviewStatus.HIDDEN else +1
    )
    _resolve_reports(session, review.id)
    before = {"status": current, "hidden_reason": review.hidden_reason}
    session.expire(review, ["status", "hidden_reason"])
    audit.record(
        session,
        admin_id,
        "review.hide" if target == ReviewStatus.HIDDEN else "review.restore",
        ("review", review.id),
        before=before,
        after={"status": target, "hidden_reason": reason},
    )
    return review


def hide_review(session: Session, review_id: int, admin_id: int, reason: str) -> Review:
    """Hide a review from everyone but its author, who sees the reason (audit-logged);
    it stops counting in the product's aggregates."""
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReviewError(N_("Vui lòng ghi lý do ẩn đánh giá."), field="reason")
    if len(reason) > MAX_REASON:
        raise ReviewError(N_("Lý do dài tối đa %(n)s ký tự."), field="reason", n=MAX_REASON)
    return _moderate(session, review_id, admin_id, ReviewStatus.HIDDEN, reason)


def restore_review(session: Session, review_id: int, admin_id: int) -> Review:
    """Show a hidden review again (audit-logged); it counts again."""
    return _moderate(session, review_id, admin_id, ReviewStatus.VISIBLE, "")


def dismiss_reports(session: Session, review_id: int, admin_id: int) -> None:
    """Keep a reported review as it is and clear its reports (audit-logged)."""
    review = session.get(Review, review_id)
    if review is None:
        raise NotFound(N_("Không tìm thấy đánh giá."))
    _resolve_reports(session, review.id)
    audit.record(session, admin_id, "review.keep", ("review", review.id))


def author_name_of(session: Session, user_id: int, fallback: str) -> str:
    """The account's full name, or the order's contact name when it has none."""
    name = session.execute(select(User.full_name).where(User.id == user_id)).scalar()
    return name or fallback


def reviewed_pairs(session: Session, part_ids: list[int]) -> set[tuple[int, int]]:
    """(part_id, product_id) of the parts' products already reviewed, for the order page."""
    if not part_ids:
        return set()
    rows = session.execute(
        select(Review.part_id, Review.product_id).where(Review.part_id.in_(part_ids))
    )
    return {(part_id, product_id) for part_id, product_id in rows}
