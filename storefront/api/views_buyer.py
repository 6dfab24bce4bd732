"""A buyer's operations: the cart, a shipping quote, checkout, orders, cancelling a part
and reviews once delivered.

Who is asking: a buyer account's personal access token (`Authorization: Bearer`,
made on /account/tokens/), whose cart is the account's cart (the one the pages show
when signed in); or, for the cart, its quote and checkout only, a guest cart token
(`X-Cart-Token`, from `POST /api/v1/carts`), the same guest-cart identity the cart
cookie names. Never a cookie. Every operation calls the service its page calls
(cart.services, cart.quote, checkout.services through api.idempotency,
orders.fulfilment, reviews.services); another buyer's order answers 404.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, current_app, g, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext
from flask_smorest import Blueprint
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from storefront.accounts.models import Role, User
from storefront.api import auth, idempotency
from storefront.api import schemas_buyer as schemas
from storefront.api.models import TokenScope, aware
from storefront.api.problems import PROBLEM_MIMETYPE, problem
from storefront.api.schemas import Problem
from storefront.api.views_public import _place
from storefront.cart import services as carts
from storefront.cart.models import Cart, CartLine
from storefront.cart.quote import quote
from storefront.catalog.models import Product
from storefront.checkout.forms import ORDER_ERROR_FIELDS, CheckoutForm
from storefront.checkout.services import CheckoutDetails
from storefront.errors import DomainError, NotFound
from storefront.extensions import db
from storefront.orders import fulfilment, queries
from storefront.orders.errors import OrderError, OutOfStock
from storefront.orders.models import Order, OrderPart, PartStatus
from storefront.orders.placement import Contact, DeliveryAddress
from storefront.payments import bank_transfer
from storefront.payments.registry import PaymentMethod, get_method
from storefront.places.services import find_province, get_province, get_ward
from storefront.pricing import PriceContext
from storefront.reviews import services as reviews
from storefront.reviews.models import Review
from storefront.timeutil import utcnow

F = TypeVar("F", bound=Callable[..., Any])

bp = Blueprint(
    "api_buyer",
    __name__,
    url_prefix="/api/v1",
    description="A buyer's cart, checkout, orders and reviews (buyer token or cart token)",
)
auth.api_blueprint_hooks(bp)
READ, WRITE = TokenScope.READ, TokenScope.WRITE
PROBLEM = {"schema": Problem, "content_type": PROBLEM_MIMETYPE}
CART_SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}, {"cartToken": []}]
BUYER_SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]
# Methods that need no page of their own after the order (card payment opens Stripe's).
API_PAYMENT_METHODS = ("cod", "bank_transfer")


# -- who is asking -----------------------------------------------------------------------


class Caller:
    """The buyer account of a bearer token, or the guest cart of a cart token."""

    def __init__(self, user: User | None, cart: Cart | None, cart_token: str | None) -> None:
        self.user = user
        self.cart = cart
        self.cart_token = cart_token

    @property
    def user_id(self) -> int | None:
        return self.user.id if self.user is not None else None

    @property
    def key(self) -> str:
        """Whose Idempotency-Keys these are (a cart's by its token's hash, not its id)."""
        if self.user is not None:
            return f"user:{self.user.id}"
        return "cart:" + hashlib.sha256((self.cart_token or "").encode()).hexdigest()[:40]

    def pricing(self) -> PriceContext:
        return PriceContext(utcnow(), buyer_id=self.user_id)

    def cart_for_writing(self) -> Cart:
        if self.cart is None:
            self.cart = carts.get_or_create_cart(db.session, user_id=self.user_id)
        return self.cart


def _caller() -> Caller:
    return cast(Caller, g.api_caller)


def _bad_cart_token() -> ResponseReturnValue:
    return problem(
        401,
        gettext("Mã giỏ hàng (X-Cart-Token) không hợp lệ hoặc giỏ hàng không còn."),
        slug="unauthorized",
        headers={"WWW-Authenticate": 'Bearer realm="ocop"'},
    )


def buyer_or_cart(scope: TokenScope) -> Callable[[F], F]:
    """A buyer account's working token with `scope`, or a guest cart token."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if auth.bearer_secret() is None and auth.cart_secret() is not None:
                token = auth.cart_secret() or ""
                cart = carts.find_cart(db.session, token=token)
                if cart is None:
                    return _bad_cart_token()
                g.api_caller = Caller(None, cart, token)
                return view(*args, **kwargs)
            found = auth.current_token()
            if found is None:
                return auth.unauthorized()
            token_row, user = found
            if user.role != Role.BUYER:
                abort(403)
            if scope == WRITE and token_row.scope != WRITE:
                return auth.insufficient_scope()
            g.api_caller = Caller(user, carts.find_cart(db.session, user_id=user.id), None)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorator


