"""A producer's own data through a personal access token: products and packs, stock
changes, order parts and their fulfilment steps. Each operation calls the service the
workspace pages call (producers.listings, producers.stock, producers.fulfilment), and
another producer's objects answer 404, as the pages do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort
from flask.typing import ResponseReturnValue
from flask_smorest import Blueprint

from storefront.api import auth, schemas
from storefront.api.models import TokenScope
from storefront.api.problems import PROBLEM_MIMETYPE, from_domain_error
from storefront.errors import DomainError, NotFound
from storefront.extensions import db
from storefront.orders.models import OrderPart
from storefront.producers import fulfilment, listings, stock
from storefront.producers.workspace import commit

bp = Blueprint(
    "api_producer",
    __name__,
    url_prefix="/api/v1/producer",
    description="A producer's own products, stock and orders (personal access token)",
)
auth.api_blueprint_hooks(bp)
READ, WRITE = TokenScope.READ, TokenScope.WRITE
PROBLEM = {"schema": schemas.Problem, "content_type": PROBLEM_MIMETYPE}
SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]


def _refused(error: DomainError) -> ResponseReturnValue:
    db.session.rollback()
    if isinstance(error, NotFound):
        abort(404)
    return from_domain_error(error)


def _part(part: OrderPart) -> dict[str, Any]:
    order = part.order
    return {
        "id": part.id,
        "order_number": order.number,
        "status": str(part.status),
        "placed_at": order.placed_at,
        "items_total_vnd": part.items_total_vnd,
        "shipping_fee_vnd": part.shipping_fee_vnd,
        "carrier": part.carrier,
        "tracking_number": part.tracking_number,
        "payment_method": order.payment_method,
        "payment_status": str(order.payment_status),
        "lines": [
            {
                "sku": line.sku,
                "product_name": line.product_name,
                "pack_label": line.variant_label,
                "quantity": line.quantity,
                "unit_price_vnd": line.unit_price_vnd,
            }
            for line in part.lines
        ],
    }


@bp.route("/<id:producer_id>/products")
@auth.rate_limited(auth.token_limit)
@auth.token_required(READ)
@bp.response(200, schemas.OwnProductList)
@bp.alt_response(401, **PROBLEM)
@bp.alt_response(404, **PROBLEM)
@bp.doc(security=SECURITY)
def own_products(producer_id: int) -> Any:
    """The producer's products (published or not) with every pack and its stock."""
    rows = listings.listing(db.session, producer_id)
    return {
        "items": [
            {
                "id": row.product.id,
                "slug": row.product.slug,
                "name": row.product.name,
                "is_published": row.product.is_published,
                "packs": [
                    {
                        "id": v.id,
                        "sku": v.sku,
                        "label": v.label,
                        "price_vnd": v.price_vnd,
                        "weight_grams": v.weight_grams,
                        "stock": v.stock,
                        "low_stock_threshold": v.low_stock_threshold,
                        "is_active": v.is_active,
                    }
                    for v in row.product.variants
                ],
            }
            for row in rows
        ]
    }


@bp.route("/<id:producer_id>/packs/<id:pack_id>/stock", methods=["POST"])
@auth.rate_limited(auth.token_limit)
@auth.token_required(WRITE)
@bp.arguments(schemas.StockChange)
@bp.response(200, schemas.StockResult)
@bp.alt_response(401, **PROBLEM)
@bp.alt_response(403, **PROBLEM)
@bp.alt_response(404, **PROBLEM)
@bp.alt_response(409, **PROBLEM)
@bp.doc(security=SECURITY)
def change_stock(change: dict[str, Any], producer_id: int, pack_id: int) -> Any:
    """A delivery, a count or a breakage (one atomic change with its history row, the
    workspace's stock service); refused when stock would go below zero."""
    try:
        new_stock = stock.adjust(
            db.session,
            producer_id,
            pack_id,
            str(change["delta"]),
            change["reason"],
            auth.token_user().id,
            change["note"],
        )
    except DomainError as error:
        return _refused(error)
    commit()
    return {"pack_id": pack_id, "stock": new_stock}


