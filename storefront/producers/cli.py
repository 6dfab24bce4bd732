"""`flask producers ...`: the CSV import from the command line, with a progress bar."""

from __future__ import annotations

import sys
from typing import BinaryIO

import click
from flask_babel import force_locale
from sqlalchemy import select

from storefront.catalog.models import Producer
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.producers.imports import MAX_BYTES, import_products, read_rows
from storefront.producers.workspace import commit


@click.group("producers")
def producers_cli() -> None:
    """Producer chores."""


@producers_cli.command("import-products")
@click.option("--producer", "slug", required=True, help="The producer's slug, e.g. htx-mat-ong.")
@click.argument("file", type=click.File("rb"))
def import_products_command(slug: str, file: BinaryIO) -> None:
    """Create or update a producer's products from a CSV (the workspace's columns).

    All rows or none: when a row is refused nothing is imported and each refused row
    is listed with its line and reason. Exits with status 1 then.
    """
    producer = db.session.execute(
        select(Producer).where(Producer.slug == slug)
    ).scalar_one_or_none()
    if producer is None:
        raise click.ClickException(f"No producer with slug {slug!r}.")
    data = file.read(MAX_BYTES + 1)
    with force_locale("vi"):
        try:
            total = len(read_rows(data))
            with click.progressbar(length=total, label="Importing") as bar:
                report = import_products(
                    db.session, producer, data, actor_id=None, progress=bar.update
                )
        except DomainError as error:
            db.session.rollback()
            raise click.ClickException(str(error)) from error
        messages = [(e.line, e.sku, str(e.error)) for e in report.errors]
    if not report.ok:
        db.session.rollback()
        click.echo(f"Nothing imported: {len(messages)} row(s) refused.", err=True)
        for line, sku, message in messages:
            click.echo(f"  line {line} ({sku or '-'}): {message}", err=True)
        sys.exit(1)
    commit()  # and tell the catalogue's cache
    click.echo(
        f"Imported {report.rows} row(s): {report.products_created} product(s) created, "
        f"{report.products_updated} updated; {report.variants_created} variant(s) created, "
        f"{report.variants_updated} updated; {report.stock_changes} stock change(s)."
    )
