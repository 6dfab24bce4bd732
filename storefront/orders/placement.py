"""Placing an order: all lines or none, once per checkout token, at the prices
storefront.pricing decides (the ones the product page, cart and checkout showed)."""

from __future__ import annotations

import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from storefront.catalog.models import Product, Variant
from storefront.email_policy import InvalidEmail, normalize_email
from storefront.extensions import Session
from storefront.i18n import N_
from storefront.numbers import INT_MAX
from storefront.orders import emails
from storefront.orders.errors import OrderError
from storefront.orders.invoices import InvoiceDetails, invoice_details_for
from storefront.orders.models import (
    Order,
    OrderLine,
    OrderPart,
    OrderStatusChange,
    PartStatus,
    PaymentStatus,
)
from storefront.orders.stock import take_stock
from storefront.places import get_province, normalize_vn_phone, ward_in_province
from storefront.pricing import (
    Channel,
    Offer,
    PackPrice,
    PriceContext,
    price_variants,
    record_order_prices,
)
from storefront.shipping.services import current_rates, shipping_fee
from storefront.timeutil import today_in_vietnam, utcnow

MAX_QUANTITY_PER_LINE = 999
MAX_LINES = 100
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{32,64}")
# No 0/O, 1/I/L or U: order numbers are read aloud on the phone and typed into bank apps.
NUMBER_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
NUMBER_PATTERN = re.compile(r"OC-[0-9]{4}-[" + NUMBER_ALPHABET + "]{6}")


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    email: str


@dataclass(frozen=True)
class DeliveryAddress:
    province_code: int
    ward_code: int
    street: str
    note: str = ""


@dataclass(frozen=True)
class LineRequest:
    variant_id: int
    quantity: int


@dataclass(frozen=True)
class QuotedTerms:
    """Prices a producer agreed in a quote, read by the quoting domain from the quote's
    row in the database (never from a form): a unit price for every pack ordered, and the
    part's shipping fee. The order then charges these instead of the catalogue's."""

    producer_id: int
    unit_prices: Mapping[int, int]  # variant id → VND
    shipping_fee_vnd: int
    source: str  # "quote": what the order's prices are credited to
    source_id: int  # the quote's id


@dataclass(frozen=True)
class OrderRequest:
    """What the checkout asks for: who, where, which variants and how many, how to pay.

    Prices, names and weights are never part of a request: they come from the catalogue.
    """

    checkout_token: str
    contact: Contact
    address: DeliveryAddress
    lines: Sequence[LineRequest]
    payment_method: str
    awaiting_payment: bool
    user_id: int | None = None
    language: str = "vi"
    channel: Channel | None = None  # where the buyer came from (a fair's page)
    quoted: QuotedTerms | None = None  # an accepted quote's prices and shipping
    # A business buyer asking for an invoice: its details are read from the database
    # and copied onto the order here, never taken from the request (orders/invoices.py).
    wants_invoice: bool = False
    # Unit prices a signed contract fixed (pack id → VND), charged instead of the pricing
    # function's: an offtake agreement's delivery row. Read from the database by the
    # caller, never from a form.
    agreed_prices: Mapping[int, int] | None = None


@dataclass(frozen=True)
class PlacedOrder:
    order: Order
    created: bool  # False when the token had already placed this order


def new_checkout_token() -> str:
    """A fresh idempotency token for a checkout form."""
    return secrets.token_urlsafe(24)


def new_order_number() -> str:
    """A human order number such as OC-2611-7K3F9Q: year and month, then 6 random characters."""
    suffix = "".join(secrets.choice(NUMBER_ALPHABET) for _ in range(6))
    return f"OC-{today_in_vietnam():%y%m}-{suffix}"


def find_by_token(session: Session, token: str) -> Order | None:
    """The order a checkout token already placed, if any."""
    if not TOKEN_PATTERN.fullmatch(token or ""):
        return None
    return session.execute(select(Order).where(Order.checkout_token == token)).scalar_one_or_none()


def check_contact(contact: Contact) -> Contact:
    """The contact, trimmed and normalised, or OrderError naming the field at fault."""
    name = " ".join(contact.name.split())
    if not name or len(name) > 120:
        raise OrderError(N_("Vui lòng nhập họ tên người nhận (tối đa 120 ký tự)."), field="name")
    phone = normalize_vn_phone(contact.phone or "")
    if phone is None:
        raise OrderError(
            N_("Số điện thoại không hợp lệ: 10 số bắt đầu bằng 03, 05, 07, 08, 09 hoặc +84."),
            field="phone",
        )
    try:
        email = normalize_email(contact.email)  # the shop's one email policy
    except InvalidEmail as exc:
        raise OrderError(exc.message, field="email") from exc
    return Contact(name=name, phone=phone, email=email)


