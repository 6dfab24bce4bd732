"""Prometheus metrics at /metrics, for the configured scrapers only.

Requests by route, method and status, request latency by route, and orders placed
(counted by the process that placed them); emails pending and failed and the job lag
(how long the longest-waiting due email has been due) read from the outbox at scrape
time, one query.
Under gunicorn each worker is its own process: set PROMETHEUS_MULTIPROC_DIR to an empty
directory writable by the app (deploy/storefront.service does, on a tmpfs) and each
worker writes its samples there; /metrics then adds up every worker's (and
deploy/gunicorn.conf.py drops a dead worker's live gauges). Without it, each worker
answers with its own counts only (fine for one process).

/metrics answers only a client address in METRICS_ALLOW (addresses or networks, comma
separated; default loopback) or a request bearing `Authorization: Bearer METRICS_TOKEN`;
everyone else gets 404, so the page does not advertise itself.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
from collections.abc import Iterator
from typing import Any

from flask import Flask, Response, abort, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError

from storefront.extensions import db
from storefront.timeutil import utcnow

REQUESTS = Counter("storefront_requests_total", "Requests answered", ("route", "method", "status"))
LATENCY = Histogram(
    "storefront_request_seconds",
    "Time to answer a request",
    ("route",),
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
ORDERS_PLACED = Counter("storefront_orders_placed_total", "Orders placed at checkout")
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
logger = logging.getLogger("storefront.metrics")


def order_placed(count: int = 1) -> None:
    ORDERS_PLACED.inc(count)


def register(app: Flask) -> None:
    app.config["METRICS_NETWORKS"] = parse_allow(app.config["METRICS_ALLOW"])
    app.add_url_rule("/metrics", "metrics", _metrics)


def parse_allow(raw: str) -> tuple[Network, ...]:
    """The networks METRICS_ALLOW names ("127.0.0.1, 10.0.0.0/8"); a bad entry is a
    configuration error raised at start-up."""
    networks = []
    for item in raw.split(","):
        if item.strip():
            try:
                networks.append(ipaddress.ip_network(item.strip(), strict=False))
            except ValueError as exc:
                raise ValueError(f"METRICS_ALLOW: {item.strip()!r} is not an address") from exc
    return tuple(networks)


# The labelled children, by (route, method, status): prometheus_client checks and
# joins the label values on every `labels()` call. Routes, methods and statuses are few.
_children: dict[tuple[str, str, int], tuple[Any, Any]] = {}


def count(route: str, method: str, status: int, seconds: float) -> None:
    """One answered request (ops.register's hook calls it for every request but /metrics)."""
    key = (route, method, status)
    children = _children.get(key)
    if children is None:
        children = REQUESTS.labels(route, method, str(status)), LATENCY.labels(route)
        _children[key] = children
    children[0].inc()
    children[1].observe(seconds)


def allowed() -> bool:
    token = current_app.config["METRICS_TOKEN"]
    offered = request.headers.get("Authorization", "")
    if token and hmac.compare_digest(offered.encode(), f"Bearer {token}".encode()):
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in current_app.config["METRICS_NETWORKS"])


def _metrics() -> Response:
    if not allowed():
        abort(404)
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest()
    scraped = CollectorRegistry()
    scraped.register(BacklogCollector())
    body += generate_latest(scraped)
    response = Response(body, content_type=CONTENT_TYPE_LATEST)
    response.headers["Cache-Control"] = "no-store"
    return response


class BacklogCollector(Collector):
    """The job worker's backlog, read from the database when scraped (so every app
    server reports the same figures, whichever worker answers). Left out, with a log
    line, when the database does not answer: /metrics itself keeps working."""

    def collect(self) -> Iterator[Metric]:
        from storefront.jobs.worker import backlog  # the jobs domain owns the outboxes

        try:
            figures = backlog(db.session)
            db.session.rollback()  # read only: end the transaction, hold no snapshot
        except SQLAlchemyError:
            db.session.rollback()
            logger.warning("metrics: the outbox backlog could not be read", exc_info=True)
            return
        lag = 0.0
        if figures.oldest_due is not None:
            lag = max(0.0, (utcnow() - figures.oldest_due).total_seconds())
        yield GaugeMetricFamily(
            "storefront_emails_pending",
            "Emails not yet sent (waiting or retrying)",
            value=figures.pending,
        )
        yield GaugeMetricFamily(
            "storefront_emails_failed",
            "Emails given up after every attempt",
            value=figures.failed,
        )
        yield GaugeMetricFamily(
            "storefront_job_lag_seconds",
            "How long the longest-waiting due job has been due (0: none waiting)",
            value=round(lag, 3),
        )
