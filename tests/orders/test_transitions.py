"""Each part moves only as the allowed-transitions table says; stock comes back once."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from storefront.errors import NotFound
from storefront.orders import fulfilment
from storefront.orders.errors import OrderError, TransitionRefused
from storefront.orders.models import (
    Order,
    OrderEmail,
    OrderLine,
    OrderPart,
    OrderStatusChange,
    PartStatus,
    PaymentStatus,
)
from tests.factories import make_producer, make_product
from tests.orders.helpers import place, stock_of, variant_of

S = PartStatus
# How to bring a fresh (placed) part to each status.
PATH_TO = {
    S.PLACED: [],
    S.CONFIRMED: [S.CONFIRMED],
    S.SHIPPED: [S.CONFIRMED, S.SHIPPED],
    S.DELIVERED: [S.CONFIRMED, S.SHIPPED, S.DELIVERED],
    S.CANCELLED: [S.CANCELLED],
}
ALLOWED = {
    (S.PLACED, S.CONFIRMED),
    (S.PLACED, S.CANCELLED),
    (S.CONFIRMED, S.SHIPPED),
    (S.CONFIRMED, S.CANCELLED),
    (S.SHIPPED, S.DELIVERED),
}


def move(session, part_id: int, target: PartStatus, producer_id: int | None = None) -> None:  # type: ignore[no-untyped-def]
    if target == S.CONFIRMED:
        fulfilment.confirm_part(session, part_id, producer_id)
    elif target == S.SHIPPED:
        fulfilment.ship_part(session, part_id, "Viettel Post", "VTP123456789", producer_id)
    elif target == S.DELIVERED:
        fulfilment.deliver_part(session, part_id, producer_id)
    elif target == S.CANCELLED:
        fulfilment.cancel_part(session, part_id, actor="producer", producer_id=producer_id)
    else:  # no service moves a part back to "placed"; the table check itself must refuse
        fulfilment._move(session, fulfilment.get_part(session, part_id), target, "admin")


@pytest.fixture
def order(session):  # type: ignore[no-untyped-def]
    product = make_product(session, stock=10)
    session.commit()
    placed = place(session, [(variant_of(session, product).id, 3)])
    return placed


def part_of(session, order: Order) -> OrderPart:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.execute(select(OrderPart).where(OrderPart.order_id == order.id)).scalar_one()


def test_the_table_is_the_one_the_shop_documents():
    table = {(a, b) for a, targets in fulfilment.ALLOWED_TRANSITIONS.items() for b in targets}
    assert table == ALLOWED


@pytest.mark.parametrize(("current", "target"), list(itertools.product(list(S), list(S))))
def test_each_transition_is_allowed_or_refused(session, order, current, target):
    part = part_of(session, order)
    for step in PATH_TO[current]:
        move(session, part.id, step)
    session.commit()
    assert part_of(session, order).status == current
    if (current, target) in ALLOWED:
        move(session, part.id, target)
        session.commit()
        assert part_of(session, order).status == target
    else:
        with pytest.raises(TransitionRefused):
            move(session, part.id, target)
        session.rollback()
        assert part_of(session, order).status == current


def test_history_records_each_step_with_its_actor_and_time(session, order):
    part = part_of(session, order)
    move(session, part.id, S.CONFIRMED, producer_id=part.producer_id)
    move(session, part.id, S.SHIPPED, producer_id=part.producer_id)
    session.commit()
    history = (
        session.execute(
            select(OrderStatusChange)
            .where(OrderStatusChange.part_id == part.id)
            .order_by(OrderStatusChange.id)
        )
        .scalars()
        .all()
    )
    assert [(h.from_status, h.to_status, h.actor) for h in history] == [
        (None, S.PLACED, "buyer"),
        (S.PLACED, S.CONFIRMED, "producer"),
        (S.CONFIRMED, S.SHIPPED, "producer"),
    ]
    assert history[-1].changed_at is not None
    shipped = part_of(session, order)
    assert (shipped.carrier, shipped.tracking_number) == ("Viettel Post", "VTP123456789")


def test_shipping_needs_a_carrier_and_a_tracking_number(session, order):
    part = part_of(session, order)
    move(session, part.id, S.CONFIRMED)
    with pytest.raises(OrderError):
        fulfilment.ship_part(session, part.id, "", "VTP1")
    with pytest.raises(OrderError):
        fulfilment.ship_part(session, part.id, "GHN", "  ")
    assert part_of(session, order).status == S.CONFIRMED


def test_a_producer_cannot_move_another_producers_part(session, order):
    part = part_of(session, order)
    stranger = make_producer(session)
    session.commit()
    with pytest.raises(NotFound):
        fulfilment.confirm_part(session, part.id, producer_id=stranger.id)
    with pytest.raises(NotFound):
        fulfilment.cancel_part(session, part.id, actor="producer", producer_id=stranger.id)
    assert part_of(session, order).status == S.PLACED


def test_cancelling_returns_the_stock_exactly_once(session, order):
    part = part_of(session, order)
    line = session.execute(select(OrderLine)).scalar_one()
    line_variant = line.variant_id
    assert stock_of(session, line_variant) == 7
    fulfilment.cancel_part(session, part.id, actor="buyer")
    session.commit()
    assert stock_of(session, line_variant) == 10
    with pytest.raises(TransitionRefused):
        fulfilment.cancel_part(session, part.id, actor="buyer")
    session.rollback()
    assert stock_of(session, line_variant) == 10


def test_a_stale_view_of_a_part_cannot_move_it(session, order):
    """Two people act at once: the second one's update finds the status changed."""
    part = fulfilment.get_part(session, part_of(session, order).id)
    session.execute(
        update(OrderPart).where(OrderPart.id == part.id).values(status=S.CANCELLED)
    )  # someone else, behind this session's back
    with pytest.raises(TransitionRefused):
        fulfilment._move(session, part, S.CONFIRMED, "producer")