def _buyer() -> User:
    return auth.token_user()


def _refused(error: DomainError, status: int = 409, field: str | None = None) -> Any:
    db.session.rollback()
    if isinstance(error, NotFound):
        abort(404)
    return problem(status, str(error), field=field or getattr(error, "field", None))


# -- shaping -------------------------------------------------------------------------------


def _cart(cart: Cart | None, pricing: PriceContext) -> dict[str, Any]:
    summary = carts.summarize(db.session, cart, pricing)
    groups = []
    for group in summary.groups:
        lines = []
        for item in group.items:
            problem_kind = None
            if not item.purchasable:
                problem_kind = "not_sold"
            elif item.short_by:
                problem_kind = "short"
            lines.append(
                {
                    "pack_id": item.variant.id,
                    "sku": item.variant.sku,
                    "product_slug": item.product.slug,
                    "product_name": item.product.name,
                    "pack_label": item.variant.label,
                    "quantity": item.quantity,
                    "unit_price_vnd": item.unit_price_vnd,
                    "retail_vnd": item.price.retail_vnd,
                    "is_reduced": item.price.is_reduced,
                    "line_total_vnd": item.line_total_vnd,
                    "weight_grams": item.weight_grams,
                    "problem": problem_kind,
                }
            )
        groups.append(
            {
                "producer": {"slug": group.producer.slug, "name": group.producer.name},
                "province": _place(get_province(group.producer.province_code)),
                "items_total_vnd": group.items_total_vnd,
                "weight_grams": group.weight_grams,
                "lines": lines,
            }
        )
    return {
        "item_count": summary.item_count,
        "items_total_vnd": summary.items_total_vnd,
        "groups": groups,
    }


def _order_summary(order: Order) -> dict[str, Any]:
    return {
        "number": order.number,
        "placed_at": aware(order.placed_at),  # SQLite gives naive UTC: RFC 3339 has an offset
        "payment_method": order.payment_method,
        "payment_status": str(order.payment_status),
        "items_total_vnd": order.items_total_vnd,
        "shipping_total_vnd": order.shipping_total_vnd,
        "total_vnd": order.total_vnd,
        "amount_due_vnd": order.amount_due_vnd,
        "url": url_for("orders.detail", number=order.number, _external=True),
    }


def _part(part: OrderPart) -> dict[str, Any]:
    return {
        "id": part.id,
        "producer_name": part.producer_name,
        "status": str(part.status),
        "status_label": gettext(fulfilment.STATUS_LABELS[PartStatus(part.status)]),
        "items_total_vnd": part.items_total_vnd,
        "shipping_fee_vnd": part.shipping_fee_vnd,
        "total_vnd": part.total_vnd,
        "carrier": part.carrier,
        "tracking_number": part.tracking_number,
        "can_cancel": part.status in (PartStatus.PLACED, PartStatus.CONFIRMED),
        "lines": [
            {
                "pack_id": line.variant_id,
                "product_id": line.product_id,
                "sku": line.sku,
                "product_name": line.product_name,
                "pack_label": line.variant_label,
                "quantity": line.quantity,
                "unit_price_vnd": line.unit_price_vnd,
                "line_total_vnd": line.line_total_vnd,
            }
            for line in part.lines
        ],
        "history": [
            {"status": str(step.to_status), "at": aware(step.changed_at), "note": step.note}
            for step in part.history
        ],
    }


