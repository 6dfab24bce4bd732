"""Catalogue benchmark: throughput and latency of the public pages at N products.

    .venv/bin/python bench/catalogue.py --products 100000 --database sqlite
    .venv/bin/python bench/catalogue.py --products 100000 --database postgresql --reuse

Builds its own database (a SQLite file under bench/results/, or the PostgreSQL
database `ocop_bench` on 127.0.0.1, dropped and re-created), migrates it, fills it with
`flask demo generate`, builds the static assets, serves the app with gunicorn on a free
loopback port and loads it from a closed-loop client in this process: one HTTP
connection per thread (kept alive where the worker class allows; gunicorn's sync workers
close it after each response), every request timed. Each target runs for --duration
seconds (or --max-requests requests), cut into --rounds slices, each slice right after
an equal slice of the bare route (/bench/bare, a constant string served by the same
app, registered only for benchmarks): every page's throughput is printed as a ratio of
the bare route's measured alongside it, so that other work on the machine moves both
alike. Search is measured a second time with one connection, for its latency alone. A
table goes to stdout and the full figures to bench/results/*.json; gunicorn is always
stopped, on errors and Ctrl-C too.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import platform
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import cold_urls
import databases
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"  # the only address this client ever sends to
PG_DATABASE = "ocop_bench"

# What buyers type: folded or not, Vietnamese province and product words.
SEARCHES = ("mat ong", "dien bien", "lac do", "tra vinh", "yen sao", "Mật ong hoa ban", "gao")
TARGET_SEARCH_P95_MS = 50.0
TARGET_LISTING_RATIO = 1 / 3
# Issue 13's targets, read from the cold rows.
TARGET_COLD_SEARCH_P95_MS = 15.0
TARGET_COLD_RATIO = 0.20  # home, listing and filtered listing, cold, to the bare route
TARGET_PRODUCT_RATIO = 0.25
TARGET_BARE_TO_MINIMAL = 0.95
CHECKED_PATHS = 3


@dataclass
class Target:
    name: str
    paths: list[str]
    concurrency: int | None = None  # None: the run's --concurrency
    server: str = "shop"  # or "minimal", the minimal Flask app
    # Cold: every path is sent once, across warm-up and every slice (the last few are
    # kept for the check before timing); the target ends early when they run out.
    cold: bool = False

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._fresh = iter(self.paths[:-CHECKED_PATHS] if self.cold else ())

    def fresh_path(self) -> str | None:
        with self._lock:
            return next(self._fresh, None)

    def checked_paths(self) -> list[str]:
        paths = self.paths[-CHECKED_PATHS:] if self.cold else self.paths[:CHECKED_PATHS]
        return list(dict.fromkeys(paths))


@dataclass
class Result:
    name: str
    concurrency: int
    paths: int
    requests: int = 0
    errors: int = 0
    seconds: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    max_ms: float = 0.0
    mean_bytes: int = 0
    client_cpu_pct: float = 0.0
    bare_rps: float | None = None  # the bare route, measured in slices between this one's
    ratio_to_bare: float | None = None
    error_samples: list[str] = field(default_factory=list)


# ---------------------------------------------------------------- the database


def prepare_database(args: argparse.Namespace, env: dict[str, str]) -> tuple[str, dict]:
    """Create, migrate and fill the benchmark database unless --reuse finds it ready.

    Returns the database URL and what is known of how it was built.
    """
    path = RESULTS / f"catalogue-{args.products}.db"  # SQLite only
    if args.database == "sqlite":
        url = f"sqlite:///{path}"
        stamp_file = RESULTS / f"{path.name}.built.json"
    else:
        url = databases.pg_url(args.pg_database)
        stamp_file = RESULTS / f"{args.pg_database}.built.json"
    if args.reuse and stamp_file.exists():
        stamp = json.loads(stamp_file.read_text())
        if stamp.get("url") == url and stamp.get("requested") == args.products:
            try:
                if count_products(url) == stamp.get("products"):
                    print(f"reusing {url} ({stamp['products']} products)", flush=True)
                    flask({**env, "DATABASE_URL": url}, "db", "upgrade")  # newer migrations
                    flask({**env, "DATABASE_URL": url}, "catalog", "search-terms")
                    if args.database == "postgresql":
                        vacuum_analyze(url)  # a migration may have rewritten a table
                    return url, stamp
            except sa.exc.SQLAlchemyError:
                pass
        print("--reuse: no matching database from an earlier run; building one", flush=True)

    stamp_file.unlink(missing_ok=True)
    databases.start_empty(args.database, sqlite_path=path, pg_name=args.pg_database)

    env = {**env, "DATABASE_URL": url}
    started = time.monotonic()
    flask(env, "db", "upgrade")
    flask(env, "demo", "generate", "--products", str(args.products))
    generate_seconds = time.monotonic() - started
    if args.database == "postgresql":
        # What autovacuum does soon after a bulk load anyway. SQLite has no such thing,
        # so it is measured with whatever statistics the app itself leaves.
        vacuum_analyze(url)
    stamp = {
        "url": url,
        "requested": args.products,
        "products": count_products(url),
        "build_seconds": round(generate_seconds, 1),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    stamp_file.write_text(json.dumps(stamp, indent=2))
    print(f"built {url}: {stamp['products']} products in {generate_seconds:.0f} s", flush=True)
    return url, stamp


def vacuum_analyze(url: str) -> None:
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text("VACUUM ANALYZE"))
    engine.dispose()


def sqlite_statistics(url: str) -> None:
    """Planner statistics, as `flask demo generate` leaves them (a database built before
    it did so gets them here)."""
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(sa.text("ANALYZE"))
    engine.dispose()


def count_products(url: str) -> int:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(sa.text("SELECT count(*) FROM product")).scalar_one())
    finally:
        engine.dispose()


def sample_slugs(url: str, limit: int) -> list[str]:
    """Slugs of published products of active producers, spread over the catalogue."""
    engine = sa.create_engine(url)
    query = sa.text(
        "SELECT p.slug FROM product p JOIN producer r ON r.id = p.producer_id "
        "WHERE p.is_published AND r.is_active ORDER BY random() LIMIT :limit"
    )
    try:
        with engine.connect() as conn:
            return list(conn.execute(query, {"limit": limit}).scalars())
    finally:
        engine.dispose()


def database_version(url: str) -> str:
    engine = sa.create_engine(url)
    sql = "SELECT sqlite_version()" if url.startswith("sqlite") else "SHOW server_version"
    try:
        with engine.connect() as conn:
            return str(conn.execute(sa.text(sql)).scalar_one())
    finally:
        engine.dispose()


def flask(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    print("$ flask", " ".join(args), flush=True)
    # Chores here build big catalogues: no web-request statement limit.
    subprocess.run(command, cwd=ROOT, env={**env, "DATABASE_STATEMENT_TIMEOUT": "0"}, check=True)


# ---------------------------------------------------------------- the server


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def gunicorn(
    env: dict[str, str],
    args: argparse.Namespace,
    name: str = "shop",
    app: str = "wsgi:app",
    health: str = "/healthz",
) -> Iterator[int]:
    """Serve `app` on a free loopback port; always stopped when the block ends."""
    port = free_port()
    log_path = RESULTS / f"gunicorn-{args.database}-{name}.log"
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(args.workers),
        "--worker-class", args.worker_class,
        "--threads", str(args.threads),
        "--bind", f"{HOST}:{port}",
        "--timeout", "120",
        "--error-logfile", str(log_path),
        "--chdir", str(ROOT if app == "wsgi:app" else ROOT / "bench"),
        app,
    ]  # fmt: skip
    print(
        f"$ gunicorn -w {args.workers} -k {args.worker_class} -b {HOST}:{port} {app} ({name})",
        flush=True,
    )
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
        )
    try:
        wait_until_healthy(process, port, log_path, health)
        yield port
    finally:
        stop(process)


def wait_until_healthy(
    process: subprocess.Popen, port: int, log_path: Path, health: str = "/healthz"
) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}; see {log_path}")
        try:
            status, _ = fetch(port, health)
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer {health} within 60 s; see {log_path}")


def stop(process: subprocess.Popen) -> None:
    """SIGTERM the gunicorn process group (graceful), SIGKILL it if it lingers."""
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


def fetch(port: int, path: str, timeout: float = 10) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


# ---------------------------------------------------------------- the load


@dataclass
class Sample:
    """What one closed-loop run of one target saw."""

    latencies: list[float] = field(default_factory=list)
    body_bytes: int = 0
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    client_cpu: float = 0.0


def run_load(
    ports: dict[str, int],
    target: Target,
    concurrency: int,
    duration: float,
    max_requests: int,
    timeout: float,
    stop_all: threading.Event,
) -> Sample:
    """Closed loop: `concurrency` threads, each on its own connection, each sending the
    next request as soon as the last one is answered, until time or count runs out.

    No request starts after `duration`; one in flight may run `timeout` seconds longer
    and then counts as an error."""
    per_thread = max(1, math.ceil(max_requests / concurrency))
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    sizes = [0] * concurrency
    errors = [0] * concurrency
    samples: list[str] = []
    deadline = time.perf_counter() + duration

    port = ports[target.server]

    def worker(index: int) -> None:
        if target.cold:
            paths: Iterator[str] = iter(target.fresh_path, None)
        else:
            offset = index * max(1, len(target.paths) // concurrency)
            paths = itertools.islice(itertools.cycle(target.paths), offset, None)
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        mine = latencies[index]
        try:
            for path in paths:
                if len(mine) >= per_thread or stop_all.is_set():
                    return
                started = time.perf_counter()
                if started >= deadline:
                    return
                try:
                    conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
                    response = conn.getresponse()
                    body = response.read()
                    status = response.status
                except (OSError, http.client.HTTPException) as exc:
                    conn.close()  # the next request reconnects
                    status, body = 0, repr(exc).encode()
                mine.append(time.perf_counter() - started)
                sizes[index] += len(body)
                if status != 200:
                    errors[index] += 1
                    if len(samples) < 5:
                        samples.append(f"{status} {path}")
        finally:
            conn.close()

    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        while thread.is_alive():
            thread.join(timeout=0.5)
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return Sample(
        latencies=[t for per in latencies for t in per],
        body_bytes=sum(sizes),
        errors=sum(errors),
        error_samples=samples,
        elapsed=elapsed,
        client_cpu=cpu,
    )


def summarize(target: Target, concurrency: int, samples: list[Sample]) -> Result:
    """One row of the table from the slices a target was measured in."""
    timings = sorted(t for sample in samples for t in sample.latencies)
    elapsed = sum(sample.elapsed for sample in samples)
    result = Result(name=target.name, concurrency=concurrency, paths=len(target.paths))
    result.requests = len(timings)
    result.errors = sum(sample.errors for sample in samples)
    result.error_samples = [e for sample in samples for e in sample.error_samples][:5]
    result.seconds = round(elapsed, 2)
    if elapsed:
        cpu = sum(sample.client_cpu for sample in samples)
        result.client_cpu_pct = round(100 * cpu / elapsed, 1)
    if timings:
        result.rps = round(len(timings) / elapsed, 1)
        result.p50_ms = percentile_ms(timings, 50)
        result.p95_ms = percentile_ms(timings, 95)
        result.p99_ms = percentile_ms(timings, 99)
        result.max_ms = round(timings[-1] * 1000, 2)
        result.mean_bytes = sum(sample.body_bytes for sample in samples) // len(timings)
    return result


def percentile_ms(sorted_seconds: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    rank = max(1, math.ceil(pct / 100 * len(sorted_seconds)))
    return round(sorted_seconds[rank - 1] * 1000, 2)


def targets(slugs: list[str]) -> list[Target]:
    """What the fragment cache can serve: the same few URLs again and again."""
    searches = ["/products?" + urlencode({"q": q}) for q in SEARCHES]
    return [
        Target("bare", ["/bench/bare"]),
        Target("minimal Flask", ["/bench/bare"], server="minimal"),
        Target("home", ["/"]),
        Target("listing", ["/products"]),
        Target("listing p50", ["/products?page=50"]),
        Target("listing filtered", ["/products?stars=4&province=dien-bien"]),
        Target("product", [f"/products/{slug}" for slug in slugs[:500]]),
        # Last, and one connection first: a slow search leaves the workers busy with
        # requests the client gave up on, which would slow whatever came next.
        Target("search c=1", searches, concurrency=1),
        Target("search", searches),
    ]


def cold_targets(slugs: list[str]) -> list[Target]:
    """The long tail, measured with the fragment cache off: URLs that never repeat (the
    home page has one URL, so only the cache being off makes it cold)."""
    searches = cold_urls.search_urls()
    half = len(searches) // 2
    return [
        Target("bare", ["/bench/bare"]),
        Target("home cold", ["/"] * 100_000, cold=True),
        Target("listing cold", cold_urls.listing_urls(), cold=True),
        Target("filtered cold", cold_urls.filter_urls(), cold=True),
        Target("product cold", [f"/products/{slug}" for slug in slugs[500:]], cold=True),
        Target("search c=1 cold", searches[:half], concurrency=1, cold=True),
        Target("search cold", searches[half:], cold=True),
    ]


def measure(
    ports: dict[str, int],
    target: Target,
    bare: Target,
    args: argparse.Namespace,
    stop: threading.Event,
) -> Result:
    """Warm a target up, then time it in --rounds slices, each right after a slice of the
    bare route at the same concurrency: both see the same background load, so their
    ratio holds even on a machine that other work shares."""
    concurrency = target.concurrency or args.concurrency
    limits = (args.timeout, stop)
    run_load(ports, target, concurrency, args.warmup, args.max_requests, *limits)
    paired = target is not bare and concurrency == args.concurrency
    rounds = args.rounds if paired else 1
    cap = max(1, args.max_requests // rounds)
    own: list[Sample] = []
    bare_slices: list[Sample] = []
    for _ in range(rounds):
        if paired:
            bare_slices.append(
                run_load(ports, bare, concurrency, args.duration / rounds, cap, *limits)
            )
        own.append(run_load(ports, target, concurrency, args.duration / rounds, cap, *limits))
    result = summarize(target, concurrency, own)
    if target is bare:
        result.bare_rps, result.ratio_to_bare = result.rps, 1.0
    elif paired:
        result.bare_rps = summarize(bare, concurrency, bare_slices).rps
        if result.bare_rps:
            result.ratio_to_bare = round(result.rps / result.bare_rps, 3)
    return result


def check_targets(ports: dict[str, int], plan: list[Target], timeout: float) -> None:
    """Paths must answer 200 before anything is timed: a fast 404 would flatter."""
    for target in plan:
        port = ports[target.server]
        for path in target.checked_paths():
            started = time.perf_counter()
            try:
                status, body = fetch(port, path, timeout)
            except TimeoutError:
                print(f"slow: {path} did not answer within {timeout:g} s", flush=True)
                break  # measured anyway: its requests will count as errors
            if status != 200:
                raise RuntimeError(f"{path} answered {status}: {body[:200]!r}")
            if time.perf_counter() - started > 1:
                took = time.perf_counter() - started
                print(f"slow: {path} took {took:.1f} s on its first request", flush=True)


# ---------------------------------------------------------------- the report


# Each cold row is printed under the cached row it is the long tail of.
COLD_OF = {
    "home": "home cold",
    "listing": "listing cold",
    "listing filtered": "filtered cold",
    "product": "product cold",
    "search c=1": "search c=1 cold",
    "search": "search cold",
}


def side_by_side(results: list[Result]) -> list[Result]:
    cold = {r.name: r for r in results if r.name.endswith(" cold") or r.name == "bare (cold)"}
    cold_names = set(cold)
    rows = []
    for r in results:
        if r.name in cold_names:
            continue
        rows.append(r)
        for name in ("bare (cold)",) if r.name == "bare" else (COLD_OF.get(r.name),):
            if name in cold:
                rows.append(cold.pop(name))
    return rows + list(cold.values())


def print_table(results: list[Result]) -> None:
    header = (
        f"{'target':<17}{'conc':>5}{'requests':>9}{'errors':>7}{'req/s':>9}"
        f"{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'bare/s':>9}{'vs bare':>9}{'KiB':>7}"
        f"{'client':>8}"
    )
    print()
    print(header)
    print("-" * len(header))
    for r in side_by_side(results):
        ratio = f"{r.ratio_to_bare:.3f}" if r.ratio_to_bare is not None else "-"
        bare = f"{r.bare_rps:.0f}" if r.bare_rps is not None else "-"
        print(
            f"{r.name:<17}{r.concurrency:>5}{r.requests:>9}{r.errors:>7}{r.rps:>9.1f}"
            f"{r.p50_ms:>9.1f}{r.p95_ms:>9.1f}{r.p99_ms:>9.1f}{bare:>9}{ratio:>9}"
            f"{r.mean_bytes / 1024:>7.1f}{r.client_cpu_pct:>7.0f}%"
        )
        for sample in r.error_samples:
            print(f"    error: {sample}")


def _check(value: float, target: str, met: bool) -> dict:
    return {"value": value, "target": target, "met": met}


def verdicts(results: list[Result]) -> dict[str, dict]:
    by_name = {r.name: r for r in results}
    out = {}

    def ratio(name: str) -> float | None:
        return by_name[name].ratio_to_bare if name in by_name else None

    if "search c=1" in by_name:
        p95 = by_name["search c=1"].p95_ms
        out["search_p95_ms_at_c1"] = _check(
            p95, f"< {TARGET_SEARCH_P95_MS:g}", p95 < TARGET_SEARCH_P95_MS
        )
    if (value := ratio("listing")) is not None:
        out["listing_ratio_to_bare"] = _check(value, ">= 0.333", value >= TARGET_LISTING_RATIO)
    if "search c=1 cold" in by_name:
        p95 = by_name["search c=1 cold"].p95_ms
        out["cold_search_p95_ms_at_c1"] = _check(
            p95, f"<= {TARGET_COLD_SEARCH_P95_MS:g}", p95 <= TARGET_COLD_SEARCH_P95_MS
        )
    for name in ("home cold", "listing cold", "filtered cold"):
        if (value := ratio(name)) is not None:
            key = name.replace(" ", "_") + "_ratio_to_bare"
            out[key] = _check(value, f">= {TARGET_COLD_RATIO:g}", value >= TARGET_COLD_RATIO)
    for name in ("product", "product cold"):
        if (value := ratio(name)) is not None:
            key = name.replace(" ", "_") + "_ratio_to_bare"
            out[key] = _check(value, f">= {TARGET_PRODUCT_RATIO:g}", value >= TARGET_PRODUCT_RATIO)
    if (value := ratio("minimal Flask")) is not None and value:
        bare_share = round(1 / value, 3)  # the shop's bare route ÷ the minimal app's
        out["bare_ratio_to_minimal_flask"] = _check(
            bare_share, f">= {TARGET_BARE_TO_MINIMAL:g}", bare_share >= TARGET_BARE_TO_MINIMAL
        )
    return out


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        return out.stdout.strip()
    except OSError:
        return ""


# ---------------------------------------------------------------- main


def _database_name(raw: str) -> str:
    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", raw):
        raise argparse.ArgumentTypeError("a lower-case SQL identifier, e.g. ocop_bench_me")
    return raw


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class")
    parser.add_argument("--threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per target")
    parser.add_argument(
        "--rounds", type=int, default=5, help="slices per target, each after a bare slice"
    )
    parser.add_argument("--max-requests", type=int, default=50_000, help="cap per target")
    parser.add_argument("--concurrency", type=int, default=8, help="client connections")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds per target, untimed")
    parser.add_argument(
        "--timeout", type=float, default=30.0, help="seconds before a request counts as failed"
    )
    parser.add_argument(
        "--pg-database",
        default=PG_DATABASE,
        type=_database_name,
        help="PostgreSQL database to build and measure (dropped and re-created)",
    )
    parser.add_argument("--reuse", action="store_true", help="keep a database built earlier")
    parser.add_argument("--only", nargs="*", help="measure only these targets (plus bare)")
    parser.add_argument(
        "--mode",
        choices=("both", "cached", "cold"),
        default="both",
        help="cached: the repeated URLs; cold: URLs that never repeat, fragment cache off",
    )
    args = parser.parse_args(argv)
    if min(args.products, args.workers, args.concurrency, args.rounds, args.duration) <= 0:
        parser.error("--products, --workers, --concurrency, --rounds, --duration: positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    RESULTS.mkdir(parents=True, exist_ok=True)
    stop_all = threading.Event()

    def on_term(signum: int, frame: object) -> None:
        stop_all.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_term)
    # Also when started from a shell that ignores SIGINT for background jobs.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    env = {
        **os.environ,
        "STOREFRONT_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        # Production requires Redis (shared rate limits and cache), as on the real servers.
        "REDIS_URL": os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0",
        "STOREFRONT_BENCH_ROUTES": "1",
        "MEDIA_ROOT": str(RESULTS / "media"),
        "PYTHONUNBUFFERED": "1",
    }
    try:
        url, built = prepare_database(args, env)
        env["DATABASE_URL"] = url
        if args.database == "sqlite":
            sqlite_statistics(url)
        flask(env, "assets", "build")
        slugs = sample_slugs(url, 5500)
        if not slugs:
            raise RuntimeError("the catalogue has no published product")
        phases = []
        if args.mode in ("both", "cached"):
            phases.append(("cached", env, targets(slugs)))
        if args.mode in ("both", "cold"):
            cold_env = {**env, "CATALOG_CACHE_SECONDS": "0"}
            phases.append(("cold", cold_env, cold_targets(slugs)))
        results: list[Result] = []
        load_before = os.getloadavg()
        loads = {"before": [round(x, 2) for x in load_before]}
        if load_before[0] > 0.5:
            print(
                f"note: load average {load_before[0]:.1f} before the run: something else "
                "is using the CPU, the figures will be lower than on an idle machine"
            )
        minimal_env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        with gunicorn(minimal_env, args, "minimal", "minimal_app:app", "/bench/bare") as minimal:
            for phase, phase_env, plan in phases:
                if args.only:
                    plan = [t for t in plan if t.name == "bare" or t.name in args.only]
                with gunicorn(phase_env, args, phase) as port:
                    ports = {"shop": port, "minimal": minimal}
                    check_targets(ports, plan, args.timeout)
                    for target in plan:
                        print(f"{target.name}: ", end="", flush=True)
                        result = measure(ports, target, plan[0], args, stop_all)
                        if phase == "cold" and target.name == "bare":
                            result.name = "bare (cold)"
                        print(f"{result.requests} requests, {result.rps:.0f} req/s", flush=True)
                        results.append(result)
                loads[f"after {phase}"] = [round(x, 2) for x in os.getloadavg()]
    except KeyboardInterrupt:
        stop_all.set()
        print("\ninterrupted; gunicorn stopped", file=sys.stderr)
        return 130

    print_table(results)
    print("\nload average (1, 5, 15 min): " + "; ".join(f"{k} {v}" for k, v in loads.items()))
    checks = verdicts(results)
    for name, check in checks.items():
        print(f"{name}: {check['value']} (target {check['target']}): "
              f"{'met' if check['met'] else 'MISSED'}")  # fmt: skip

    report = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
            "load_average_before": loads["before"],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
            "load_average": loads,
        },
        "database": {"kind": args.database, "version": database_version(url), **built},
        "settings": {k: v for k, v in vars(args).items() if k != "only"},
        "results": [asdict(r) for r in results],
        "targets": checks,
    }
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    out = RESULTS / f"catalogue-{args.database}-{args.products}-{stamp}.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nwrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
