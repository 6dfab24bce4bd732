"""The bare route in process: CPU µs per test-client GET of /bench/bare, for the shop
(configured as bench/catalogue.py serves it) and for bench/minimal_app.py, the pair whose
ratio bench/catalogue.py measures under gunicorn. No server, no sockets: what the app's
own hooks and middleware cost, quickly and repeatably on a shared machine.

    .venv/bin/python bench/bare_in_process.py shop [requests]
    .venv/bin/python bench/bare_in_process.py minimal [requests]

Five runs of `requests` (default 5,000) after a warm-up; process CPU time, so other
work on the machine shows less than in wall time. The shop's request lines go to
standard error: send it to a file or /dev/null.
"""

from __future__ import annotations

import os
import secrets
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    which = sys.argv[1] if len(sys.argv) > 1 else "shop"
    requests = int(sys.argv[2]) if len(sys.argv) > 2 else 5000
    if which == "shop":
        os.environ.setdefault("STOREFRONT_ENV", "production")
        os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
        os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/0")
        os.environ.setdefault("DATABASE_URL", "sqlite://")  # the bare route reads no table
        os.environ["STOREFRONT_BENCH_ROUTES"] = "1"
        sys.path.insert(0, str(ROOT))
        from storefront import create_app

        app = create_app()
    elif which == "minimal":
        sys.path.insert(0, str(ROOT / "bench"))
        from minimal_app import app
    else:
        raise SystemExit("shop or minimal")
    client = app.test_client()
    headers = {"Accept-Encoding": "gzip"}  # as bench/catalogue.py's client sends
    for _ in range(500):
        client.get("/bench/bare", headers=headers)
    runs = []
    for _ in range(5):
        started = time.process_time()
        for _ in range(requests):
            response = client.get("/bench/bare", headers=headers)
        runs.append((time.process_time() - started) / requests * 1e6)
    if response.status_code != 200 or response.data != b"ok":
        raise SystemExit(f"/bench/bare answered {response.status_code}: {response.data[:80]!r}")
    figures = " ".join(f"{run:.0f}" for run in runs)
    print(f"{which}: CPU µs per request, 5 runs of {requests}: {figures}")
    print(f"{which}: min {min(runs):.0f}, median {statistics.median(runs):.0f}")


if __name__ == "__main__":
    main()