def _order(order: Order) -> dict[str, Any]:
    ward = get_ward(order.ward_code)
    transfer = bank_transfer.transfer_details(order, current_app.config)
    return {
        **_order_summary(order),
        "contact_name": order.contact_name,
        "phone": order.phone,
        "email": order.email,
        "province": _place(get_province(order.province_code)),
        "ward": ward.name if ward else None,
        "street": order.street,
        "note": order.note,
        "parts": [_part(part) for part in order.parts],
        "bank_transfer": (
            {
                "bank_name": transfer.account.bank_name,
                "bank_bin": transfer.account.bin,
                "account_number": transfer.account.number,
                "account_name": transfer.account.name,
                "amount_vnd": transfer.amount_vnd,
                "note": transfer.note,
                "payload": transfer.payload,
            }
            if transfer
            else None
        ),
    }


def _full_order(number: str) -> Order:
    order = queries.order_for_page(db.session, number)
    if order is None:  # committed just before: it is there
        abort(404)
    return order


# -- the cart ------------------------------------------------------------------------------


@bp.route("/carts", methods=["POST"])
@auth.rate_limited(auth.public_limit)
@bp.response(201, schemas.NewCart)
@bp.alt_response(429, **PROBLEM)
def create_cart() -> Any:
    """A new, empty guest cart. Its `cart_token` (shown this once) is sent as the
    X-Cart-Token header to fill the cart, quote its shipping and place its order; a
    buyer with an account uses their token instead, and gets the account's cart."""
    cart = carts.get_or_create_cart(db.session)
    db.session.commit()
    return {"cart_token": cart.token, "cart": _cart(None, PriceContext(utcnow()))}, 201


CART_DOCS = [
    bp.alt_response(401, **PROBLEM),
    bp.alt_response(403, **PROBLEM),
    bp.doc(security=CART_SECURITY),
]


def _cart_documented(view: Callable[..., Any]) -> Callable[..., Any]:
    for decorate in reversed(CART_DOCS):
        view = decorate(view)
    return view


@bp.route("/cart")
@auth.rate_limited(auth.token_limit)
@buyer_or_cart(READ)
@bp.response(200, schemas.Cart)
@_cart_documented
def cart() -> Any:
    """The cart with each line's price now (storefront.pricing, as the cart page shows
    it), grouped by producer (one parcel each)."""
    caller = _caller()
    return _cart(caller.cart, caller.pricing())


def _changed(change: carts.CartChange, caller: Caller) -> dict[str, Any]:
    message = None
    if change.capped:
        message = gettext(
            "Chỉ còn %(n)s sản phẩm %(name)s, giỏ hàng đã được điều chỉnh.",
            n=min(change.available, carts.MAX_LINE_QUANTITY),
            name=change.product_name,
        )
    return {
        "pack_id": change.variant_id,
        "quantity": change.quantity,
        "requested": change.requested,
        "capped": change.capped,
        "message": message,
        "cart": _cart(caller.cart, caller.pricing()),
    }


@bp.route("/cart/lines", methods=["POST"])
@auth.rate_limited(auth.token_limit)
@buyer_or_cart(WRITE)
@bp.arguments(schemas.AddLine)
@bp.response(200, schemas.CartChange)
@bp.alt_response(409, **PROBLEM)
@_cart_documented
def add_line(body: dict[str, Any]) -> Any:
    """Put `quantity` more of a pack in the cart (cart.services.add_item: capped by the
    stock and 999 a line; a pack no longer sold or out of stock is refused)."""
    caller = _caller()
    try:
        change = carts.add_item(
            db.session, caller.cart_for_writing(), body["pack_id"], body["quantity"]
        )
    except DomainError as error:
        return _refused(error, field="pack_id")
    db.session.commit()
    return _changed(change, caller)


@bp.route("/cart/lines/<id:pack_id>", methods=["PUT"])
@auth.rate_limited(auth.token_limit)
@buyer_or_cart(WRITE)
@bp.arguments(schemas.SetLine)
@bp.response(200, schemas.CartChange)
@bp.alt_response(404, **PROBLEM)
@bp.alt_response(409, **PROBLEM)
@_cart_documented
def set_line(body: dict[str, Any], pack_id: int) -> Any:
    """Change a line to `quantity` (0 takes it out), capped by the stock."""
    caller = _caller()
    if caller.cart is None:
        abort(404)
    try:
        change = carts.set_quantity(db.session, caller.cart, pack_id, body["quantity"])
    except carts.CartError as error:
        db.session.rollback()
        status = 404 if _not_in_cart(caller.cart, pack_id) else 409
        return problem(status, str(error), field="pack_id" if status == 409 else None)
    db.session.commit()
    return _changed(change, caller)