def test_a_transfer_order_cannot_ship_before_it_is_paid(session):
    product = make_product(session, stock=5)
    session.commit()
    order = place(
        session, [(variant_of(session, product).id, 1)], method="bank_transfer", awaiting=True
    )
    part = part_of(session, order)
    fulfilment.confirm_part(session, part.id)
    with pytest.raises(TransitionRefused):
        fulfilment.ship_part(session, part.id, "GHTK", "S123")
    fulfilment.mark_paid(session, order.id)
    fulfilment.ship_part(session, part.id, "GHTK", "S123")
    session.commit()
    assert part_of(session, order).status == S.SHIPPED


def test_mark_paid_only_from_awaiting(session):
    product = make_product(session, stock=5)
    session.commit()
    transfer = place(
        session, [(variant_of(session, product).id, 1)], method="bank_transfer", awaiting=True
    )
    cod = place(session, [(variant_of(session, product).id, 1)])
    paid = fulfilment.mark_paid(session, transfer.id)
    session.commit()
    assert paid.payment_status == PaymentStatus.PAID and paid.paid_at is not None
    with pytest.raises(TransitionRefused):
        fulfilment.mark_paid(session, transfer.id)
    with pytest.raises(TransitionRefused):
        fulfilment.mark_paid(session, cod.id)
    with pytest.raises(NotFound):
        fulfilment.mark_paid(session, 999_999)
    kinds = (
        session.execute(select(OrderEmail.kind).where(OrderEmail.order_id == transfer.id))
        .scalars()
        .all()
    )
    assert kinds.count("payment_received") == 1


def test_cancelling_every_part_of_an_unpaid_order_leaves_nothing_to_pay(session):
    a = make_product(session, stock=5)
    b = make_product(session, make_producer(session), stock=5)
    session.commit()
    order = place(
        session,
        [(variant_of(session, a).id, 1), (variant_of(session, b).id, 1)],
        method="bank_transfer",
        awaiting=True,
    )
    parts = session.execute(select(OrderPart).order_by(OrderPart.id)).scalars().all()
    fulfilment.buyer_cancel_part(session, session.get(Order, order.id), parts[0].id)
    session.commit()
    session.expire_all()
    reloaded = session.execute(select(Order).where(Order.id == order.id)).scalar_one()
    assert reloaded.payment_status == PaymentStatus.AWAITING
    fulfilment.buyer_cancel_part(session, reloaded, parts[1].id)
    session.commit()
    session.expire_all()
    assert session.get(Order, order.id).payment_status == PaymentStatus.CANCELLED


def test_the_buyer_cannot_cancel_a_shipped_part_or_another_orders_part(session):
    product = make_product(session, stock=5)
    session.commit()
    mine = place(session, [(variant_of(session, product).id, 1)])
    theirs = place(session, [(variant_of(session, product).id, 1)])
    my_part, their_part = part_of(session, mine), part_of(session, theirs)
    with pytest.raises(NotFound):
        fulfilment.buyer_cancel_part(session, mine, their_part.id)
    fulfilment.confirm_part(session, my_part.id)
    fulfilment.ship_part(session, my_part.id, "GHN", "GHN1")
    session.commit()
    with pytest.raises(TransitionRefused):
        fulfilment.buyer_cancel_part(session, mine, my_part.id)


