"""Quotes: asking, answering, declining, asking again, accepting, expiring, messages.

Every step is one conditional UPDATE on the quote row naming the state and round it
moves from (`UPDATE quote ... WHERE id = :id AND state = :old AND round = :round`):
whatever raced it (a second click, another tab, the expiry command, the other side's
step) finds the row moved and gets a QuoteError, so each step happens once. Accepting
also checks the valid-until day in that same statement, so a quote expiring while it is
accepted has one outcome. The step writes its event (the thread) and the other side's
email (the outbox) in the same transaction. Services only flush; the caller commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import joinedload, selectinload

from storefront.accounts.models import ProducerMember, User
from storefront.business.services import business_profile_for
from storefront.catalog.models import Producer, Product, Variant
from storefront.dates import vietnam_time
from storefront.errors import DomainError, NotFound
from storefront.extensions import Session, rowcount
from storefront.fairs.models import ExhibitorStatus, Fair, FairExhibitor, FairState
from storefront.i18n import N_
from storefront.numbers import INT_MAX
from storefront.orders.emails import producer_emails
from storefront.orders.models import Order
from storefront.orders.placement import (
    MAX_QUANTITY_PER_LINE,
    TOKEN_PATTERN,
    Contact,
    DeliveryAddress,
    LineRequest,
    OrderRequest,
    QuotedTerms,
    check_address,
    check_contact,
    place_order,
)
from storefront.places import get_province
from storefront.pricing import Channel
from storefront.quotes.models import (
    EventKind,
    Quote,
    QuoteEmail,
    QuoteEvent,
    QuoteLine,
    QuoteState,
    Side,
)

MAX_LINES = 50
MAX_TEXT = 2000
MAX_LEAD_DAYS = 365
MAX_VALID_DAYS = 180
MAX_WANTED_DAYS = 365
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"  # as order numbers: read aloud, typed
PRICE_SOURCE = "quote"
FAIR_CHANNEL = "fair"
# States the buyer may ask again from: the producer's turn is over for this round.
REOPENABLE = (QuoteState.QUOTED, QuoteState.DECLINED, QuoteState.EXPIRED)


class QuoteError(DomainError):
    """A quote step the shop refuses. `field` names the form field at fault, if any."""

    def __init__(self, message: str, field: str | None = None, **params: Any) -> None:
        super().__init__(message, **params)
        self.field = field


class QuoteMoved(QuoteError):
    """The quote is no longer where the form saw it (another tab, the other side, expiry)."""


@dataclass(frozen=True)
class AskedLine:
    variant_id: int
    quantity: int


@dataclass(frozen=True)
class QuoteRequest:
    """What a business buyer asks for: packs and quantities, where and when, notes."""

    lines: Sequence[AskedLine]
    delivery_province_code: int
    wanted_on: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class QuoteAnswer:
    """The producer's quote for the current round: a unit price per line (line id → VND)."""

    unit_prices: Mapping[int, int]
    shipping_fee_vnd: int
    lead_time_days: int
    valid_until: date
    conditions: str = ""


@dataclass(frozen=True)
class Acceptance:
    """Where the accepted goods go (in the quote's province) and how the buyer pays."""

    contact_name: str
    phone: str
    ward_code: int
    street: str
    payment_method: str
    awaiting_payment: bool
    note: str = ""
    language: str = "vi"
    wants_invoice: bool = False  # the business profile's invoice details on the order


def new_quote_token() -> str:
    """A fresh one-time token for an ask or message form."""
    return secrets.token_urlsafe(24)


def vietnam_day(now: datetime) -> date:
    return vietnam_time(now).date()


def _text(value: str, field: str) -> str:
    text = (value or "").strip()
    if len(text) > MAX_TEXT:
        raise QuoteError(N_("Tối đa %(n)s ký tự."), field=field, n=MAX_TEXT)
    return text