def _not_in_cart(cart: Cart, pack_id: int) -> bool:
    return (
        db.session.execute(
            select(CartLine.id).where(CartLine.cart_id == cart.id, CartLine.variant_id == pack_id)
        ).first()
        is None
    )


@bp.route("/cart/lines/<id:pack_id>", methods=["DELETE"])
@auth.rate_limited(auth.token_limit)
@buyer_or_cart(WRITE)
@bp.response(200, schemas.Cart)
@bp.alt_response(404, **PROBLEM)
@_cart_documented
def remove_line(pack_id: int) -> Any:
    """Take a pack out of the cart (404 when it is not in it)."""
    caller = _caller()
    if caller.cart is None or _not_in_cart(caller.cart, pack_id):
        abort(404)
    carts.remove_item(db.session, caller.cart, pack_id)
    db.session.commit()
    return _cart(caller.cart, caller.pricing())


def _province_of(text: str) -> Any:
    text = text.strip()[:80]
    if text.isascii() and text.isdigit() and len(text) < 6:
        return get_province(int(text))
    return find_province(text)


@bp.route("/cart/quote")
@auth.rate_limited(auth.token_limit)
@buyer_or_cart(READ)
@bp.arguments(schemas.QuoteQuery, location="query")
@bp.response(200, schemas.Quote)
@bp.alt_response(409, **PROBLEM)
@_cart_documented
def cart_quote(query: dict[str, Any]) -> Any:
    """Each producer's parcel with its shipping fee to a province, and the totals: the
    quote the checkout page shows (cart.quote, from the shipping rules)."""
    caller = _caller()
    province = _province_of(query["province"])
    if province is None:
        return problem(
            422,
            gettext("Không có tỉnh, thành phố này trong 34 tỉnh, thành từ 1/7/2025."),
            field="province",
        )
    summary = carts.summarize(db.session, caller.cart, caller.pricing())
    if summary.is_empty:
        return problem(409, gettext("Giỏ hàng của bạn đang trống."))
    quoted = quote(db.session, summary, province.code)
    return {
        "province": _place(province),
        "groups": [
            {
                "producer": {"slug": g.group.producer.slug, "name": g.group.producer.name},
                "items_total_vnd": g.group.items_total_vnd,
                "weight_grams": g.group.weight_grams,
                "shipping_fee_vnd": g.shipping_fee_vnd or 0,
                "total_vnd": g.total_vnd or 0,
            }
            for g in quoted.groups
        ],
        "items_total_vnd": summary.items_total_vnd,
        "shipping_total_vnd": quoted.shipping_total_vnd or 0,
        "total_vnd": quoted.total_vnd or 0,
    }


# -- checkout ------------------------------------------------------------------------------

IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": "Idempotency-Key",
    "required": True,
    "schema": {"type": "string", "minLength": 1, "maxLength": idempotency.MAX_KEY},
    "description": "A fresh random string (a UUID) for each order; send the same key "
    "again to retry: the same key and body give back the same order, another body 409.",
}


def _form_errors(form: CheckoutForm) -> dict[str, list[str]]:
    return {name: [gettext(str(m)) for m in messages] for name, messages in form.errors.items()}


def _invalid(errors: dict[str, list[str]]) -> ResponseReturnValue:
    db.session.rollback()
    first = next(iter(errors))
    return problem(422, errors[first][0], field=first, errors=errors)


def _as_typed(value: Any) -> str:
    """A JSON value as the form field would receive it typed (a ticked box is "y")."""
    if isinstance(value, bool):
        return "y" if value else ""
    return "" if value is None else str(value)


