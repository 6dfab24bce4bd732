"""`flask catalog …` commands: chores on the catalogue's search."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

from storefront.database import claim_duty
from storefront.extensions import db

catalog_cli = AppGroup("catalog", help="Chores on the catalogue's search.")


@catalog_cli.command("search-terms")
def search_terms_command() -> None:
    """Count the spelling vocabulary afresh from the search index (after bulk changes, or
    daily from cron: product edits only top it up)."""
    from storefront.catalog.spelling import rebuild_search_terms

    if not claim_duty(db.session, "catalog search-terms"):
        click.echo("Search vocabulary: another runner is counting it now; skipped.")
        return
    started = time.perf_counter()
    size = rebuild_search_terms(db.session)
    db.session.commit()
    click.echo(f"Search vocabulary: {size} terms in {time.perf_counter() - started:.1f} s.")


@catalog_cli.command("refresh-stars")
def refresh_stars_command() -> None:
    """Refresh the stars of products whose certificate expired (daily from cron; the
    listing also does it on its first request of the day)."""
    from storefront.catalog.stars import refresh_expired_stars

    changed = refresh_expired_stars(db.session)
    db.session.commit()
    click.echo(f"Stars refreshed: {changed} products changed.")
