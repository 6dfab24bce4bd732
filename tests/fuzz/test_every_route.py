"""Nothing a visitor sends gives a 5xx: a property-based walk of every route.

Every (endpoint, method) of the URL map is requested as each role (anonymous, buyer,
producer, organiser, admin), signed in for real and with a valid CSRF token, against
seeded rows (tests/fuzz/world.py). Hypothesis draws the path values, the query string
and the form body: ids that exist beside unicode digits, huge and negative numbers, NUL
and other control characters, very long strings, impossible dates, files where text is
expected and text where files are (tests/fuzz/values.py). The forms are the ones the
pages really offer, each field kept or spoiled, so a request gets past the first check
and into the code behind it. Any 5xx, or an exception escaping the app, fails.

The budget is fixed and the run seeded, so CI and a laptop send the same requests:
FUZZ_SEED picks another seed (it is printed on failure), FUZZ_EXAMPLES another budget
for the roles that pass a route's checks (the others, turned away at the door, get
SHALLOW_EXAMPLES each). The summary line (pytest -s) gives the requests and the time.
"""

from __future__ import annotations

import logging
import os
import re
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

from flask import Flask
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule

from tests import test_access_control as access
from tests.fuzz import values
from tests.fuzz import world as fuzz_world

SEED = int(os.environ.get("FUZZ_SEED", "20251012"))
DEEP_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
SHALLOW_EXAMPLES = 1
VERBOSE = os.environ.get("FUZZ_VERBOSE") == "1"
# Public pages are walked deep as a guest and a buyer, shallow as the other roles.
PUBLIC_DEEP_ROLES = (fuzz_world.ANONYMOUS, access.BUYER)
# Signing out ends a session: those requests use an account made to leave.
SESSION_ENDING = {"accounts.logout"}
_RAISED = re.compile(r"^[a-z_.]*[A-Z]\w*(Error|Exception)\b")
_ARGUMENT = re.compile(r"<(?:([a-zA-Z_]+)(?:\([^)]*\))?:)?([a-zA-Z_]+)>")


@dataclass
class Run:
    walk: fuzz_world.Walk
    sent: int = 0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # tracebacks the app logged


def plan(app: Flask) -> list[tuple[Rule, str, str, int]]:
    """(rule, method, role, examples) for every route of the URL map."""
    steps = []
    only = re.compile(os.environ.get("FUZZ_ONLY", ""))
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if not only.search(rule.endpoint):
            continue
        deep = (
            {access.PROTECTED[rule.endpoint].allowed}
            if rule.endpoint in access.PROTECTED
            else set(PUBLIC_DEEP_ROLES)
        )
        for method in sorted((rule.methods or set()) - access.IGNORED_METHODS):
            for role in fuzz_world.ROLES:
                steps.append(
                    (rule, method, role, DEEP_EXAMPLES if role in deep else SHALLOW_EXAMPLES)
                )
    return steps


def test_no_request_gives_a_server_error(app, session):
    run = Run(fuzz_world.build(app, session))
    capture = _ErrorCapture(run.errors)
    app.logger.addHandler(capture)
    started = time.monotonic()
    try:
        for rule, method, role, examples in plan(app):
            try:
                _fuzz(run, rule, method, role, examples)
            except Exception as error:  # noqa: BLE001 - every route is walked, all reported
                notes = "\n".join(getattr(error, "__notes__", []))
                run.failures.append(_short(f"{method} {rule.rule} as {role}: {error}\n{notes}"))
    finally:
        app.logger.removeHandler(capture)
    elapsed = time.monotonic() - started
    print(f"\nfuzz: {run.sent} requests in {elapsed:.1f} s, FUZZ_SEED={SEED}")
    assert not run.failures, (
        f"{len(run.failures)} route/role pairs answered 5xx (FUZZ_SEED={SEED}, rerun with "
        f"FUZZ_SEED={SEED} pytest tests/fuzz):\n\n" + "\n\n".join(run.failures)
    )
    assert run.sent >= len(plan(app)), "the walk sent fewer requests than it has routes"


def _fuzz(run: Run, rule: Rule, method: str, role: str, examples: int) -> None:
    phases = [Phase.explicit, Phase.generate]
    if os.environ.get("FUZZ_SHRINK", "1") == "1":
        phases.append(Phase.shrink)

    @seed(SEED + zlib.crc32(f"{rule.endpoint} {method} {role}".encode()))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=phases,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(_requests(run.walk, rule, method))
    def one_request(request: tuple[str, str, MultiDict | None]) -> None:
        walk = run.walk
        path, query, body = request
        client, token = walk.clients[role], walk.tokens[role]
        if rule.endpoint in SESSION_ENDING and role != fuzz_world.ANONYMOUS:
            client, token = fuzz_world.signed_in_throwaway(walk, role)
        if body is not None:
            for name in [key for key in body if key.endswith("csrf_token")] or ["csrf_token"]:
                body.setlist(name, [token])
        run.errors.clear()
        response = client.open(f"{path}?{query}", method=method, data=body)
        response.get_data()  # streamed bodies (CSV, PDF) fail while they are read
        run.sent += 1
        if VERBOSE:
            print(role, method, path[:80], query[:80], response.status_code, body)
        assert response.status_code < 500, _describe(response.status_code, run.errors)

    one_request()