def _checked_request(
    session: Session, producer_id: int, request: QuoteRequest, today: date
) -> tuple[QuoteRequest, list[Variant]]:
    """The request with its lines merged and checked against the producer's catalogue."""
    if not request.lines:
        raise QuoteError(N_("Vui lòng nhập số lượng cho ít nhất một quy cách."), field="lines")
    quantities: dict[int, int] = {}
    for line in request.lines:
        if not isinstance(line.quantity, int) or line.quantity < 1:
            raise QuoteError(N_("Số lượng phải là số nguyên từ 1 trở lên."), field="lines")
        quantities[line.variant_id] = quantities.get(line.variant_id, 0) + line.quantity
        if quantities[line.variant_id] > MAX_QUANTITY_PER_LINE:
            raise QuoteError(
                N_("Mỗi quy cách hỏi tối đa %(n)s đơn vị."), field="lines", n=MAX_QUANTITY_PER_LINE
            )
    if len(quantities) > MAX_LINES:
        raise QuoteError(N_("Một yêu cầu có tối đa %(n)s dòng."), field="lines", n=MAX_LINES)
    variants = list(
        session.execute(
            select(Variant)
            .options(joinedload(Variant.product))
            .join(Product, Product.id == Variant.product_id)
            .where(
                Variant.id.in_(sorted(quantities)),
                Product.producer_id == producer_id,
                Variant.is_active.is_(True),
                Product.is_published.is_(True),
            )
            .order_by(Variant.id)
        ).scalars()
    )
    if {v.id for v in variants} != set(quantities):
        raise QuoteError(N_("Một sản phẩm trong yêu cầu không còn được bán."), field="lines")
    if get_province(request.delivery_province_code) is None:
        raise QuoteError(N_("Vui lòng chọn tỉnh, thành phố."), field="province")
    if request.wanted_on is not None and not (
        today <= request.wanted_on <= today + timedelta(days=MAX_WANTED_DAYS)
    ):
        raise QuoteError(
            N_("Ngày cần hàng phải từ hôm nay đến %(n)s ngày tới."),
            field="wanted_on",
            n=MAX_WANTED_DAYS,
        )
    cleaned = QuoteRequest(
        lines=[AskedLine(vid, qty) for vid, qty in sorted(quantities.items())],
        delivery_province_code=request.delivery_province_code,
        wanted_on=request.wanted_on,
        notes=_text(request.notes, "notes"),
    )
    return cleaned, variants


def _add_lines(
    session: Session, quote: Quote, request: QuoteRequest, variants: Sequence[Variant]
) -> None:
    by_id = {v.id: v for v in variants}
    for line in request.lines:
        variant = by_id[line.variant_id]
        session.add(
            QuoteLine(
                quote_id=quote.id,
                round=quote.round,
                variant_id=variant.id,
                product_name=variant.product.name,
                variant_label=variant.label,
                retail_price_vnd=variant.price_vnd,
                quantity=line.quantity,
            )
        )


def _new_number(session: Session, today: date) -> str:
    while True:
        suffix = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(6))
        number = f"BG-{today.year % 100:02d}{today.month:02d}-{suffix}"
        if session.execute(select(Quote.id).where(Quote.number == number)).first() is None:
            return number


def fair_of_booth(session: Session, fair_id: int | None, producer_id: int) -> int | None:
    """The fair, if it is published and the producer has a booth there; else None (a
    stale or made-up link asks the producer all the same, just not through a fair)."""
    if fair_id is None:
        return None
    return session.execute(
        select(Fair.id)
        .join(FairExhibitor, FairExhibitor.fair_id == Fair.id)
        .where(
            Fair.id == fair_id,
            Fair.state != FairState.DRAFT,
            FairExhibitor.producer_id == producer_id,
            FairExhibitor.status == ExhibitorStatus.ACCEPTED,
        )
    ).scalar_one_or_none()


def _event(
    session: Session,
    quote: Quote,
    kind: EventKind,
    side: Side,
    author_id: int | None,
    body: str,
    now: datetime,
    token: str | None = None,
) -> QuoteEvent:
    event = QuoteEvent(
        quote_id=quote.id,
        round=quote.round,
        kind=kind,
        side=side,
        author_id=author_id,
        body=body,
        token=token,
        created_at=now,
    )
    session.add(event)
    session.flush()
    _queue_email(session, quote, event)
    return event


def _queue_email(session: Session, quote: Quote, event: QuoteEvent) -> None:
    """The other side's email for this event (once: the key is the event)."""
    if event.kind == EventKind.ACCEPTED:
        return  # the order's own emails tell both sides, naming the quote (emails.py)
    if event.side == Side.BUYER:
        recipients = producer_emails(session, [quote.producer_id])[quote.producer_id]
        language = "vi"
    else:
        buyer = session.get(User, quote.buyer_id)
        recipients = [buyer.email] if buyer is not None and buyer.is_active else []
        language = buyer.language if buyer is not None else "vi"
    if not recipients:
        return
    session.add(
        QuoteEmail(
            key=f"quote_event:{event.id}",
            quote_id=quote.id,
            event_id=event.id,
            kind=str(event.kind),
            recipients=",".join(recipients),
            language=language,
        )
    )
    session.flush()


