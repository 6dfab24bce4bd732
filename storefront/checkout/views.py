"""The checkout page: delivery details, each producer's shipping, payment, place order.

One POST endpoint serves three buttons: "choose province" and "use this address" only
redraw the form (the no-JavaScript way to narrow the wards and update shipping), and
"place order" places it.
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask import session as browser_session
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from storefront.accounts import addresses
from storefront.accounts.forms import set_place_choices
from storefront.accounts.models import Address, User
from storefront.cart import identity
from storefront.cart.services import summarize
from storefront.checkout import services
from storefront.checkout.forms import CheckoutForm
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.fairs.attribution import attributed_fair_id
from storefront.orders.access import grant_order_access
from storefront.orders.errors import OrderError, OutOfStock
from storefront.orders.placement import (
    TOKEN_PATTERN,
    Contact,
    DeliveryAddress,
    find_by_token,
    new_checkout_token,
)
from storefront.orders.views import send_emails_after_commit
from storefront.payments.registry import available_methods, get_method
from storefront.timeutil import utcnow

bp = Blueprint("checkout", __name__)
logger = logging.getLogger(__name__)


def _user() -> User | None:
    return current_user if current_user.is_authenticated else None


def _prefill(form: CheckoutForm) -> None:
    """A signed-in buyer starts from their name, phone, email and default address."""
    user = _user()
    if user is None:
        return
    form.contact_name.data = user.full_name
    form.phone.data = user.phone
    form.email.data = user.email
    saved = addresses.list_addresses(db.session, user)
    if saved:
        _use_address(form, saved[0])


def _use_address(form: CheckoutForm, address: Address) -> None:
    form.saved_address.data = address.id
    form.contact_name.data = address.recipient_name
    form.phone.data = address.phone
    form.province_code.data = address.province_code
    form.ward_code.data = address.ward_code
    form.street.data = address.street


def _render(form: CheckoutForm, status: int = 200, error: str | None = None) -> ResponseReturnValue:
    summary = services.with_fair_prices(
        db.session,
        summarize(db.session, identity.current_cart()),
        attributed_fair_id(db.session, browser_session, utcnow()),
        utcnow(),
    )
    user = _user()
    saved = addresses.list_addresses(db.session, user) if user else []
    form.saved_address.choices = [(a.id, f"{a.recipient_name}, {a.street}") for a in saved]
    set_place_choices(form)
    methods = available_methods(current_app.config)
    form.payment_method.choices = [(m.code, m.label) for m in methods]
    if form.payment_method.data not in {m.code for m in methods}:
        form.payment_method.data = methods[0].code if methods else None
    if not TOKEN_PATTERN.fullmatch(form.checkout_token.data or ""):
        form.checkout_token.data = new_checkout_token()
    province_code = form.province_code.data if isinstance(form.province_code.data, int) else 0
    return (
        render_template(
            "checkout/checkout.html",
            form=form,
            quote=services.quote(db.session, summary, province_code),
            methods={m.code: m for m in methods},
            saved_addresses=saved,
            error=error,
        ),
        status,
    )


@bp.get("/checkout")
def checkout() -> ResponseReturnValue:
    summary = summarize(db.session, identity.current_cart())
    if summary.is_empty:
        flash(gettext("Giỏ hàng của bạn đang trống."), "info")
        return redirect(url_for("cart.show"))
    form = CheckoutForm()
    _prefill(form)
    return _render(form)


@bp.post("/checkout")
def submit() -> ResponseReturnValue:
    form = CheckoutForm()
    if "place" not in request.form:
        return _redraw(form)
    # A double click, a refresh or a resent request: the token already placed an order.
    existing = find_by_token(db.session, form.checkout_token.data or "")
    if existing is not None:
        grant_order_access(existing.number)
        return redirect(url_for("orders.confirmation", number=existing.number))
    cart = identity.current_cart()
    if cart is None or summarize(db.session, cart).is_empty:
        flash(gettext("Giỏ hàng của bạn đang trống."), "info")
        return redirect(url_for("cart.show"))
    if not form.validate_on_submit():
        return _render(form, 400)
    method = get_method(form.payment_method.data or "", current_app.config)
    if method is None:
        form.payment_method.errors.append(gettext("Vui lòng chọn cách thanh toán."))
        return _render(form, 400)
    user = _user()
    details = services.CheckoutDetails(
        contact=Contact(form.contact_name.data or "", form.phone.data or "", form.email.data or ""),
        address=DeliveryAddress(
            province_code=form.province_code.data or 0,
            ward_code=form.ward_code.data or 0,
            street=form.street.data or "",
            note=form.note.data or "",
        ),
        payment_method=method,
        checkout_token=form.checkout_token.data or "",
        user_id=user.id if user else None,
        language=str(get_locale().language) if get_locale() else "vi",
        fair_id=attributed_fair_id(db.session, browser_session, utcnow()),
    )
    try:
        placed = services.place_order_from_cart(db.session, cart, details)
        db.session.commit()
    except OutOfStock as error:
        db.session.rollback()
        return _render(form, 409, error=str(error))
    except OrderError as error:
        db.session.rollback()
        field = getattr(form, FIELDS.get(error.field or "", ""), None)
        if field is None:
            return _render(form, 400, error=str(error))
        field.errors = [*field.errors, str(error)]
        return _render(form, 400)
    except IntegrityError:
        # The same token submitted twice at once: the other request placed the order.
        db.session.rollback()
        existing = find_by_token(db.session, details.checkout_token)
        if existing is None:
            raise
        grant_order_access(existing.number)
        return redirect(url_for("orders.confirmation", number=existing.number))
    order = placed.order
    grant_order_access(order.number)
    send_emails_after_commit(order.id)
    if method.start is not None:
        try:
            target = method.start(order)
        except DomainError as error:
            flash(str(error), "error")
            target = None
        if target:
            return redirect(target)
    return redirect(url_for("orders.confirmation", number=order.number))


FIELDS = {
    "name": "contact_name",
    "phone": "phone",
    "email": "email",
    "province": "province_code",
    "ward": "ward_code",
    "street": "street",
    "note": "note",
}


def _redraw(form: CheckoutForm) -> ResponseReturnValue:
    """Redraw the form without placing anything: new province (its wards, the shipping),
    or a saved address copied into the fields."""
    user = _user()
    if "use_address" in request.form and user is not None:
        try:
            address = addresses.get_address(db.session, user, form.saved_address.data or 0)
        except DomainError as error:
            return _render(form, 400, error=str(error))
        _use_address(form, address)
    return _render(form)