@bp.route("/<id:producer_id>/orders")
@auth.rate_limited(auth.token_limit)
@auth.token_required(READ)
@bp.arguments(schemas.PartQuery, location="query")
@bp.response(200, schemas.OrderPartList)
@bp.alt_response(401, **PROBLEM)
@bp.alt_response(404, **PROBLEM)
@bp.doc(security=SECURITY)
def own_orders(query: dict[str, Any], producer_id: int) -> Any:
    """The producer's parts of orders, newest first, 50 a page."""
    status = fulfilment.parse_status(query.get("status"))
    page = fulfilment.parts_page(db.session, producer_id, status, query["page"])
    return {
        "items": [_part(part) for part in page.parts],
        "total": page.total,
        "page": page.page,
        "pages": page.pages,
    }


@bp.route("/<id:producer_id>/orders/<id:part_id>")
@auth.rate_limited(auth.token_limit)
@auth.token_required(READ)
@bp.response(200, schemas.OrderPart)
@bp.alt_response(401, **PROBLEM)
@bp.alt_response(404, **PROBLEM)
@bp.doc(security=SECURITY)
def own_order(producer_id: int, part_id: int) -> Any:
    """One of the producer's parts with its lines."""
    try:
        part = fulfilment.get_own_part(db.session, producer_id, part_id)
    except NotFound:
        abort(404)
    return _part(part)


def _step(producer_id: int, part_id: int, action: Callable[[], OrderPart]) -> Any:
    """Run a fulfilment step on the producer's own part and commit; the buyer's email is
    in the outbox with it, for the job worker to send."""
    try:
        fulfilment.get_own_part(db.session, producer_id, part_id)
        action()
    except DomainError as error:
        return _refused(error)
    commit()
    return _part(fulfilment.get_own_part(db.session, producer_id, part_id))


STEP_DOCS = [
    bp.response(200, schemas.OrderPart),
    bp.alt_response(401, **PROBLEM),
    bp.alt_response(403, **PROBLEM),
    bp.alt_response(404, **PROBLEM),
    bp.alt_response(409, **PROBLEM),
    bp.doc(security=SECURITY),
]


def _documented_step(view: Callable[..., Any]) -> Callable[..., Any]:
    for decorate in reversed(STEP_DOCS):
        view = decorate(view)
    return view


@bp.route("/<id:producer_id>/orders/<id:part_id>/confirm", methods=["POST"])
@auth.rate_limited(auth.token_limit)
@auth.token_required(WRITE)
@_documented_step
def confirm(producer_id: int, part_id: int) -> Any:
    """Accept the part (placed → confirmed)."""
    return _step(producer_id, part_id, lambda: fulfilment.confirm(db.session, producer_id, part_id))


@bp.route("/<id:producer_id>/orders/<id:part_id>/ship", methods=["POST"])
@auth.rate_limited(auth.token_limit)
@auth.token_required(WRITE)
@bp.arguments(schemas.Shipment)
@_documented_step
def ship(shipment: dict[str, Any], producer_id: int, part_id: int) -> Any:
    """Hand the parcel to a carrier (confirmed → shipped); the buyer gets the tracking."""
    return _step(
        producer_id,
        part_id,
        lambda: fulfilment.ship(
            db.session, producer_id, part_id, shipment["carrier"], shipment["tracking_number"]
        ),
    )


@bp.route("/<id:producer_id>/orders/<id:part_id>/deliver", methods=["POST"])
@auth.rate_limited(auth.token_limit)
@auth.token_required(WRITE)
@_documented_step
def deliver(producer_id: int, part_id: int) -> Any:
    """The buyer received it (shipped → delivered)."""
    return _step(producer_id, part_id, lambda: fulfilment.deliver(db.session, producer_id, part_id))


@bp.route("/<id:producer_id>/orders/<id:part_id>/cancel", methods=["POST"])
@auth.rate_limited(auth.token_limit)
@auth.token_required(WRITE)
@bp.arguments(schemas.Cancellation)
@_documented_step
def cancel(body: dict[str, Any], producer_id: int, part_id: int) -> Any:
    """Cancel a part not yet shipped, with a reason the buyer is told; stock returns."""
    return _step(
        producer_id,
        part_id,
        lambda: fulfilment.cancel(
            db.session, producer_id, part_id, body["reason"], auth.token_user().id
        ),
    )
