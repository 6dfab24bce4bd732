"""gunicorn settings for the shop (deploy/systemd/storefront.service starts it with
`gunicorn -c deploy/gunicorn.conf.py wsgi:app`). Every value can be overridden from the
environment file: GUNICORN_BIND, GUNICORN_WORKERS, GUNICORN_THREADS."""

import multiprocessing
import os
import shutil

# nginx on the same host talks to this address; a load balancer elsewhere needs the
# host's private address (and the firewall open to it only).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Pages spend most of their time waiting on PostgreSQL: two workers per core and a few
# threads each keep the cores busy without holding too many database connections
# (workers × threads × hosts must stay under PostgreSQL's max_connections).
workers = int(os.environ.get("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1))
threads = int(os.environ.get("GUNICORN_THREADS", 4))
worker_class = "gthread"

# A request is cut at the database's statement timeout (DATABASE_STATEMENT_TIMEOUT,
# default 10 s); the worker timeout leaves room for rendering on top before gunicorn
# kills a stuck worker.
timeout = int(float(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "10") or 10)) + 20
graceful_timeout = 30  # SIGHUP/SIGTERM: in-flight requests get this long to finish
keepalive = 5  # behind nginx: reuse its upstream connections a little

# `systemctl reload storefront` sends SIGHUP: new workers start with the new code and
# the old ones finish their requests; preload stays off so a reload reads new code.
preload_app = False
# Recycle workers now and then (bounded memory), but rarely: a recycling gthread worker
# closes its idle keep-alive connections, and a request the balancer sends on one at
# that moment gets no answer (bench/cluster.py saw it once the pages got fast enough
# for a worker to reach 2,000 requests within the run); each recycle also drops the
# worker's remembered cards and built statements. Memory stays bounded by those caches'
# own limits (storefront/catalog/cards.py, shapes.py).
max_requests = 20_000
max_requests_jitter = 2_000

accesslog = None  # the app writes one JSON line per request (storefront/ops/logs.py)
errorlog = "-"
forwarded_allow_ips = "127.0.0.1"


def on_starting(server):  # noqa: ANN001, ARG001 - gunicorn's hook signature
    """Start with an empty metrics directory: samples from an earlier run would count."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        shutil.rmtree(directory, ignore_errors=True)
        os.makedirs(directory, exist_ok=True)


def child_exit(server, worker):  # noqa: ANN001, ARG001 - gunicorn's hook signature
    """A worker ended: drop its live gauges from the multiprocess metrics."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
