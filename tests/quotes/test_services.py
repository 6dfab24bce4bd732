"""The quote state machine through its services: every step, every refusal, the emails
each step leaves in the outbox, and the order an acceptance places."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storefront.errors import NotFound
from storefront.fairs import services as fair_services
from storefront.orders.errors import OrderError, OutOfStock
from storefront.orders.models import Order, OrderEmail, OrderLine, OrderPart, PaymentStatus
from storefront.quotes import services
from storefront.quotes.models import EventKind, Quote, QuoteEmail, QuoteEvent, QuoteState
from storefront.quotes.report import fair_quote_figures
from storefront.timeutil import today_in_vietnam, utcnow
from tests.accounts.helpers import make_user
from tests.fairs.helpers import make_fair
from tests.orders.helpers import HA_NOI_WARD, stock_of
from tests.quotes.helpers import acceptance, answer, ask, asked, make_business_buyer, quoted, scene


def _emails(session, quote_id: int) -> list[tuple[str, str]]:
    rows = session.execute(
        select(QuoteEmail.kind, QuoteEmail.recipients)
        .where(QuoteEmail.quote_id == quote_id)
        .order_by(QuoteEmail.id)
    )
    return [tuple(row) for row in rows]


def test_a_business_buyer_asks_and_the_producer_is_emailed_once(session):
    s = scene(session)
    quote = ask(session, s)
    session.commit()
    assert quote.state == QuoteState.REQUESTED and quote.round == 1
    assert quote.number.startswith("BG-")
    assert [(line.variant_id, line.quantity) for line in quote.current_lines] == [
        (s.honey, 20),
        (s.peanuts, 50),
    ]
    assert _emails(session, quote.id) == [("asked", s.member.email)]


def test_the_same_form_token_makes_one_quote(session):
    s = scene(session)
    token = services.new_quote_token()
    first = services.ask_quote(
        session, s.buyer.id, s.producer.id, asked([(s.honey, 5)]), token, utcnow()
    )
    again = services.ask_quote(
        session, s.buyer.id, s.producer.id, asked([(s.honey, 5)]), token, utcnow()
    )
    assert first.id == again.id
    assert session.execute(select(func.count()).select_from(Quote)).scalar() == 1


def test_only_business_buyers_ask(session):
    s = scene(session)
    retail = make_user(session)
    with pytest.raises(services.QuoteError):
        services.ask_quote(
            session,
            retail.id,
            s.producer.id,
            asked([(s.honey, 5)]),
            services.new_quote_token(),
            utcnow(),
        )


@pytest.mark.parametrize(
    "lines, province, field",
    [
        ([], None, "lines"),
        ([("honey", 0)], None, "lines"),
        ([("honey", 1000)], None, "lines"),
        ([("other", 1)], None, "lines"),
        ([("honey", 1)], 99, "province"),
    ],
)
def test_bad_requests_are_refused_and_change_nothing(session, lines, province, field):
    s = scene(session)
    other = make_business_buyer(session)  # noqa: F841 - someone else's world exists too
    from tests.factories import make_product
    from tests.orders.helpers import variant_of

    foreign = variant_of(session, make_product(session)).id
    ids = {"honey": s.honey, "other": foreign}
    request = asked([(ids[name], qty) for name, qty in lines], province=province or 1)
    with pytest.raises(services.QuoteError) as refused:
        services.ask_quote(
            session, s.buyer.id, s.producer.id, request, services.new_quote_token(), utcnow()
        )
    assert refused.value.field == field
    session.rollback()
    assert session.execute(select(func.count()).select_from(Quote)).scalar() == 0


def test_a_wanted_date_in_the_past_is_refused(session):
    s = scene(session)
    request = services.QuoteRequest(
        [services.AskedLine(s.honey, 1)], 1, wanted_on=today_in_vietnam() - timedelta(days=1)
    )
    with pytest.raises(services.QuoteError) as refused:
        services.ask_quote(
            session, s.buyer.id, s.producer.id, request, services.new_quote_token(), utcnow()
        )
    assert refused.value.field == "wanted_on"


def test_the_producer_answers_once_and_the_buyer_is_emailed(session):
    s = scene(session)
    quote = ask(session, s)
    quote = answer(session, s, quote, price=120_000, shipping=50_000)
    session.commit()
    assert quote.state == QuoteState.QUOTED
    assert quote.items_total_vnd == 120_000 * 70
    assert quote.total_vnd == 120_000 * 70 + 50_000
    assert _emails(session, quote.id) == [("asked", s.member.email), ("quoted", s.buyer.email)]
    with pytest.raises(services.QuoteMoved):  # a second tab answers the same round
        answer(session, s, quote, price=100_000)
    session.rollback()
    assert session.get(Quote, quote.id).current_lines[0].unit_price_vnd == 120_000


def test_an_answer_needs_a_price_for_every_line_and_a_valid_day(session):
    s = scene(session)
    quote = ask(session, s)
    first = quote.current_lines[0]
    reply = services.QuoteAnswer({first.id: 100_000}, 0, 2, today_in_vietnam())
    with pytest.raises(services.QuoteError) as refused:
        services.answer_quote(session, s.producer.id, quote.id, 1, reply, s.member.id, utcnow())
    assert refused.value.field == f"price_{quote.current_lines[1].id}"
    prices = {line.id: 100_000 for line in quote.current_lines}
    late = services.QuoteAnswer(prices, 0, 2, today_in_vietnam() - timedelta(days=1))
    with pytest.raises(services.QuoteError) as refused:
        services.answer_quote(session, s.producer.id, quote.id, 1, late, s.member.id, utcnow())
    assert refused.value.field == "valid_until"
    assert session.get(Quote, quote.id).state == QuoteState.REQUESTED


def test_another_producer_cannot_answer(session):
    s = scene(session)
    other = scene(session)
    quote = ask(session, s)
    prices = {line.id: 1 for line in quote.current_lines}
    with pytest.raises(NotFound):
        services.answer_quote(
            session,
            other.producer.id,
            quote.id,
            1,
            services.QuoteAnswer(prices, 0, 1, today_in_vietnam()),
            other.member.id,
            utcnow(),
        )


def test_decline_then_ask_again_then_quote_then_accept(session):
    s = scene(session)
    quote = ask(session, s)
    with pytest.raises(services.QuoteError):
        services.decline_quote(session, s.producer.id, quote.id, 1, "  ", s.member.id, utcnow())
    quote = services.decline_quote(
        session, s.producer.id, quote.id, 1, "Hết mùa mật ong", s.member.id, utcnow()
    )
    assert quote.state == QuoteState.DECLINED and quote.decline_reason == "Hết mùa mật ong"
    quote = services.ask_again(
        session, s.buyer.id, quote.id, 1, asked([(s.peanuts, 30)], notes="Chỉ lạc"), utcnow()
    )
    assert quote.state == QuoteState.REQUESTED and quote.round == 2
    assert [(line.variant_id, line.quantity) for line in quote.current_lines] == [(s.peanuts, 30)]
    assert len(quote.round_lines(1)) == 2  # the first round stays readable
    with pytest.raises(services.QuoteMoved):  # the producer's old tab declines round 1
        services.decline_quote(session, s.producer.id, quote.id, 1, "muộn", s.member.id, utcnow())
    quote = answer(session, s, quote, price=70_000, shipping=30_000)
    order = services.accept_quote(session, s.buyer.id, quote.id, 2, acceptance("cod"), utcnow())
    session.commit()
    kinds = [
        e.kind
        for e in session.execute(
            select(QuoteEvent).where(QuoteEvent.quote_id == quote.id).order_by(QuoteEvent.id)
        ).scalars()
    ]
    assert kinds == [
        EventKind.ASKED,
        EventKind.DECLINED,
        EventKind.ASKED_AGAIN,
        EventKind.QUOTED,
        EventKind.ACCEPTED,
    ]
    # Each step emailed the other side once; the acceptance is the order's own emails.
    assert [kind for kind, _ in _emails(session, quote.id)] == [
        "asked",
        "declined",
        "asked_again",
        "quoted",
    ]
    assert order.payment_status == PaymentStatus.ON_DELIVERY
    assert order.total_vnd == 70_000 * 30 + 30_000


def test_accepting_places_an_order_at_the_quoted_prices_and_takes_stock(session):
    s = scene(session, stock=100)
    quote = quoted(session, s, price=120_000, shipping=45_000)
    order = services.accept_quote(session, s.buyer.id, quote.id, 1, acceptance(), utcnow())
    session.commit()
    assert order.payment_status == PaymentStatus.AWAITING
    assert order.checkout_token == quote.token
    lines = session.execute(
        select(OrderLine.variant_id, OrderLine.unit_price_vnd, OrderLine.quantity).order_by(
            OrderLine.variant_id
        )
    ).all()
    assert [tuple(line) for line in lines] == [(s.honey, 120_000, 20), (s.peanuts, 120_000, 50)]
    part = session.execute(select(OrderPart).where(OrderPart.order_id == order.id)).scalar_one()
    assert part.shipping_fee_vnd == 45_000 and part.producer_id == s.producer.id
    assert order.total_vnd == 120_000 * 70 + 45_000
    assert stock_of(session, s.honey) == 80 and stock_of(session, s.peanuts) == 50
    assert session.get(Quote, quote.id).state == QuoteState.ACCEPTED
    assert session.get(Quote, quote.id).order_id == order.id
    kinds = set(
        session.execute(select(OrderEmail.kind).where(OrderEmail.order_id == order.id)).scalars()
    )
    assert kinds == {"order_placed", "part_placed"}
    # The second click: already accepted, still one order, stock taken once.
    with pytest.raises(services.QuoteMoved):
        services.accept_quote(session, s.buyer.id, quote.id, 1, acceptance(), utcnow())
    session.rollback()
    assert session.execute(select(func.count()).select_from(Order)).scalar() == 1
    assert stock_of(session, s.honey) == 80


def test_a_price_changed_in_the_catalogue_does_not_change_the_quote(session):
    s = scene(session)
    quote = quoted(session, s, price=120_000)
    from storefront.catalog.models import Variant

    session.get(Variant, s.honey).price_vnd = 999_000
    session.commit()
    order = services.accept_quote(session, s.buyer.id, quote.id, 1, acceptance(), utcnow())
    assert {
        line.unit_price_vnd
        for line in session.execute(
            select(OrderLine).join(OrderPart).where(OrderPart.order_id == order.id)
        ).scalars()
    } == {120_000}


def test_out_of_stock_at_acceptance_undoes_everything(session):
    s = scene(session, stock=10)
    quote = quoted(session, s)  # asks 20 honey, 50 peanuts
    with pytest.raises(OutOfStock):
        services.accept_quote(session, s.buyer.id, quote.id, 1, acceptance(), utcnow())
    session.rollback()
    assert session.get(Quote, quote.id).state == QuoteState.QUOTED
    assert stock_of(session, s.honey) == 10
    assert session.execute(select(func.count()).select_from(Order)).scalar() == 0


def test_a_ward_outside_the_quoted_province_is_refused(session):
    s = scene(session)
    quote = quoted(session, s)
    from tests.orders.helpers import GIA_LAI_WARD

    with pytest.raises(OrderError):
        services.accept_quote(
            session, s.buyer.id, quote.id, 1, acceptance(ward=GIA_LAI_WARD), utcnow()
        )
    session.rollback()
    assert session.get(Quote, quote.id).state == QuoteState.QUOTED


def test_another_buyer_cannot_accept_or_ask_again(session):
    s = scene(session)
    quote = quoted(session, s)
    stranger = make_business_buyer(session)
    with pytest.raises(NotFound):
        services.accept_quote(session, stranger.id, quote.id, 1, acceptance(), utcnow())
    with pytest.raises(NotFound):
        services.ask_again(session, stranger.id, quote.id, 1, asked([(s.honey, 1)]), utcnow())


def test_a_quote_past_its_day_cannot_be_accepted_and_shows_expired(session):
    s = scene(session)
    quote = quoted(session, s, valid_days=0)  # valid through today
    tomorrow = utcnow() + timedelta(days=1, hours=1)
    with pytest.raises(services.QuoteMoved) as refused:
        services.accept_quote(session, s.buyer.id, quote.id, 1, acceptance(), tomorrow)
    assert "hết hạn" in refused.value.message
    session.rollback()
    assert services.expire_quotes(session, tomorrow) == 1
    assert services.expire_quotes(session, tomorrow) == 0  # run again: nothing more
    session.commit()
    quote = session.get(Quote, quote.id)
    assert quote.state == QuoteState.EXPIRED
    assert _emails(session, quote.id)[-1] == ("expired", s.buyer.email)
    # Expired: the buyer may ask again, the next round.
    quote = services.ask_again(session, s.buyer.id, quote.id, 1, asked([(s.honey, 5)]), utcnow())
    assert quote.state == QuoteState.REQUESTED and quote.round == 2


def test_shown_state_is_expired_before_the_command_runs(session):
    s = scene(session)
    quote = quoted(session, s)
    quote.valid_until = today_in_vietnam() - timedelta(days=1)
    assert quote.state == QuoteState.QUOTED and quote.shown_state == QuoteState.EXPIRED


def test_an_accepted_quote_never_moves_again(session):
    s = scene(session)
    quote = quoted(session, s)
    services.accept_quote(session, s.buyer.id, quote.id, 1, acceptance(), utcnow())
    session.commit()
    with pytest.raises(services.QuoteMoved):
        services.ask_again(session, s.buyer.id, quote.id, 1, asked([(s.honey, 1)]), utcnow())
    future = utcnow() + timedelta(days=30)
    assert services.expire_quotes(session, future) == 0
    assert session.get(Quote, quote.id).state == QuoteState.ACCEPTED


def test_messages_email_the_other_side_once_per_token(session):
    s = scene(session)
    quote = ask(session, s)
    token = services.new_quote_token()
    first = services.post_message(
        session, quote, s.buyer.id, "buyer", "Có hoá đơn VAT không?", token, utcnow()
    )
    again = services.post_message(
        session, quote, s.buyer.id, "buyer", "Có hoá đơn VAT không?", token, utcnow()
    )
    assert first.id == again.id
    services.post_message(
        session, quote, s.member.id, "producer", "Có ạ.", services.new_quote_token(), utcnow()
    )
    with pytest.raises(services.QuoteError):
        services.post_message(
            session, quote, s.buyer.id, "buyer", "   ", services.new_quote_token(), utcnow()
        )
    session.commit()
    assert _emails(session, quote.id) == [
        ("asked", s.member.email),
        ("message", s.member.email),
        ("message", s.buyer.email),
    ]


def test_a_quote_asked_at_a_booth_counts_in_the_fair_figures(session):
    s = scene(session)
    organiser = make_user(session, role="organiser")
    fair = make_fair(session, organiser)
    exhibitor = fair_services.invite_exhibitor(session, fair, s.producer.id)
    fair_services.accept_invitation(session, exhibitor)
    session.commit()
    at_fair = ask(session, s, fair_id=fair.id)
    assert at_fair.fair_id == fair.id
    other_fair = make_fair(session, organiser)  # the producer has no booth there
    assert ask(session, s, fair_id=other_fair.id).fair_id is None
    answer(session, s, at_fair, price=100_000, shipping=10_000)
    services.accept_quote(session, s.buyer.id, at_fair.id, 1, acceptance(), utcnow())
    ask(session, s, fair_id=fair.id)  # asked, not answered
    session.commit()
    figures = fair_quote_figures(session, fair.id)
    assert (figures.asked, figures.accepted) == (2, 1)
    assert figures.accepted_value_vnd == 100_000 * 70  # goods, without shipping
    assert figures.outside_share == 100  # Hà Nội buyers, an Điện Biên producer
    assert fair_quote_figures(session, other_fair.id).asked == 0


def test_lists_show_each_side_its_own(session):
    s = scene(session)
    other = scene(session)
    mine = ask(session, s)
    ask(session, other)
    assert [q.id for q in services.buyer_quotes(session, s.buyer.id)] == [mine.id]
    assert [q.id for q in services.producer_quotes(session, s.producer.id)] == [mine.id]
    assert services.producer_quotes(session, s.producer.id, QuoteState.QUOTED) == []
    assert len(services.all_quotes(session)) == 2


def test_an_accepted_quote_can_carry_the_business_invoice(session):
    s = scene(session)
    quote = quoted(session, s)
    wanted = services.Acceptance(
        "Trần Văn Bình", "0912345678", HA_NOI_WARD, "12 Phố Huế", "cod", False, wants_invoice=True
    )
    order = services.accept_quote(session, s.buyer.id, quote.id, 1, wanted, utcnow())
    assert order.invoice_tax_code and order.invoice_company_name
