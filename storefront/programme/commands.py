"""`flask programme refresh`: bring the dashboards' daily rollup up to yesterday (run it
nightly, e.g. from cron at 00:15 Vietnam time; running it again is harmless)."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from storefront.extensions import db
from storefront.programme import rollup
from storefront.timeutil import today_in_vietnam, utcnow

programme_cli = AppGroup("programme", help="The province dashboards' daily rollup.")


@programme_cli.command("refresh")
def refresh_command() -> None:
    """Sum closed days into the rollup, and again the days of parts changed since."""
    started = time.perf_counter()
    days = rollup.refresh(db.session, today_in_vietnam(), utcnow())
    db.session.commit()
    click.echo(
        f"Rollup covers every day before {today_in_vietnam().isoformat()}; "
        f"{days} days summed in {time.perf_counter() - started:.1f} s."
    )
