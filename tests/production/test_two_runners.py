"""Every background duty is safe with two runners at once (two hosts running the same
timer, or two job workers): on PostgreSQL, two sessions run the same duty at the same
moment over the same rows, and each row is acted on once.

The duties: bank-transfer orders past their hold (`orders expire-unpaid`), card orders
whose sessions all expired (`payments expire-card-orders`), and the outbox's emails
(`jobs worker`)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import click
import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from storefront.extensions import db
from storefront.jobs.worker import run_once
from storefront.orders import fulfilment
from storefront.orders.models import Order, OrderEmail, PaymentStatus
from storefront.payments.card import expire_abandoned
from storefront.timeutil import utcnow
from tests.accounts.mail import smtp_inbox  # noqa: F401 - the fixture
from tests.factories import make_product
from tests.orders.helpers import place, stock_of, variant_of

ORDERS = 12


@pytest.fixture(autouse=True)
def _postgres_only(is_postgres):  # type: ignore[no-untyped-def]
    if not is_postgres:
        pytest.skip("two writers at once need PostgreSQL (SQLite has one writer at a time)")


def at_once(app, duty: Callable[[Session], Any], runners: int = 2) -> list[Any]:  # type: ignore[no-untyped-def]
    """Run `duty` in `runners` threads, each with its own connection and session,
    released together; returns what each answered."""
    start = threading.Barrier(runners)
    results: list[Any] = [None] * runners
    errors: list[BaseException] = []

    def one(n: int) -> None:
        with app.app_context(), Session(db.engine) as session:
            start.wait(timeout=30)
            try:
                results[n] = duty(session)
                session.commit()
            except BaseException as exc:  # reported by the test thread
                errors.append(exc)

    threads = [threading.Thread(target=one, args=(n,)) for n in range(runners)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def _awaiting_orders(session, method: str, hours_ago: float) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    product = make_product(session, stock=100)
    session.commit()
    variant_id = variant_of(session, product).id
    numbers = []
    for _ in range(ORDERS):
        order = place(session, [(variant_id, 2)], method=method, awaiting=True)
        numbers.append(order.number)
    session.execute(update(Order).values(placed_at=utcnow() - timedelta(hours=hours_ago)))
    session.commit()
    assert stock_of(session, variant_id) == 100 - 2 * ORDERS
    return variant_id, numbers


def _expired_emails(session) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return int(
        session.execute(
            select(func.count()).select_from(OrderEmail).where(OrderEmail.kind == "order_expired")
        ).scalar_one()
    )


def test_two_transfer_expiry_runs_cancel_each_order_once(app, session):
    hold = app.config["BANK_TRANSFER_HOLD_HOURS"]
    variant_id, numbers = _awaiting_orders(session, "bank_transfer", hold + 1)

    cutoff = utcnow() - timedelta(hours=hold)
    results = at_once(app, lambda s: fulfilment.expire_unpaid(s, "bank_transfer", cutoff))

    expired = [number for result in results for number in result]
    assert sorted(expired) == sorted(numbers)  # each order by one runner, none twice
    assert stock_of(session, variant_id) == 100  # each order's stock returned once
    assert _expired_emails(session) == ORDERS
    statuses = session.execute(select(Order.payment_status)).scalars()
    assert set(statuses) == {PaymentStatus.EXPIRED}


def test_two_card_expiry_runs_cancel_each_order_once(app, session):
    """Card orders whose Checkout Session never opened, long past the hold and grace."""
    variant_id, numbers = _awaiting_orders(session, "card", 24)

    results = at_once(app, lambda s: expire_abandoned(s, app.config, timedelta(minutes=15)))

    expired = [number for result in results for number in result]
    assert sorted(expired) == sorted(numbers)
    assert stock_of(session, variant_id) == 100
    assert _expired_emails(session) == ORDERS


def test_two_job_workers_deliver_each_email_once(app, session, smtp_inbox):  # noqa: F811
    product = make_product(session, stock=100)
    session.commit()
    variant_id = variant_of(session, product).id
    for _ in range(ORDERS):
        place(session, [(variant_id, 1)])
    due = session.execute(select(func.count()).select_from(OrderEmail)).scalar_one()
    assert due >= ORDERS  # the buyer's confirmation, and the producer's

    sent = at_once(app, run_once, runners=3)

    assert sum(sent) == due  # each delivered by exactly one worker
    assert len(smtp_inbox.messages) == due
    session.expire_all()
    statuses = session.execute(select(OrderEmail.status)).scalars()
    assert set(statuses) == {"sent"}


@pytest.mark.parametrize(
    ("command", "done", "skipped"),
    [
        (["catalog", "search-terms"], "Search vocabulary:", "skipped"),
        (["programme", "refresh"], "Rollup covers", "skipped"),
    ],
)
def test_two_hosts_rebuilding_a_table_at_once_neither_fails(
    app, session, monkeypatch, command, done, skipped
):  # type: ignore[no-untyped-def]
    """The hourly timer's whole-table rebuilds: the second runner skips (or runs after
    the first), and the table holds one rebuild's rows, not two."""
    from storefront.catalog.models import SearchTerm

    make_product(session, name="Mật ong hoa Ban")
    make_product(session, name="Lạc đỏ Na Son")
    session.commit()
    # The command's own function in each thread, its output kept per thread: the CLI
    # test runner swaps sys.stdout for the whole process, so two at once closed each
    # other's output ("I/O operation on closed file").
    said: dict[int, list[str]] = {}

    def echo(message: object = "", **_: object) -> None:
        said.setdefault(threading.get_ident(), []).append(str(message))

    monkeypatch.setattr(click, "echo", echo)
    group = app.cli.get_command(click.Context(app.cli), command[0])
    duty = group.get_command(click.Context(group), command[1]).callback.__wrapped__

    def run(_: Session) -> str:
        duty()
        return "\n".join(said.get(threading.get_ident(), []))

    outputs = at_once(app, run)

    for output in outputs:
        assert done in output or skipped in output, output
    assert any(done in output for output in outputs)
    if command[0] == "catalog":
        terms = list(session.execute(select(SearchTerm.term)).scalars())
        assert len(terms) == len(set(terms)) and "ong" in terms
