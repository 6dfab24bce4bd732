"""`flask jobs worker` and `flask jobs run-once`: deliver the outbox's due emails.

Each pass queues the meeting reminders that fell due (storefront/meetings/emails.py:
each claimed once by a conditional update), then delivers every due order, account,
quote, offtake and meeting email (storefront/outbox.py: a lease per row, retries with
backoff, once per key). Several workers, on several hosts, may run at once: a row is
claimed by a conditional UPDATE, so each is sent by one.

The long-running worker also does the periodic duties every DUTY_SECONDS: offtake
deliveries that fell due become orders (`flask offtake due`, safe on every host at once).
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from types import FrameType

import click
from flask import current_app
from sqlalchemy.orm import scoped_session

from storefront import outbox
from storefront.accounts.emails import send_pending_account_emails
from storefront.accounts.models import AccountEmail
from storefront.extensions import Session, db
from storefront.meetings.emails import queue_due_reminders, send_pending_meeting_emails
from storefront.meetings.models import MeetingEmail
from storefront.offtake.due import run_due
from storefront.offtake.emails import send_pending_offtake_emails
from storefront.offtake.models import OfftakeEmail
from storefront.orders.emails import send_pending_emails
from storefront.orders.models import OrderEmail
from storefront.quotes.emails import send_pending_quote_emails
from storefront.quotes.models import QuoteEmail

logger = logging.getLogger("storefront.jobs")
DUTY_SECONDS = 300.0  # offtake deliveries are due by the day: every 5 minutes is plenty


OUTBOXES = (OrderEmail, AccountEmail, QuoteEmail, OfftakeEmail, MeetingEmail)


def backlog(session: Session) -> outbox.Backlog:
    """What the worker has still to deliver, over every outbox (one statement)."""
    return outbox.backlog(session, OUTBOXES)


def run_once(session: Session) -> int:
    """One pass over the outbox; returns how many emails were delivered."""
    queue_due_reminders(session)
    return (
        send_pending_emails(session)
        + send_pending_account_emails(session)
        + send_pending_quote_emails(session)
        + send_pending_offtake_emails(session)
        + send_pending_meeting_emails(session)
    )


def run_duties(session: Session) -> None:
    """The periodic duties: offtake deliveries due today become orders (or shortfalls),
    and the week-ahead stock warnings are written."""
    result = run_due(session)
    if result.ordered or result.shortfalls or result.warned:
        logger.info(
            "offtake: %s order(s) placed, %s short of stock, %s warning(s)",
            result.ordered,
            result.shortfalls,
            result.warned,
        )


def run_forever(
    session: Session,
    interval: float,
    stop: threading.Event,
    duty_interval: float = DUTY_SECONDS,
) -> None:
    """Passes every `interval` seconds until `stop` is set, the duties every
    `duty_interval`; a failed pass (database or mail server down) is logged and the
    next one tries again."""
    next_duty = 0.0
    while not stop.is_set():
        if time.monotonic() >= next_duty:
            next_duty = time.monotonic() + duty_interval
            try:
                run_duties(session)
            except Exception:  # a failed duty must not stop the emails
                logger.exception("job worker duties failed; trying again in %s s", duty_interval)
                session.rollback()
        try:
            sent = run_once(session)
        except Exception:
            logger.exception("job worker pass failed; trying again in %s s", interval)
            session.rollback()
        else:
            if sent:
                logger.info("delivered %s email(s)", sent)
        finally:
            if isinstance(session, scoped_session):
                session.remove()  # a fresh connection each pass: none held while idle
        stop.wait(interval)


@click.group("jobs")
def jobs_cli() -> None:
    """The job worker."""


@jobs_cli.command("worker")
@click.option("--interval", default=5.0, show_default=True, help="Seconds between passes.")
def worker_command(interval: float) -> None:
    """Deliver due emails every INTERVAL seconds until stopped (Ctrl-C or SIGTERM); every
    5 minutes, also place the offtake deliveries that fell due (`flask offtake due`)."""
    stop = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    mail = current_app.config["MAIL_SERVER"] or "the log (MAIL_SERVER not set)"
    click.echo(f"Job worker: delivering emails to {mail} every {interval:g} s; Ctrl-C stops.")
    run_forever(db.session, interval, stop)
    click.echo("Job worker stopped.")


@jobs_cli.command("run-once")
def run_once_command() -> None:
    """Deliver the emails due now, once (for cron)."""
    click.echo(f"Delivered {run_once(db.session)} email(s).")