def _checked(body: dict[str, Any]) -> tuple[CheckoutForm, PaymentMethod] | dict[str, list[str]]:
    """The body through the checkout form's own checks (its fields, validators and
    messages) and the payment method, as the page checks them; or the refusals."""
    values = MultiDict({name: _as_typed(value) for name, value in body.items()})
    form = CheckoutForm(formdata=values, meta={"csrf": False})
    if not form.validate():
        return _form_errors(form)
    method = get_method(form.payment_method.data or "", current_app.config)
    if method is None or method.code not in API_PAYMENT_METHODS:
        return {"payment_method": [gettext("Vui lòng chọn cách thanh toán.")]}
    return form, method


def _placed(placed: idempotency.Placed) -> ResponseReturnValue:
    order = _full_order(placed.order.number)
    headers = {"Location": url_for("api_buyer.order", number=order.number)}
    if placed.replayed:
        headers["Idempotent-Replayed"] = "true"
    return _order(order), 201, headers


@bp.route("/cart/checkout", methods=["POST"])
@auth.rate_limited(auth.token_limit)
@buyer_or_cart(WRITE)
@bp.arguments(schemas.Checkout)
@bp.response(201, schemas.BuyerOrder)
@bp.alt_response(400, **PROBLEM)
@bp.alt_response(409, **PROBLEM)
@bp.alt_response(422, **PROBLEM)
@_cart_documented
@bp.doc(parameters=[IDEMPOTENCY_PARAMETER])
def checkout(body: dict[str, Any]) -> Any:
    """Place the cart's order with cash on delivery (`cod`) or a VietQR bank transfer
    (`bank_transfer`: the answer's `bank_transfer` says what to send). The same service
    as the checkout form (checkout.services.place_order_from_cart): prices, names and
    weights from the database now, one parcel and shipping fee per producer, stock taken
    atomically, the cart emptied, the emails queued. Requires `Idempotency-Key`."""
    caller = _caller()
    key = request.headers.get("Idempotency-Key")
    try:
        replay = idempotency.find_replay(db.session, caller.key, key or "", body)
    except idempotency.IdempotencyError as error:
        return _idempotency_refused(error)
    if replay is not None:
        return _placed(replay)
    pricing = caller.pricing()
    cart = caller.cart
    if cart is None or carts.summarize(db.session, cart, pricing).is_empty:
        return problem(409, gettext("Giỏ hàng của bạn đang trống."))
    checked = _checked(body)
    if isinstance(checked, dict):
        return _invalid(checked)
    form, method = checked
    language = str(get_locale().language) if get_locale() else "vi"
    details = CheckoutDetails(
        contact=Contact(form.contact_name.data or "", form.phone.data or "", form.email.data or ""),
        address=DeliveryAddress(
            province_code=form.province_code.data or 0,
            ward_code=form.ward_code.data or 0,
            street=form.street.data or "",
            note=form.note.data or "",
        ),
        payment_method=method,
        checkout_token="",  # idempotency.place_once derives it from the key
        user_id=caller.user_id,
        language=language,
        wants_invoice=bool(form.invoice.data),
    )
    try:
        placed = idempotency.place_once(
            db.session, caller.key, key or "", body, cart, details, pricing
        )
        db.session.commit()
    except idempotency.IdempotencyError as error:
        return _idempotency_refused(error)
    except OutOfStock as error:
        db.session.rollback()
        return problem(409, str(error), slug="out-of-stock")
    except OrderError as error:
        field = ORDER_ERROR_FIELDS.get(error.field or "")
        if field is None:
            return _refused(error)
        return _invalid({field: [str(error)]})
    except IntegrityError:
        # The order's own unique checkout token met a concurrent twin: its order.
        db.session.rollback()
        replay = idempotency.find_replay(db.session, caller.key, key or "", body)
        if replay is None:
            raise
        return _placed(replay)
    return _placed(placed)


def _idempotency_refused(error: idempotency.IdempotencyError) -> ResponseReturnValue:
    db.session.rollback()
    if error.reused:
        return problem(422, str(error), slug="idempotency-key-reused", field="Idempotency-Key")
    return problem(400, str(error), slug="idempotency-key-missing", field="Idempotency-Key")


