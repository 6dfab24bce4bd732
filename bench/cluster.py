"""Two app servers behind a load balancer, one of them killed mid-run: what buyers see.

    .venv/bin/python bench/cluster.py            # 3 phases of 30 s, 12 buyers
    .venv/bin/python bench/cluster.py --short    # under a minute (CI: .ci/run)

What it builds, all on loopback and all removed at the end:

- a scratch PostgreSQL database (created, migrated, seeded, dropped) and Redis db 12
  (flushed before and after) for the cache and the catalogue version;
- two gunicorn app servers started as deploy/ starts them (`gunicorn -c
  deploy/gunicorn.conf.py wsgi:app`, STOREFRONT_ENV=production, TRUSTED_PROXIES=1), on
  127.0.0.2 and 127.0.0.3, sharing one MEDIA_ROOT (the shared volume);
- haproxy on 127.0.0.1 (Debian's package, installed with apt-get when missing; nginx
  when haproxy cannot be installed) with a health check on /readyz every second,
  retries with redispatch on connection failures for every request, and on empty or
  timed-out responses for GET/HEAD only (a POST is never replayed by the balancer).

Buyers (threads, each with its own cookies) walk the pages as a browser does: home,
listing, a product, add to cart with the form's CSRF token, the checkout form, place a
cash-on-delivery order. A checkout POST whose answer is lost is sent again with the
same checkout token, as a buyer pressing the button again would: the shop places each
token's order once. Some products have little stock, so they sell out during the run.

Three phases: both servers; one server (the other SIGKILLed with all its workers, as a
host that loses power); both again (the killed one started anew and let back in by the
health check). Then it checks, from the database:

- every order a buyer was shown is in the database, once, and no order exists that no
  buyer was shown (0 lost, 0 doubled);
- no stock below zero and, for every product, initial stock = stock left + units sold;
- the requests that failed: how many, and whether each was in flight at the kill.

It exits 1 when an invariant breaks, no order was placed, or a request failed that was
not in flight on the killed server at the moment it died; figures go to stdout and
bench/results/cluster-*.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, redirect_stderr, suppress
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import databases  # noqa: E402 - bench/ helper, found through the path above

RESULTS = ROOT / "bench" / "results"
BALANCER = "127.0.0.1"
APP_HOSTS = ("127.0.0.2", "127.0.0.3")
REDIS_URL = "redis://127.0.0.1:6379/12"  # this script's own db: flushed before and after
HA_NOI, HA_NOI_WARD = 1, 9877  # a province and one of its wards (storefront.places)
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
CHECKOUT_TOKEN = re.compile(r'name="checkout_token"[^>]*value="([^"]+)"')
PLACED = re.compile(r"/orders/(OC-\d{4}-[0-9A-Z]{6})/placed$")


# --- the load balancer -------------------------------------------------------------


def ensure_package(binary: str, package: str) -> bool:
    """True when `binary` is on the PATH, installing Debian's `package` if needed."""
    if shutil.which(binary):
        return True
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        return False
    print(f"installing {package} with apt-get ...", flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", package]):
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            print(done.stdout[-2000:], done.stderr[-2000:], file=sys.stderr)
            return False
    return bool(shutil.which(binary))


def haproxy_config(port: int, app_port: int, work: Path) -> str:
    servers = "\n".join(
        f"    server app{n} {host}:{app_port} check" for n, host in enumerate(APP_HOSTS, 1)
    )
    return f"""\
global
    maxconn 1000
    stats socket {work}/haproxy.sock mode 600 level admin

defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 10s
    # A request that found its server gone is sent to the other one: 3 retries, each
    # to another server (redispatch 1). Connection failures are retried for every
    # method (the request never reached the app); empty and timed-out answers only for
    # GET and HEAD (see disable-l7-retry below): a POST may have changed something.
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response response-timeout

frontend shop
    bind {BALANCER}:{port}
    option forwardfor
    http-request set-header X-Forwarded-Proto https
    http-request disable-l7-retry unless METH_GET
    default_backend app

backend app
    balance roundrobin
    # /readyz: database reachable and migrations at head; out after 2 failures a second
    # apart, back after 2 successes.
    option httpchk
    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host {BALANCER}
    http-check expect status 200
    default-server inter 1s fall 2 rise 2
    http-response set-header X-Served-By %s
{servers}
"""


def nginx_config(port: int, app_port: int, work: Path) -> str:
    servers = "\n".join(
        f"        server {host}:{app_port} max_fails=1 fail_timeout=3s;" for host in APP_HOSTS
    )
    return f"""\
daemon off;
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {work}/nginx-body;
    proxy_temp_path {work}/nginx-proxy;
    upstream app {{
{servers}
    }}
    server {{
        listen {BALANCER}:{port};
        location / {{
            proxy_pass http://app;
            proxy_set_header Host $host:$server_port;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto https;
            # nginx never passes a POST on to the next server once it was sent
            # (non_idempotent is left out); no active health checks in Debian's nginx.
            proxy_next_upstream error timeout http_502;
            proxy_connect_timeout 1s;
            add_header X-Served-By $upstream_addr always;
        }}
    }}
}}
"""


@contextmanager
def balancer(kind: str, port: int, app_port: int, work: Path) -> Iterator[str]:
    if kind == "haproxy":
        config = work / "haproxy.cfg"
        config.write_text(haproxy_config(port, app_port, work))
        subprocess.run(["haproxy", "-c", "-q", "-f", str(config)], check=True)  # noqa: S603,S607
        command = ["haproxy", "-db", "-f", str(config)]
    else:
        config = work / "nginx.conf"
        config.write_text(nginx_config(port, app_port, work))
        command = ["nginx", "-c", str(config), "-p", str(work)]
    log = open(work / f"{kind}.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
    try:
        wait_for_port(BALANCER, port, process, f"{kind}.log", work)
        yield kind
    finally:
        stop(process)
        log.close()


def haproxy_servers(work: Path) -> dict[str, str]:
    """haproxy's view: {"app1": "UP", "app2": "DOWN"} (from its stats socket)."""
    with socket.socket(socket.AF_UNIX) as sock:
        sock.settimeout(2)
        sock.connect(str(work / "haproxy.sock"))
        sock.sendall(b"show stat\n")
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
    lines = data.decode().splitlines()
    header = lines[0].lstrip("# ").split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in lines[1:] if line]
    return {
        r["svname"]: r["status"] for r in rows if r.get("pxname") == "app" and "app" in r["svname"]
    }


# --- the app servers ----------------------------------------------------------------


@dataclass
class AppServer:
    host: str
    port: int
    env: dict[str, str]
    work: Path
    process: subprocess.Popen[bytes] | None = None
    starts: int = 0

    def start(self) -> None:
        self.starts += 1
        metrics = self.work / f"metrics-{self.host}"
        env = {
            **self.env,
            "GUNICORN_BIND": f"{self.host}:{self.port}",
            "PROMETHEUS_MULTIPROC_DIR": str(metrics),
        }
        log = open(self.work / f"gunicorn-{self.host}.log", "ab")  # noqa: SIM115 - child keeps it
        self.process = subprocess.Popen(  # noqa: S603 - our own gunicorn, fixed arguments
            [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the kill takes every worker
        )
        log.close()
        wait_for_port(self.host, self.port, self.process, f"gunicorn-{self.host}.log", self.work)

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no graceful anything."""
        if self.process is None:
            raise RuntimeError("the server was never started")
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        # The workers die with the master, a few milliseconds apart; until the last one
        # is gone the kernel still accepts connections on the port.
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as sock:
                sock.settimeout(0.2)
                if sock.connect_ex((self.host, self.port)) != 0:
                    return
            time.sleep(0.01)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            stop(self.process, group=True)


def stop(process: subprocess.Popen[bytes], group: bool = False) -> None:
    if process.poll() is not None:
        return
    with suppress(ProcessLookupError):
        if group:
            os.killpg(process.pid, signal.SIGTERM)
        else:
            process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            if group:
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
        process.wait(timeout=10)


def wait_for_port(
    host: str, port: int, process: subprocess.Popen[bytes], log: str, work: Path
) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{log} exited:\n" + (work / log).read_text(errors="replace")[-3000:])
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.2)
    raise SystemExit(f"{host}:{port} did not open within a minute; see {work / log}")


def free_port() -> int:
    """A port free on the balancer's and both app servers' addresses."""
    while True:
        with socket.socket() as probe:
            probe.bind((APP_HOSTS[0], 0))
            port = int(probe.getsockname()[1])
        try:
            for host in (BALANCER, *APP_HOSTS[1:]):
                with socket.socket() as other:
                    other.bind((host, port))
            return port
        except OSError:
            continue


# --- the shop's data ----------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    slug: str
    variant_id: int
    stock: int


def prepare(database_url: str, media: Path, scarce: int, plenty: int) -> list[Item]:
    """Migrate the scratch database and put products on sale: half of them with `scarce`
    units (they sell out during the run), half with `plenty`."""
    from flask_migrate import upgrade

    from storefront import create_app
    from storefront.catalog.models import Variant
    from storefront.config import load_config
    from storefront.extensions import db
    from tests.factories import make_producer, make_product

    options = load_config({"DATABASE_URL": database_url}, str(media))["SQLALCHEMY_ENGINE_OPTIONS"]
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SQLALCHEMY_ENGINE_OPTIONS": options,
            "MEDIA_ROOT": str(media),
            "RATELIMIT_ENABLED": False,
        }
    )
    items = []
    with app.app_context():
        log = io.StringIO()
        try:
            with redirect_stderr(log):
                upgrade()  # Alembic's INFO lines, one per migration, shown only on failure
        except BaseException:
            print(log.getvalue(), file=sys.stderr)
            raise
        names = ("Mật ong hoa Ban", "Lạc đỏ Na Son", "Gạo Séng Cù", "Chè Shan Tuyết")
        for n, name in enumerate(names):
            producer = make_producer(db.session)
            for stock in (scarce, plenty):
                product = make_product(
                    db.session,
                    producer,
                    f"{name} {'ít' if stock == scarce else 'nhiều'} {n}",
                    price=90_000 + 15_000 * n,
                    stock=stock,
                )
                db.session.flush()
                variant = db.session.execute(
                    sa.select(Variant).where(Variant.product_id == product.id)
                ).scalar_one()
                items.append(Item(product.slug, variant.id, stock))
        db.session.commit()
        db.session.remove()
        db.engine.dispose()
    return items


def database_figures(database_url: str) -> dict[str, object]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            orders = conn.execute(
                sa.text("SELECT number, checkout_token FROM customer_order")
            ).all()
            stock = dict(conn.execute(sa.text("SELECT id, stock FROM variant")).all())
            sold = dict(
                conn.execute(
                    sa.text(
                        "SELECT l.variant_id, sum(l.quantity) FROM order_line l "
                        "JOIN order_part p ON p.id = l.part_id "
                        "WHERE p.status != 'cancelled' GROUP BY l.variant_id"
                    )
                ).all()
            )
    finally:
        engine.dispose()
    return {
        "orders": {number: token for number, token in orders},
        "stock": {int(k): int(v) for k, v in stock.items()},
        "sold": {int(k): int(v) for k, v in sold.items()},
    }


# --- the buyers ---------------------------------------------------------------------


@dataclass
class Call:
    start: float
    end: float
    method: str
    step: str
    status: int  # 0: no answer (connection refused, reset, timed out)
    served_by: str
    error: str = ""

    @property
    def failed(self) -> bool:
        return self.status == 0 or self.status >= 500


@dataclass
class Tally:
    calls: list[Call] = field(default_factory=list)
    confirmed: dict[str, str] = field(default_factory=dict)  # order number: checkout token
    sold_out: int = 0
    unexpected: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class Buyer:
    def __init__(self, base: str, items: list[Item], tally: Tally, rng: random.Random) -> None:
        self.base, self.items, self.tally, self.rng = base, items, tally, rng
        # What the app sees (the balancer says the request came over HTTPS): a form's
        # POST carries the page's address, which Flask-WTF checks under HTTPS.
        self.origin = "https://" + base.removeprefix("http://")

    def call(
        self, browser: requests.Session, method: str, step: str, path: str, **kw: object
    ) -> requests.Response | None:
        start = time.monotonic()
        try:
            response = browser.request(
                method, self.base + path, timeout=30, allow_redirects=False, **kw
            )
        except requests.RequestException as exc:
            with self.tally.lock:
                self.tally.calls.append(
                    Call(
                        start,
                        time.monotonic(),
                        method,
                        step,
                        0,
                        "",
                        f"{type(exc).__name__}: {str(exc)[-160:]}",
                    )
                )
            return None
        call = Call(
            start,
            time.monotonic(),
            method,
            step,
            response.status_code,
            response.headers.get("X-Served-By", ""),
        )
        with self.tally.lock:
            self.tally.calls.append(call)
        # The shop runs as in production, so its cookies are Secure; the balancer here
        # speaks plain HTTP on loopback (TLS would end at it): send them back anyway.
        for cookie in browser.cookies:
            cookie.secure = False
        return None if call.failed else response

    def page(self, browser: requests.Session, step: str, path: str) -> requests.Response | None:
        """A GET a browser would reload once when it failed."""
        for _ in range(2):
            response = self.call(browser, "GET", step, path)
            if response is not None:
                return response
            time.sleep(0.2)
        return None

    def shop(self, stopping: threading.Event) -> None:
        """One buyer after another until `stopping` is set."""
        while not stopping.is_set():
            with requests.Session() as browser:
                try:
                    self.one_order(browser)
                except Exception as exc:  # a bug in this script must not hide in a thread
                    with self.tally.lock:
                        self.tally.unexpected.append(f"{type(exc).__name__}: {exc}")

    def one_order(self, browser: requests.Session) -> None:
        if self.page(browser, "home", "/") is None:
            return
        if self.page(browser, "listing", "/products?sort=newest") is None:
            return
        item = self.rng.choice(self.items)
        product = self.page(browser, "product", f"/products/{item.slug}")
        if product is None or product.status_code != 200:
            return
        if 'action="/cart/add"' not in product.text:
            with self.tally.lock:
                self.tally.sold_out += 1  # sold out: the page offers no "add to cart"
            return
        quantity = self.rng.choice((1, 1, 2))
        form = {
            "variant_id": item.variant_id,
            "quantity": quantity,
            "csrf_token": _csrf(product.text),
        }
        referer = {"Referer": f"{self.origin}/products/{item.slug}"}
        added = self.call(browser, "POST", "add to cart", "/cart/add", data=form, headers=referer)
        if added is None:  # the answer was lost: did the line make it into the cart?
            cart = self.page(browser, "cart", "/cart")
            if cart is None or f'value="{item.variant_id}"' not in cart.text:
                return
        checkout = self.page(browser, "checkout form", "/checkout")
        if checkout is None or checkout.status_code != 200:
            return  # sold out before it was added, or the cart is empty
        token = CHECKOUT_TOKEN.search(checkout.text)
        if token is None:
            raise AssertionError("the checkout form has no checkout token")
        data = {
            "csrf_token": _csrf(checkout.text),
            "checkout_token": token.group(1),
            "contact_name": "Người mua thử",
            "phone": "0912345678",
            "email": "cluster@example.vn",
            "province_code": HA_NOI,
            "ward_code": HA_NOI_WARD,
            "street": "1 Tràng Tiền",
            "payment_method": "cod",
            "place": "1",
        }
        # Pressing "place the order" again after an error sends the same token: the
        # shop answers with the order that token already placed, or places it now.
        for _ in range(6):
            placed = self.call(
                browser,
                "POST",
                "place order",
                "/checkout",
                data=data,
                headers={"Referer": f"{self.origin}/checkout"},
            )
            if placed is not None:
                break
            time.sleep(0.5)
        else:
            with self.tally.lock:
                self.tally.unexpected.append("checkout unanswered after 6 tries")
            return
        location = placed.headers.get("Location", "")
        match = PLACED.search(location)
        if match:
            with self.tally.lock:
                self.tally.confirmed[match.group(1)] = token.group(1)
            self.page(browser, "confirmation", location.removeprefix(self.base))
        elif location.endswith("/checkout#delivery"):
            with self.tally.lock:
                self.tally.sold_out += 1  # refused: someone bought the last units first
        else:
            with self.tally.lock:
                self.tally.unexpected.append(f"checkout answered {placed.status_code} {location}")


def _csrf(html: str) -> str:
    match = CSRF.search(html)
    if match is None:
        raise AssertionError("no CSRF token on the page")
    return match.group(1)


# --- the run ------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    start: float
    end: float = 0.0


def throughput(calls: list[Call], phase: Phase) -> dict[str, float]:
    inside = [c for c in calls if phase.start <= c.end < phase.end]
    seconds = max(phase.end - phase.start, 1e-9)
    ok = [c for c in inside if not c.failed]
    latencies = sorted(c.end - c.start for c in ok)
    return {
        "seconds": round(seconds, 1),
        "requests_per_s": round(len(ok) / seconds, 1),
        "orders_per_s": round(
            sum(1 for c in ok if c.step == "place order" and c.status == 303) / seconds, 2
        ),
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else 0.0,
        "p95_ms": round(1000 * latencies[int(len(latencies) * 0.95)], 1) if latencies else 0.0,
        "failed": len(inside) - len(ok),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--short", action="store_true", help="under a minute, for CI")
    parser.add_argument("--phase", type=float, help="seconds per phase (default 30, short 9)")
    parser.add_argument("--clients", type=int, help="concurrent buyers (default 12, short 6)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    parser.add_argument("--balancer", choices=("haproxy", "nginx"), default="haproxy")
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    phase_seconds = args.phase or (9.0 if args.short else 30.0)
    clients = args.clients or (6 if args.short else 12)
    scarce, plenty = (8, 10_000) if args.short else (25, 10_000)

    kind = args.balancer
    if kind == "haproxy" and not ensure_package("haproxy", "haproxy"):
        print("haproxy could not be installed: using nginx", file=sys.stderr)
        kind = "nginx"
    if kind == "nginx" and not ensure_package("nginx", "nginx"):
        print("neither haproxy nor nginx could be installed", file=sys.stderr)
        return 2

    started = time.monotonic()
    load_before = os.getloadavg()
    name = f"ocop_cluster_bench_{secrets.token_hex(3)}"
    database_url = databases.pg_url(name)
    work = Path(tempfile.mkdtemp(prefix="ocop-cluster-"))
    media = work / "media"  # one folder both servers use: the shared volume
    flush_redis()
    databases.start_empty("postgresql", pg_name=name)
    servers: list[AppServer] = []
    try:
        items = prepare(database_url, media, scarce, plenty)
        initial = {item.variant_id: item.stock for item in items}
        app_port, lb_port = free_port(), free_port()
        env = {
            **os.environ,
            "STOREFRONT_ENV": "production",
            "SECRET_KEY": secrets.token_urlsafe(48),
            "DATABASE_URL": database_url,
            "REDIS_URL": REDIS_URL,
            "MEDIA_ROOT": str(media),
            "PUBLIC_BASE_URL": f"https://{BALANCER}:{lb_port}",
            "TRUSTED_PROXIES": "1",
            # Every buyer comes from 127.0.0.1: the per-client limits would refuse them.
            "RATELIMIT_ENABLED": "0",
            "MAIL_SERVER": "",
            "GUNICORN_WORKERS": str(args.workers),
            "GUNICORN_THREADS": "4",
        }
        env.pop("SENTRY_DSN", None)
        servers = [AppServer(host, app_port, env, work) for host in APP_HOSTS]
        for server in servers:
            server.start()
        with balancer(kind, lb_port, app_port, work):
            base = f"http://{BALANCER}:{lb_port}"
            wait_ready(base, kind, work, want_up=2)
            warm_up(servers, items)
            setup_seconds = time.monotonic() - started
            print(
                f"set up in {setup_seconds:.1f} s: {kind} on {BALANCER}:{lb_port}, "
                f"app servers on {APP_HOSTS[0]} and {APP_HOSTS[1]} port {app_port}",
                flush=True,
            )
            tally, phases, killed = drive(
                base, items, servers[1], kind, work, clients, phase_seconds, args.seed
            )
        figures = database_figures(database_url)
    finally:
        for server in servers:
            server.stop()
        databases_drop(name)
        flush_redis()
        logs = {p.name: p.read_text(errors="replace") for p in work.glob("gunicorn-*.log")}
        shutil.rmtree(work, ignore_errors=True)

    return report(
        tally,
        phases,
        killed,
        figures,
        initial,
        logs,
        kind,
        clients,
        args,
        load_before,
        time.monotonic() - started,
    )


def drive(
    base: str,
    items: list[Item],
    victim: AppServer,
    kind: str,
    work: Path,
    clients: int,
    phase_seconds: float,
    seed: int,
) -> tuple[Tally, list[Phase], tuple[float, float]]:
    """Buyers for three phases: both servers, one (the victim killed), both again."""
    tally = Tally()
    stopping = threading.Event()
    buyers = [Buyer(base, items, tally, random.Random(seed * 1000 + n)) for n in range(clients)]
    threads = [threading.Thread(target=b.shop, args=(stopping,), daemon=True) for b in buyers]
    phases = [Phase("two servers", time.monotonic())]
    for thread in threads:
        thread.start()
    time.sleep(phase_seconds)
    kill_at = time.monotonic()
    victim.kill()
    dead_at = time.monotonic()
    phases[0].end = kill_at
    print(
        f"killed {victim.host} (SIGKILL, every worker) at {kill_at - phases[0].start:.1f} s, "
        f"gone {1000 * (dead_at - kill_at):.0f} ms later",
        flush=True,
    )
    phases.append(Phase("one server", kill_at))
    # The host comes back a little later (a reboot, systemd's Restart=): the one-server
    # phase lasts until the balancer's health check lets it in again.
    time.sleep(min(2.0, phase_seconds / 2))
    restarted = time.monotonic()
    victim.start()
    wait_ready(base, kind, work, want_up=2)
    print(
        f"{victim.host} started again, back in the balancer after "
        f"{time.monotonic() - restarted:.1f} s",
        flush=True,
    )
    time.sleep(max(0.0, kill_at + phase_seconds - time.monotonic()))
    phases[1].end = time.monotonic()
    phases.append(Phase("two servers again", phases[1].end))
    time.sleep(phase_seconds)
    phases[2].end = time.monotonic()
    stopping.set()  # buyers finish the order they are on and start no other
    for thread in threads:
        thread.join(timeout=90)
    return tally, phases, (kill_at, dead_at)


def warm_up(servers: list[AppServer], items: list[Item]) -> None:
    """Each worker's first pages compile templates and fill caches: not what is measured."""
    paths = ["/", "/products?sort=newest", *(f"/products/{i.slug}" for i in items), "/cart"]
    for server in servers:
        with requests.Session() as browser:
            for _ in range(2 * int(server.env["GUNICORN_WORKERS"])):
                for path in paths:
                    with suppress(requests.RequestException):
                        browser.get(f"http://{server.host}:{server.port}{path}", timeout=30)


def wait_ready(base: str, kind: str, work: Path, want_up: int) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if kind == "haproxy":
            if sum(1 for s in haproxy_servers(work).values() if s == "UP") >= want_up:
                return
        else:
            with suppress(requests.RequestException):
                if requests.get(base + "/readyz", timeout=2).status_code == 200:
                    return
        time.sleep(0.2)
    raise SystemExit(f"the balancer did not see {want_up} servers up within 90 s")


def flush_redis() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.flushdb()
    finally:
        client.close()


def databases_drop(name: str) -> None:
    admin = sa.create_engine(databases.PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


def report(
    tally: Tally,
    phases: list[Phase],
    killed: tuple[float, float],
    figures: dict[str, object],
    initial: dict[int, int],
    logs: dict[str, str],
    kind: str,
    clients: int,
    args: argparse.Namespace,
    load_before: tuple[float, float, float],
    seconds: float,
) -> int:
    db_orders: dict[str, str] = figures["orders"]  # type: ignore[assignment]
    stock: dict[int, int] = figures["stock"]  # type: ignore[assignment]
    sold: dict[int, int] = figures["sold"]  # type: ignore[assignment]
    confirmed = tally.confirmed
    lost = sorted(set(confirmed) - set(db_orders))
    unconfirmed = sorted(set(db_orders) - set(confirmed))
    tokens = Counter(confirmed.values())
    doubled = sorted(t for t, n in tokens.items() if n > 1) + unconfirmed
    below_zero = {v: s for v, s in stock.items() if s < 0}
    broken_stock = {
        v: (initial[v], stock.get(v), sold.get(v, 0))
        for v in initial
        if initial[v] != stock.get(v, 0) + sold.get(v, 0)
    }
    failed = [c for c in tally.calls if c.failed]
    # In flight on the killed server: sent before its last process was gone, still
    # unanswered when the kill began.
    in_flight = [c for c in failed if c.start <= killed[1] and c.end >= killed[0]]
    other_failures = [c for c in failed if c not in in_flight]
    tracebacks = sum(log.count("Traceback") for log in logs.values())

    result = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "balancer": kind,
        "clients": clients,
        "workers_per_server": args.workers,
        "threads_per_worker": 4,
        "short": args.short,
        "orders_placed": len(db_orders),
        "orders_confirmed_to_buyers": len(confirmed),
        "orders_lost": lost,
        "orders_doubled_or_unconfirmed": doubled,
        "refused_sold_out": tally.sold_out,
        "stock_below_zero": below_zero,
        "stock_invariant_broken": broken_stock,
        "sold_out_products": sum(1 for v in initial if stock.get(v) == 0),
        "requests": len(tally.calls),
        "requests_failed": len(failed),
        "requests_failed_in_flight_at_kill": len(in_flight),
        "requests_failed_otherwise": [
            asdict(c) | {"t": round(c.start - phases[0].start, 2)} for c in other_failures
        ][:20],
        "failed_steps": dict(
            Counter(f"{c.method} {c.step} -> {c.status or c.error[:40]}" for c in failed)
        ),
        "answers": dict(Counter(f"{c.method} {c.step} {c.status}" for c in tally.calls)),
        "served_by": dict(Counter(c.served_by for c in tally.calls if not c.failed)),
        "phases": {p.name: throughput(tally.calls, p) for p in phases},
        "tracebacks_in_server_logs": tracebacks,
        "script_errors": tally.unexpected[:20],
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "cpus": os.cpu_count(),
        "seconds": round(seconds, 1),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"cluster-{datetime.now(UTC):%Y%m%dT%H%M%S}.json"
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False))
    print_summary(result)
    print(f"written to {out.relative_to(ROOT)}")

    problems = []
    if not db_orders:
        problems.append("no order was placed")
    if lost:
        problems.append(f"{len(lost)} order(s) shown to buyers are not in the database")
    if doubled:
        problems.append(f"{len(doubled)} order(s) doubled or never shown to a buyer")
    if below_zero:
        problems.append(f"stock below zero: {below_zero}")
    if broken_stock:
        problems.append(f"initial != remaining + sold: {broken_stock}")
    if other_failures:
        problems.append(
            f"{len(other_failures)} request(s) failed that were not in flight at the kill"
        )
    if tally.unexpected:
        problems.append(f"{len(tally.unexpected)} unexpected answer(s): {tally.unexpected[:3]}")
    for problem in problems:
        print(f"FAILED: {problem}", file=sys.stderr)
    return 1 if problems else 0


def print_summary(r: dict[str, Any]) -> None:
    lost, doubled = len(r["orders_lost"]), len(r["orders_doubled_or_unconfirmed"])
    lines = [
        (
            "orders placed",
            f"{r['orders_placed']} (buyers shown {r['orders_confirmed_to_buyers']}; "
            f"lost {lost}, doubled {doubled})",
        ),
        (
            "refused, sold out",
            f"{r['refused_sold_out']} ({r['sold_out_products']} products sold out)",
        ),
        (
            "stock below zero",
            f"{len(r['stock_below_zero'])} products; initial != left + sold: "
            f"{len(r['stock_invariant_broken'])} products",
        ),
        (
            "requests",
            f"{r['requests']}, failed {r['requests_failed']} (in flight at the kill "
            f"{r['requests_failed_in_flight_at_kill']}, other "
            f"{len(r['requests_failed_otherwise'])})",
        ),
        ("failed", str(r["failed_steps"])),
        ("answers", str(r["answers"])),
        ("served by", str(r["served_by"])),
        *((name, str(figures)) for name, figures in r["phases"].items()),
        (
            "load average",
            f"before {r['load_average_before']}, after {r['load_average_after']} "
            f"({r['cpus']} CPUs); {r['seconds']} s in all",
        ),
    ]
    print()
    for name, value in lines:
        print(f"{name:<20} {value}")


if __name__ == "__main__":
    sys.exit(main())
