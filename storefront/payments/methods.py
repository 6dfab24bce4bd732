"""The payment methods of this shop, registered in the order checkout shows them."""

from __future__ import annotations

from storefront.i18n import N_
from storefront.orders.models import Order
from storefront.payments import bank_transfer, card
from storefront.payments.registry import PaymentMethod, register

CASH_ON_DELIVERY = register(
    PaymentMethod(
        code="cod",
        label=N_("Thanh toán khi nhận hàng (COD)"),
        description=N_("Trả tiền mặt cho người giao hàng khi nhận hàng."),
        awaiting_payment=False,
    )
)

BANK_TRANSFER = register(
    PaymentMethod(
        code=bank_transfer.CODE,
        label=N_("Chuyển khoản ngân hàng (VietQR)"),
        description=N_(
            "Quét mã VietQR bằng ứng dụng ngân hàng sau khi đặt hàng; đơn được gửi đi khi "
            "shop nhận được tiền."
        ),
        awaiting_payment=True,
        is_available=bank_transfer.is_available,
    )
)


def _start_card_payment(order: Order) -> str | None:
    from storefront.payments.views import start_from_checkout

    return start_from_checkout(order)


CARD = register(
    PaymentMethod(
        code=card.CODE,
        label=N_("Thẻ Visa, Mastercard, JCB (Stripe)"),
        description=N_(
            "Thanh toán ngay trên trang bảo mật của Stripe sau khi đặt hàng; đơn được giữ "
            "hàng trong thời gian thanh toán."
        ),
        awaiting_payment=True,
        is_available=card.is_available,
        start=_start_card_payment,
    )
)
