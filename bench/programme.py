"""Province dashboard benchmark: page times at N order parts, on SQLite or PostgreSQL.

    .venv/bin/python bench/programme.py --parts 1000000 --database postgresql
    .venv/bin/python bench/programme.py --parts 1000000 --database sqlite --reuse

Builds its own database (bench/results/programme-N.db, or the PostgreSQL database
--pg-database, dropped and created again): migrations, `flask demo load`, `flask demo
generate --products P` and `--orders N`, then `flask programme refresh` (timed: the
nightly rollup from nothing). Then, in this process, the app renders each dashboard
page `--requests` times for a signed-in admin or officer (after two untimed requests)
and the script prints p50/p95/max and the SQL statements of one request. A few orders
are placed "today" first, so the live tail after the rollup is part of every figure.
Writes JSON to bench/results/ (git-ignored). Only 127.0.0.1 is ever used.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

import databases
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_DATABASE = "ocop_bench_programme"
BASE_URL = "https://localhost"  # production cookies are Secure
PAGES = (
    ("province 12 weeks (officer)", "officer", "/programme/dien-bien?period=12w"),
    ("province 52 weeks (officer)", "officer", "/programme/dien-bien?period=52w"),
    ("province last year (admin)", "admin", "/programme/ha-noi?period={last_year}"),
    ("producers sorted by share", "officer", "/programme/dien-bien?period=52w&sort=outside"),
    ("producers CSV", "officer", "/programme/dien-bien/producers.csv?period=52w"),
    ("national 52 weeks (admin)", "admin", "/programme/?period=52w"),
    ("national CSV (admin)", "admin", "/programme/ranking.csv?period=52w"),
)


def flask(env: dict[str, str], *args: str) -> float:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    print("$ flask", " ".join(args), flush=True)
    started = time.monotonic()
    subprocess.run(command, cwd=ROOT, env=env, check=True)
    return time.monotonic() - started


def count_parts(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM order_part")).scalar_one())
    finally:
        engine.dispose()


def prepare(args: argparse.Namespace, env: dict[str, str]) -> tuple[str, dict]:
    path = RESULTS / f"programme-{args.parts}.db"  # SQLite's file; unused on PostgreSQL
    if args.database == "sqlite":
        url = f"sqlite:///{path}"
    else:
        url = databases.pg_url(args.pg_database)
    stamp_file = RESULTS / f"programme-{args.database}-{args.parts}.built.json"
    env = {**env, "DATABASE_URL": url}
    batch = {**env, "DATABASE_STATEMENT_TIMEOUT": "0"}  # the first refresh sums two years
    if args.reuse and stamp_file.exists():
        stamp = json.loads(stamp_file.read_text())
        try:
            if count_parts(url) >= stamp["parts"]:  # plus the few orders each run places
                print(f"reusing {url} ({stamp['parts']} order parts)", flush=True)
                flask(env, "db", "upgrade")
                stamp["refresh_again_seconds"] = round(flask(batch, "programme", "refresh"), 1)
                return url, stamp
        except sa.exc.SQLAlchemyError:
            pass
        print("--reuse: nothing to reuse; building", flush=True)
    databases.start_empty(args.database, sqlite_path=path, pg_name=args.pg_database)
    flask(env, "db", "upgrade")
    flask(env, "demo", "load")
    catalogue = flask(env, "demo", "generate", "--products", str(args.products))
    orders = flask(env, "demo", "generate", "--orders", str(args.parts))
    if args.database == "postgresql":
        engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text("VACUUM ANALYZE"))
        engine.dispose()
    refresh = flask(batch, "programme", "refresh")
    stamp = {
        "url": url,
        "parts": count_parts(url),
        "products": args.products,
        "catalogue_seconds": round(catalogue, 1),
        "orders_seconds": round(orders, 1),
        "refresh_seconds": round(refresh, 1),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    stamp_file.write_text(json.dumps(stamp, indent=2))
    return url, stamp


def check(status: int, path: str) -> None:
    if status != 200:
        raise RuntimeError(f"{path} answered {status}")


def measure(args: argparse.Namespace, url: str) -> list[dict]:
    os.environ.update(
        {
            "DATABASE_URL": url,
            "STOREFRONT_ENV": "production",
            "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
        }
    )
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 40)
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import event, select

    from storefront import create_app
    from storefront.accounts.models import User
    from storefront.catalog.models import Producer, Variant
    from storefront.catalog.models import Product as CatalogProduct
    from storefront.extensions import db
    from storefront.orders.placement import (
        Contact,
        DeliveryAddress,
        LineRequest,
        OrderRequest,
        new_checkout_token,
        place_order,
    )

    app = create_app({"SERVER_NAME": None, "RATELIMIT_ENABLED": False})
    results = []
    with app.app_context():
        # A few orders placed now: the live tail after the rollup.
        variant = db.session.execute(
            select(Variant.id)
            .join(CatalogProduct, CatalogProduct.id == Variant.product_id)
            .join(Producer, Producer.id == CatalogProduct.producer_id)
            .where(Producer.province_code == 11, Variant.stock > 5)
            .limit(1)
        ).scalar()
        for _ in range(5 if variant else 0):
            place_order(
                db.session,
                OrderRequest(
                    checkout_token=new_checkout_token(),
                    contact=Contact(name="Khách đo", phone="0912345678", email="do@example.vn"),
                    address=DeliveryAddress(province_code=1, ward_code=9877, street="Số 1"),
                    lines=[LineRequest(variant, 1)],
                    payment_method="cod",
                    awaiting_payment=False,
                ),
            )
        db.session.commit()
        tokens = {
            who: db.session.execute(
                select(User.session_token).where(User.email == f"{who}@ocop.test")
            ).scalar_one()
            for who in ("admin", "officer")
        }
        db.session.remove()
    statements: list[str] = []
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    last_year = str(datetime.now(UTC).year - 1)
    for label, who, path in PAGES:
        path = path.format(last_year=last_year)
        client = app.test_client()
        with client.session_transaction(base_url=BASE_URL) as session:
            session["_user_id"] = tokens[who]
            session["_fresh"] = True
        for _ in range(2):
            check(client.get(path, base_url=BASE_URL).status_code, path)
        timings = []
        for _ in range(args.requests):
            statements.clear()
            started = time.perf_counter()
            response = client.get(path, base_url=BASE_URL)
            timings.append(time.perf_counter() - started)
            check(response.status_code, path)
        timings.sort()
        row = {
            "page": label,
            "path": path,
            "p50_ms": round(1000 * statistics.median(timings), 1),
            "p95_ms": round(1000 * timings[max(0, int(0.95 * len(timings)) - 1)], 1),
            "max_ms": round(1000 * timings[-1], 1),
            "statements": len(statements),
            "bytes": len(response.get_data()),
        }
        print(
            f"{label:32} p50 {row['p50_ms']:8.1f} ms  p95 {row['p95_ms']:8.1f} ms  "
            f"max {row['max_ms']:8.1f} ms  {row['statements']:3d} statements",
            flush=True,
        )
        results.append(row)
    return results


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--parts", type=int, default=1_000_000, help="order parts")
    parser.add_argument("--products", type=int, default=20_000, help="catalogue size")
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="postgresql")
    parser.add_argument("--pg-database", default=PG_DATABASE)
    parser.add_argument("--requests", type=int, default=15, help="timed requests per page")
    parser.add_argument("--reuse", action="store_true", help="keep a database built earlier")
    args = parser.parse_args(argv)
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", args.pg_database):
        parser.error("--pg-database: a lower-case SQL identifier")
    if min(args.parts, args.products, args.requests) <= 0:
        parser.error("--parts, --products, --requests: positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "STOREFRONT_ENV": "production",
        "SECRET_KEY": "bench-only-" + "x" * 40,
        "MEDIA_ROOT": str(RESULTS / "media"),
        "PYTHONUNBUFFERED": "1",
        # Production wants Redis; a database number of its own on the local server.
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13"),
    }
    url, built = prepare(args, env)
    print(f"database: {url}; {built['parts']} order parts", flush=True)
    results = measure(args, url)
    out = RESULTS / f"programme-{args.database}-{args.parts}-{int(time.time())}.json"
    out.write_text(
        json.dumps({"built": built, "results": results, "load": os.getloadavg()}, indent=2)
    )
    print(f"wrote {out}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
