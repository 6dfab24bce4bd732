"""Reviews from verified buyers (a delivered order part that contained the product),
the producer's public reply, "Hữu ích" votes, reports and the admins' moderation.

The catalogue and orders never import this package: init_app hands them what they
show of reviews (the product page's review list, the order page's review links, the
links in the "delivered" email) as template globals and an email hook.
"""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_babel import gettext

from storefront.catalog.models import Product
from storefront.extensions import Session, db
from storefront.orders.models import Order, OrderEmail, OrderPart, PartStatus


def init_app(app: Flask) -> None:
    from storefront.orders import emails
    from storefront.reviews.views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals["product_reviews"] = _product_reviews
    app.jinja_env.globals["reviewed_pairs"] = _reviewed_pairs
    if _delivered_email_links not in emails.EXTRA_PARAGRAPHS:
        emails.EXTRA_PARAGRAPHS.append(_delivered_email_links)


def _product_reviews(product: Product):  # type: ignore[no-untyped-def]
    """The product page's page of reviews, for the filters in the query string: one
    bounded statement, none for a product without reviews."""
    from storefront.reviews import queries

    return queries.product_reviews(db.session, product, queries.parse_filters(request.args))


def _reviewed_pairs(order: Order) -> set[tuple[int, int]]:
    """(part_id, product_id) already reviewed among the order's delivered parts."""
    from storefront.reviews.services import reviewed_pairs

    delivered = [p.id for p in order.parts if p.status == PartStatus.DELIVERED]
    return reviewed_pairs(db.session, delivered)


def _delivered_email_links(
    session: Session, email: OrderEmail, order: Order, part: OrderPart | None
) -> list[str]:
    """The "delivered" email asks for a review of each product of the part: a link to the
    review form for an account's order, a single-use link for a guest's."""
    from storefront.orders.emails import PART_DELIVERED
    from storefront.reviews.services import issue_invites

    if email.kind != PART_DELIVERED or part is None:
        return []
    base = current_app.config["PUBLIC_BASE_URL"]
    names = {line.product_id: line.product_name for line in part.lines}
    if order.user_id is None:
        tokens = issue_invites(session, current_app.config["SECRET_KEY"], part)
        links = {pid: f"{base}/reviews/invite/{token}" for pid, token in tokens.items()}
    else:
        links = {pid: f"{base}/reviews/write/{part.id}/{pid}" for pid in names}
    if not links:
        return []
    rows = "\n".join(f"- {names[pid]}: {url}" for pid, url in links.items())
    return [gettext("Bạn thấy sản phẩm thế nào? Hãy đánh giá để giúp người mua khác:"), rows]
