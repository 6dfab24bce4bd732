"""Quote emails: each step tells the other side once, through the outbox.

A step writes a QuoteEmail keyed by its event (services._queue_email); the job worker
(`flask jobs worker`) calls `send_pending_quote_emails`, which claims each due row under a
lease (storefront/outbox.py) and writes the text in the recipient's language then.
Accepting sends no quote email: the order's own emails go to both sides, and
`order_email_paragraphs` (hooked into the order emails) names the quote they came from.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from storefront import outbox
from storefront.accounts.emails import compose
from storefront.dates import format_day
from storefront.extensions import Session
from storefront.mail import MailError, send_email
from storefront.money import vnd
from storefront.orders.models import Order, OrderEmail, OrderPart
from storefront.quotes.models import EventKind, Quote, QuoteEmail, QuoteEvent

logger = logging.getLogger(__name__)


def _link(endpoint: str, **values: Any) -> str:
    context = nullcontext() if has_request_context() else current_app.test_request_context()
    with context:
        return str(current_app.config["PUBLIC_BASE_URL"]) + url_for(endpoint, **values)


def _lines(quote: Quote) -> str:
    rows = []
    for line in quote.current_lines:
        price = (
            f": {vnd(line.unit_price_vnd)} × {line.quantity} = {vnd(line.line_total_vnd)}"
            if line.unit_price_vnd is not None
            else f" × {line.quantity}"
        )
        rows.append(f"- {line.product_name} ({line.variant_label}){price}")
    return "\n".join(rows)


def content(quote: Quote, event: QuoteEvent) -> tuple[str, list[str]]:
    """Subject and paragraphs of the email an event sends, in the current locale."""
    number = quote.number
    producer = quote.producer.name
    if event.kind in (EventKind.ASKED, EventKind.ASKED_AGAIN):
        link = _link("quotes.producer_detail", producer_id=quote.producer_id, quote_id=quote.id)
        intro = (
            gettext("Người mua gửi yêu cầu báo giá %(number)s:", number=number)
            if event.kind == EventKind.ASKED
            else gettext(
                "Người mua gửi lại yêu cầu báo giá %(number)s (lần %(n)s):",
                number=number,
                n=quote.round,
            )
        )
        paragraphs = [gettext("Chủ thể %(producer)s,", producer=producer), intro, _lines(quote)]
        if event.body:
            paragraphs.append(gettext("Ghi chú: %(text)s", text=event.body))
        paragraphs += [gettext("Trả lời báo giá tại:"), link]
        return gettext("Yêu cầu báo giá %(number)s", number=number), paragraphs
    if event.kind == EventKind.MESSAGE and event.side == "buyer":
        link = _link("quotes.producer_detail", producer_id=quote.producer_id, quote_id=quote.id)
        paragraphs = [
            gettext("Người mua nhắn về báo giá %(number)s:", number=number),
            event.body,
            link,
        ]
        return gettext("Tin nhắn mới về báo giá %(number)s", number=number), paragraphs
    link = _link("quotes.buyer_detail", quote_id=quote.id)
    hello = gettext("Xin chào %(name)s,", name=quote.buyer.display_name)
    if event.kind == EventKind.QUOTED:
        paragraphs = [
            hello,
            gettext("%(producer)s đã gửi báo giá %(number)s:", producer=producer, number=number),
            _lines(quote),
            gettext("Phí vận chuyển: %(fee)s", fee=vnd(quote.shipping_fee_vnd)),
            gettext("Tổng cộng: %(total)s", total=vnd(quote.total_vnd)),
            gettext(
                "Báo giá có hiệu lực đến hết ngày %(day)s. Xem, chấp nhận hoặc hỏi lại tại:",
                day=format_day(quote.valid_until),
            ),
            link,
        ]
        return gettext(
            "Báo giá %(number)s từ %(producer)s", number=number, producer=producer
        ), paragraphs
    if event.kind == EventKind.DECLINED:
        paragraphs = [
            hello,
            gettext(
                "%(producer)s không nhận yêu cầu báo giá %(number)s.",
                producer=producer,
                number=number,
            ),
            gettext("Lý do: %(reason)s", reason=event.body),
            gettext("Bạn có thể sửa yêu cầu và gửi lại tại:"),
            link,
        ]
        return gettext("Yêu cầu báo giá %(number)s bị từ chối", number=number), paragraphs
    if event.kind == EventKind.EXPIRED:
        paragraphs = [
            hello,
            gettext(
                "Báo giá %(number)s của %(producer)s đã hết hạn.", number=number, producer=producer
            ),
            gettext("Bạn có thể gửi lại yêu cầu để nhận báo giá mới tại:"),
            link,
        ]
        return gettext("Báo giá %(number)s đã hết hạn", number=number), paragraphs
    if event.kind == EventKind.MESSAGE:
        paragraphs = [
            hello,
            gettext("%(producer)s nhắn về báo giá %(number)s:", producer=producer, number=number),
            event.body,
            link,
        ]
        return gettext("Tin nhắn mới về báo giá %(number)s", number=number), paragraphs
    raise ValueError(f"no email for quote event {event.kind!r}")


def send_pending_quote_emails(session: Session, limit: int = 200) -> int:
    """Deliver the quote emails that are due; the job worker's step. Commits each claim
    and result itself; returns how many were sent."""
    sent = 0
    for email_id in outbox.due_ids(session, QuoteEmail, limit):
        claimed = outbox.claim(session, QuoteEmail, email_id)
        if claimed is None:
            continue  # another worker has it
        email = session.get(QuoteEmail, email_id)
        if email is None:
            continue
        try:
            _deliver(session, email)
        except (MailError, OSError) as error:
            logger.warning(
                "quote email %s not sent (try %s): %s", email.key, claimed.attempt, error
            )
            session.rollback()
            outbox.finish(session, QuoteEmail, claimed, error=str(error) or type(error).__name__)
        else:
            session.commit()
            if outbox.finish(session, QuoteEmail, claimed):
                sent += 1
    return sent


def _deliver(session: Session, email: QuoteEmail) -> None:
    quote = session.execute(
        select(Quote)
        .options(joinedload(Quote.producer), joinedload(Quote.buyer), selectinload(Quote.lines))
        .where(Quote.id == email.quote_id)
    ).scalar_one()
    event = session.get(QuoteEvent, email.event_id)
    if event is None:
        raise MailError("the quote event is gone")
    with force_locale(email.language):
        subject, paragraphs = content(quote, event)
    text, html = compose(paragraphs)
    for recipient in email.recipients.split(","):
        send_email(recipient, subject, text, html)


def order_email_paragraphs(
    session: Session, email: OrderEmail, order: Order, part: OrderPart | None
) -> list[str]:
    """For an order placed by accepting a quote, a paragraph naming the quote (hooked
    into orders.emails.EXTRA_PARAGRAPHS, so the order emails are the acceptance emails)."""
    number = session.execute(select(Quote.number).where(Quote.order_id == order.id)).scalar()
    if number is None:
        return []
    return [gettext("Đơn hàng này được đặt từ báo giá %(number)s đã chấp nhận.", number=number)]
