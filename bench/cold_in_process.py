"""The cold catalogue pages in this process, timed one by one: wall, CPU and SQL time.

    DATABASE_URL=sqlite:///$PWD/bench/results/catalogue-100000.db \\
        .venv/bin/python bench/cold_in_process.py search --requests 300 2>/dev/null

Renders the cold URLs of bench/cold_urls.py (or the home page, or product pages)
through the Flask test client with the production config and the fragment cache off,
against a catalogue bench/catalogue.py built (it prints that database's path and URL),
and prints the mean and p95 wall time per page, the mean CPU time of this process
(which, on SQLite, includes the database's own work), the SQL time measured around
each statement, and the statements per page. No HTTP server, no client: the app's own
cost, for comparing two versions of the code on the same catalogue (run each version's
tree in turn; CPU time moves least with other work on the machine). `--cprofile`
prints where the time went (`PROFILE_SORT=tottime` to order it otherwise,
`PROFILE_DUMP=file` to keep it for pstats); `--slowest N` lists the slowest URLs. The
app writes its JSON request line to stderr, as in production (hence `2>/dev/null`).
Reads only: the catalogue is not changed.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import secrets
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import cold_urls  # noqa: E402

KINDS = ("bare", "home", "listing", "filtered", "product", "search")


def urls_for(kind: str, slugs: list[str]) -> list[str]:
    if kind == "search":
        return cold_urls.search_urls()
    if kind == "listing":
        return cold_urls.listing_urls()
    if kind == "filtered":
        return cold_urls.filter_urls()
    if kind == "product":
        return [f"/products/{slug}" for slug in slugs]
    return ["/bench/bare" if kind == "bare" else "/"] * 100_000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("kind", choices=KINDS)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=20, help="requests before timing")
    parser.add_argument("--cprofile", action="store_true")
    parser.add_argument("--slowest", type=int, default=0, help="list the N slowest URLs")
    args = parser.parse_args(argv)
    if "DATABASE_URL" not in os.environ:
        parser.error("set DATABASE_URL to a catalogue bench/catalogue.py built")
    os.environ.setdefault("STOREFRONT_ENV", "production")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/14")
    os.environ.setdefault("MEDIA_ROOT", str(ROOT / "bench" / "results" / "media"))
    os.environ["CATALOG_CACHE_SECONDS"] = "0"  # cold: no fragment cache
    os.environ["STOREFRONT_BENCH_ROUTES"] = "1"

    from sqlalchemy import event, text

    from storefront import create_app
    from storefront.extensions import db

    app = create_app({"RATELIMIT_ENABLED": False})
    with app.app_context():
        slugs = list(
            db.session.execute(
                text("SELECT slug FROM product WHERE is_published ORDER BY id DESC LIMIT 6000")
            ).scalars()
        )
        engine = db.engine
    sql = {"seconds": 0.0, "statements": 0}

    @event.listens_for(engine, "before_cursor_execute")
    def started(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        conn.info["started"] = time.perf_counter()

    @event.listens_for(engine, "after_cursor_execute")
    def finished(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
        sql["seconds"] += time.perf_counter() - conn.info["started"]
        sql["statements"] += 1

    client = app.test_client()
    urls = urls_for(args.kind, slugs)
    for url in urls[-args.warmup :]:  # never the timed ones
        client.get(url)
    timed = urls[: args.requests]
    walls, cpus, sqls = [], [], []
    profile = cProfile.Profile() if args.cprofile else None
    for url in timed:
        sql["seconds"], sql["statements"] = 0.0, 0
        wall, cpu = time.perf_counter(), time.process_time()
        if profile:
            profile.enable()
        response = client.get(url)
        if profile:
            profile.disable()
        cpus.append((time.process_time() - cpu) * 1000)
        walls.append((time.perf_counter() - wall) * 1000)
        sqls.append(sql["seconds"] * 1000)
        if response.status_code != 200:
            print(f"{url}: {response.status_code}", file=sys.stderr)
            return 1
    print(
        f"{args.kind}: {len(timed)} pages; wall mean {statistics.mean(walls):.2f} ms, "
        f"p95 {percentile(walls, 0.95):.2f} ms; CPU mean {statistics.mean(cpus):.2f} ms; "
        f"SQL mean {statistics.mean(sqls):.2f} ms; {sql['statements']} statements a page; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    ranked = sorted(zip(walls, sqls, timed, strict=True), reverse=True)
    for wall_ms, sql_ms, url in ranked[: args.slowest]:
        print(f"{wall_ms:7.2f} ms, SQL {sql_ms:6.2f} ms  {url}")
    if profile:
        if os.environ.get("PROFILE_DUMP"):  # for pstats: print_callers and the like
            profile.dump_stats(os.environ["PROFILE_DUMP"])
        order = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime, ncalls…
        pstats.Stats(profile).sort_stats(order).print_stats(40)
    return 0


if __name__ == "__main__":
    sys.exit(main())
