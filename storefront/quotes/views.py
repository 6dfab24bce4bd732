"""Quote pages: a business buyer asks and follows their quotes (/quotes/ask/<producer>,
/account/quotes), a producer's members answer them in the workspace
(/producer/<id>/quotes), admins read them (/admin/quotes).

A quote is shown only to its buyer, the producer's members and admins: anyone else gets
404 (the services look quotes up by id *and* owner). A refused form shows the page again,
status 400, with what was typed; an accepted step redirects (post/redirect/get).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale, gettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload

from storefront.accounts.access import login_required, role_required
from storefront.accounts.models import Role
from storefront.business.access import business_buyer_required
from storefront.business.models import BusinessProfile
from storefront.business.services import business_profile_for
from storefront.catalog.models import Producer, Product, Variant
from storefront.errors import DomainError, NotFound
from storefront.extensions import db
from storefront.fairs.models import Fair
from storefront.i18n import N_
from storefront.orders.access import grant_order_access
from storefront.orders.errors import OrderError
from storefront.payments.registry import get_method
from storefront.places import all_provinces, get_province, wards_of
from storefront.producers.workspace import acting_producer
from storefront.quotes import services
from storefront.quotes.forms import (
    AcceptForm,
    AnswerForm,
    DeclineForm,
    MessageForm,
    RequestForm,
    round_of,
    typed_numbers,
)
from storefront.quotes.models import Quote, QuoteState, Side
from storefront.timeutil import utcnow

bp = Blueprint("quotes", __name__)
SEE_OTHER = 303

STATE_LABELS = {
    QuoteState.REQUESTED: N_("Chờ chủ thể báo giá"),
    QuoteState.QUOTED: N_("Đã báo giá"),
    QuoteState.DECLINED: N_("Chủ thể từ chối"),
    QuoteState.ACCEPTED: N_("Đã chấp nhận"),
    QuoteState.EXPIRED: N_("Hết hạn"),
}
EVENT_LABELS = {
    "asked": N_("Gửi yêu cầu báo giá"),
    "quoted": N_("Gửi báo giá"),
    "declined": N_("Từ chối"),
    "asked_again": N_("Gửi lại yêu cầu"),
    "accepted": N_("Chấp nhận báo giá, đặt hàng"),
    "expired": N_("Báo giá hết hạn"),
    "message": N_("Tin nhắn"),
}
SIDE_LABELS = {"buyer": "Người mua", "producer": "Chủ thể", "system": "Hệ thống"}


def _province_name(code: int) -> str:
    province = get_province(code)
    return province.name if province else ""


def _labels() -> dict[str, Any]:
    return {
        "state_labels": STATE_LABELS,
        "event_labels": EVENT_LABELS,
        "side_labels": SIDE_LABELS,
        "provinces": all_provinces(),
        "province_name": _province_name,
    }


def _producer_packs(producer_id: int, product_id: int | None = None) -> list[Variant]:
    """The producer's packs on sale (one product's, when asked from its page)."""
    query = (
        select(Variant)
        .options(joinedload(Variant.product))
        .join(Product, Product.id == Variant.product_id)
        .where(
            Product.producer_id == producer_id,
            Product.is_published.is_(True),
            Variant.is_active.is_(True),
        )
        .order_by(Product.name, Product.id, Variant.position, Variant.id)
    )
    if product_id is not None:
        query = query.where(Product.id == product_id)
    return list(db.session.execute(query).scalars())


def _request_from(form: RequestForm) -> tuple[services.QuoteRequest, list[int]]:
    quantities, refused = typed_numbers(request.form, "qty")
    lines = [services.AskedLine(vid, qty) for vid, qty in sorted(quantities.items()) if qty]
    asked = services.QuoteRequest(
        lines=lines,
        delivery_province_code=form.delivery_province_code.data or 0,
        wanted_on=form.wanted_on.data,
        notes=form.notes.data or "",
    )
    return asked, refused


def _set_provinces(form: RequestForm) -> None:
    form.delivery_province_code.choices = [(0, gettext("— Chọn tỉnh, thành phố —"))] + [
        (p.code, p.name) for p in all_provinces()
    ]


# The buyer's side.


@bp.route("/quotes/ask/<slug>", methods=["GET", "POST"])
@business_buyer_required
def ask(slug: str) -> ResponseReturnValue:
    """Ask a producer for a quote: from its page, one of its products' or a fair booth."""
    producer = db.session.execute(
        select(Producer).where(Producer.slug == slug, Producer.is_active.is_(True))
    ).scalar_one_or_none()
    if producer is None:
        abort(404)
    product = None
    product_slug = request.args.get("product", "")
    if product_slug:
        product = db.session.execute(
            select(Product).where(
                Product.slug == product_slug,
                Product.producer_id == producer.id,
                Product.is_published.is_(True),
            )
        ).scalar_one_or_none()
    fair = None
    fair_slug = request.args.get("fair", "")
    if fair_slug:
        named = db.session.execute(select(Fair).where(Fair.slug == fair_slug)).scalar_one_or_none()
        # Only a fair where this producer has a booth (never a draft's name or id).
        if named is not None and services.fair_of_booth(db.session, named.id, producer.id):
            fair = named
    packs = _producer_packs(producer.id, product.id if product else None)
    form = RequestForm()
    _set_provinces(form)
    error = ""
    if request.method == "POST":
        asked, refused = _request_from(form)
        if not form.validate_on_submit() or refused:
            error = gettext("Vui lòng kiểm tra lại các mục được đánh dấu.")
        else:
            try:
                quote = services.ask_quote(
                    db.session,
                    int(current_user.id),
                    producer.id,
                    asked,
                    form.token.data or "",
                    utcnow(),
                    fair_id=fair.id if fair else None,
                )
                db.session.commit()
            except IntegrityError:
                # The same form sent twice at once: the other request made the quote.
                db.session.rollback()
                found = services.find_by_token(db.session, form.token.data or "")
                if found is None or found.buyer_id != current_user.id:
                    raise
                quote = found
            except DomainError as refusal:
                db.session.rollback()
                if isinstance(refusal, NotFound):
                    abort(404)
                error = str(refusal)
            else:
                flash(gettext("Đã gửi yêu cầu báo giá. Chủ thể sẽ trả lời qua email."), "success")
                return redirect(url_for(".buyer_detail", quote_id=quote.id), SEE_OTHER)
        typed = {name: request.form.get(name, "") for name in request.form}
        status = 400
    else:
        profile = business_profile_for(int(current_user.id))
        form.token.data = services.new_quote_token()
        if profile is not None and get_province(profile.province_code):
            form.delivery_province_code.data = profile.province_code
        typed = {}
        status = 200
    return (
        render_template(
            "quotes/ask.html",
            producer=producer,
            product=product,
            fair=fair,
            packs=packs,
            form=form,
            typed=typed,
            error=error,
            **_labels(),
        ),
        status,
    )


