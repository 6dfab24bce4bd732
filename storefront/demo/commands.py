"""`flask demo …` commands: the demo catalogue, and synthetic catalogues for benchmarks."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup
from sqlalchemy import text
from tqdm import tqdm

from storefront.catalog.cache import catalogue_changed
from storefront.catalog.spelling import rebuild_search_terms
from storefront.extensions import db
from storefront.storage import media_storage
from storefront.timeutil import today_in_vietnam

demo_cli = AppGroup("demo", help="Load demo data or generate a synthetic catalogue.")

ANALYZED_TABLES = ("producer", "product", "variant", "ocop_certificate", "product_photo")
ORDER_TABLES = ("customer_order", "order_part", "order_line", "fair", "fair_order")


@demo_cli.command("load")
def load_command() -> None:
    """Load the demo OCOP catalogue and one account per role; running it again adds only
    what is missing."""
    from storefront.accounts.demo import DEMO_PASSWORD, load_demo_accounts
    from storefront.business.demo import load_demo_business
    from storefront.demo.load import load_demo
    from storefront.demo.reviews import load_demo_reviews
    from storefront.quotes.demo import load_demo_quotes

    summary = load_demo(db.session, media_storage(), today_in_vietnam())
    accounts = load_demo_accounts(db.session)
    business_buyer, tiered = load_demo_business(db.session, DEMO_PASSWORD)
    accounts.append(business_buyer)
    quotes = load_demo_quotes(db.session, business_buyer)
    reviews = load_demo_reviews(db.session, media_storage(), DEMO_PASSWORD)
    db.session.commit()
    rebuild_search_terms(db.session)
    db.session.commit()
    from storefront.offtake.demo import load_demo_agreement
    from storefront.offtake.due import run_due

    # A running offtake agreement for the demo's business buyer, its first delivery today.
    if load_demo_agreement(db.session, today_in_vietnam()) is not None:
        db.session.commit()
        run_due(db.session)
    click.echo(
        f"Producers: {summary.producers_created} created, "
        f"{summary.producers_existing} already there. "
        f"Products: {summary.products_created} created, "
        f"{summary.products_existing} already there. Reviews: {reviews} added. "
        f"Packs given wholesale tiers: {tiered}. Quotes: {quotes} added."
    )
    click.echo(f"Demo accounts (password {DEMO_PASSWORD}): " + ", ".join(u.email for u in accounts))


@demo_cli.command("generate")
@click.option(
    "--products",
    "count",
    type=click.IntRange(1, 5_000_000),
    help="How many products to create.",
)
@click.option(
    "--orders",
    "parts",
    type=click.IntRange(1, 10_000_000),
    help="How many order parts to add, on the producers already there (after --products).",
)
@click.option(
    "--seed",
    type=int,
    default=1,
    show_default=True,
    help="Random seed; the same seed on the same database gives the same catalogue.",
)
def generate_command(count: int | None, parts: int | None, seed: int) -> None:
    """Add a synthetic catalogue of N products and/or an order history of N order parts
    (for benchmarks), on top of what exists."""
    if count is None and parts is None:
        raise click.UsageError("Give --products N, --orders N or both.")
    if count is not None:
        _generate_products(count, seed)
    if parts is not None:
        _generate_orders(parts, seed)


def _generate_products(count: int, seed: int) -> None:
    from storefront.demo.generate import generate_catalogue

    started = time.perf_counter()
    with tqdm(total=count, unit="products", desc="Generating", leave=True) as bar:
        summary = generate_catalogue(
            db.session,
            count,
            seed,
            media_storage(),
            today_in_vietnam(),
            progress=bar.update,
        )
    db.session.commit()
    catalogue_changed()  # bulk inserts bypass the session's change tracking
    # Fresh statistics, or the planner keeps guessing from an empty catalogue (SQLite,
    # with none at all, starts a join to a small table from all 100,000 products).
    _analyze(ANALYZED_TABLES)
    rebuild_search_terms(db.session)  # bulk inserts bypass the vocabulary's top-ups
    db.session.commit()
    click.echo(
        f"Created {summary.products} products, {summary.variants} variants, "
        f"{summary.certificates} certificates and {summary.producers} producers "
        f"in {time.perf_counter() - started:.1f} s."
    )


def _analyze(tables: tuple[str, ...]) -> None:
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text(f"ANALYZE {', '.join(tables)}"))
    else:
        db.session.execute(text("ANALYZE"))
    db.session.commit()


def _generate_orders(parts: int, seed: int) -> None:
    from storefront.demo.orders import generate_orders
    from storefront.timeutil import utcnow

    started = time.perf_counter()
    with tqdm(total=parts, unit="parts", desc="Generating orders", leave=True) as bar:
        summary = generate_orders(
            db.session, parts, seed, today_in_vietnam(), utcnow(), progress=bar.update
        )
    db.session.commit()
    _analyze(ORDER_TABLES)
    click.echo(
        f"Created {summary.orders} orders, {summary.parts} order parts, {summary.lines} "
        f"lines and {summary.fairs} fairs in {time.perf_counter() - started:.1f} s. "
        "Run `flask programme refresh` to bring the dashboards' rollup up to date."
    )
