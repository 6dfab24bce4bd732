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

import functools
import json
import logging
import os
import re
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from json.encoder import c_make_encoder, encode_basestring  # type: ignore[attr-defined]
from typing import Any

from flask import Flask, g, has_request_context, request

logger = logging.getLogger("storefront.request")
REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{8,128}")
# What a log record carries besides the standard attributes, copied into the JSON line.
_FIELDS = ("request_id", "method", "route", "status", "duration_ms", "user_id")


def _json_encoder() -> Callable[[dict[str, Any]], str]:
    """json.dumps(line, ensure_ascii=False, default=str), its C encoder built once: dumps
    builds a new one for every line. Without the circular-reference check, which a line
    of plain values never needs."""
    if c_make_encoder is None:  # a Python without json's C speedups
        return functools.partial(json.dumps, ensure_ascii=False, default=str)
    encode = c_make_encoder(None, str, encode_basestring, None, ": ", ", ", False, False, True)
    return lambda line: "".join(encode(line, 0))


_encode = _json_encoder()


class JsonFormatter(logging.Formatter):
    """One JSON object per record: time, level, logger, message, the request's id and
    the request fields a record carries (see _FIELDS), and the traceback if any."""

    def __init__(self) -> None:
        super().__init__()
        self._second: tuple[int, str] = (-1, "")  # a whole second and how it is written

    def format(self, record: logging.LogRecord) -> str:
        exception = self.formatException(record.exc_info) if record.exc_info else None
        message = record.getMessage()
        return self.line(
            record.created, record.levelname, record.name, message, record.__dict__, exception
        )

    def line(
        self,
        created: float,
        level: str,
        name: str,
        message: str,
        fields: dict[str, Any],
        exception: str | None = None,
    ) -> str:
        """The JSON line of a record made at `created` carrying `fields` (its attributes)."""
        line: dict[str, Any] = {
            "time": self.timestamp(created),
            "level": level.lower(),
            "logger": name,
            "message": message,
        }
        # A request line carries its own id, written at this same place below.
        if "request_id" not in fields and has_request_context() and "request_id" in g:
            line["request_id"] = g.request_id
        for field in _FIELDS:
            if field in fields:
                line[field] = fields[field]
        if exception is not None:
            line["exception"] = exception
        return _encode(line)

    def timestamp(self, created: float) -> str:
        """`created` as datetime's isoformat in UTC to the millisecond (2026-12-02T14:22:19.123
        +00:00), the date and time worked out once a second: every request writes a line.
        The microseconds are rounded as datetime.fromtimestamp rounds them."""
        second = int(created)
        micro = round((created - second) * 1e6)
        cached, prefix = self._second  # one tuple: threads of a gthread worker share it
        if second != cached or micro >= 1_000_000:
            moment = datetime.fromtimestamp(created, UTC)
            if micro >= 1_000_000:  # rounded up into the next second: leave the cache be
                return moment.isoformat(timespec="milliseconds")
            prefix = moment.replace(microsecond=0).isoformat()[:-6]  # without "+00:00"
            self._second = (second, prefix)
        return f"{prefix}.{micro // 1000:03d}+00:00"


class JsonLines(logging.StreamHandler):  # type: ignore[type-arg]
    """configure_process's handler in JSON mode: JsonFormatter's lines on standard error.

    Request lines (one per request) may skip the logging machinery: `write` puts a line
    on the stream as emit() would, when this handler is the only one the line would
    reach (see _direct_handler). Building the LogRecord and walking it through the
    logger, its parents' handler lists and two locks cost more than the line itself."""

    def write(self, name: str, message: str, fields: dict[str, Any]) -> bool:
        """Write an INFO line of logger `name` made now; False when it was not written."""
        formatter = self.formatter
        if not isinstance(formatter, JsonFormatter):
            return False
        text = formatter.line(time.time(), "INFO", name, message, fields)
        try:
            with self.lock:  # type: ignore[union-attr]  # as Handler.handle takes it
                self.stream.write(text + self.terminator)
                self.stream.flush()
        except Exception:
            return False  # logging writes it then, and reports the trouble its own way
        return True


def _direct_handler() -> JsonLines | None:
    """The handler an INFO line of `storefront.request` would reach when that is a
    JsonLines alone, with no filter and nothing disabled on the way; None otherwise
    (pytest's caplog, a handler added later, a level raised), and then the line goes
    through logging as usual."""
    if logger.disabled or not logger.isEnabledFor(logging.INFO):
        return None
    found: JsonLines | None = None
    current: logging.Logger | None = logger
    while current is not None:
        if current.filters:
            return None
        for handler in current.handlers:
            if found is not None or not isinstance(handler, JsonLines):
                return None
            if handler.filters or handler.level > logging.INFO:
                return None
            found = handler
        current = current.parent if current.propagate else None
    return found


def configure_process(log_format: str) -> None:
    """Send every logger of this process through one handler on standard error."""
    root = logging.getLogger()
    if getattr(configure_process, "done", False):
        return
    configure_process.done = True  # type: ignore[attr-defined]
    handler: logging.Handler
    if log_format == "json":
        handler = JsonLines(sys.stderr)
        handler.setFormatter(JsonFormatter())
        # JsonFormatter writes none of the caller's file and line, thread or
        # multiprocessing names: not working them out for every record (Python's logging
        # HOWTO, "Optimization") saves a stack walk per request line. The process id
        # stays: gunicorn's own log lines print it ("[%(process)d]"), and without it
        # each of them was a "Logging error" traceback instead.
        logging._srcfile = None
        logging.logThreads = False
        logging.logMultiprocessing = False
    else:
        handler = logging.StreamHandler(sys.stderr)
    root.handlers[:] = [handler]
    root.setLevel(logging.INFO)


def register(app: Flask) -> None:
    if app.config["LOG_FORMAT"] == "json" and not app.testing:
        configure_process("json")
    logger.setLevel(logging.INFO)
    app.before_request(_start)  # ops.register adds the hook that writes the line


def request_id() -> str:
    """The id of the request being served (set before any view runs)."""
    return str(g.get("request_id", ""))


def _start() -> None:
    state = g._get_current_object()  # one context lookup, not one per use
    # From the WSGI environ: werkzeug's headers raise and catch a KeyError when absent.
    offered = request.environ.get("HTTP_X_REQUEST_ID")
    state.request_id = offered if offered and _ACCEPTED_ID.fullmatch(offered) else fresh_id()
    state.request_started = time.perf_counter()


def fresh_id() -> str:
    """A random (version 4) UUID as 32 hex digits, what uuid.uuid4().hex answers, at a
    quarter of its cost: the version and variant bits set on 16 random bytes directly."""
    n = int.from_bytes(os.urandom(16), "big")
    n = (n & ~(0xF000 << 64) & ~(0xC000 << 48)) | (0x4000 << 64) | (0x8000 << 48)
    return f"{n:032x}"


def write_line(
    request_id: str, method: str, route: str, status: int, seconds: float, user: object = None
) -> None:
    """The request's line on `storefront.request` (ops.register's hook calls it last);
    `user` is Flask-Login's user if this request loaded it."""
    fields = {
        "request_id": request_id,
        "method": method,
        "route": route,
        "status": status,
        "duration_ms": round(seconds * 1000, 1),
        "user_id": _user_id(user),
    }
    handler = _direct_handler()
    if handler is None or not handler.write(logger.name, "request", fields):
        logger.info("request", extra=fields)


def _user_id(user: object) -> int | None:
    """The signed-in account's id, only if this request already loaded it (no query)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return int(user.id)  # type: ignore[attr-defined]
