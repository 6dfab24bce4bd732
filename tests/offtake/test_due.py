"""`flask offtake due`: due deliveries become orders at the agreed price, once; short
stock makes a shortfall both sides see, retried later; a week-ahead warning, once."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from storefront.catalog.models import Variant
from storefront.fairs import services as fair_services
from storefront.offtake.due import run_due
from storefront.offtake.models import (
    AgreementState,
    DeliveryState,
    OfftakeAgreement,
    OfftakeEmail,
)
from storefront.orders.models import Order, OrderLine, OrderPart
from storefront.timeutil import today_in_vietnam as today
from tests.accounts.helpers import make_member, make_user
from tests.factories import VINH_LONG, make_producer
from tests.fairs.helpers import make_fair
from tests.offtake.helpers import a_variant, deliveries, make_business, signed_agreement
from tests.orders.helpers import stock_of


def _setup(session, stock=100, lines=None):  # type: ignore[no-untyped-def]
    producer = make_producer(session)
    make_member(session, producer, email="htx@example.vn")
    variant = a_variant(session, producer, stock=stock)
    buyer = make_business(session, email="sieuthi@example.vn")
    lines = lines or [(today(), 20), (today() + timedelta(days=30), 20)]
    agreement = signed_agreement(session, buyer, variant, lines, price=120_000)
    session.commit()
    return variant, buyer, agreement


def _orders(session) -> int:  # type: ignore[no-untyped-def]
    return session.execute(select(func.count(Order.id))).scalar_one()


def test_a_due_delivery_becomes_one_order_at_the_agreed_price(session):
    variant, buyer, agreement = _setup(session)
    result = run_due(session, today())
    assert result.ordered == 1 and result.shortfalls == 0
    first, second = deliveries(session, agreement.id)
    assert first.state == DeliveryState.ORDERED and first.ordered_on == today()
    assert second.state == DeliveryState.SCHEDULED  # not due yet
    order = session.get(Order, first.order_id)
    assert order.user_id == buyer.id and order.province_code == VINH_LONG
    assert order.contact_name == "Chị Lan" and order.payment_method == "cod"
    line = session.execute(
        select(OrderLine).join(OrderPart).where(OrderPart.order_id == order.id)
    ).scalar_one()
    # The agreement's 120.000 ₫, not the catalogue's 150.000 ₫.
    assert (line.unit_price_vnd, line.quantity) == (120_000, 20)
    assert stock_of(session, variant.id) == 80
    assert run_due(session, today()).ordered == 0  # run again: nothing more
    assert _orders(session) == 1


def test_the_agreed_price_holds_when_the_catalogue_and_a_fair_change(session):
    variant, _, agreement = _setup(session)
    session.execute(update(Variant).where(Variant.id == variant.id).values(price_vnd=90_000))
    organiser = make_user(session, role="organiser")
    fair = make_fair(session, organiser)
    exhibitor = fair_services.invite_exhibitor(session, fair, agreement.producer_id)
    fair_services.accept_invitation(session, exhibitor)
    fair_services.feature_variant(session, fair, variant.id, 1, 60_000)
    session.commit()
    run_due(session, today())
    price = session.execute(select(OrderLine.unit_price_vnd)).scalar_one()
    assert price == 120_000


def test_short_stock_is_a_shortfall_both_sides_see_and_a_later_run_retries(session):
    variant, _, agreement = _setup(session, stock=5)
    result = run_due(session, today())
    assert (result.ordered, result.shortfalls) == (0, 1)
    first = deliveries(session, agreement.id)[0]
    assert first.state == DeliveryState.SHORTFALL and first.order_id is None
    assert "chỉ còn 5" in first.shortfall_note
    assert stock_of(session, variant.id) == 5 and _orders(session) == 0  # nothing taken
    keys = sorted(
        session.execute(select(OfftakeEmail.key).where(OfftakeEmail.kind == "shortfall")).scalars()
    )
    assert keys == [
        f"shortfall:buyer:delivery:{first.id}",
        f"shortfall:producer:delivery:{first.id}",
    ]
    run_due(session, today())  # still short: still one email each
    assert (
        session.execute(select(func.count()).where(OfftakeEmail.kind == "shortfall")).scalar_one()
        == 2
    )
    session.execute(update(Variant).where(Variant.id == variant.id).values(stock=50))
    session.commit()
    tomorrow = today() + timedelta(days=1)
    assert run_due(session, tomorrow).ordered == 1
    first = deliveries(session, agreement.id)[0]
    assert first.state == DeliveryState.ORDERED and first.ordered_on == tomorrow
    assert stock_of(session, variant.id) == 30


def test_the_producer_is_warned_once_a_week_ahead_when_stock_is_short(session, smtp_inbox):
    lines = [(today() + timedelta(days=5), 40), (today() + timedelta(days=20), 40)]
    _, _, agreement = _setup(session, stock=30, lines=lines)
    assert run_due(session, today()).warned == 1  # the one in 5 days, not the one in 20
    assert run_due(session, today()).warned == 0
    assert run_due(session, today() + timedelta(days=1)).warned == 0
    warnings = [m for m in smtp_inbox.messages if "kho chưa đủ" in str(m["Subject"])]
    assert len(warnings) == 1
    assert str(warnings[0]["To"]) == "htx@example.vn"
    assert "40 × Mật ong hoa Ban" in smtp_inbox.text_of(warnings[0])


def test_no_warning_when_stock_covers_the_coming_delivery(session):
    _setup(session, stock=100, lines=[(today() + timedelta(days=3), 40)])
    assert run_due(session, today()).warned == 0


def test_an_agreement_whose_deliveries_all_became_orders_is_completed(session):
    _, _, agreement = _setup(session, lines=[(today(), 10)])
    result = run_due(session, today())
    assert result.completed == 1
    state = session.execute(
        select(OfftakeAgreement.state).where(OfftakeAgreement.id == agreement.id)
    ).scalar_one()
    assert state == AgreementState.COMPLETED


def test_the_command_reports_what_it_did(runner, session):
    _setup(session, stock=100)
    result = runner.invoke(args=["offtake", "due", "--today", today().isoformat()])
    assert result.exit_code == 0, result.output
    assert "1 delivery order(s) placed" in result.output
    refused = runner.invoke(args=["offtake", "due", "--today", "soon"])
    assert refused.exit_code != 0


def test_even_a_lost_claim_cannot_make_a_second_order(session):
    """The checkout token derived from the delivery is unique: were a delivery ever put
    back to scheduled after its order, placing it again finds the same order."""
    from storefront.offtake.models import OfftakeDelivery

    variant, _, agreement = _setup(session)
    run_due(session, today())
    first = deliveries(session, agreement.id)[0]
    order_id = first.order_id
    session.execute(
        update(OfftakeDelivery)
        .where(OfftakeDelivery.id == first.id)
        .values(state=DeliveryState.SCHEDULED, order_id=None)
    )
    session.commit()
    run_due(session, today())
    assert _orders(session) == 1 and stock_of(session, variant.id) == 80
    assert deliveries(session, agreement.id)[0].order_id == order_id
