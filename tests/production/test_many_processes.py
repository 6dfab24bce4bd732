"""Two real app servers on loopback share one catalogue version: a product hidden in
one process is gone from every listing and search answered by the others at once."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from storefront.catalog import services
from tests.factories import make_product

ROOT = Path(__file__).resolve().parents[2]
PAGES = ("/products", "/products?q=mien+dong", "/")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(base: str, path: str) -> str:
    with urllib.request.urlopen(base + path, timeout=10) as response:  # noqa: S310 - loopback
        return str(response.read().decode())


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"the server at {base} exited with {server.returncode}")
        try:
            _get(base, "/healthz")
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the server at {base} did not answer within a minute")


@pytest.fixture
def servers(app) -> Iterator[list[str]]:
    """Two gunicorn servers of one worker each, on the test database, without Redis."""
    env = {
        **os.environ,
        "STOREFRONT_ENV": "testing",
        "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "MEDIA_ROOT": app.config["MEDIA_ROOT"],
        "RATELIMIT_ENABLED": "0",
    }
    env.pop("REDIS_URL", None)
    bases, processes = [], []
    try:
        for _ in range(2):
            port = _free_port()
            processes.append(
                subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
                    [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}"]
                    + ["wsgi:app"],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            bases.append(f"http://127.0.0.1:{port}")
        for base, process in zip(bases, processes, strict=True):
            _wait_until_up(base, process)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def test_a_hidden_product_leaves_every_servers_listings_within_a_second(session, servers):
    product = make_product(session, name="Miến dong Bình Liêu")
    session.commit()
    for base in servers:  # both render and cache the listings with the product in them
        for path in PAGES[:2]:
            assert "Miến dong Bình Liêu" in _get(base, path), (base, path)
            assert "Miến dong Bình Liêu" in _get(base, path), (base, path)
        _get(base, PAGES[2])

    services.set_published(session, product, False)
    session.commit()
    time.sleep(1)

    for base in servers:
        for path in PAGES:
            for _ in range(3):
                assert "Miến dong Bình Liêu" not in _get(base, path), (base, path)