@bp.get("/account/quotes")
@business_buyer_required
def mine() -> ResponseReturnValue:
    """The business buyer's quotes, most recently moved first."""
    quotes = services.buyer_quotes(db.session, int(current_user.id))
    return render_template(
        "quotes/mine.html",
        quotes=quotes,
        orders=services.order_numbers(db.session, quotes),
        **_labels(),
    )


def _buyer_quote(quote_id: int) -> Quote:
    try:
        return services.quote_for_buyer(db.session, int(current_user.id), quote_id)
    except NotFound:
        abort(404)


def _order_number(quote: Quote) -> str | None:
    return services.order_numbers(db.session, [quote]).get(quote.order_id or 0)


def _buyer_page(
    quote: Quote,
    status: int = 200,
    accept_form: AcceptForm | None = None,
    again_form: RequestForm | None = None,
    message_form: MessageForm | None = None,
    typed: dict[str, str] | None = None,
    error: str = "",
) -> ResponseReturnValue:
    """The buyer's page of a quote, with the refused form (if any) as it was typed."""
    if accept_form is None:
        accept_form = AcceptForm(formdata=None)
        profile = business_profile_for(quote.buyer_id)
        accept_form.contact_name.data = (profile.contact_name if profile else "") or (
            current_user.full_name
        )
        accept_form.phone.data = (profile.contact_phone if profile else "") or current_user.phone
        if profile is not None and profile.province_code == quote.delivery_province_code:
            accept_form.ward_code.data = profile.ward_code
            accept_form.street.data = profile.address_line
        accept_form.payment_method.data = "bank_transfer"
        accept_form.wants_invoice.data = True
    accept_form.round.data = str(quote.round)
    accept_form.ward_code.choices = [(0, gettext("— Chọn phường, xã —"))] + [
        (w.code, w.name) for w in wards_of(quote.delivery_province_code)
    ]
    if again_form is None:
        again_form = RequestForm(formdata=None)
        again_form.delivery_province_code.data = quote.delivery_province_code
        again_form.wanted_on.data = quote.wanted_on
        again_form.notes.data = quote.notes
    again_form.round.data = str(quote.round)
    _set_provinces(again_form)
    if message_form is None:
        message_form = MessageForm(formdata=None)
    message_form.token.data = services.new_quote_token()
    asked = {line.variant_id: line.quantity for line in quote.current_lines}
    page = render_template(
        "quotes/detail.html",
        side="buyer",
        quote=quote,
        order_number=_order_number(quote),
        shown_state=quote.shown_state,
        can_accept=quote.shown_state == QuoteState.QUOTED,
        can_ask_again=quote.state in services.REOPENABLE and quote.order_id is None,
        packs=_producer_packs(quote.producer_id),
        asked=asked,
        typed=typed or {},
        accept_form=accept_form,
        again_form=again_form,
        message_form=message_form,
        message_url=url_for(".buyer_message", quote_id=quote.id),
        error=error,
        **_labels(),
    )
    return page, status


