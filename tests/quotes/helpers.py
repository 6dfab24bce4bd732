"""Quotes for tests: a business buyer, a producer with two packs on sale, and quotes
moved through the services."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from storefront.accounts.models import User
from storefront.catalog.models import Producer, Product
from storefront.quotes import services
from storefront.quotes.models import Quote
from storefront.timeutil import today_in_vietnam, utcnow
from tests.accounts.helpers import make_member
from tests.business.helpers import make_business_buyer as business_buyer
from tests.factories import make_producer, make_product
from tests.orders.helpers import HA_NOI, HA_NOI_WARD, variant_of


def make_business_buyer(session: Session, email: str | None = None) -> User:
    """A buyer account with a business profile in Hà Nội."""
    user, _ = business_buyer(
        session, email=email, province_code=HA_NOI, ward_code=HA_NOI_WARD, address_line="12 Phố Huế"
    )
    return user


@dataclass
class Scene:
    buyer: User
    producer: Producer
    member: User
    product: Product
    honey: int  # variant ids
    peanuts: int


def scene(session: Session, stock: int = 100) -> Scene:
    producer = make_producer(session, name="HTX Mật ong Tủa Chùa")
    member = make_member(session, producer)
    product = make_product(session, producer, name="Mật ong hoa Ban", price=150_000, stock=stock)
    peanuts = make_product(session, producer, name="Lạc đỏ Na Son", price=80_000, stock=stock)
    buyer = make_business_buyer(session)
    session.flush()
    return Scene(
        buyer,
        producer,
        member,
        product,
        variant_of(session, product).id,
        variant_of(session, peanuts).id,
    )


def asked(
    lines: list[tuple[int, int]], province: int = HA_NOI, notes: str = ""
) -> services.QuoteRequest:
    return services.QuoteRequest(
        lines=[services.AskedLine(v, q) for v, q in lines],
        delivery_province_code=province,
        wanted_on=today_in_vietnam() + timedelta(days=10),
        notes=notes,
    )


def ask(
    session: Session,
    s: Scene,
    lines: list[tuple[int, int]] | None = None,
    now: datetime | None = None,
    **kw: object,
) -> Quote:
    return services.ask_quote(
        session,
        s.buyer.id,
        s.producer.id,
        asked(lines or [(s.honey, 20), (s.peanuts, 50)]),
        services.new_quote_token(),
        now or utcnow(),
        **kw,  # type: ignore[arg-type]
    )


def answer(
    session: Session,
    s: Scene,
    quote: Quote,
    price: int = 120_000,
    valid_days: int = 7,
    shipping: int = 50_000,
    now: datetime | None = None,
) -> Quote:
    return services.answer_quote(
        session,
        s.producer.id,
        quote.id,
        quote.round,
        services.QuoteAnswer(
            unit_prices={line.id: price for line in quote.current_lines},
            shipping_fee_vnd=shipping,
            lead_time_days=3,
            valid_until=today_in_vietnam() + timedelta(days=valid_days),
            conditions="Thanh toán trước 50%",
        ),
        s.member.id,
        now or utcnow(),
    )


def acceptance(method: str = "bank_transfer", ward: int = HA_NOI_WARD) -> services.Acceptance:
    return services.Acceptance(
        contact_name="Trần Văn Bình",
        phone="0912345678",
        ward_code=ward,
        street="12 Phố Huế",
        payment_method=method,
        awaiting_payment=method == "bank_transfer",
    )


def quoted(session: Session, s: Scene, **kw: object) -> Quote:
    """A quote asked and answered, committed."""
    quote = ask(session, s)
    quote = answer(session, s, quote, **kw)  # type: ignore[arg-type]
    session.commit()
    return quote
