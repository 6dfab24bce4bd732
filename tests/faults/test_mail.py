"""A mail server that takes the connection and never answers: no request waits on it
(emails go to the outbox with the order), and the job worker gives up on it within its
SMTP timeout, backs off, and sends each email once when the server is back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from storefront import outbox
from storefront.accounts.models import AccountEmail
from storefront.jobs.worker import run_once
from storefront.orders.emails import queue_email
from storefront.orders.models import Order, OrderEmail
from storefront.timeutil import utcnow
from tests.accounts.helpers import make_member, make_user, post_form
from tests.accounts.mail import smtp_inbox  # noqa: F401
from tests.factories import make_producer, make_product
from tests.faults.servers import stalling_smtp
from tests.orders.helpers import add_to_cart, checkout_form, delivery_fields, variant_of


@pytest.fixture
def stalled(app, monkeypatch):  # type: ignore[no-untyped-def]
    with stalling_smtp() as (controller, handler):
        monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
        monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
        monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
        monkeypatch.setitem(app.config, "MAIL_USERNAME", "")
        monkeypatch.setitem(app.config, "MAIL_TIMEOUT", 1)
        yield handler


def _statuses(session, model=OrderEmail) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
    session.expire_all()
    rows = session.execute(select(model.status, model.attempts).order_by(model.id))
    return [tuple(row) for row in rows]


def _shop_with_four_emails(client, session) -> None:  # type: ignore[no-untyped-def]
    """A cart from three producers with members: 4 emails (buyer + 3 producers)."""
    for name in ("HTX Mường Phăng", "HTX Na Son", "HTX Tìa Dình"):
        producer = make_producer(session, name)
        make_member(session, producer, email=f"{name.split()[-1].lower()}@htx.vn")
        product = make_product(session, producer, f"Sản phẩm {name}", price=100_000, stock=5)
        session.commit()
        add_to_cart(client, product, variant_of(session, product).id, 1)


def test_checkout_never_talks_to_the_mail_server(client, session, stalled):
    _shop_with_four_emails(client, session)
    response = client.post("/checkout", data={**checkout_form(client), **delivery_fields()})
    assert response.status_code == 303 and "/placed" in response.headers["Location"]
    assert client.get(response.headers["Location"]).status_code == 200
    assert stalled.connections == 0  # not even a connection: the request never waited
    assert session.execute(select(func.count()).select_from(Order)).scalar_one() == 1
    assert _statuses(session) == [("pending", 0)] * 4  # written with the order


def test_password_reset_and_registration_never_talk_to_the_mail_server(client, session, stalled):
    make_user(session, email="mai@example.vn")
    session.commit()
    page = "/account/password/forgot"
    assert post_form(client, page, page, {"email": "mai@example.vn"}).status_code == 302
    assert stalled.connections == 0
    assert _statuses(session, AccountEmail) == [("pending", 0)]


def test_the_worker_gives_up_on_a_stalled_server_and_backs_off(client, session, stalled):
    _shop_with_four_emails(client, session)
    client.post("/checkout", data={**checkout_form(client), **delivery_fields()})
    assert run_once(session) == 0  # each email waits MAIL_TIMEOUT (1 s) at most
    assert stalled.reached_data.is_set()  # it did talk to the server, and gave up
    assert _statuses(session) == [("pending", 1)] * 4
    emails = list(session.execute(select(OrderEmail)).scalars())
    assert all("timed out" in e.last_error for e in emails), [e.last_error for e in emails]
    later = utcnow() + timedelta(seconds=50)  # SQLite hands back naive UTC times
    assert all(e.next_attempt_at.replace(tzinfo=later.tzinfo) > later for e in emails)
    assert run_once(session) == 0 and _statuses(session) == [("pending", 1)] * 4  # not due


def test_a_row_stuck_in_sending_is_retried_after_its_lease_and_sent_once(
    client,
    session,
    smtp_inbox,  # noqa: F811
):
    _shop_with_four_emails(client, session)
    client.post("/checkout", data={**checkout_form(client), **delivery_fields()})
    # A worker claimed every email, then hung (or was killed by gunicorn's timeout).
    session.execute(
        update(OrderEmail).values(
            status="sending", attempts=1, lease_until=utcnow() + timedelta(seconds=60)
        )
    )
    session.commit()
    assert run_once(session) == 0  # its lease still holds: nobody else sends them
    session.execute(update(OrderEmail).values(lease_until=utcnow() - timedelta(seconds=1)))
    session.commit()
    assert run_once(session) == 4
    assert _statuses(session) == [("sent", 2)] * 4
    assert run_once(session) == 0  # and never again
    assert len(smtp_inbox.handler.received) == 4
    # The hung worker waking up cannot overwrite the result: its lease is gone.
    assert not outbox.finish(session, OrderEmail, outbox.Claim(1, 1), error="late")


def test_one_email_per_kind_and_order(session):
    honey = make_product(session, make_producer(session, "HTX Mường Phăng"), "Mật ong")
    session.commit()
    from tests.orders.helpers import place

    order = place(session, [(variant_of(session, honey).id, 1)])
    with pytest.raises(IntegrityError):
        queue_email(session, order, "order_placed", [order.email])
    session.rollback()


def test_backoff_grows_and_stops(session):
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 7, 12)] == [
        60,
        120,
        240,
        3600,
        3600,
    ]