@bp.get("/account/quotes/<id:quote_id>")
@login_required
def buyer_detail(quote_id: int) -> ResponseReturnValue:
    return _buyer_page(_buyer_quote(quote_id))


@bp.post("/account/quotes/<id:quote_id>/accept")
@login_required
def accept(quote_id: int) -> ResponseReturnValue:
    """Accept the quote as seen: it becomes an order (transfer or COD)."""
    quote = _buyer_quote(quote_id)
    form = AcceptForm()
    form.ward_code.choices = [(w.code, w.name) for w in wards_of(quote.delivery_province_code)]
    if not form.validate_on_submit():
        return _buyer_page(
            quote, 400, accept_form=form, error=gettext("Vui lòng điền đủ thông tin.")
        )
    method = get_method(form.payment_method.data or "", current_app.config)
    if method is None or method.start is not None:
        return _buyer_page(
            quote, 400, accept_form=form, error=gettext("Vui lòng chọn cách thanh toán.")
        )
    acceptance = services.Acceptance(
        contact_name=form.contact_name.data or "",
        phone=form.phone.data or "",
        ward_code=form.ward_code.data or 0,
        street=form.street.data or "",
        note=form.note.data or "",
        payment_method=method.code,
        awaiting_payment=method.awaiting_payment,
        wants_invoice=bool(form.wants_invoice.data),
        language=str(get_locale().language) if get_locale() else "vi",
    )
    try:
        order = services.accept_quote(
            db.session, int(current_user.id), quote.id, round_of(form), acceptance, utcnow()
        )
        db.session.commit()
    except services.QuoteMoved as moved:
        db.session.rollback()
        flash(str(moved), "error")
        return redirect(url_for(".buyer_detail", quote_id=quote_id), SEE_OTHER)
    except (DomainError, OrderError) as refusal:
        db.session.rollback()
        return _buyer_page(_buyer_quote(quote_id), 400, accept_form=form, error=str(refusal))
    except IntegrityError:
        # Two acceptances at once: the other one placed the order (its token is unique).
        db.session.rollback()
        flash(gettext("Báo giá này đã được chấp nhận và đã thành đơn hàng."), "error")
        return redirect(url_for(".buyer_detail", quote_id=quote_id), SEE_OTHER)
    grant_order_access(order.number)
    flash(
        gettext("Đã chấp nhận báo giá. Đơn hàng %(number)s đã được tạo.", number=order.number),
        "success",
    )
    return redirect(url_for("orders.confirmation", number=order.number), SEE_OTHER)


@bp.post("/account/quotes/<id:quote_id>/ask-again")
@login_required
def ask_again(quote_id: int) -> ResponseReturnValue:
    """Ask again with changed quantities, place, date or notes: the next round."""
    quote = _buyer_quote(quote_id)
    form = RequestForm()
    _set_provinces(form)
    asked, refused = _request_from(form)
    typed = {name: request.form.get(name, "") for name in request.form}
    if not form.validate_on_submit() or refused:
        return _buyer_page(
            quote,
            400,
            again_form=form,
            typed=typed,
            error=gettext("Vui lòng kiểm tra lại các mục được đánh dấu."),
        )
    try:
        services.ask_again(
            db.session, int(current_user.id), quote.id, round_of(form), asked, utcnow()
        )
        db.session.commit()
    except services.QuoteMoved as moved:
        db.session.rollback()
        flash(str(moved), "error")
        return redirect(url_for(".buyer_detail", quote_id=quote_id), SEE_OTHER)
    except DomainError as refusal:
        db.session.rollback()
        return _buyer_page(
            _buyer_quote(quote_id), 400, again_form=form, typed=typed, error=str(refusal)
        )
    flash(gettext("Đã gửi lại yêu cầu báo giá."), "success")
    return redirect(url_for(".buyer_detail", quote_id=quote_id), SEE_OTHER)


