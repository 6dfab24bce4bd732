"""`flask orders ...`: chores for cron."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app

from storefront.extensions import db
from storefront.orders.emails import send_pending_emails
from storefront.orders.fulfilment import expire_unpaid
from storefront.timeutil import utcnow

# The code the bank-transfer payment method stores on its orders (payments.bank_transfer).
BANK_TRANSFER = "bank_transfer"


@click.group("orders")
def orders_cli() -> None:
    """Order chores."""


@orders_cli.command("expire-unpaid")
def expire_unpaid_command() -> None:
    """Cancel bank-transfer orders unpaid after BANK_TRANSFER_HOLD_HOURS; return their stock.

    Safe from cron at any frequency and on several hosts at once: each order is claimed
    by a conditional update, so it is cancelled (and its stock returned) exactly once.
    """
    hours = current_app.config["BANK_TRANSFER_HOLD_HOURS"]
    cutoff = utcnow() - timedelta(hours=hours)
    numbers = expire_unpaid(db.session, BANK_TRANSFER, cutoff)
    db.session.commit()
    sent = send_pending_emails(db.session)
    click.echo(
        f"Expired {len(numbers)} unpaid order(s) older than {hours} h; sent {sent} email(s)."
    )
    for number in numbers:
        click.echo(f"  {number}")


@orders_cli.command("send-emails")
def send_emails_command() -> None:
    """Send order emails still pending (the mail server was down when they were due)."""
    sent = send_pending_emails(db.session)
    click.echo(f"Sent {sent} order email(s).")