SPOIL_MODES = ["one", "one", "one", "some", "all"]


@st.composite
def _spoiled(draw: st.DrawFn, count: int) -> list[bool]:
    """Which of `count` parts of a request get a bad value: exactly one (the rest good
    enough to reach the code behind them), about a third, or all."""
    if not count:
        return []
    mode = draw(st.sampled_from(SPOIL_MODES))
    if mode == "one":
        chosen = draw(st.integers(0, count - 1))
        return [i == chosen for i in range(count)]
    if mode == "all":
        return [True] * count
    return [draw(st.integers(0, 2)) == 0 for _ in range(count)]


@st.composite
def _requests(
    draw: st.DrawFn, walk: fuzz_world.Walk, rule: Rule, method: str
) -> tuple[str, str, MultiDict | None]:
    """A path, a query string and (unless GET) a form body, each part good or spoiled.

    The parts are the rule's arguments (good: ids and slugs that exist), the query
    parameters the endpoint's pages use (good: the values they link with), and the
    fields of a form a page posts to the endpoint (good: what the page offers, or what
    a person would type); strays from elsewhere in the shop come on top.
    """
    arguments = [
        (match, fuzz_world.Field(match.group(2), walk.path_values.get(match.group(2), [])))
        for match in _ARGUMENT.finditer(rule.rule)
    ]
    queries = list(walk.query_fields.get(rule.endpoint, {}).values())
    offered = walk.forms.get(rule.endpoint, []) if method != "GET" else []
    fields = list(draw(st.sampled_from(offered)).fields.values()) if offered else []
    spoil = iter(draw(_spoiled(len(arguments) + len(queries) + len(fields))))

    path, position = "", 0
    for match, argument in arguments:
        good = draw(st.sampled_from(argument.good_values()))
        text = draw(values.spoiled(good)) if next(spoil) else good
        safe = "/" if match.group(1) == "path" else ""
        path += rule.rule[position : match.start()] + quote(text, safe=safe)
        position = match.end()
    path += rule.rule[position:]

    pairs = []
    for found in queries:
        good = draw(st.sampled_from(found.good_values()))
        if next(spoil):
            pairs.append((found.name, draw(values.spoiled(good))))
        elif draw(st.booleans()):
            pairs.append((found.name, good))
    for name in draw(st.lists(st.sampled_from(fuzz_world.KNOWN_QUERY), max_size=2)):
        pairs.append((name, draw(values.NASTY)))
    tail = draw(st.sampled_from(["", "", "", *values.RAW_QUERY_TAILS]))
    query = "&".join(part for part in (urlencode(pairs), tail) if part)
    if method == "GET":
        return path, query, None

    body: MultiDict = MultiDict()
    for found in fields:
        bad = next(spoil)
        if found.is_file:
            body.add(found.name, draw(values.NASTY if bad else values.upload()))
            continue
        good = draw(st.sampled_from(found.good_values()))
        if not bad:
            body.add(found.name, good)
            continue
        how = draw(st.sampled_from(["bad", "bad", "bad", "drop", "twice"]))
        if how != "drop":
            body.add(found.name, draw(values.spoiled(good)))
        if how == "twice":
            body.add(found.name, good)
    strays = draw(st.lists(st.sampled_from(walk.form_vocabulary), max_size=2 if offered else 6))
    for name in strays:
        body.add(name, draw(values.value(walk.path_values.get(name, []))))
    return path, query, body


def _describe(status: int, errors: list[str]) -> str:
    """The status, the shop's own frames of the logged traceback and its last line."""
    if not errors:
        return f"answered {status} (no traceback was logged)"
    lines = errors[-1].strip().splitlines()
    ours = [
        f"{line.strip()}: {lines[i + 1].strip()}"
        for i, line in enumerate(lines[:-1])
        if line.strip().startswith("File") and "/storefront/" in line
    ]
    raised = [line for line in lines if _RAISED.match(line)] or lines[-1:]
    return "\n".join([f"answered {status}", *ours[-4:], raised[-1][:300]])


def _short(text: str, limit: int = 240) -> str:
    return "\n".join(
        line if len(line) <= limit else f"{line[:limit]}… ({len(line)} characters)"
        for line in text.splitlines()
    )


class _ErrorCapture(logging.Handler):
    """Keeps the tracebacks the app logs for the request being made."""

    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.ERROR)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        formatter = logging.Formatter()
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + formatter.formatException(record.exc_info)
        self.sink.append(text)