def _message(quote: Quote, side: Side, back: str, page: Any) -> ResponseReturnValue:
    form = MessageForm()
    if not form.validate_on_submit():
        return page(form, gettext("Vui lòng nhập nội dung tin nhắn."))
    try:
        services.post_message(
            db.session,
            quote,
            int(current_user.id),
            side,
            form.body.data or "",
            form.token.data or "",
            utcnow(),
        )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()  # the same message sent twice at once: the other one is kept
    except DomainError as refusal:
        db.session.rollback()
        return page(form, str(refusal))
    flash(gettext("Đã gửi tin nhắn."), "success")
    return redirect(back, SEE_OTHER)


@bp.post("/account/quotes/<id:quote_id>/messages")
@login_required
def buyer_message(quote_id: int) -> ResponseReturnValue:
    quote = _buyer_quote(quote_id)
    return _message(
        quote,
        Side.BUYER,
        url_for(".buyer_detail", quote_id=quote_id, _anchor="thread"),
        lambda form, error: _buyer_page(quote, 400, message_form=form, error=error),
    )


# The producer's side.


@bp.get("/producer/<id:producer_id>/quotes")
@role_required(Role.PRODUCER)
def producer_quotes(producer_id: int) -> ResponseReturnValue:
    """The producer's quotes, filterable by state, most recently moved first."""
    producer = acting_producer(producer_id)
    state = services.parse_state(request.args.get("status"))
    quotes = services.producer_quotes(db.session, producer_id, state)
    return render_template(
        "quotes/producer_quotes.html",
        producer=producer,
        quotes=quotes,
        state=state,
        states=list(QuoteState),
        businesses=_businesses(quotes),
        **_labels(),
    )


def _businesses(quotes: list[Quote]) -> dict[int, str]:
    """Buyer id → business name, for the lists (one query)."""
    ids = sorted({q.buyer_id for q in quotes})
    if not ids:
        return {}
    rows = db.session.execute(
        select(BusinessProfile.user_id, BusinessProfile.name).where(
            BusinessProfile.user_id.in_(ids)
        )
    )
    return dict(rows.tuples().all())


def _producer_quote(producer_id: int, quote_id: int) -> Quote:
    acting_producer(producer_id)
    try:
        return services.quote_for_producer(db.session, producer_id, quote_id)
    except NotFound:
        abort(404)


def _producer_page(
    quote: Quote,
    status: int = 200,
    answer_form: AnswerForm | None = None,
    decline_form: DeclineForm | None = None,
    message_form: MessageForm | None = None,
    typed: dict[str, str] | None = None,
    error: str = "",
) -> ResponseReturnValue:
    answer_form = answer_form or AnswerForm(formdata=None)
    answer_form.round.data = str(quote.round)
    decline_form = decline_form or DeclineForm(formdata=None)
    decline_form.round.data = str(quote.round)
    message_form = message_form or MessageForm(formdata=None)
    message_form.token.data = services.new_quote_token()
    page = render_template(
        "quotes/detail.html",
        side="producer",
        quote=quote,
        producer=quote.producer,
        business=business_profile_for(quote.buyer_id),
        order_number=_order_number(quote),
        shown_state=quote.shown_state,
        can_answer=quote.state == QuoteState.REQUESTED,
        typed=typed or {},
        answer_form=answer_form,
        decline_form=decline_form,
        message_form=message_form,
        message_url=url_for(".producer_message", producer_id=quote.producer_id, quote_id=quote.id),
        error=error,
        **_labels(),
    )
    return page, status


@bp.get("/producer/<id:producer_id>/quotes/<id:quote_id>")
@role_required(Role.PRODUCER)
def producer_detail(producer_id: int, quote_id: int) -> ResponseReturnValue:
    return _producer_page(_producer_quote(producer_id, quote_id))


