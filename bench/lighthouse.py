"""Lighthouse (mobile) on the buyer's pages: home, listing, a product, a fair, the cart and
a traceability page.

    npm install --prefix /tmp/lighthouse lighthouse        # once, outside the repo
    .venv/bin/python bench/lighthouse.py --lighthouse /tmp/lighthouse --runs 3
    .venv/bin/python bench/lighthouse.py --lighthouse /tmp/lighthouse --only listing cart

Builds a fresh SQLite shop in bench/results/lighthouse/ (`flask demo load`, then an open
fair featuring three packs at 14 % off and a traced batch, made through the shop's
services), builds the static files, serves it with gunicorn (2 workers,
STOREFRONT_ENV=production, a redis-server of its own) on a free loopback port, puts two
packs in a guest cart through the product page's form, and runs Lighthouse's default
mobile preset with Debian's Chromium (CHROME_PATH, default /usr/bin/chromium, headless,
--no-sandbox) --runs times per page. Prints the median of each category and of the LCP,
and the audits that lost points in any run; the JSON reports stay in
bench/results/lighthouse/. gunicorn and redis-server are always stopped.

The production cookies are Secure, so a browser would not send them back over plain
http: the cart's cookies are taken here with http.client and handed to Lighthouse as a
Cookie header.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "results" / "lighthouse"
HOST = "127.0.0.1"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
PAGES = ("home", "listing", "product", "producer", "fair", "cart", "trace")
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage "
    "--disable-background-networking --disable-component-update"
)
TARGETS = {"accessibility": 100, "best-practices": 100, "seo": 100, "performance": 95}
TARGET_LCP_MS = 2500  # on /products


def shop_env() -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{WORK / 'shop.db'}",
        "MEDIA_ROOT": str(WORK / "media"),
        "PYTHONUNBUFFERED": "1",
    }


def flask(*args: str, env: dict[str, str]) -> None:
    subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", *args], cwd=ROOT, env=env,
                   check=True, stdout=subprocess.DEVNULL)  # fmt: skip


SETUP = r"""
from datetime import timedelta
from sqlalchemy import select
from storefront import create_app
from storefront.accounts.models import User
from storefront.catalog.models import Producer, Product, Variant
from storefront.extensions import db
from storefront.fairs import services as fairs
from storefront.timeutil import VIETNAM_TZ, today_in_vietnam, utcnow
from storefront.traceability import services as trace

app = create_app()
with app.app_context():
    session = db.session
    organiser = session.execute(
        select(User).where(User.email == "organiser@ocop.test")).scalar_one()
    now = utcnow().astimezone(VIETNAM_TZ).replace(tzinfo=None, second=0, microsecond=0)
    fair = fairs.create_fair(session, organiser, fairs.FairData(
        name="Hội chợ OCOP Điện Biên mùa hoa Ban",
        description="Hội chợ trực tuyến các sản phẩm OCOP Tây Bắc.",
        venue="Quảng trường 7/5", province_code=11,
        starts_on=(now - timedelta(days=1)).date(), ends_on=(now + timedelta(days=3)).date(),
        opens_local=now - timedelta(days=1), closes_local=now + timedelta(days=3, hours=4)))
    fairs.set_state(session, fair, "published")
    products = session.execute(select(Product).order_by(Product.id).limit(3)).scalars().all()
    exhibiting = set()
    for position, product in enumerate(products, 1):
        if product.producer_id not in exhibiting:
            exhibitor = fairs.invite_exhibitor(session, fair, product.producer_id)
            fairs.accept_invitation(session, exhibitor)
            exhibiting.add(product.producer_id)
        variant = session.execute(select(Variant).where(Variant.product_id == product.id)
                                  .order_by(Variant.id)).scalars().first()
        fairs.feature_variant(session, fair, variant.id, position,
                              round(variant.price_vnd * 0.86 / 1000) * 1000)
    product = products[0]
    variant = session.execute(select(Variant).where(Variant.product_id == product.id)
                              .order_by(Variant.id)).scalars().first()
    producer = session.get(Producer, product.producer_id)
    today = today_in_vietnam()
    batch = trace.create_batch(session, [producer.id], trace.BatchData(
        variant_id=variant.id, produced_on=today - timedelta(days=20),
        expires_on=today + timedelta(days=300), quantity=200,
        province_code=producer.province_code, ward_code=producer.ward_code,
        steps=[trace.StepData("growing", today - timedelta(days=40), "Mường Phăng"),
               trace.StepData("packing", today - timedelta(days=20), "Xưởng HTX")]), today)
    session.commit()
    print(fair.slug, product.slug, batch.code, variant.id, producer.slug)
