"""Order emails, written to the outbox with the change, delivered by the job worker.

A state change writes an OrderEmail row (unique `key`) in its own transaction; the
worker (`flask jobs worker`, storefront/jobs) calls `send_pending_emails`, which claims
each due row under a lease before sending (storefront/outbox.py), so neither a retried
request nor two workers at once send the same email twice. No request sends email.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from flask import current_app
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from storefront import outbox
from storefront.accounts.emails import compose
from storefront.accounts.models import ProducerMember, User
from storefront.extensions import Session
from storefront.mail import MailError, send_email
from storefront.money import vnd
from storefront.orders.models import Order, OrderEmail, OrderPart, PaymentStatus
from storefront.places import format_vn_phone, get_province, get_ward

logger = logging.getLogger(__name__)
# Email kinds other domains add (payments: card wording, refunds). A provider takes the
# session, the email row, its order and part, and returns (subject, paragraphs), or None
# to leave the email to this module.
ContentProvider = Callable[
    [Session, OrderEmail, Order, OrderPart | None], tuple[str, list[str]] | None
]
CONTENT_PROVIDERS: list[ContentProvider] = []
# Paragraphs other domains add at the end of an email (reviews: the review links of a
# delivered part). Same arguments; returns the paragraphs, [] for none.
ExtraParagraphs = Callable[[Session, OrderEmail, Order, OrderPart | None], list[str]]
EXTRA_PARAGRAPHS: list[ExtraParagraphs] = []

# kind -> who gets it
ORDER_PLACED = "order_placed"  # buyer
PART_PLACED = "part_placed"  # the part's producer
PAYMENT_RECEIVED = "payment_received"  # buyer
ORDER_EXPIRED = "order_expired"  # buyer
PART_CONFIRMED = "part_confirmed"  # buyer
PART_SHIPPED = "part_shipped"  # buyer
PART_DELIVERED = "part_delivered"  # buyer
PART_CANCELLED = "part_cancelled"  # buyer, or the producer when the buyer cancelled


def producer_emails(session: Session, producer_ids: Sequence[int]) -> dict[int, list[str]]:
    """The email addresses of each producer's active member accounts."""
    result: dict[int, list[str]] = {pid: [] for pid in producer_ids}
    rows = session.execute(
        select(ProducerMember.producer_id, User.email)
        .join(User, User.id == ProducerMember.user_id)
        .where(ProducerMember.producer_id.in_(producer_ids), User.is_active.is_(True))
        .order_by(ProducerMember.producer_id, User.id)
    )
    for producer_id, email in rows:
        result[producer_id].append(email)
    return result


def queue_email(
    session: Session,
    order: Order,
    kind: str,
    recipients: Sequence[str],
    part: OrderPart | None = None,
) -> None:
    """Record that an email is due; nothing is recorded when there is nobody to send to."""
    if not recipients:
        return
    key = f"{kind}:part:{part.id}" if part is not None else f"{kind}:order:{order.id}"
    session.add(
        OrderEmail(
            key=key,
            order_id=order.id,
            part_id=part.id if part is not None else None,
            kind=kind,
            recipients=",".join(recipients),
        )
    )
    session.flush()


def queue_order_placed(session: Session, order: Order, parts: Sequence[OrderPart]) -> None:
    """A confirmation to the buyer, and to each producer only their own part."""
    queue_email(session, order, ORDER_PLACED, [order.email])
    addresses = producer_emails(session, [p.producer_id for p in parts])
    for part in parts:
        queue_email(session, order, PART_PLACED, addresses[part.producer_id], part)


def send_pending_emails(session: Session, order_id: int | None = None, limit: int = 200) -> int:
    """Deliver the order emails that are due (for one order, or all); the job worker's
    step. Commits each claim and each result itself. Returns how many were sent; an
    email the mail server refused or never answered waits for its next try."""
    where = {} if order_id is None else {"order_id": order_id}
    sent = 0
    for email_id in outbox.due_ids(session, OrderEmail, limit, **where):
        claimed = outbox.claim(session, OrderEmail, email_id)
        if claimed is None:
            continue  # another worker has it
        email = session.get(OrderEmail, email_id)
        if email is None:
            continue
        try:
            _deliver(session, email)
        except (MailError, OSError) as error:
            logger.warning(
                "order email %s not sent (try %s): %s", email.key, claimed.attempt, error
            )
            session.rollback()
            outbox.finish(session, OrderEmail, claimed, error=str(error) or type(error).__name__)
        else:
            session.commit()  # what composing wrote (the reviews' invite links) stays
            if outbox.finish(session, OrderEmail, claimed):
                sent += 1
    return sent


def _deliver(session: Session, email: OrderEmail) -> None:
    order = session.execute(
        select(Order)
        .options(
            selectinload(Order.parts).selectinload(OrderPart.lines),
            selectinload(Order.parts).selectinload(OrderPart.history),
        )
        .where(Order.id == email.order_id)
    ).scalar_one()
    part = next((p for p in order.parts if p.id == email.part_id), None)
    with force_locale(order.language):
        provided = (p(session, email, order, part) for p in CONTENT_PROVIDERS)
        content = next((c for c in provided if c is not None), None)
        subject, paragraphs = content or _content(email.kind, order, part)
        for extra in EXTRA_PARAGRAPHS:
            paragraphs = [*paragraphs, *extra(session, email, order, part)]
    text, html = compose(paragraphs)
    for recipient in email.recipients.split(","):
        send_email(recipient, subject, text, html)


def order_url(order: Order) -> str:
    return f"{current_app.config['PUBLIC_BASE_URL']}/orders/{order.number}"