def check_address(address: DeliveryAddress) -> DeliveryAddress:
    """The address with a real 2025 province and one of its wards, or OrderError."""
    if get_province(address.province_code) is None:
        raise OrderError(N_("Vui lòng chọn tỉnh, thành phố."), field="province")
    if not ward_in_province(address.ward_code, address.province_code):
        raise OrderError(
            N_("Vui lòng chọn phường, xã thuộc tỉnh, thành phố đã chọn."), field="ward"
        )
    street = " ".join(address.street.split())
    if not street or len(street) > 300:
        raise OrderError(N_("Vui lòng nhập số nhà, đường, thôn, bản."), field="street")
    note = address.note.strip()
    if len(note) > 500:
        raise OrderError(N_("Ghi chú tối đa 500 ký tự."), field="note")
    return DeliveryAddress(address.province_code, address.ward_code, street, note)


def _merged_quantities(lines: Sequence[LineRequest]) -> dict[int, int]:
    if not lines:
        raise OrderError(N_("Giỏ hàng của bạn đang trống."))
    if len(lines) > MAX_LINES:
        raise OrderError(N_("Một đơn hàng có tối đa %(n)s dòng sản phẩm."), n=MAX_LINES)
    quantities: dict[int, int] = {}
    for line in lines:
        if not isinstance(line.quantity, int) or line.quantity < 1:
            raise OrderError(N_("Số lượng phải là số nguyên từ 1 trở lên."))
        quantities[line.variant_id] = quantities.get(line.variant_id, 0) + line.quantity
        if quantities[line.variant_id] > MAX_QUANTITY_PER_LINE:
            raise OrderError(
                N_("Mỗi sản phẩm đặt tối đa %(n)s trong một đơn hàng."), n=MAX_QUANTITY_PER_LINE
            )
    return quantities


def _load_variants(session: Session, ids: Sequence[int]) -> list[Variant]:
    variants = list(
        session.execute(
            select(Variant)
            .options(joinedload(Variant.product).joinedload(Product.producer))
            .where(Variant.id.in_(ids))
            .order_by(Variant.id)
        ).scalars()
    )
    found = {v.id for v in variants}
    for variant in variants:
        product = variant.product
        if not (variant.is_active and product.is_published and product.producer.is_active):
            raise OrderError(
                N_("%(name)s (%(label)s) không còn được bán, vui lòng bỏ khỏi giỏ hàng."),
                name=product.name,
                label=variant.label,
            )
    if found != set(ids):
        raise OrderError(N_("Một sản phẩm trong giỏ hàng không còn được bán."))
    return variants


def _quoted_prices(variants: Sequence[Variant], quoted: QuotedTerms) -> dict[int, PackPrice]:
    """The quote's price for every pack: all of them the quoting producer's, each priced."""
    prices = {}
    for variant in variants:
        price = quoted.unit_prices.get(variant.id)
        if variant.product.producer_id != quoted.producer_id or price is None or price < 1:
            raise OrderError(N_("Báo giá không khớp với sản phẩm đặt, vui lòng hỏi lại."))
        offer = Offer(variant.id, price, quoted.source, quoted.source_id)
        prices[variant.id] = PackPrice(variant.id, variant.price_vnd, offer)
    return prices


def _invoice(session: Session, request: OrderRequest) -> InvoiceDetails | None:
    """The invoice details to copy onto the order, when the buyer asked for an invoice."""
    if not request.wants_invoice:
        return None
    invoice = invoice_details_for(session, request.user_id)
    if invoice is None:
        raise OrderError(
            N_("Chỉ tài khoản đã khai báo thông tin doanh nghiệp mới xuất được hóa đơn.")
        )
    return invoice


def _unused_number(session: Session) -> str:
    while True:
        number = new_order_number()
        taken = session.execute(select(Order.id).where(Order.number == number)).first()
        if taken is None:
            return number