def _back_to(producer_id: int, quote_id: int) -> ResponseReturnValue:
    return redirect(
        url_for(".producer_detail", producer_id=producer_id, quote_id=quote_id), SEE_OTHER
    )


@bp.post("/producer/<id:producer_id>/quotes/<id:quote_id>/answer")
@role_required(Role.PRODUCER)
def answer(producer_id: int, quote_id: int) -> ResponseReturnValue:
    """Send the quote: a unit price per line, shipping, lead time, valid until, conditions."""
    quote = _producer_quote(producer_id, quote_id)
    form = AnswerForm()
    prices, refused = typed_numbers(request.form, "price")
    typed = {name: request.form.get(name, "") for name in request.form}
    if not form.validate_on_submit() or refused:
        return _producer_page(
            quote,
            400,
            answer_form=form,
            typed=typed,
            error=gettext("Vui lòng kiểm tra lại các mục được đánh dấu."),
        )
    reply = services.QuoteAnswer(
        unit_prices=prices,
        shipping_fee_vnd=form.shipping_fee.data or 0,
        lead_time_days=form.lead_time_days.data or 0,
        valid_until=form.valid_until.data,  # InputRequired
        conditions=form.conditions.data or "",
    )
    try:
        services.answer_quote(
            db.session, producer_id, quote.id, round_of(form), reply, int(current_user.id), utcnow()
        )
        db.session.commit()
    except services.QuoteMoved as moved:
        db.session.rollback()
        flash(str(moved), "error")
        return _back_to(producer_id, quote_id)
    except DomainError as refusal:
        db.session.rollback()
        return _producer_page(
            _producer_quote(producer_id, quote_id),
            400,
            answer_form=form,
            typed=typed,
            error=str(refusal),
        )
    flash(gettext("Đã gửi báo giá cho người mua."), "success")
    return _back_to(producer_id, quote_id)


@bp.post("/producer/<id:producer_id>/quotes/<id:quote_id>/decline")
@role_required(Role.PRODUCER)
def decline(producer_id: int, quote_id: int) -> ResponseReturnValue:
    quote = _producer_quote(producer_id, quote_id)
    form = DeclineForm()
    if not form.validate_on_submit():
        return _producer_page(
            quote, 400, decline_form=form, error=gettext("Vui lòng cho người mua biết lý do.")
        )
    try:
        services.decline_quote(
            db.session,
            producer_id,
            quote.id,
            round_of(form),
            form.reason.data or "",
            int(current_user.id),
            utcnow(),
        )
        db.session.commit()
    except services.QuoteMoved as moved:
        db.session.rollback()
        flash(str(moved), "error")
        return _back_to(producer_id, quote_id)
    except DomainError as refusal:
        db.session.rollback()
        return _producer_page(
            _producer_quote(producer_id, quote_id), 400, decline_form=form, error=str(refusal)
        )
    flash(gettext("Đã báo người mua rằng bạn không nhận yêu cầu này."), "success")
    return _back_to(producer_id, quote_id)


@bp.post("/producer/<id:producer_id>/quotes/<id:quote_id>/messages")
@role_required(Role.PRODUCER)
def producer_message(producer_id: int, quote_id: int) -> ResponseReturnValue:
    quote = _producer_quote(producer_id, quote_id)
    return _message(
        quote,
        Side.PRODUCER,
        url_for(".producer_detail", producer_id=producer_id, quote_id=quote_id, _anchor="thread"),
        lambda form, error: _producer_page(quote, 400, message_form=form, error=error),
    )


# Admins read every quote.


@bp.get("/admin/quotes")
@role_required(Role.ADMIN)
def admin_quotes() -> ResponseReturnValue:
    state = services.parse_state(request.args.get("status"))
    quotes = services.all_quotes(db.session, state)
    return render_template(
        "quotes/admin_quotes.html",
        quotes=quotes,
        state=state,
        states=list(QuoteState),
        businesses=_businesses(quotes),
        **_labels(),
    )


@bp.get("/admin/quotes/<id:quote_id>")
@role_required(Role.ADMIN)
def admin_detail(quote_id: int) -> ResponseReturnValue:
    try:
        quote = services.quote_by_id(db.session, quote_id)
    except NotFound:
        abort(404)
    return render_template(
        "quotes/detail.html",
        side="admin",
        quote=quote,
        business=business_profile_for(quote.buyer_id),
        order_number=_order_number(quote),
        shown_state=quote.shown_state,
        typed={},
        error="",
        **_labels(),
    )