# -- orders --------------------------------------------------------------------------------


def _own_order(number: str) -> Order:
    """The token's account's order: 404 for anyone else's, as the pages answer."""
    order = queries.order_for_page(db.session, number)
    if order is None or order.user_id is None or order.user_id != _buyer().id:
        abort(404)
    return order


ORDER_DOCS = [
    bp.alt_response(401, **PROBLEM),
    bp.alt_response(403, **PROBLEM),
    bp.alt_response(404, **PROBLEM),
    bp.doc(security=BUYER_SECURITY),
]


def _order_documented(view: Callable[..., Any]) -> Callable[..., Any]:
    for decorate in reversed(ORDER_DOCS):
        view = decorate(view)
    return view


@bp.route("/orders")
@auth.rate_limited(auth.token_limit)
@auth.token_required(READ, Role.BUYER)
@bp.response(200, schemas.BuyerOrderList)
@_order_documented
def orders() -> Any:
    """The account's orders, newest first (the 100 latest, as on /account/orders)."""
    found = queries.orders_of_user(db.session, _buyer().id)
    return {"items": [_order_summary(order) for order in found]}


@bp.route("/orders/<number>")
@auth.rate_limited(auth.token_limit)
@auth.token_required(READ, Role.BUYER)
@bp.response(200, schemas.BuyerOrder)
@_order_documented
def order(number: str) -> Any:
    """One of the account's orders: each producer's part with its status, history,
    carrier and tracking, and the VietQR transfer while one is awaited."""
    return _order(_own_order(number))


@bp.route("/orders/<number>/parts/<id:part_id>/cancel", methods=["POST"])
@auth.rate_limited(auth.token_limit)
@auth.token_required(WRITE, Role.BUYER)
@bp.response(200, schemas.BuyerOrder)
@bp.alt_response(409, **PROBLEM)
@_order_documented
def cancel_part(number: str, part_id: int) -> Any:
    """Cancel one producer's part before it ships (orders.fulfilment.buyer_cancel_part,
    as the order page): its stock goes back and the producer is told."""
    found = _own_order(number)
    try:
        fulfilment.buyer_cancel_part(db.session, found, part_id)
    except DomainError as error:
        return _refused(error)
    db.session.commit()
    db.session.expire_all()
    return _order(_full_order(number))


def _review(review: Review, slug: str) -> dict[str, Any]:
    return {
        "id": review.id,
        "product_id": review.product_id,
        "stars": review.stars,
        "body": review.body,
        "pack": review.variant_label,
        "author_name": review.author_name,
        "created_at": aware(review.created_at),
        "url": url_for("catalog.product_detail", slug=slug, _external=True)
        + f"#review-{review.id}",
    }


@bp.route("/orders/<number>/parts/<id:part_id>/reviews", methods=["POST"])
@auth.rate_limited(auth.token_limit)
@auth.token_required(WRITE, Role.BUYER)
@bp.arguments(schemas.NewReview)
@bp.response(201, schemas.Review)
@bp.alt_response(409, **PROBLEM)
@bp.alt_response(422, **PROBLEM)
@_order_documented
def review(body: dict[str, Any], number: str, part_id: int) -> Any:
    """Review a product of a delivered part of the account's order (reviews.services,
    as the review page: once per product and part, after delivery, stars 1 to 5)."""
    found = _own_order(number)
    if part_id not in {part.id for part in found.parts}:
        abort(404)
    user = _buyer()
    try:
        reviewable = reviews.reviewable_for_buyer(db.session, user.id, part_id, body["product_id"])
        name = reviews.author_name_of(db.session, user.id, found.contact_name)
        written = reviews.write_review(
            db.session,
            current_app.config["MEDIA_ROOT"],
            reviewable,
            reviews.ReviewDraft(stars=body["stars"], body=body["body"], pack=body["pack"]),
            name,
            user_id=user.id,
        )
    except reviews.ReviewError as error:
        if error.field:
            return _refused(error, 422, error.field)
        return _refused(error)
    except DomainError as error:
        return _refused(error)
    db.session.commit()
    product = db.session.get(Product, written.product_id)
    return _review(written, product.slug if product is not None else ""), 201
