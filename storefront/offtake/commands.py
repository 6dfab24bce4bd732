"""`flask offtake due`: the scheduled deliveries whose day has come become orders."""

from __future__ import annotations

import click

from storefront.extensions import db
from storefront.offtake.due import run_due
from storefront.timeutil import parse_day


@click.group("offtake")
def offtake_cli() -> None:
    """Offtake agreement chores."""


@offtake_cli.command("due")
@click.option("--today", default=None, help="Vietnam day to run as (YYYY-MM-DD); default today.")
def due_command(today: str | None) -> None:
    """Place the orders of due deliveries, retry shortfalls, warn a week ahead.

    Safe from a timer at any frequency and on several hosts at once: each delivery is
    claimed by a conditional update, so it becomes one order, ever.
    """
    day = parse_day(today) if today else None
    if today and day is None:
        raise click.BadParameter("expected YYYY-MM-DD", param_hint="--today")
    result = run_due(db.session, day)
    click.echo(
        f"Offtake: {result.ordered} delivery order(s) placed, {result.shortfalls} short of "
        f"stock, {result.warned} stock warning(s), {result.completed} agreement(s) completed."
    )
