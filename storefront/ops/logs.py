"""Structured logs: one JSON object a line, each carrying the request's id.

Every request gets an id: the proxy's X-Request-ID when it is a plain token (nginx sets
it, see deploy/nginx), otherwise a fresh one; the response echoes it in X-Request-ID so
a buyer's complaint, the nginx log and the app log meet on one value. Each finished
request writes one line on the `storefront.request` logger: id, method, route (the URL
rule such as /products/<slug>, never the query string, which can carry an email),
status, duration and the signed-in account's id. Nothing else about the visitor:
no address, phone, email, form field or cookie ever reaches a log line.

LOG_FORMAT=json (the default in production) puts every logger of the process through
JsonFormatter on standard error, which systemd's journal keeps; `text` leaves Python's
plain format (development).
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

logger = logging.getLogger("storefront.request")
REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# What a log record carries besides the standard attributes, copied into the JSON line.
_FIELDS = ("request_id", "method", "route", "status", "duration_ms", "user_id")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the request's id and
    the request fields a record carries (see _FIELDS), and the traceback if any."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if has_request_context() and "request_id" in g:
            line["request_id"] = g.request_id
        for name in _FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


def configure_process(log_format: str) -> None:
    """Send every logger of this process through one handler on standard error."""
    root = logging.getLogger()
    if getattr(configure_process, "done", False):
        return
    configure_process.done = True  # type: ignore[attr-defined]
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
        # JsonFormatter writes none of the caller's file and line, thread, process or
        # multiprocessing names: not working them out for every record (Python's logging
        # HOWTO, "Optimization") saves a stack walk per request line.
        logging._srcfile = None
        logging.logThreads = False
        logging.logProcesses = False
        logging.logMultiprocessing = False
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def register(app: Flask) -> None:
    if app.config["LOG_FORMAT"] == "json" and not app.testing:
        configure_process("json")
    logger.setLevel(logging.INFO)
    app.before_request(_start)
    app.after_request(_finish)


def request_id() -> str:
    """The id of the request being served (set before any view runs)."""
    return str(g.get("request_id", ""))


def _start() -> None:
    # From the WSGI environ: werkzeug's headers raise and catch a KeyError when absent.
    offered = request.environ.get("HTTP_X_REQUEST_ID", "")
    g.request_id = offered if _ACCEPTED_ID.fullmatch(offered) else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    if "request_id" not in g:  # a request that failed before our first hook
        return response
    response.headers[REQUEST_ID_HEADER] = g.request_id
    elapsed = time.perf_counter() - g.request_started
    logger.info(
        "request",
        extra={
            "request_id": g.request_id,
            "method": request.method,
            "route": route(),
            "status": response.status_code,
            "duration_ms": round(elapsed * 1000, 1),
            "user_id": _user_id(),
        },
    )
    return response


def route() -> str:
    """The URL rule that answered (its pattern, no values), or "unmatched"."""
    rule = request.url_rule
    return rule.rule if rule is not None else "unmatched"


def _user_id() -> int | None:
    """The signed-in account's id, only if this request already loaded it (no query)."""
    user = g.get("_login_user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return int(user.id)
