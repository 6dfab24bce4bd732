"""`flask payments ...`: chores for cron."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app

from storefront.extensions import db
from storefront.orders.emails import send_pending_emails
from storefront.payments.card import expire_abandoned


@click.group("payments")
def payments_cli() -> None:
    """Payment chores."""


@payments_cli.command("expire-card-orders")
@click.option("--grace-minutes", default=15, show_default=True, type=click.IntRange(0, 1440))
def expire_card_orders(grace_minutes: int) -> None:
    """Cancel card orders left unpaid after every Checkout Session expired (the buyer left,
    or Stripe's `expired` webhook never arrived) and return their stock. Safe from cron at
    any frequency and on several hosts: each order is claimed by a conditional update."""
    numbers = expire_abandoned(db.session, current_app.config, timedelta(minutes=grace_minutes))
    db.session.commit()
    sent = send_pending_emails(db.session)
    click.echo(f"Expired {len(numbers)} unpaid card order(s); sent {sent} email(s).")
    for number in numbers:
        click.echo(f"  {number}")
