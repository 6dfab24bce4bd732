"""Agreement emails, written to the outbox with the step, delivered by the job worker.

Each row's `key` is unique (step and version, or warning and delivery), so a retried
step or `flask offtake due` run on several hosts writes an email once.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from typing import TYPE_CHECKING

from flask import current_app, has_request_context
from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storefront import outbox
from storefront.accounts.emails import compose, public_url
from storefront.accounts.models import User
from storefront.dates import format_day
from storefront.extensions import Session
from storefront.mail import MailError, send_email
from storefront.money import vnd
from storefront.offtake.models import OfftakeAgreement, OfftakeDelivery, OfftakeEmail, Side
from storefront.orders.emails import producer_emails

if TYPE_CHECKING:
    from storefront.offtake.models import OfftakeVersion

logger = logging.getLogger(__name__)

PROPOSED = "proposed"
ACCEPTED = "accepted"
DECLINED = "declined"
WITHDRAWN = "withdrawn"
SHORTFALL = "shortfall"  # both sides: a due delivery found too little stock
STOCK_WARNING = "stock_warning"  # the producer, a week ahead


def _recipients(session: Session, agreement: OfftakeAgreement, side: Side) -> list[str]:
    if side == Side.BUYER:
        email = session.execute(
            select(User.email).where(User.id == agreement.buyer_id, User.is_active.is_(True))
        ).scalar_one_or_none()
        return [email] if email else []
    return producer_emails(session, [agreement.producer_id])[agreement.producer_id]


def _queue(
    session: Session,
    agreement: OfftakeAgreement,
    key: str,
    kind: str,
    side: Side,
    delivery_id: int | None = None,
) -> bool:
    """Write the email for `side` unless its key exists already; True when written now."""
    recipients = _recipients(session, agreement, side)
    if not recipients:
        return False
    exists = session.execute(select(OfftakeEmail.id).where(OfftakeEmail.key == key)).first()
    if exists is not None:
        return False
    row = OfftakeEmail(
        key=key,
        agreement_id=agreement.id,
        delivery_id=delivery_id,
        kind=kind,
        side=side,
        recipients=",".join(recipients),
    )
    # Two hosts may write the same key at once: the unique key keeps one, the other's
    # savepoint is rolled back and its transaction carries on.
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return False
    return True


def queue_step(
    session: Session,
    agreement: OfftakeAgreement,
    version: OfftakeVersion,
    kind: str,
    to: Side,
) -> None:
    """Tell side `to` that a version was proposed, accepted, declined or withdrawn."""
    key = f"{kind}:agreement:{agreement.id}:v{version.number}"
    _queue(session, agreement, key, kind, to)


def queue_shortfall(
    session: Session, agreement: OfftakeAgreement, delivery: OfftakeDelivery
) -> None:
    """Both sides, once per delivery: it is due and the stock is short."""
    for side in (Side.BUYER, Side.PRODUCER):
        key = f"{SHORTFALL}:{side}:delivery:{delivery.id}"
        _queue(session, agreement, key, SHORTFALL, side, delivery.id)


def queue_stock_warning(
    session: Session, agreement: OfftakeAgreement, delivery: OfftakeDelivery
) -> bool:
    """The producer, once per delivery: a week ahead, stock is below it."""
    key = f"{STOCK_WARNING}:delivery:{delivery.id}"
    return _queue(session, agreement, key, STOCK_WARNING, Side.PRODUCER, delivery.id)


def _content(
    session: Session, email: OfftakeEmail, agreement: OfftakeAgreement
) -> tuple[str, list[str]]:
    what = f"{agreement.product_name} ({agreement.variant_label})"
    names = {"buyer": agreement.buyer_name, "producer": agreement.producer_name, "what": what}
    delivery = session.get(OfftakeDelivery, email.delivery_id) if email.delivery_id else None
    if email.side == Side.PRODUCER:
        link = public_url(
            "offtake_producer.detail", producer_id=agreement.producer_id, agreement_id=agreement.id
        )
    else:
        link = public_url("offtake_buyer.detail", agreement_id=agreement.id)
    if email.kind == PROPOSED:
        subject = gettext("Đề xuất hợp đồng bao tiêu: %(what)s", what=what)
        lines = [
            gettext(
                "Có đề xuất mới cho hợp đồng bao tiêu %(what)s giữa %(buyer)s và %(producer)s. "
                "Vui lòng xem và trả lời:",
                **names,
            )
        ]
    elif email.kind == ACCEPTED:
        subject = gettext("Hợp đồng bao tiêu đã được chấp nhận: %(what)s", what=what)
        lines = [gettext("Đề xuất của bạn cho %(what)s đã được chấp nhận.", what=what)]
    elif email.kind == DECLINED:
        subject = gettext("Đề xuất bao tiêu bị từ chối: %(what)s", what=what)
        lines = [gettext("Đề xuất của bạn cho %(what)s đã bị từ chối.", what=what)]
    elif email.kind == WITHDRAWN:
        subject = gettext("Đề xuất bao tiêu đã được rút lại: %(what)s", what=what)
        lines = [gettext("Bên kia đã rút lại đề xuất cho %(what)s.", what=what)]
    elif email.kind in (SHORTFALL, STOCK_WARNING) and delivery is not None:
        params = {"what": what, "n": delivery.quantity, "day": format_day(delivery.due_on)}
        if email.kind == SHORTFALL:
            subject = gettext("Thiếu hàng cho lần giao bao tiêu ngày %(day)s", **params)
            lines = [
                gettext(
                    "Lần giao %(n)s × %(what)s ngày %(day)s chưa thành đơn hàng vì không đủ "
                    "hàng trong kho. Hệ thống sẽ thử lại khi có hàng.",
                    **params,
                )
            ]
        else:
            subject = gettext("Sắp đến lần giao bao tiêu ngày %(day)s: kho chưa đủ", **params)
            lines = [
                gettext(
                    "Ngày %(day)s cần giao %(n)s × %(what)s theo hợp đồng bao tiêu, nhưng kho "
                    "hiện chưa đủ. Vui lòng nhập thêm hàng trước ngày giao.",
                    **params,
                )
            ]
    else:
        raise ValueError(f"unknown offtake email kind {email.kind!r}")
    if agreement.committed_vnd:
        lines.append(gettext("Giá trị cam kết: %(amount)s", amount=vnd(agreement.committed_vnd)))
    return subject, [*lines, link]


def _deliver(session: Session, email: OfftakeEmail) -> None:
    agreement = session.get(OfftakeAgreement, email.agreement_id)
    if agreement is None:
        raise MailError("the agreement is gone")
    context = nullcontext() if has_request_context() else current_app.test_request_context()
    with context, force_locale(email.language):
        subject, paragraphs = _content(session, email, agreement)
        text, html = compose(paragraphs)
    for recipient in email.recipients.split(","):
        send_email(recipient, subject, text, html)


def send_pending_offtake_emails(session: Session, limit: int = 200) -> int:
    """Deliver the agreement emails that are due; the job worker's step (see outbox)."""
    sent = 0
    for email_id in outbox.due_ids(session, OfftakeEmail, limit):
        claimed = outbox.claim(session, OfftakeEmail, email_id)
        if claimed is None:
            continue
        email = session.get(OfftakeEmail, email_id)
        if email is None:
            continue
        try:
            _deliver(session, email)
        except (MailError, OSError) as error:
            logger.warning(
                "offtake email %s not sent (try %s): %s", email.key, claimed.attempt, error
            )
            session.rollback()
            outbox.finish(session, OfftakeEmail, claimed, error=str(error) or type(error).__name__)
        else:
            session.commit()
            if outbox.finish(session, OfftakeEmail, claimed):
                sent += 1
    return sent
