"""The checkout page: delivery details, each producer's shipping, payment, place order.

One POST endpoint serves three buttons: "choose province" and "use this address" only
redraw the form (the no-JavaScript way to narrow the wards and update shipping), and
"place order" places it. Every POST ends in a redirect (post/redirect/get): what was
typed and what was refused wait on the cart (checkout/draft.py) for the GET that shows
them, so the history holds no POST and Back never asks to resubmit a form.
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from werkzeug.datastructures import MultiDict

from storefront.accounts import addresses
from storefront.accounts.forms import set_place_choices
from storefront.accounts.models import Address, User
from storefront.cart import identity
from storefront.cart.models import Cart
from storefront.cart.quote import quote
from storefront.cart.services import CartSummary, keep_checkout_draft, summarize
from storefront.checkout import services
from storefront.checkout.draft import CheckoutDraft
from storefront.checkout.forms import ORDER_ERROR_FIELDS as FIELDS
from storefront.checkout.forms import CheckoutForm
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.ops import metrics
from storefront.orders.access import grant_order_access
from storefront.orders.errors import OrderError, OutOfStock
from storefront.orders.invoices import invoice_details_for
from storefront.orders.placement import (
    TOKEN_PATTERN,
    Contact,
    DeliveryAddress,
    find_by_token,
    new_checkout_token,
)
from storefront.payments.registry import available_methods, get_method
from storefront.pricing.web import visitor_price_context

bp = Blueprint("checkout", __name__)
logger = logging.getLogger(__name__)
SEE_OTHER = 303  # after a POST, GET the target


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
    form.invoice.data = True  # shown to business buyers only, who mostly want one
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


def _form_from(draft: CheckoutDraft | None) -> CheckoutForm:
    """The form as the buyer left it (the draft), or prefilled for a first visit."""
    if draft is None:
        form = CheckoutForm(formdata=None)
        _prefill(form)
        return form
    form = CheckoutForm(formdata=MultiDict(draft.values))
    for name, messages in draft.errors.items():
        if name in form:
            form[name].errors = list(messages)
    return form


def _render(form: CheckoutForm, summary: CartSummary, error: str = "") -> ResponseReturnValue:
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
    response = current_app.make_response(
        render_template(
            "checkout/checkout.html",
            form=form,
            quote=quote(db.session, summary, province_code),
            methods={m.code: m for m in methods},
            saved_addresses=saved,
            invoice_to=invoice_details_for(db.session, user.id if user else None),
            error=error,
        )
    )
    # Typed personal details: never kept by a cache, and Back fetches the page anew.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/checkout")
def checkout() -> ResponseReturnValue:
    summary = identity.current_summary()
    if summary.is_empty or summary.cart is None:
        flash(gettext("Giỏ hàng của bạn đang trống."), "info")
        return redirect(url_for("cart.show"))
    draft = CheckoutDraft.from_json(summary.cart.checkout_draft)
    return _render(_form_from(draft), summary, draft.message if draft else "")


def _back_to_form(cart: Cart, draft: CheckoutDraft) -> ResponseReturnValue:
    """Keep the draft on the cart and show the form again, by GET."""
    keep_checkout_draft(db.session, cart, draft.to_json())
    db.session.commit()
    return redirect(url_for("checkout.checkout", _anchor="delivery"), SEE_OTHER)


def _field_errors(form: CheckoutForm) -> dict[str, list[str]]:
    return {name: [str(m) for m in messages] for name, messages in form.errors.items()}


@bp.post("/checkout")
def submit() -> ResponseReturnValue:
    form = CheckoutForm()
    # A double click, a refresh or a resent request: the token already placed an order.
    existing = find_by_token(db.session, form.checkout_token.data or "")
    if existing is not None:
        grant_order_access(existing.number)
        return redirect(url_for("orders.confirmation", number=existing.number), SEE_OTHER)
    pricing = visitor_price_context()
    cart = identity.current_cart()
    if cart is None or summarize(db.session, cart, pricing).is_empty:
        flash(gettext("Giỏ hàng của bạn đang trống."), "info")
        return redirect(url_for("cart.show"), SEE_OTHER)
    draft = CheckoutDraft.from_form(request.form)
    if "place" not in request.form:
        return _back_to_form(cart, _redrawn(draft))
    if not form.validate_on_submit():
        return _back_to_form(cart, draft.refused(_field_errors(form)))
    method = get_method(form.payment_method.data or "", current_app.config)
    if method is None:
        refusal = {"payment_method": [gettext("Vui lòng chọn cách thanh toán.")]}
        return _back_to_form(cart, draft.refused(refusal))
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
        wants_invoice=bool(form.invoice.data),
    )
    try:
        placed = services.place_order_from_cart(db.session, cart, details, pricing)
        db.session.commit()
    except OutOfStock as error:
        db.session.rollback()
        return _back_to_form(cart, draft.refused(message=str(error)))
    except OrderError as error:
        db.session.rollback()
        name = FIELDS.get(error.field or "")
        if name is None:
            return _back_to_form(cart, draft.refused(message=str(error)))
        return _back_to_form(cart, draft.refused({name: [str(error)]}))
    except IntegrityError:
        # The same token submitted twice at once: the other request placed the order.
        db.session.rollback()
        existing = find_by_token(db.session, details.checkout_token)
        if existing is None:
            raise
        grant_order_access(existing.number)
        return redirect(url_for("orders.confirmation", number=existing.number), SEE_OTHER)
    order = placed.order
    if placed.created:
        metrics.order_placed()
    grant_order_access(order.number)
    if method.start is not None:
        try:
            target = method.start(order)
        except DomainError as error:
            flash(str(error), "error")
            target = None
        if target:
            return redirect(target, SEE_OTHER)
    return redirect(url_for("orders.confirmation", number=order.number), SEE_OTHER)


def _redrawn(draft: CheckoutDraft) -> CheckoutDraft:
    """The draft after "choose province" (kept as typed: the GET narrows the wards and
    quotes the shipping) or "use this address" (the saved address copied in)."""
    user = _user()
    if "use_address" not in request.form or user is None:
        return draft
    chosen = draft.values.get("saved_address", "")
    try:
        address = addresses.get_address(db.session, user, int(chosen) if chosen.isdigit() else 0)
    except DomainError as error:
        return draft.refused({"saved_address": [str(error)]})
    values = dict(draft.values)
    values.update(
        saved_address=str(address.id),
        contact_name=address.recipient_name,
        phone=address.phone,
        province_code=str(address.province_code),
        ward_code=str(address.ward_code),
        street=address.street,
    )
    return CheckoutDraft(values)