def place_order(session: Session, request: OrderRequest) -> PlacedOrder:
    """Place an order from a checkout, all or nothing; the same token returns the same order.

    Checks the contact and address, copies names, prices and weights from the catalogue
    (an accepted quote's prices and shipping instead, when `quoted` is given), splits the
    lines into one part per producer with its shipping fee, takes the stock
    with conditional updates (raising OutOfStock naming the short line and what remains)
    and queues the emails. Only flushes: the caller commits, or rolls back on any error.
    """
    if not TOKEN_PATTERN.fullmatch(request.checkout_token or ""):
        raise OrderError(N_("Phiên đặt hàng không hợp lệ, vui lòng thử lại."))
    existing = find_by_token(session, request.checkout_token)
    if existing is not None:
        return PlacedOrder(existing, created=False)
    contact = check_contact(request.contact)
    address = check_address(request.address)
    quantities = _merged_quantities(request.lines)
    invoice = _invoice(session, request)
    variants = _load_variants(session, sorted(quantities))
    # Prices are decided here, from the database, at this moment: a fair price never
    # after its fair closes, whatever a page showed earlier.
    pricing = PriceContext(
        utcnow(), channel=request.channel, quantities=quantities, buyer_id=request.user_id
    )
    if request.quoted is not None:
        prices = _quoted_prices(variants, request.quoted)
    elif request.agreed_prices is not None:
        if set(quantities) - set(request.agreed_prices):
            raise OrderError(N_("Một sản phẩm trong đơn chưa có giá đã thỏa thuận."))
        # No offer applies to a contract's price: no source credits the order for it.
        prices = {v.id: PackPrice(v.id, request.agreed_prices[v.id]) for v in variants}
    else:
        prices = price_variants(session, variants, pricing)
    unit = {variant_id: price.unit_vnd for variant_id, price in prices.items()}

    by_producer: dict[int, list[Variant]] = {}
    for variant in variants:
        by_producer.setdefault(variant.product.producer_id, []).append(variant)
    rates = current_rates(session)
    plans = []
    for producer_variants in by_producer.values():
        producer = producer_variants[0].product.producer
        weight = sum(v.weight_grams * quantities[v.id] for v in producer_variants)
        items = sum(unit[v.id] * quantities[v.id] for v in producer_variants)
        if request.quoted is None:
            fee = shipping_fee(rates, producer.province_code, address.province_code, weight)
        else:
            fee = request.quoted.shipping_fee_vnd
        plans.append((producer, producer_variants, weight, items, fee))

    items_total = sum(plan[3] for plan in plans)
    shipping_total = sum(plan[4] for plan in plans)
    # Amounts and weights live in integer columns: 3 packs at 1.000.000.000 ₫ do not fit.
    if items_total + shipping_total > INT_MAX or any(plan[2] > INT_MAX for plan in plans):
        raise OrderError(N_("Đơn hàng quá lớn (tối đa 2.147.483.647 ₫): hãy chia thành nhiều đơn."))
    # The order row goes first: its unique token makes a concurrent duplicate submission
    # wait here and then fail, before it touches any stock.
    order = Order(
        number=_unused_number(session),
        checkout_token=request.checkout_token,
        user_id=request.user_id,
        contact_name=contact.name,
        phone=contact.phone,
        email=contact.email,
        province_code=address.province_code,
        ward_code=address.ward_code,
        street=address.street,
        note=address.note,
        language=request.language if request.language in ("vi", "en") else "vi",
        payment_method=request.payment_method,
        payment_status=(
            PaymentStatus.AWAITING if request.awaiting_payment else PaymentStatus.ON_DELIVERY
        ),
        items_total_vnd=items_total,
        shipping_total_vnd=shipping_total,
        total_vnd=items_total + shipping_total,
        invoice_company_name=invoice.company_name if invoice else "",
        invoice_tax_code=invoice.tax_code if invoice else "",
        invoice_address=invoice.address if invoice else "",
    )
    session.add(order)
    session.flush()
    record_order_prices(session, order.id, prices, pricing)

    take_stock(
        session,
        [(v, quantities[v.id]) for v in variants],
        note=order.number,
        actor_id=request.user_id,
    )

    parts = []
    for producer, producer_variants, weight, items, fee in plans:
        part = OrderPart(
            order_id=order.id,
            producer_id=producer.id,
            producer_name=producer.name,
            origin_province_code=producer.province_code,
            status=PartStatus.PLACED,
            items_total_vnd=items,
            shipping_fee_vnd=fee,
            weight_grams=weight,
        )
        session.add(part)
        session.flush()
        parts.append(part)
        for variant in producer_variants:
            session.add(
                OrderLine(
                    part_id=part.id,
                    variant_id=variant.id,
                    product_id=variant.product_id,
                    product_name=variant.product.name,
                    variant_label=variant.label,
                    sku=variant.sku,
                    unit_price_vnd=unit[variant.id],
                    unit_weight_grams=variant.weight_grams,
                    quantity=quantities[variant.id],
                )
            )
        session.add(
            OrderStatusChange(
                part_id=part.id, from_status=None, to_status=PartStatus.PLACED, actor="buyer"
            )
        )
    session.flush()
    emails.queue_order_placed(session, order, parts)
    return PlacedOrder(order, created=True)
