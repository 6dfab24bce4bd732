"""Fifty buyers race for five jars of honey through real HTTP requests to gunicorn with
several workers: exactly five orders, stock exactly zero, everyone else told it sold out.

Each run gets its own database (a fresh PostgreSQL database, or a SQLite file), migrated
and filled here, so the server processes and the test share nothing but that database.
Everything listens on 127.0.0.1 only and is bounded in time.
"""

from __future__ import annotations

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.conftest import csrf_token_from
from tests.orders.helpers import CHECKOUT_TOKEN, HA_NOI, HA_NOI_WARD

ROOT = Path(__file__).resolve().parents[2]
BUYERS = 50
STOCK = 5
WORKERS = 4
THREADS_PER_WORKER = 4
SOLD_OUT = "Mật ong hoa Ban (Hộp 500 g) đã hết hàng."
PLACED = re.compile(r"/orders/OC-\d{4}-[0-9A-Z]{6}/placed$")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _prepare(database_url: str, media: Path) -> tuple[str, int]:
    """Migrate the race database and put 5 jars of honey on sale; returns (slug, variant id)."""
    from flask_migrate import upgrade

    from storefront import create_app
    from storefront.config import load_config
    from storefront.extensions import db
    from tests.factories import make_producer, make_product
    from tests.orders.helpers import variant_of

    engine_options = load_config({"DATABASE_URL": database_url}, str(media))[
        "SQLALCHEMY_ENGINE_OPTIONS"
    ]
    race_app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
            "MEDIA_ROOT": str(media),
            "RATELIMIT_ENABLED": False,
        }
    )
    with race_app.app_context():
        upgrade()
        product = make_product(
            db.session, make_producer(db.session), "Mật ong hoa Ban", stock=STOCK
        )
        db.session.commit()
        slug, variant_id = product.slug, variant_of(db.session, product).id
        db.session.remove()
        db.engine.dispose()
    return slug, variant_id


def _count(database_url: str, variant_id: int) -> tuple[int, int, int]:
    """(orders, units ordered, stock left), read straight from the database."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as conn:
            orders = conn.execute(text("SELECT count(*) FROM customer_order")).scalar_one()
            units = conn.execute(
                text("SELECT coalesce(sum(quantity), 0) FROM order_line WHERE variant_id = :v"),
                {"v": variant_id},
            ).scalar_one()
            stock = conn.execute(
                text("SELECT stock FROM variant WHERE id = :v"), {"v": variant_id}
            ).scalar_one()
    finally:
        engine.dispose()
    return int(orders), int(units), int(stock)


@contextmanager
def gunicorn(database_url: str, tmp_path: Path) -> Iterator[str]:
    """gunicorn serving wsgi:app with several worker processes on a free loopback port."""
    port = _free_port()
    log_path = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "STOREFRONT_ENV": "testing",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "RATELIMIT_ENABLED": "0",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "MAIL_SERVER": "",
    }
    env.pop("REDIS_URL", None)
    command = [
        sys.executable, "-m", "gunicorn",
        "--workers", str(WORKERS),
        "--threads", str(THREADS_PER_WORKER),
        "--bind", f"127.0.0.1:{port}",
        "--timeout", "60",
        "--graceful-timeout", "5",
        "wsgi:app",
    ]  # fmt: skip
    with open(log_path, "wb") as log:
        server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if requests.get(f"{base}/healthz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("gunicorn did not start:\n" + log_path.read_text(errors="replace"))
            time.sleep(0.2)
        yield base
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=10)
        if "Traceback" in log_path.read_text(errors="replace"):
            print(log_path.read_text(errors="replace"))  # noqa: T201 - shown with the failure


def _buyer(base: str, slug: str, variant_id: int, ready: threading.Barrier) -> tuple[int, str, str]:
    """Add one jar to a fresh cart, open checkout, wait for everyone, then place the order."""
    with requests.Session() as browser:
        # A fresh connection per request: gunicorn drops idle keep-alive connections after
        # 2 s, and a POST sent on one being dropped (after the barrier) would be lost.
        browser.headers["Connection"] = "close"
        page = browser.get(f"{base}/products/{slug}", timeout=30)
        added = browser.post(
            f"{base}/cart/add",
            data={
                "variant_id": variant_id,
                "quantity": 1,
                "csrf_token": csrf_token_from(page.text),
            },
            allow_redirects=False,
            timeout=30,
        )
        assert added.status_code == 302, added.status_code
        checkout = browser.get(f"{base}/checkout", timeout=30)
        assert checkout.status_code == 200, checkout.status_code
        match = CHECKOUT_TOKEN.search(checkout.text)
        assert match
        data = {
            "csrf_token": csrf_token_from(checkout.text),
            "checkout_token": match.group(1),
            "contact_name": "Người mua thử",
            "phone": "0912345678",
            "email": "race@example.vn",
            "province_code": HA_NOI,
            "ward_code": HA_NOI_WARD,
            "street": "1 Tràng Tiền",
            "payment_method": "cod",
            "place": "1",
        }
        ready.wait(timeout=120)
        response = browser.post(f"{base}/checkout", data=data, allow_redirects=False, timeout=90)
        location = response.headers.get("Location", "")
        text = response.text
        if location.endswith("/checkout#delivery"):  # refused: the form says why
            text = browser.get(f"{base}/checkout", timeout=30).text
        return response.status_code, location, text


def _race(database_url: str, tmp_path: Path) -> None:
    slug, variant_id = _prepare(database_url, tmp_path / "media")
    with gunicorn(database_url, tmp_path) as base:
        ready = threading.Barrier(BUYERS)
        with ThreadPoolExecutor(max_workers=BUYERS) as pool:
            futures = [pool.submit(_buyer, base, slug, variant_id, ready) for _ in range(BUYERS)]
            results = [future.result(timeout=240) for future in futures]
    placed = [r for r in results if r[0] == 303 and PLACED.search(r[1])]
    refused = [r for r in results if r[0] == 303 and SOLD_OUT in r[2]]
    assert len(placed) == STOCK, [(r[0], r[1]) for r in results]
    assert len(refused) == BUYERS - STOCK, {r[0] for r in results}
    assert len({r[1] for r in placed}) == STOCK  # five different orders
    assert _count(database_url, variant_id) == (STOCK, STOCK, 0)


@pytest.mark.postgres_only
def test_fifty_concurrent_checkouts_on_postgresql(tmp_path):
    configured = os.environ.get("TEST_DATABASE_URL", "")
    if not configured.startswith("postgresql"):
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL to a postgresql+psycopg:// URL")
    server = make_url(configured)
    name = f"orders_race_{secrets.token_hex(4)}"
    admin = create_engine(server.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        _race(server.set(database=name).render_as_string(hide_password=False), tmp_path)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_fifty_concurrent_checkouts_on_sqlite(tmp_path):
    _race(f"sqlite:///{tmp_path / 'race.db'}", tmp_path)