"""


def build_shop() -> dict[str, str]:
    """A fresh shop with demo data, an open fair and a traced batch; the pages' paths."""
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    env = shop_env()
    flask("db", "upgrade", env=env)
    flask("demo", "load", env=env)
    flask("assets", "build", env=env)
    output = subprocess.run([sys.executable, "-c", SETUP], cwd=ROOT, env=env, check=True,
                            stdout=subprocess.PIPE, text=True).stdout  # fmt: skip
    fair, product, code, variant, producer = output.split()[-5:]
    return {
        "home": "/",
        "listing": "/products",
        "product": f"/products/{product}",
        "producer": f"/producers/{producer}",
        "fair": f"/fairs/{fair}",
        "cart": "/cart",
        "trace": f"/t/{code}",
        "_variant": variant,
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@contextmanager
def own_redis() -> Iterator[str]:
    """A redis-server of this run's own on a free loopback port (production needs Redis;
    the machine's shared one stays untouched), nothing saved; always stopped."""
    port = free_port()
    process = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", HOST, "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.1)
        yield f"redis://{HOST}:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def gunicorn(redis_url: str) -> Iterator[int]:
    """Serve the shop as in production on a free loopback port; always stopped."""
    port = free_port()
    env = {
        **shop_env(),
        "STOREFRONT_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48),
        "PUBLIC_BASE_URL": f"http://{HOST}:{port}",
        "REDIS_URL": redis_url,
    }
    log = open(WORK / "gunicorn.log", "w")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--workers", "2", "--bind", f"{HOST}:{port}",
         "--timeout", "120", "wsgi:app"],
        cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {WORK / 'gunicorn.log'}")
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("gunicorn did not answer /healthz within 60 s")
            time.sleep(0.2)
        yield port
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
        log.close()


def request(
    port: int, method: str, path: str, body: str | None = None, cookie: str = ""
) -> tuple[int, str, list[str]]:
    connection = http.client.HTTPConnection(HOST, port, timeout=30)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    cookies = [v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
    connection.close()
    return response.status, text, cookies


def guest_cart(port: int, paths: dict[str, str]) -> str:
    """Put two packs in a guest cart through the product page's form; its Cookie header."""
    status, html, cookies = request(port, "GET", paths["product"])
    token = re.search(r'name="csrf_token" value="([^"]+)"', html)
    if status != 200 or token is None:
        raise RuntimeError(f"the product page answered {status} without a form")
    jar = dict(c.split("=", 1) for c in cookies)
    body = urlencode({"csrf_token": token.group(1), "variant_id": paths["_variant"],
                      "quantity": "2", "next": paths["product"]})  # fmt: skip
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, _, more = request(port, "POST", "/cart/add", body, cookie)
    if status != 302:
        raise RuntimeError(f"adding to the cart answered {status}")
    jar.update(c.split("=", 1) for c in more)
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, html, _ = request(port, "GET", "/cart", cookie=cookie)
    if status != 200 or 'class="cart-line"' not in html:
        raise RuntimeError("the guest cart is empty: the cookies did not carry")
    return cookie


def lighthouse(cli: Path, url: str, out: Path, cookie: str = "") -> dict:
    command = [
        "node", str(cli), url, "--quiet", "--output=json", f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}",
        "--max-wait-for-load=60000",
    ]  # fmt: skip
    if cookie:
        command.append("--extra-headers=" + json.dumps({"Cookie": cookie}))
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return json.loads(out.read_text(encoding="utf-8"))


def lost_points(report: dict) -> list[str]:
    """Audits that count towards a category and did not pass."""
    found = []
    for name in CATEGORIES:
        for ref in report["categories"][name]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                value = audit.get("displayValue", "")
                found.append(
                    f"{name}: {ref['id']} ({audit['score']}{', ' + value if value else ''})"
                )
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lighthouse", type=Path, required=True,
                        help="the folder npm installed lighthouse into (--prefix)")  # fmt: skip
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", nargs="+", choices=PAGES, default=list(PAGES))
    args = parser.parse_args()
    cli = args.lighthouse / "node_modules" / "lighthouse" / "cli" / "index.js"
    if not cli.exists():
        print(f"{cli} is missing: npm install --prefix {args.lighthouse} lighthouse")
        return 2

    print("building the shop in", WORK, flush=True)
    paths = build_shop()
    rows = []
    with own_redis() as redis_url, gunicorn(redis_url) as port:
        cookie = guest_cart(port, paths)
        for page in args.only:
            url = f"http://{HOST}:{port}{paths[page]}"
            scores: dict[str, list[float]] = {name: [] for name in CATEGORIES}
            lcps: list[float] = []
            problems: set[str] = set()
            for run in range(args.runs):
                out = WORK / f"{page}-{run + 1}.json"
                report = lighthouse(cli, url, out, cookie if page == "cart" else "")
                for name in CATEGORIES:
                    scores[name].append(100 * (report["categories"][name]["score"] or 0))
                lcps.append(report["audits"]["largest-contentful-paint"]["numericValue"])
                problems.update(lost_points(report))
            medians = {name: statistics.median(values) for name, values in scores.items()}
            rows.append((page, paths[page], medians, statistics.median(lcps), sorted(problems)))
            print(f"  {page}: done", flush=True)

    print(f"\nLighthouse mobile, median of {args.runs} run(s)")
    print(f"{'page':8} {'perf':>5} {'a11y':>5} {'bp':>5} {'seo':>5} {'LCP s':>6}  path")
    missed = []
    for page, path, medians, lcp, _ in rows:
        perf, a11y, bp, seo = (medians[name] for name in CATEGORIES)
        print(f"{page:8} {perf:5.0f} {a11y:5.0f} {bp:5.0f} {seo:5.0f} {lcp / 1000:6.2f}  {path}")
        missed += [f"{page} {name} {medians[name]:.0f} < {target}"
                   for name, target in TARGETS.items() if medians[name] < target]  # fmt: skip
        if page == "listing" and lcp > TARGET_LCP_MS:
            missed.append(f"listing LCP {lcp / 1000:.2f} s > {TARGET_LCP_MS / 1000} s")
    for page, _, _, _, problems in rows:
        for problem in problems:
            print(f"  {page}: {problem}")
    print("targets:", "met" if not missed else "MISSED: " + "; ".join(missed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