def _age(session, order: Order, hours: float) -> None:  # type: ignore[no-untyped-def]
    row = session.get(Order, order.id)
    row.placed_at = row.placed_at - timedelta(hours=hours)
    session.commit()


def test_expiry_cancels_old_unpaid_transfers_and_returns_stock_once(session, runner, app):
    product = make_product(session, stock=10)
    session.commit()
    variant_id = variant_of(session, product).id
    old = place(session, [(variant_id, 2)], method="bank_transfer", awaiting=True)
    fresh = place(session, [(variant_id, 1)], method="bank_transfer", awaiting=True)
    paid = place(session, [(variant_id, 1)], method="bank_transfer", awaiting=True)
    cod = place(session, [(variant_id, 1)])
    fulfilment.mark_paid(session, paid.id)
    session.commit()
    for order in (old, paid, cod):
        _age(session, order, app.config["BANK_TRANSFER_HOLD_HOURS"] + 1)
    assert stock_of(session, variant_id) == 5

    result = runner.invoke(args=["orders", "expire-unpaid"])
    assert result.exit_code == 0, result.output
    assert old.number in result.output and "Expired 1 " in result.output
    assert stock_of(session, variant_id) == 7
    session.expire_all()
    statuses = {o.number: o.payment_status for o in session.execute(select(Order)).scalars()}
    assert statuses == {
        old.number: PaymentStatus.EXPIRED,
        fresh.number: PaymentStatus.AWAITING,
        paid.number: PaymentStatus.PAID,
        cod.number: PaymentStatus.ON_DELIVERY,
    }
    assert part_of(session, old).status == S.CANCELLED

    again = runner.invoke(args=["orders", "expire-unpaid"])
    assert "Expired 0 " in again.output
    assert stock_of(session, variant_id) == 7


def test_expiry_and_a_buyer_cancel_do_not_both_return_stock(session, app):
    product = make_product(session, stock=10)
    session.commit()
    variant_id = variant_of(session, product).id
    order = place(session, [(variant_id, 4)], method="bank_transfer", awaiting=True)
    _age(session, order, 48)
    fulfilment.buyer_cancel_part(session, order, part_of(session, order).id)
    session.commit()
    assert stock_of(session, variant_id) == 10
    from storefront.timeutil import utcnow

    assert fulfilment.expire_unpaid(session, "bank_transfer", utcnow()) == []
    session.commit()
    assert stock_of(session, variant_id) == 10


def test_two_overlapping_expiry_runs_cancel_an_order_once(session):
    product = make_product(session, stock=10)
    session.commit()
    variant_id = variant_of(session, product).id
    order = place(session, [(variant_id, 4)], method="bank_transfer", awaiting=True)
    # Both runs picked the order as a candidate; the first to claim it wins.
    assert fulfilment.expire_order(session, order.id) is not None
    assert fulfilment.expire_order(session, order.id) is None
    session.commit()
    assert stock_of(session, variant_id) == 10
    kinds = session.execute(select(OrderEmail.kind).where(OrderEmail.order_id == order.id))
    assert list(kinds.scalars()).count("order_expired") == 1


def test_a_paid_order_is_not_expired_even_if_it_was_a_candidate(session):
    product = make_product(session, stock=10)
    session.commit()
    variant_id = variant_of(session, product).id
    order = place(session, [(variant_id, 4)], method="bank_transfer", awaiting=True)
    fulfilment.mark_paid(session, order.id)  # the admin got there first
    assert fulfilment.expire_order(session, order.id) is None
    session.commit()
    assert stock_of(session, variant_id) == 6


def test_stock_history_records_the_order_and_the_return(session):
    from storefront.catalog.models import StockMovement, StockReason

    product = make_product(session, stock=10)
    session.commit()
    variant_id = variant_of(session, product).id
    order = place(session, [(variant_id, 3)])
    fulfilment.cancel_part(session, part_of(session, order).id, actor="admin", actor_id=None)
    session.commit()
    movements = session.execute(
        select(StockMovement.delta, StockMovement.reason, StockMovement.note)
        .where(StockMovement.variant_id == variant_id, StockMovement.reason != StockReason.DELIVERY)
        .order_by(StockMovement.id)
    ).all()
    assert [tuple(m) for m in movements] == [
        (-3, StockReason.ORDER, order.number),
        (3, StockReason.RETURNED, order.number),
    ]
