"""What the review pages show, each in a fixed, bounded number of statements."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from storefront.catalog.models import Product
from storefront.extensions import Session
from storefront.numbers import page_number, whole_number
from storefront.reviews.models import Review, ReviewReport, ReviewStatus

PER_PAGE = 10
SORTS = ("newest", "helpful")
MAX_PAGE = 1_000


@dataclass(frozen=True)
class ReviewFilters:
    """The product page's review query arguments, validated (bad values are dropped)."""

    stars: int | None = None
    photos: bool = False
    sort: str = "newest"
    page: int = 1

    def query_args(self, **changes: Any) -> dict[str, str]:
        values = {
            "review_stars": self.stars,
            "review_photos": "1" if self.photos else None,
            "review_sort": None if self.sort == "newest" else self.sort,
            "review_page": self.page if self.page > 1 else None,
        }
        values.update(changes)
        return {key: str(value) for key, value in values.items() if value}

    @property
    def is_filtered(self) -> bool:
        return self.stars is not None or self.photos or self.sort != "newest" or self.page > 1


def parse_filters(args: Mapping[str, str]) -> ReviewFilters:
    sort = args.get("review_sort") or "newest"
    return ReviewFilters(
        stars=whole_number(args.get("review_stars"), 1, 5),
        photos=args.get("review_photos") == "1",
        sort=sort if sort in SORTS else "newest",
        page=page_number(args.get("review_page"), last=MAX_PAGE),
    )


@dataclass
class ReviewPage:
    filters: ReviewFilters
    reviews: list[Review]
    has_next: bool


def product_reviews(
    session: Session, product: Product, filters: ReviewFilters, per_page: int = PER_PAGE
) -> ReviewPage:
    """One page of a product's visible reviews: one statement (one row more than the page
    says whether another follows), none at all for a product without reviews."""
    if not product.rating_count:
        return ReviewPage(filters, [], False)
    stmt = select(Review).where(
        Review.product_id == product.id, Review.status == ReviewStatus.VISIBLE
    )
    if filters.stars:
        stmt = stmt.where(Review.stars == filters.stars)
    if filters.photos:
        stmt = stmt.where(Review.has_photos.is_(True))
    if filters.sort == "helpful":
        stmt = stmt.order_by(Review.helpful_count.desc(), Review.created_at.desc())
    else:
        stmt = stmt.order_by(Review.created_at.desc(), Review.id.desc())
    offset = (filters.page - 1) * per_page
    rows = list(session.execute(stmt.limit(per_page + 1).offset(offset)).scalars())
    return ReviewPage(filters, rows[:per_page], len(rows) > per_page)


def reviews_of_user(session: Session, user_id: int, limit: int = 100) -> list[Review]:
    """The account's reviews, newest first, hidden ones (with their reason) included."""
    return list(
        session.execute(
            select(Review)
            .where(Review.user_id == user_id)
            .order_by(Review.created_at.desc(), Review.id.desc())
            .limit(limit)
        ).scalars()
    )


def reviews_of_producer(
    session: Session, producer_id: int, page: int = 1, per_page: int = 30
) -> tuple[list[tuple[Review, str]], bool]:
    """Reviews of the producer's products (with each product's name), unanswered first,
    then newest; and whether another page follows."""
    rows = session.execute(
        select(Review, Product.name)
        .join(Product, Product.id == Review.product_id)
        .where(Review.producer_id == producer_id, Review.status == ReviewStatus.VISIBLE)
        .order_by(Review.reply_at.is_not(None), Review.created_at.desc(), Review.id.desc())
        .limit(per_page + 1)
        .offset((page - 1) * per_page)
    ).all()
    return [(review, name) for review, name in rows[:per_page]], len(rows) > per_page


@dataclass
class QueueItem:
    review: Review
    product: Product
    reports: list[ReviewReport]


def moderation_queue(session: Session, limit: int = 100) -> list[QueueItem]:
    """Reviews with open reports, most reported first, in two statements."""
    counts = (
        select(ReviewReport.review_id, func.count().label("n"))
        .where(ReviewReport.resolved_at.is_(None))
        .group_by(ReviewReport.review_id)
        .subquery()
    )
    rows = session.execute(
        select(Review, Product)
        .join(counts, counts.c.review_id == Review.id)
        .join(Product, Product.id == Review.product_id)
        .order_by(counts.c.n.desc(), Review.id)
        .limit(limit)
    ).all()
    ids = [review.id for review, _ in rows]
    reports: dict[int, list[ReviewReport]] = {i: [] for i in ids}
    if ids:
        for report in session.execute(
            select(ReviewReport)
            .where(ReviewReport.review_id.in_(ids), ReviewReport.resolved_at.is_(None))
            .order_by(ReviewReport.id)
        ).scalars():
            reports[report.review_id].append(report)
    return [QueueItem(review, product, reports[review.id]) for review, product in rows]


def hidden_reviews(session: Session, limit: int = 100) -> list[tuple[Review, Product]]:
    """Reviews an admin hid, newest first: where they can be restored."""
    rows = session.execute(
        select(Review, Product)
        .join(Product, Product.id == Review.product_id)
        .where(Review.status == ReviewStatus.HIDDEN)
        .order_by(Review.id.desc())
        .limit(limit)
    ).all()
    return [(review, product) for review, product in rows]


def review_with_product(session: Session, review_id: int) -> tuple[Review, Product] | None:
    row = session.execute(
        select(Review, Product)
        .join(Product, Product.id == Review.product_id)
        .where(Review.id == review_id)
    ).first()
    return (row[0], row[1]) if row else None
