"""Demo quotes for the demo business buyer, loaded by `flask demo load`: one the honey
cooperative answered (ready to accept), one still waiting for the Na Son peanut
producer's answer."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storefront.accounts.models import ProducerMember, User
from storefront.catalog.models import Product, Variant
from storefront.extensions import Session
from storefront.quotes import services
from storefront.quotes.models import Quote
from storefront.timeutil import today_in_vietnam, utcnow

HA_NOI = 1
ANSWERED = (("DB-MOHB-250", 60, 140_000), ("DB-MOHB-500", 20, 245_000))
WAITING = (("DB-LDNS-1000", 100),)


def _packs(session: Session, skus: list[str]) -> dict[str, tuple[int, int]]:
    """SKU → (pack id, producer id) for the demo packs that exist."""
    rows = session.execute(
        select(Variant.sku, Variant.id, Product.producer_id)
        .join(Product, Product.id == Variant.product_id)
        .where(Variant.sku.in_(skus))
    )
    return {sku: (vid, pid) for sku, vid, pid in rows}


def _ask(
    session: Session, buyer: User, producer_id: int, lines: list[tuple[int, int]], notes: str
) -> Quote:
    request = services.QuoteRequest(
        [services.AskedLine(vid, qty) for vid, qty in lines],
        HA_NOI,
        wanted_on=today_in_vietnam() + timedelta(days=21),
        notes=notes,
    )
    token = services.new_quote_token()
    return services.ask_quote(session, buyer.id, producer_id, request, token, utcnow())


def load_demo_quotes(session: Session, buyer: User) -> int:
    """The two demo quotes, unless the buyer already has quotes. Returns how many were
    added. Flushes only."""
    if session.execute(select(Quote.id).where(Quote.buyer_id == buyer.id)).first():
        return 0
    packs = _packs(session, [sku for sku, *_ in ANSWERED] + [sku for sku, _ in WAITING])
    added = 0
    honey = [(packs[sku], qty, price) for sku, qty, price in ANSWERED if sku in packs]
    if honey:
        producer_id = honey[0][0][1]
        quote = _ask(
            session,
            buyer,
            producer_id,
            [(pack[0], qty) for pack, qty, _ in honey],
            "Giao cho 6 cửa hàng ở Hà Nội, cần hoá đơn VAT.",
        )
        member = session.execute(
            select(ProducerMember.user_id).where(ProducerMember.producer_id == producer_id)
        ).scalar()
        if member is not None:
            prices = {vid: price for (vid, _), _, price in honey}
            services.answer_quote(
                session,
                producer_id,
                quote.id,
                quote.round,
                services.QuoteAnswer(
                    {line.id: prices[line.variant_id] for line in quote.current_lines},
                    shipping_fee_vnd=180_000,
                    lead_time_days=5,
                    valid_until=today_in_vietnam() + timedelta(days=14),
                    conditions="Thanh toán chuyển khoản khi đặt; đóng thùng 12 chai.",
                ),
                member,
                utcnow(),
            )
        added += 1
    peanuts = [(packs[sku], qty) for sku, qty in WAITING if sku in packs]
    if peanuts:
        producer_id = peanuts[0][0][1]
        _ask(
            session,
            buyer,
            producer_id,
            [(pack[0], qty) for pack, qty in peanuts],
            "Hỏi giá lạc đỏ cho mùa Tết, giao trước ngày 20.",
        )
        added += 1
    return added
