"""Buyers' reviews of what they received, the producer's reply, helpful votes, reports,
and the single-use links that let guests review."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from storefront.catalog.models import str_enum
from storefront.extensions import Model
from storefront.timeutil import utcnow


class ReviewStatus(enum.StrEnum):
    VISIBLE = "visible"
    HIDDEN = "hidden"  # by an admin, with a reason shown to the author


class Review(Model):
    """One buyer's stars and words on one product of one delivered order part.

    Everything the product page shows of a review is on this row (the pack bought, the
    photos, the producer's reply), so a page of reviews is one bounded statement."""

    __tablename__ = "review"
    __table_args__ = (
        UniqueConstraint("part_id", "product_id", name="uq_review_part_product"),
        CheckConstraint("stars BETWEEN 1 AND 5", name="stars_1_to_5"),
        Index("ix_review_product_newest", "product_id", "status", "created_at"),
        Index("ix_review_product_helpful", "product_id", "status", "helpful_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    part_id: Mapped[int] = mapped_column(ForeignKey("order_part.id"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    # The account that wrote it; None for a guest who came through an emailed link.
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    author_name: Mapped[str] = mapped_column(String(120))  # as shown: "Nguyễn Thị L."
    variant_label: Mapped[str] = mapped_column(String(120), default="")  # the pack bought
    stars: Mapped[int] = mapped_column(Integer)
    body: Mapped[str] = mapped_column(Text, default="")
    # [{"path", "width", "height"}] as storefront.media stored them, at most 3.
    photos: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    has_photos: Mapped[bool] = mapped_column(default=False)
    helpful_count: Mapped[int] = mapped_column(Integer, default=0)
    status: Mapped[ReviewStatus] = mapped_column(
        str_enum(ReviewStatus), default=ReviewStatus.VISIBLE
    )
    hidden_reason: Mapped[str] = mapped_column(String(500), default="")
    reply_body: Mapped[str] = mapped_column(Text, default="")
    reply_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reply_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReviewVote(Model):
    """A "Hữu ích" vote: one per account and review."""

    __tablename__ = "review_vote"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("review.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ReviewReport(Model):
    """A signed-in visitor's report of a review, waiting in the admins' queue."""

    __tablename__ = "review_report"
    __table_args__ = (
        UniqueConstraint("review_id", "user_id", name="uq_review_report_review_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)


class ReviewInvite(Model):
    """A single-use link that lets a guest buyer review one product of a delivered part.

    Only the SHA-256 of the token is kept; the token itself exists in the email alone."""

    __tablename__ = "review_invite"
    __table_args__ = (
        UniqueConstraint("part_id", "product_id", name="uq_review_invite_part_product"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("order_part.id"))
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
