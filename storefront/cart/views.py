"""The cart page and its forms: add from a product page, change a quantity, remove."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from storefront.accounts.addresses import list_addresses
from storefront.cart import identity, services
from storefront.cart.quote import quote
from storefront.extensions import db
from storefront.numbers import row_id, whole_number
from storefront.places import all_provinces, find_province, get_province
from storefront.site.urls import safe_next_path

bp = Blueprint("cart", __name__)


@bp.record_once
def _setup(state: BlueprintSetupState) -> None:
    state.app.before_request(identity.merge_after_login)
    state.app.jinja_env.globals["cart_item_count"] = identity.cart_item_count


def form_variant_id() -> int | None:
    """The submitted variant id, or None when it is not an id a row could have."""
    return row_id(request.form.get("variant_id"))


def form_quantity() -> int | None:
    """The submitted quantity, or None when it is not a whole number; the services cut
    an absurd one down to the stock before any row sees it."""
    return whole_number(request.form.get("quantity") or "", -(10**19), 10**19, signed=True)


def flash_change(change: services.CartChange) -> None:
    """Tell the buyer when the quantity was cut down to what is in stock."""
    if change.capped:
        flash(
            gettext(
                "Chỉ còn %(n)s sản phẩm %(name)s, giỏ hàng đã được điều chỉnh.",
                n=min(change.available, services.MAX_LINE_QUANTITY),
                name=change.product_name,
            ),
            "warning",
        )


def _destination(summary: services.CartSummary) -> int | None:
    """Where the buyer wants the parcels, to quote shipping: the province picked on the
    cart page (?province=, a slug or a name), else the province last chosen at checkout,
    else a signed-in buyer's default address."""
    picked = (request.args.get("province") or "").strip()[:80]
    if picked:
        province = find_province(picked)
        return province.code if province else None
    chosen = services.checkout_province_code(summary.cart)
    if chosen is not None and get_province(chosen) is not None:
        return chosen
    if current_user.is_authenticated:
        saved = list_addresses(db.session, current_user)
        if saved:
            return saved[0].province_code
    return None


@bp.get("/cart")
def show() -> ResponseReturnValue:
    summary = identity.current_summary()
    destination = _destination(summary) if not summary.is_empty else None
    return render_template(
        "cart/cart.html",
        summary=summary,
        quote=quote(db.session, summary, destination),
        destination=get_province(destination or 0),
        provinces=all_provinces(),
    )


@bp.post("/cart/add")
def add() -> ResponseReturnValue:
    back = safe_next_path(request.form.get("next"), default=url_for("cart.show"))
    variant_id, quantity = form_variant_id(), form_quantity()
    if quantity is None and not request.form.get("quantity"):
        quantity = 1
    if variant_id is None or quantity is None:
        flash(gettext("Số lượng phải là số nguyên từ 1 trở lên."), "error")
        return redirect(back)
    for attempt in range(2):
        try:
            cart = identity.current_cart(create=True)
            if cart is None:  # current_cart(create=True) always answers a cart
                raise RuntimeError("no cart")
            change = services.add_item(db.session, cart, variant_id, quantity)
            db.session.commit()
            break
        except services.CartError as error:
            db.session.rollback()
            flash(str(error), "error")
            return redirect(back)
        except IntegrityError:
            # A double click added the same line (or made the account's cart) at the
            # same moment; the second try finds what the first one made.
            db.session.rollback()
            if attempt:
                raise

    flash(gettext("Đã thêm %(name)s vào giỏ hàng.", name=change.product_name), "success")
    flash_change(change)
    return redirect(back)


@bp.post("/cart/update")
def update() -> ResponseReturnValue:
    """A new quantity typed in, or the stepper's − and + (step=-1 or 1 on the quantity
    shown), which need no JavaScript."""
    cart = identity.current_cart()
    variant_id, quantity = form_variant_id(), form_quantity()
    if cart is None or variant_id is None:
        flash(gettext("Sản phẩm này không có trong giỏ hàng."), "error")
        return redirect(url_for("cart.show"))
    step = request.form.get("step")
    if quantity is not None and step in ("-1", "1"):
        quantity = max(0, quantity + int(step))
    if quantity is None:
        flash(gettext("Số lượng phải là số nguyên từ 1 trở lên."), "error")
        return redirect(url_for("cart.show"))
    try:
        change = services.set_quantity(db.session, cart, variant_id, quantity)
    except services.CartError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("cart.show"))
    db.session.commit()
    flash_change(change)
    return redirect(url_for("cart.show"))


@bp.post("/cart/remove")
def remove() -> ResponseReturnValue:
    cart = identity.current_cart()
    variant_id = form_variant_id()
    if cart is not None and variant_id is not None:
        services.remove_item(db.session, cart, variant_id)
        db.session.commit()
        flash(gettext("Đã xoá sản phẩm khỏi giỏ hàng."), "success")
    return redirect(url_for("cart.show"))
