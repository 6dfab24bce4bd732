"""Sitemap benchmark: how long /sitemap.xml and each chunk take at N products.

    .venv/bin/python bench/sitemap.py --products 100000
    .venv/bin/python bench/sitemap.py --products 100000 --database postgresql --reuse

Builds its own database (a SQLite file under bench/results/, or the PostgreSQL database
`ocop_bench_sitemap` on 127.0.0.1, dropped and re-created unless --reuse), migrates it,
fills it with `flask demo generate --products N`, then asks the app in this process
(Flask's test client, no network) for the index and every chunk it lists, reading each
streamed body to its end, --runs times. Prints the wall time of each (best and median)
and the URLs counted; issue 14's target is the whole sitemap in under 2 s at 100,000
products.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import databases

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
PG_NAME = "ocop_bench_sitemap"
TARGET_SECONDS = 2.0


def database_url(kind: str, products: int) -> str:
    if kind == "sqlite":
        return f"sqlite:///{RESULTS / f'sitemap-{products}.db'}"
    return f"postgresql+psycopg://postgres@127.0.0.1/{PG_NAME}"


def build(url: str, kind: str, products: int) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    databases.start_empty(kind, sqlite_path=url.removeprefix("sqlite:///"), pg_name=PG_NAME)
    env = {**os.environ, "DATABASE_URL": url, "MEDIA_ROOT": str(RESULTS / "sitemap-media")}
    flask = [str(ROOT / ".venv" / "bin" / "flask"), "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], env=env, cwd=ROOT, check=True)
    subprocess.run(
        [*flask, "demo", "generate", "--products", str(products)], env=env, cwd=ROOT, check=True
    )


def measure(url: str, runs: int) -> int:
    os.environ["DATABASE_URL"] = url
    from xml.etree import ElementTree

    from storefront import create_app

    app = create_app({"RATELIMIT_ENABLED": False})
    client = app.test_client()
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    index = client.get("/sitemap.xml").data
    chunks = [loc.text or "" for loc in ElementTree.fromstring(index).iter(f"{ns}loc")]  # noqa: S314
    paths = ["/sitemap.xml", *(c[c.index("/sitemaps/") :] for c in chunks)]
    totals: list[float] = []
    urls = 0
    for run in range(runs):
        total = 0.0
        for path in paths:
            start = time.perf_counter()
            response = client.get(path)
            body = response.get_data()
            seconds = time.perf_counter() - start
            total += seconds
            if run == 0:
                count = body.count(b"<loc>")
                urls += count if path != "/sitemap.xml" else 0
                print(f"{path:40} {seconds * 1000:8.0f} ms  {count:6} <loc>")
        totals.append(total)
    best, median = min(totals), statistics.median(totals)
    verdict = "meets" if median < TARGET_SECONDS else "MISSES"
    print(f"whole sitemap ({urls} URLs): best {best:.2f} s, median {median:.2f} s over {runs} runs")
    print(f"{verdict} the {TARGET_SECONDS:.0f} s target")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    url = database_url(args.database, args.products)
    exists = args.database == "sqlite" and Path(url.removeprefix("sqlite:///")).exists()
    if not args.reuse or (args.database == "sqlite" and not exists):
        build(url, args.database, args.products)
    return measure(url, args.runs)


if __name__ == "__main__":
    sys.exit(main())
