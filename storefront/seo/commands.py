"""`flask seo …` commands: chores on what shared links show."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from storefront.extensions import db

seo_cli = AppGroup("seo", help="Chores on what shared links show.")


@seo_cli.command("share-pictures")
def share_pictures_command() -> None:
    """Make the 1200×630 sharing pictures that product photos and fair banners stored
    before uploads made them still lack (once after upgrading; safe to run again)."""
    from storefront.seo.pictures import make_missing_share_pictures

    made = make_missing_share_pictures(db.session)
    click.echo(f"Sharing pictures: {made.checked} photos have one.")
    for path in made.unreadable:
        click.echo(f"Missing or unreadable, no sharing picture: {path}", err=True)
