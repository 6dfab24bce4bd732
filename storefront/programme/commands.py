"""`flask programme refresh`: bring the dashboards' daily rollup up to yesterday (run it
nightly, e.g. from cron at 00:15 Vietnam time; running it again is harmless).

The first run sums every day since the first order: on a large shop give it
`DATABASE_STATEMENT_TIMEOUT=0` (or a generous number of seconds), as for any batch job;
the nightly runs after it sum one day and stay far below the pages' limit."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup
from sqlalchemy import text

from storefront.database import claim_duty
from storefront.extensions import db
from storefront.programme import rollup
from storefront.timeutil import today_in_vietnam, utcnow

programme_cli = AppGroup("programme", help="The province dashboards' daily rollup.")


@programme_cli.command("refresh")
def refresh_command() -> None:
    """Sum closed days into the rollup, and again the days of parts changed since."""
    if not claim_duty(db.session, "programme refresh"):
        click.echo("Rollup: another runner is refreshing it now; skipped.")
        return
    started = time.perf_counter()
    postgres = db.engine.dialect.name == "postgresql"
    days = rollup.refresh(db.session, today_in_vietnam(), utcnow())
    db.session.commit()
    if postgres:
        # Fresh statistics and visibility map, so the dashboards read the covering indexes
        # alone (VACUUM cannot run inside a transaction).
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE programme_reach_day, programme_reach_origin_day"))
    else:
        db.session.execute(text("ANALYZE programme_reach_day"))
        db.session.execute(text("ANALYZE programme_reach_origin_day"))
        db.session.commit()
    click.echo(
        f"Rollup covers every day before {today_in_vietnam().isoformat()}; "
        f"{days} days summed in {time.perf_counter() - started:.1f} s."
    )