def _reloaded(session: Session, quote_id: int) -> Quote:
    """The quote as the database has it now, lines and thread loaded (after an UPDATE
    the session did not track)."""
    quote: Quote = session.execute(
        _detail_query().where(Quote.id == quote_id).execution_options(populate_existing=True)
    ).scalar_one()
    return quote


def find_by_token(session: Session, token: str) -> Quote | None:
    """The quote an ask form's token already made, if any."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    return session.execute(select(Quote).where(Quote.token == token)).scalar_one_or_none()


def ask_quote(
    session: Session,
    buyer_id: int,
    producer_id: int,
    request: QuoteRequest,
    token: str,
    now: datetime,
    fair_id: int | None = None,
) -> Quote:
    """A business buyer asks a producer for a quote; the producer's members get an email.

    Only accounts with a business profile ask; the lines must be the producer's packs
    on sale. The same form token returns the quote it already made (a double click)."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        raise QuoteError(N_("Phiên gửi yêu cầu không hợp lệ, vui lòng thử lại."))
    existing = find_by_token(session, token)
    if existing is not None:
        if existing.buyer_id != buyer_id:
            raise QuoteError(N_("Phiên gửi yêu cầu không hợp lệ, vui lòng thử lại."))
        return existing
    if business_profile_for(buyer_id, session) is None:
        raise QuoteError(N_("Chỉ khách hàng doanh nghiệp mới yêu cầu báo giá được."))
    producer = session.get(Producer, producer_id)
    if producer is None or not producer.is_active:
        raise NotFound(N_("Không tìm thấy chủ thể này."))
    member = session.execute(
        select(ProducerMember.id).where(
            ProducerMember.producer_id == producer_id, ProducerMember.user_id == buyer_id
        )
    ).first()
    if member is not None:
        raise QuoteError(N_("Bạn không thể yêu cầu báo giá từ chủ thể của mình."))
    today = vietnam_day(now)
    cleaned, variants = _checked_request(session, producer_id, request, today)
    quote = Quote(
        number=_new_number(session, today),
        token=token,
        buyer_id=buyer_id,
        producer_id=producer_id,
        fair_id=fair_of_booth(session, fair_id, producer_id),
        state=QuoteState.REQUESTED,
        round=1,
        delivery_province_code=cleaned.delivery_province_code,
        wanted_on=cleaned.wanted_on,
        notes=cleaned.notes,
        created_at=now,
        updated_at=now,
    )
    session.add(quote)
    session.flush()
    _add_lines(session, quote, cleaned, variants)
    _event(session, quote, EventKind.ASKED, Side.BUYER, buyer_id, cleaned.notes, now)
    return _reloaded(session, quote.id)


def _moved(session: Session, quote_id: int, now: datetime) -> QuoteMoved:
    """Why a conditional step found nothing to move, in the asker's words."""
    quote = _reloaded(session, quote_id)
    if quote.state == QuoteState.ACCEPTED:
        return QuoteMoved(N_("Báo giá này đã được chấp nhận và đã thành đơn hàng."))
    past_day = quote.valid_until is not None and quote.valid_until < vietnam_day(now)
    if quote.state == QuoteState.EXPIRED or (quote.state == QuoteState.QUOTED and past_day):
        return QuoteMoved(N_("Báo giá này đã hết hạn: hãy gửi lại yêu cầu để nhận báo giá mới."))
    return QuoteMoved(N_("Báo giá vừa thay đổi ở nơi khác; vui lòng xem lại trước khi tiếp tục."))


