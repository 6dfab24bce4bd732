"""`flask quotes expire`: record the quotes past their valid-until day as expired."""

from __future__ import annotations

import click

from storefront.extensions import db
from storefront.quotes.services import expire_quotes
from storefront.timeutil import utcnow


@click.group("quotes")
def quotes_cli() -> None:
    """Quotes (yêu cầu báo giá)."""


@quotes_cli.command("expire")
def expire_command() -> None:
    """Expire the quotes past their valid-until day (safe to run often, on several hosts)."""
    count = expire_quotes(db.session, utcnow())
    db.session.commit()
    click.echo(f"Expired {count} quote(s).")
