"""`flask jobs worker` and `flask jobs run-once`: deliver the outbox's due emails.

Each pass delivers every due order email and account email (storefront/outbox.py: a
lease per row, retries with backoff, once per key). Several workers, on several hosts,
may run at once: a row is claimed by a conditional UPDATE, so each is sent by one.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType

import click
from flask import current_app
from sqlalchemy.orm import scoped_session

from storefront import outbox
from storefront.accounts.emails import send_pending_account_emails
from storefront.accounts.models import AccountEmail
from storefront.extensions import Session, db
from storefront.orders.emails import send_pending_emails
from storefront.orders.models import OrderEmail

logger = logging.getLogger("storefront.jobs")


OUTBOXES = (OrderEmail, AccountEmail)


def backlog(session: Session) -> outbox.Backlog:
    """What the worker has still to deliver, over every outbox (one statement)."""
    return outbox.backlog(session, OUTBOXES)


def run_once(session: Session) -> int:
    """One pass over the outbox; returns how many emails were delivered."""
    return send_pending_emails(session) + send_pending_account_emails(session)


def run_forever(session: Session, interval: float, stop: threading.Event) -> None:
    """Passes every `interval` seconds until `stop` is set; a failed pass (database or
    mail server down) is logged and the next one tries again."""
    while not stop.is_set():
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
    """Deliver due emails every INTERVAL seconds until stopped (Ctrl-C or SIGTERM)."""
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