def answer_quote(
    session: Session,
    producer_id: int,
    quote_id: int,
    round_number: int,
    answer: QuoteAnswer,
    actor_id: int,
    now: datetime,
) -> Quote:
    """The producer quotes the round it saw: prices, shipping, lead time, valid until,
    conditions. The buyer gets an email. Refused once the round was answered or replaced."""
    quote = quote_for_producer(session, producer_id, quote_id)
    today = vietnam_day(now)
    lines = list(
        session.execute(
            select(QuoteLine)
            .where(QuoteLine.quote_id == quote.id, QuoteLine.round == round_number)
            .order_by(QuoteLine.id)
        ).scalars()
    )
    if not lines:
        raise _moved(session, quote.id, now)
    prices: dict[int, int] = {}
    for line in lines:
        price = answer.unit_prices.get(line.id)
        if not isinstance(price, int) or not 1 <= price <= INT_MAX:
            raise QuoteError(
                N_("Vui lòng nhập đơn giá cho %(name)s (%(label)s)."),
                field=f"price_{line.id}",
                name=line.product_name,
                label=line.variant_label,
            )
        prices[line.id] = price
    if not 0 <= answer.shipping_fee_vnd <= INT_MAX:
        raise QuoteError(N_("Phí vận chuyển không hợp lệ."), field="shipping_fee")
    total = sum(prices[line.id] * line.quantity for line in lines) + answer.shipping_fee_vnd
    if total > INT_MAX:
        raise QuoteError(N_("Báo giá quá lớn (tối đa 2.147.483.647 ₫): hãy chia thành nhiều đơn."))
    if not 0 <= answer.lead_time_days <= MAX_LEAD_DAYS:
        raise QuoteError(
            N_("Thời gian chuẩn bị từ 0 đến %(n)s ngày."), field="lead_time", n=MAX_LEAD_DAYS
        )
    if not today <= answer.valid_until <= today + timedelta(days=MAX_VALID_DAYS):
        raise QuoteError(
            N_("Hạn báo giá phải từ hôm nay đến %(n)s ngày tới."),
            field="valid_until",
            n=MAX_VALID_DAYS,
        )
    conditions = _text(answer.conditions, "conditions")
    moved = session.execute(
        update(Quote)
        .where(
            Quote.id == quote.id,
            Quote.producer_id == producer_id,
            Quote.state == QuoteState.REQUESTED,
            Quote.round == round_number,
        )
        .values(
            state=QuoteState.QUOTED,
            shipping_fee_vnd=answer.shipping_fee_vnd,
            lead_time_days=answer.lead_time_days,
            valid_until=answer.valid_until,
            conditions=conditions,
            decline_reason="",
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if rowcount(moved) != 1:
        raise _moved(session, quote.id, now)
    for line in lines:
        session.execute(
            update(QuoteLine)
            .where(QuoteLine.id == line.id, QuoteLine.round == round_number)
            .values(unit_price_vnd=prices[line.id])
            .execution_options(synchronize_session=False)
        )
    quote = _reloaded(session, quote.id)
    _event(session, quote, EventKind.QUOTED, Side.PRODUCER, actor_id, conditions, now)
    return _reloaded(session, quote.id)


def decline_quote(
    session: Session,
    producer_id: int,
    quote_id: int,
    round_number: int,
    reason: str,
    actor_id: int,
    now: datetime,
) -> Quote:
    """The producer declines the round it saw, with a reason; the buyer gets an email."""
    quote = quote_for_producer(session, producer_id, quote_id)
    reason = _text(reason, "reason")
    if not reason:
        raise QuoteError(N_("Vui lòng cho người mua biết lý do."), field="reason")
    moved = session.execute(
        update(Quote)
        .where(
            Quote.id == quote.id,
            Quote.producer_id == producer_id,
            Quote.state == QuoteState.REQUESTED,
            Quote.round == round_number,
        )
        .values(state=QuoteState.DECLINED, decline_reason=reason, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(moved) != 1:
        raise _moved(session, quote.id, now)
    quote = _reloaded(session, quote.id)
    _event(session, quote, EventKind.DECLINED, Side.PRODUCER, actor_id, reason, now)
    return _reloaded(session, quote.id)


def ask_again(
    session: Session,
    buyer_id: int,
    quote_id: int,
    round_number: int,
    request: QuoteRequest,
    now: datetime,
) -> Quote:
    """The buyer asks again (changed quantities, place, date or notes) after an answer,
    a refusal or an expiry: the next round, the producer's turn; they get an email."""
    quote = quote_for_buyer(session, buyer_id, quote_id)
    cleaned, variants = _checked_request(session, quote.producer_id, request, vietnam_day(now))
    moved = session.execute(
        update(Quote)
        .where(
            Quote.id == quote.id,
            Quote.buyer_id == buyer_id,
            Quote.state.in_(REOPENABLE),
            Quote.round == round_number,
            Quote.order_id.is_(None),
        )
        .values(
            state=QuoteState.REQUESTED,
            round=round_number + 1,
            delivery_province_code=cleaned.delivery_province_code,
            wanted_on=cleaned.wanted_on,
            notes=cleaned.notes,
            shipping_fee_vnd=None,
            lead_time_days=None,
            valid_until=None,
            conditions="",
            decline_reason="",
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if rowcount(moved) != 1:
        raise _moved(session, quote.id, now)
    quote = _reloaded(session, quote.id)
    _add_lines(session, quote, cleaned, variants)
    session.flush()
    _event(session, quote, EventKind.ASKED_AGAIN, Side.BUYER, buyer_id, cleaned.notes, now)
    return _reloaded(session, quote.id)


def accept_quote(
    session: Session,
    buyer_id: int,
    quote_id: int,
    round_number: int,
    acceptance: Acceptance,
    now: datetime,
) -> Order:
    """The buyer accepts the round they saw: the quote becomes an order through the
    one placement service, at the quoted prices and shipping read here from the quote's
    rows, with its stock taken atomically (OutOfStock undoes everything: the caller rolls
    back). Refused when already accepted, changed, or past its valid-until day, all
    decided by the one conditional UPDATE."""
    quote = quote_for_buyer(session, buyer_id, quote_id)
    buyer = session.get(User, buyer_id)
    if buyer is None:
        raise NotFound(N_("Không tìm thấy báo giá này."))
    contact = check_contact(Contact(acceptance.contact_name, acceptance.phone, buyer.email))
    address = check_address(
        DeliveryAddress(
            quote.delivery_province_code, acceptance.ward_code, acceptance.street, acceptance.note
        )
    )
    moved = session.execute(
        update(Quote)
        .where(
            Quote.id == quote.id,
            Quote.buyer_id == buyer_id,
            Quote.state == QuoteState.QUOTED,
            Quote.round == round_number,
            Quote.valid_until >= vietnam_day(now),
        )
        .values(state=QuoteState.ACCEPTED, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if rowcount(moved) != 1:
        raise _moved(session, quote.id, now)
    quote = _reloaded(session, quote.id)
    lines = list(
        session.execute(
            select(QuoteLine.variant_id, QuoteLine.quantity, QuoteLine.unit_price_vnd)
            .where(QuoteLine.quote_id == quote.id, QuoteLine.round == quote.round)
            .order_by(QuoteLine.id)
        )
    )
    terms = QuotedTerms(
        producer_id=quote.producer_id,
        unit_prices={variant_id: price for variant_id, _, price in lines},
        shipping_fee_vnd=quote.shipping_fee_vnd or 0,
        source=PRICE_SOURCE,
        source_id=quote.id,
    )
    placed = place_order(
        session,
        OrderRequest(
            checkout_token=quote.token,
            contact=contact,
            address=address,
            lines=[LineRequest(variant_id, quantity) for variant_id, quantity, _ in lines],
            payment_method=acceptance.payment_method,
            awaiting_payment=acceptance.awaiting_payment,
            user_id=buyer_id,
            language=acceptance.language,
            channel=Channel(FAIR_CHANNEL, quote.fair_id) if quote.fair_id else None,
            quoted=terms,
            wants_invoice=acceptance.wants_invoice,
        ),
    )
    session.execute(
        update(Quote)
        .where(Quote.id == quote.id)
        .values(order_id=placed.order.id)
        .execution_options(synchronize_session=False)
    )
    quote = _reloaded(session, quote.id)
    _event(session, quote, EventKind.ACCEPTED, Side.BUYER, buyer_id, placed.order.number, now)
    return placed.order


def expire_quotes(session: Session, now: datetime) -> int:
    """Record as expired the quotes past their valid-until day (`flask quotes expire`,
    safe to run often and on several hosts: each row moves by a conditional UPDATE, and
    the buyer gets one email). Returns how many this run expired."""
    today = vietnam_day(now)
    due = list(
        session.execute(
            select(Quote.id)
            .where(Quote.state == QuoteState.QUOTED, Quote.valid_until < today)
            .order_by(Quote.id)
        ).scalars()
    )
    expired = 0
    for quote_id in due:
        moved = session.execute(
            update(Quote)
            .where(
                Quote.id == quote_id,
                Quote.state == QuoteState.QUOTED,
                Quote.valid_until < today,
            )
            .values(state=QuoteState.EXPIRED, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        if rowcount(moved) == 1:
            quote = _reloaded(session, quote_id)
            _event(session, quote, EventKind.EXPIRED, Side.SYSTEM, None, "", now)
            expired += 1
    return expired


def post_message(
    session: Session,
    quote: Quote,
    author_id: int,
    side: Side,
    body: str,
    token: str,
    now: datetime,
) -> QuoteEvent:
    """A message on the quote's thread from its buyer or one of the producer's members
    (the views decide who may write); the other side gets an email. The same form token
    twice is one message."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        raise QuoteError(N_("Phiên gửi tin nhắn không hợp lệ, vui lòng thử lại."))
    existing = session.execute(
        select(QuoteEvent).where(QuoteEvent.token == token)
    ).scalar_one_or_none()
    if existing is not None:
        if existing.quote_id != quote.id or existing.author_id != author_id:
            raise QuoteError(N_("Phiên gửi tin nhắn không hợp lệ, vui lòng thử lại."))
        return existing
    text = _text(body, "body")
    if not text:
        raise QuoteError(N_("Vui lòng nhập nội dung tin nhắn."), field="body")
    return _event(session, quote, EventKind.MESSAGE, side, author_id, text, now, token=token)


# Reading: each page loads what it shows in a fixed number of queries.


def _detail_query() -> Any:
    return select(Quote).options(
        joinedload(Quote.producer),
        joinedload(Quote.buyer),
        selectinload(Quote.lines),
        selectinload(Quote.events).joinedload(QuoteEvent.author),
    )


def quote_for_buyer(session: Session, buyer_id: int, quote_id: int) -> Quote:
    """The buyer's own quote with its lines and thread; NotFound for anyone else's."""
    quote = session.execute(
        _detail_query().where(Quote.id == quote_id, Quote.buyer_id == buyer_id)
    ).scalar_one_or_none()
    if quote is None:
        raise NotFound(N_("Không tìm thấy báo giá này."))
    return quote


def quote_for_producer(session: Session, producer_id: int, quote_id: int) -> Quote:
    """One of the producer's quotes with its lines and thread; NotFound for another's."""
    quote = session.execute(
        _detail_query().where(Quote.id == quote_id, Quote.producer_id == producer_id)
    ).scalar_one_or_none()
    if quote is None:
        raise NotFound(N_("Không tìm thấy báo giá này."))
    return quote


def quote_by_id(session: Session, quote_id: int) -> Quote:
    """Any quote with its lines and thread (admins); NotFound if there is none."""
    quote = session.execute(_detail_query().where(Quote.id == quote_id)).scalar_one_or_none()
    if quote is None:
        raise NotFound(N_("Không tìm thấy báo giá này."))
    return quote


LIST_LIMIT = 200


def _list_query() -> Any:
    return (
        select(Quote)
        .options(joinedload(Quote.producer), selectinload(Quote.lines))
        .order_by(Quote.updated_at.desc(), Quote.id.desc())
        .limit(LIST_LIMIT)
    )


def buyer_quotes(session: Session, buyer_id: int) -> list[Quote]:
    """The buyer's quotes, most recently moved first (the newest LIST_LIMIT)."""
    return list(session.execute(_list_query().where(Quote.buyer_id == buyer_id)).scalars())


def producer_quotes(
    session: Session, producer_id: int, state: QuoteState | None = None
) -> list[Quote]:
    """The producer's quotes (in one state, or all), most recently moved first."""
    query = _list_query().options(joinedload(Quote.buyer)).where(Quote.producer_id == producer_id)
    if state is not None:
        query = query.where(Quote.state == state)
    return list(session.execute(query).scalars())


def all_quotes(session: Session, state: QuoteState | None = None) -> list[Quote]:
    """Every quote (admins), most recently moved first."""
    query = _list_query().options(joinedload(Quote.buyer))
    if state is not None:
        query = query.where(Quote.state == state)
    return list(session.execute(query).scalars())


def order_numbers(session: Session, quotes: Sequence[Quote]) -> dict[int, str]:
    """Order id → number for the accepted quotes among these (one query)."""
    ids = [q.order_id for q in quotes if q.order_id is not None]
    if not ids:
        return {}
    rows = session.execute(select(Order.id, Order.number).where(Order.id.in_(ids)))
    return dict(rows.tuples().all())


def parse_state(text: str | None) -> QuoteState | None:
    """A state filter from a query string; None (all) for anything else."""
    try:
        return QuoteState(text or "")
    except ValueError:
        return None
