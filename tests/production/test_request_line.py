"""The request line's cheaper parts write what the plain ways wrote: the time as
datetime.isoformat gives it, a fresh request id shaped as uuid4().hex, and a line
written straight to the JSON handler exactly as logging would have written it."""

from __future__ import annotations

import io
import json
import logging
import random
import uuid
from datetime import UTC, datetime

import pytest

from storefront.ops import logs
from storefront.ops.logs import JsonFormatter, JsonLines


def test_the_time_is_written_as_datetime_writes_it():
    formatter = JsonFormatter()
    start = 1_796_000_000.0
    moments = sorted(start + random.Random(13).random() * 5 for _ in range(20_000))
    # Rounded up to the next millisecond or second, and a second visited again.
    moments += [start + 0.9999996, start + 1.9999995, start + 2.0000004, start + 3.0015, start]
    for moment in moments:
        expected = datetime.fromtimestamp(moment, UTC).isoformat(timespec="milliseconds")
        assert formatter.timestamp(moment) == expected, moment


def test_a_fresh_request_id_is_a_random_uuid4_in_hex():
    ids = {logs.fresh_id() for _ in range(2000)}
    assert len(ids) == 2000
    for value in ids:
        parsed = uuid.UUID(hex=value)
        assert parsed.hex == value and parsed.version == 4 and parsed.variant == uuid.RFC_4122


@pytest.fixture
def json_stream(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """The request logger as configure_process("json") leaves it, writing to a StringIO.
    A logger outside the process's tree: pytest adds its own handlers to the root one."""
    stream = io.StringIO()
    handler = JsonLines(stream)
    handler.setFormatter(JsonFormatter())
    request_logger = logging.Logger("storefront.request", logging.INFO)
    request_logger.addHandler(handler)
    monkeypatch.setattr(logs, "logger", request_logger)
    return stream


FIELDS = {
    "request_id": "nginx-4f2a9c01",
    "method": "GET",
    "route": "/products/<slug>",
    "status": 404,
    "duration_ms": 12.5,
    "user_id": None,
}


def test_a_request_line_written_directly_is_the_line_logging_writes(json_stream):
    handler = logs._direct_handler()
    assert handler is logs.logger.handlers[0]
    assert handler is not None and handler.write(logs.logger.name, "request", dict(FIELDS))
    logs.logger.info("request", extra=dict(FIELDS))  # the way through logging
    direct, logged = (json.loads(line) for line in json_stream.getvalue().splitlines())
    assert direct.keys() == logged.keys()  # the same fields, in the same order
    del direct["time"], logged["time"]
    assert (
        direct
        == logged
        == {"level": "info", "logger": "storefront.request"}
        | {
            "message": "request",
            **FIELDS,
        }
    )


def test_anything_else_listening_gets_its_record(json_stream):
    """A second handler (pytest's caplog, say): the line goes through logging then."""
    records: list[logging.LogRecord] = []
    second = logging.Handler()
    second.emit = records.append  # type: ignore[method-assign]
    logs.logger.addHandler(second)
    assert logs._direct_handler() is None
    logs.write_line("nginx-4f2a9c01", "GET", "/products", 200, 0.0125)
    (record,) = records
    assert (record.route, record.status, record.duration_ms) == ("/products", 200, 12.5)
    assert json.loads(json_stream.getvalue())["route"] == "/products"


@pytest.mark.parametrize("change", ["filter", "level", "handler's filter", "no handler"])
def test_a_filter_a_raised_level_or_no_handler_means_the_usual_way(json_stream, change):
    if change == "filter":
        logs.logger.addFilter(lambda record: True)
    elif change == "level":
        logs.logger.setLevel(logging.WARNING)
    elif change == "handler's filter":
        logs.logger.handlers[0].addFilter(lambda record: True)
    else:
        logs.logger.handlers.clear()
    assert logs._direct_handler() is None


def test_gunicorn_lines_still_format_once_json_logging_is_set_up():
    """gunicorn's own lines ("[%(process)d] Autorestarting worker…") go through the same
    logging module: they must still find the process id (they were a "Logging error"
    traceback each when the JSON set-up stopped recording it)."""
    import subprocess
    import sys

    script = (
        "import logging; from storefront.ops.logs import configure_process;"
        "configure_process('json');"
        "record = logging.getLogger('gunicorn.error').makeRecord("
        "'gunicorn.error', logging.INFO, 'gunicorn', 1, 'Autorestarting worker', (), None);"
        "print(logging.Formatter('[%(process)d] %(message)s').format(record))"
    )
    result = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("] Autorestarting worker")
    assert "Logging error" not in result.stderr
