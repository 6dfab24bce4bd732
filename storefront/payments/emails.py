"""The order emails payments add: card wording, a failed card payment, the switch to cash
on delivery, a refund. They use the orders' email rows (one per state change, unique key,
sent after commit and claimed before sending); `content` is registered with
`orders.emails.CONTENT_PROVIDERS` so the orders' sender can write them."""

from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select

from storefront.extensions import Session
from storefront.money import vnd
from storefront.orders import emails
from storefront.orders.models import Order, OrderEmail, OrderPart, PaymentStatus
from storefront.payments.card import CODE as CARD
from storefront.payments.card import SWITCHED_TO_COD
from storefront.payments.models import Refund

CARD_PAYMENT_FAILED = "card_payment_failed"  # buyer
REFUND_ISSUED = "refund_issued"  # buyer, one email per refund

Content = tuple[str, list[str]]


def queue_refund_email(session: Session, order: Order, refund: Refund) -> None:
    """Tell the buyer about a refund that went through (once per refund)."""
    session.add(
        OrderEmail(
            key=f"{REFUND_ISSUED}:refund:{refund.id}",
            order_id=order.id,
            part_id=refund.part_id,
            kind=REFUND_ISSUED,
            recipients=order.email,
        )
    )
    session.flush()


def _swap(content: Content, old: str, new: str) -> Content:
    subject, paragraphs = content
    return subject, [new if paragraph == old else paragraph for paragraph in paragraphs]


def content(
    session: Session, email: OrderEmail, order: Order, part: OrderPart | None
) -> Content | None:
    """Subject and paragraphs of the emails payments owns, or None for the others.
    Called inside the order's language."""
    kind = email.kind
    hello = gettext("Xin chào %(name)s,", name=order.contact_name)
    link = emails.order_url(order)
    if order.payment_method == CARD and kind == emails.ORDER_PLACED:
        # The orders' wording is for transfers (or, once no longer awaiting, for cash).
        if order.payment_status == PaymentStatus.PAID:
            card = gettext("Đơn hàng đã được thanh toán bằng thẻ. Theo dõi đơn hàng tại:")
        else:
            card = gettext("Đơn hàng đang chờ thanh toán bằng thẻ qua Stripe. Xem trạng thái tại:")
        placed = emails._content(kind, order, part)
        for theirs in (
            gettext("Đơn hàng đang chờ thanh toán. Xem thông tin chuyển khoản và mã VietQR tại:"),
            gettext("Bạn thanh toán khi nhận hàng. Theo dõi đơn hàng tại:"),
        ):
            placed = _swap(placed, theirs, card)
        return placed
    if order.payment_method == CARD and kind == emails.PART_PLACED:
        return _swap(
            emails._content(kind, order, part),
            gettext("Người mua chuyển khoản trước: chỉ giao hàng khi đơn đã thanh toán."),
            gettext("Người mua thanh toán trước bằng thẻ: chỉ giao hàng khi đơn đã thanh toán."),
        )
    if order.payment_method == CARD and kind == emails.ORDER_EXPIRED:
        paragraphs = [
            hello,
            gettext(
                "Đơn hàng %(number)s đã bị huỷ vì chưa thanh toán bằng thẻ trong thời hạn; "
                "hàng đã được trả lại kho. Bạn chưa bị trừ tiền.",
                number=order.number,
            ),
            link,
        ]
        return gettext("Đơn hàng %(number)s đã bị huỷ", number=order.number), paragraphs
    if kind == CARD_PAYMENT_FAILED:
        paragraphs = [
            hello,
            gettext(
                "Thanh toán thẻ cho đơn hàng %(number)s không thành công. Bạn có thể thử lại "
                "hoặc chọn thanh toán khi nhận hàng tại:",
                number=order.number,
            ),
            link,
        ]
        return gettext("Thanh toán đơn hàng %(number)s chưa thành công", number=order.number), (
            paragraphs
        )
    if kind == SWITCHED_TO_COD and part is not None:
        paragraphs = [
            gettext(
                "Người mua đơn hàng %(number)s đã chuyển sang thanh toán khi nhận hàng. "
                "Phần của %(producer)s: thu %(amount)s khi giao hàng.",
                number=order.number,
                producer=part.producer_name,
                amount=vnd(part.total_vnd),
            ),
        ]
        return gettext("Đơn hàng %(number)s: thu tiền khi giao", number=order.number), paragraphs
    if kind == REFUND_ISSUED:
        refund_id = int(email.key.rsplit(":", 1)[1])
        amount = session.execute(
            select(Refund.amount_vnd).where(Refund.id == refund_id)
        ).scalar_one()
        paragraphs = [
            hello,
            gettext(
                "Chúng tôi đã hoàn %(amount)s cho đơn hàng %(number)s.",
                amount=vnd(amount),
                number=order.number,
            ),
        ]
        if order.payment_method == CARD:
            paragraphs.append(
                gettext("Tiền về thẻ của bạn trong khoảng 5 đến 10 ngày làm việc, tuỳ ngân hàng.")
            )
        paragraphs.append(link)
        return gettext("Hoàn tiền đơn hàng %(number)s", number=order.number), paragraphs
    return None