def _address(order: Order) -> str:
    ward, province = get_ward(order.ward_code), get_province(order.province_code)
    return ", ".join(
        [order.street, ward.name if ward else "", province.name if province else ""]
    ).strip(", ")


def _cancel_reason(part: OrderPart) -> list[str]:
    """The reason given when the part was cancelled, as a paragraph, if one was given."""
    notes = [c.note for c in part.history if c.to_status == "cancelled" and c.note]
    return [gettext("Lý do: %(reason)s", reason=notes[-1])] if notes else []


def _part_lines(part: OrderPart) -> str:
    rows = [
        f"- {line.product_name} ({line.variant_label}) × {line.quantity}: "
        f"{vnd(line.line_total_vnd)}"
        for line in part.lines
    ]
    rows.append(gettext("Phí vận chuyển: %(fee)s", fee=vnd(part.shipping_fee_vnd)))
    return "\n".join(rows)


def _content(kind: str, order: Order, part: OrderPart | None) -> tuple[str, list[str]]:
    hello = gettext("Xin chào %(name)s,", name=order.contact_name)
    link = order_url(order)
    if kind == ORDER_PLACED:
        paragraphs = [
            hello,
            gettext(
                "Cảm ơn bạn đã đặt hàng tại OCOP Storefront. Mã đơn hàng của bạn là %(number)s.",
                number=order.number,
            ),
        ]
        for each in order.parts:
            paragraphs.append(f"{each.producer_name}\n{_part_lines(each)}")
        paragraphs.append(gettext("Tổng cộng: %(total)s", total=vnd(order.total_vnd)))
        if order.payment_status == PaymentStatus.AWAITING:
            paragraphs.append(
                gettext(
                    "Đơn hàng đang chờ thanh toán. Xem thông tin chuyển khoản và mã VietQR tại:"
                )
            )
        else:
            paragraphs.append(gettext("Bạn thanh toán khi nhận hàng. Theo dõi đơn hàng tại:"))
        paragraphs.append(link)
        return gettext("Đã nhận đơn hàng %(number)s", number=order.number), paragraphs
    if kind == PART_PLACED and part is not None:
        if order.payment_status == PaymentStatus.AWAITING:
            payment = gettext("Người mua chuyển khoản trước: chỉ giao hàng khi đơn đã thanh toán.")
        else:
            payment = gettext(
                "Thu tiền khi giao hàng (COD): %(amount)s.", amount=vnd(part.total_vnd)
            )
        paragraphs = [
            gettext(
                "Chủ thể %(producer)s có đơn hàng mới %(number)s:",
                producer=part.producer_name,
                number=order.number,
            ),
            _part_lines(part),
            gettext(
                "Giao đến: %(name)s, %(phone)s, %(address)s",
                name=order.contact_name,
                phone=format_vn_phone(order.phone),
                address=_address(order),
            ),
            payment,
        ]
        return gettext("Đơn hàng mới %(number)s", number=order.number), paragraphs
    if kind == PAYMENT_RECEIVED:
        paragraphs = [
            hello,
            gettext(
                "Chúng tôi đã nhận được %(amount)s cho đơn hàng %(number)s. Các chủ thể sẽ "
                "chuẩn bị và gửi hàng cho bạn.",
                amount=vnd(order.amount_due_vnd),
                number=order.number,
            ),
            link,
        ]
        return gettext("Đã nhận thanh toán đơn hàng %(number)s", number=order.number), paragraphs
    if kind == ORDER_EXPIRED:
        paragraphs = [
            hello,
            gettext(
                "Đơn hàng %(number)s đã bị huỷ vì chưa nhận được chuyển khoản trong thời "
                "hạn. Nếu bạn đã chuyển khoản, vui lòng trả lời email này để được hoàn tiền.",
                number=order.number,
            ),
            link,
        ]
        return gettext("Đơn hàng %(number)s đã bị huỷ", number=order.number), paragraphs
    if kind == PART_SHIPPED and part is not None:
        paragraphs = [
            hello,
            gettext(
                "%(producer)s đã gửi hàng của đơn %(number)s qua %(carrier)s, mã vận đơn "
                "%(tracking)s.",
                producer=part.producer_name,
                number=order.number,
                carrier=part.carrier,
                tracking=part.tracking_number,
            ),
            link,
        ]
        return gettext("Đơn hàng %(number)s đã được gửi đi", number=order.number), paragraphs
    if kind == PART_CONFIRMED and part is not None:
        paragraphs = [
            hello,
            gettext(
                "%(producer)s đã xác nhận phần đơn hàng %(number)s và đang chuẩn bị hàng.",
                producer=part.producer_name,
                number=order.number,
            ),
            link,
        ]
        return gettext("Đơn hàng %(number)s đã được xác nhận", number=order.number), paragraphs
    if kind == PART_DELIVERED and part is not None:
        paragraphs = [
            hello,
            gettext(
                "Phần đơn hàng %(number)s của %(producer)s đã được giao. Cảm ơn bạn đã ủng hộ "
                "sản phẩm OCOP!",
                producer=part.producer_name,
                number=order.number,
            ),
            link,
        ]
        return gettext("Đơn hàng %(number)s đã được giao", number=order.number), paragraphs
    if kind == PART_CANCELLED and part is not None:
        paragraphs = [
            gettext(
                "Phần đơn hàng %(number)s của %(producer)s đã bị huỷ:",
                number=order.number,
                producer=part.producer_name,
            ),
            _part_lines(part),
            *_cancel_reason(part),
            link,
        ]
        return gettext("Đơn hàng %(number)s: một phần đã bị huỷ", number=order.number), paragraphs
    raise ValueError(f"unknown order email kind {kind!r}")
