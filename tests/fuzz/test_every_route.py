"""Nothing a visitor sends gives a 5xx: a property-based walk of every route.

Every (endpoint, method) of the URL map is requested as each role (anonymous, buyer,
producer, organiser, admin), signed in for real and with a valid CSRF token, against
seeded rows (tests/fuzz/world.py). A request has parts: the rule's arguments (good: ids
and slugs that exist), the query parameters the endpoint's pages use, and the fields of
a form a page posts to it (good: what the page offers, or what a person would type).

For the roles that pass a route's checks, Hypothesis runs
- a sweep of explicit examples: each part in turn takes one value of each kind of
  trouble (unicode digits, negative and huge numbers, an id that does not exist, NUL
  and other control characters, 5,001 characters, impossible dates, a missing field)
  while the rest stays good, so every field is tried and the code behind it reached;
- generated examples mixing several spoiled parts, stray fields from other forms,
  repeated keys, raw bytes that are not UTF-8, files where text goes and text where
  files go (tests/fuzz/values.py).
Roles turned away at the door get SHALLOW_EXAMPLES generated requests. Any 5xx, or an
exception escaping the app, fails, with the seed and the request.

The budget is fixed and the run seeded, so CI and a laptop send the same requests:
FUZZ_SEED picks another seed, FUZZ_EXAMPLES another number of generated examples per
route and role (on top of the sweep), FUZZ_ONLY a regular expression of endpoints to
walk, FUZZ_SHRINK=0 skips shrinking a failure, FUZZ_VERBOSE=1 prints every request.
The summary line (pytest -s) gives the requests sent and the time.
"""

from __future__ import annotations

import logging
import os
import re
import time
import zlib
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from hypothesis import HealthCheck, Phase, example, given, seed, settings
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict
from werkzeug.routing import Rule

from tests import test_access_control as access
from tests.fuzz import values
from tests.fuzz import world as fuzz_world

SEED = int(os.environ.get("FUZZ_SEED", "20251012"))
GENERATED_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "4"))
SHALLOW_EXAMPLES = 1
VERBOSE = os.environ.get("FUZZ_VERBOSE") == "1"
# Public pages are walked deep as a guest and a buyer, shallow as the other roles.
PUBLIC_DEEP_ROLES = (fuzz_world.ANONYMOUS, access.BUYER)
# Signing out ends a session: those requests use an account made to leave.
SESSION_ENDING = {"accounts.logout", "accounts.sign_out_everywhere"}
MISSING = object()  # a form field left out of the body
JSON = "\x00json"  # fields holding only this name are sent as a JSON body instead
_RAISED = re.compile(r"^[a-z_.]*[A-Z]\w*(Error|Exception)\b")
_ARGUMENT = re.compile(r"<(?:([a-zA-Z_]+)(?:\([^)]*\))?:)?([a-zA-Z_]+)>")

# A request before it is sent: path, query string, form fields (None for GET).
Fields = tuple[tuple[str, Any], ...]
Request = tuple[str, str, Fields | None]


@dataclass
class Run:
    walk: fuzz_world.Walk
    sent: int = 0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # tracebacks the app logged


@dataclass
class Parts:
    """What a request to one rule is made of, each part with its good values."""

    rule: Rule
    method: str
    arguments: list[tuple[re.Match[str], fuzz_world.Field]]
    queries: list[fuzz_world.Field]
    forms: list[fuzz_world.PageForm]
    vocabulary: list[str]  # every field name of every form, for stray fields

    @classmethod
    def of(cls, walk: fuzz_world.Walk, rule: Rule, method: str) -> Parts:
        arguments = [
            (match, fuzz_world.Field(match.group(2), walk.path_values.get(match.group(2), [])))
            for match in _ARGUMENT.finditer(rule.rule)
        ]
        queries = list(walk.query_fields.get(rule.endpoint, {}).values())
        forms = walk.forms.get(rule.endpoint, []) if method != "GET" else []
        return cls(rule, method, arguments, queries, forms, walk.form_vocabulary)

    def path(self, texts: list[str]) -> str:
        path, position = "", 0
        for (match, _), text in zip(self.arguments, texts, strict=True):
            safe = "/" if match.group(1) == "path" else ""
            path += self.rule.rule[position : match.start()] + quote(text, safe=safe)
            position = match.end()
        return path + self.rule.rule[position:]


def plan(walk: fuzz_world.Walk) -> list[tuple[Rule, str, str, bool]]:
    """(rule, method, role, deep) for every route of the URL map and every role."""
    steps = []
    only = re.compile(os.environ.get("FUZZ_ONLY", ""))
    for rule in sorted(walk.app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if not only.search(rule.endpoint):
            continue
        deep = (
            {access.PROTECTED[rule.endpoint].allowed}
            if rule.endpoint in access.PROTECTED
            else set(PUBLIC_DEEP_ROLES)
        )
        for method in sorted((rule.methods or set()) - access.IGNORED_METHODS):
            for role in fuzz_world.ROLES:
                steps.append((rule, method, role, role in deep))
    return steps


def test_no_request_gives_a_server_error(app, session):
    run = Run(fuzz_world.build(app, session))
    steps = plan(run.walk)
    capture = _ErrorCapture(run.errors)
    app.logger.addHandler(capture)
    started = time.monotonic()
    try:
        with fuzz_world.rolled_back_after_each(run.walk) as one_route:
            for rule, method, role, deep in steps:
                with one_route():
                    begun, sent_before = time.monotonic(), run.sent
                    try:
                        _fuzz(run, Parts.of(run.walk, rule, method), role, deep)
                    except Exception as error:  # noqa: BLE001 - all routes walked, all reported
                        notes = "\n".join(getattr(error, "__notes__", []))
                        run.failures.append(
                            _short(f"{method} {rule.rule} as {role}: {error}\n{notes}")
                        )
                    if VERBOSE:
                        took, sent = time.monotonic() - begun, run.sent - sent_before
                        print(f"TIME {took:.2f} {sent} {method} {rule.rule} {role}")
    finally:
        app.logger.removeHandler(capture)
    elapsed = time.monotonic() - started
    print(
        f"\nfuzz: {run.sent} requests on {len(steps)} route/role pairs in {elapsed:.1f} s, "
        f"FUZZ_SEED={SEED}"
    )
    assert not run.failures, (
        f"{len(run.failures)} route/role pairs answered 5xx (FUZZ_SEED={SEED}; rerun one "
        f"with FUZZ_SEED={SEED} FUZZ_ONLY=<endpoint> pytest tests/fuzz -s):\n\n"
        + "\n\n".join(run.failures)
    )
    assert run.sent >= len(steps), "the walk sent fewer requests than it has routes"


def _fuzz(run: Run, parts: Parts, role: str, deep: bool) -> None:
    phases = [Phase.explicit, Phase.generate]
    if os.environ.get("FUZZ_SHRINK", "1") == "1":
        phases.append(Phase.shrink)

    @seed(SEED + zlib.crc32(f"{parts.rule.endpoint} {parts.method} {role}".encode()))
    @settings(
        max_examples=GENERATED_EXAMPLES if deep else SHALLOW_EXAMPLES,
        deadline=None,
        database=None,
        phases=phases,
        report_multiple_bugs=False,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(_requests(parts))
    def one_request(request: Request) -> None:
        _send(run, parts, role, request)

    if deep:
        for request in _sweep(parts):
            one_request = example(request)(one_request)
    one_request()


def _send(run: Run, parts: Parts, role: str, request: Request) -> None:
    walk = run.walk
    path, query, fields = request
    client, token = walk.clients[role], walk.tokens[role]
    if parts.rule.endpoint in SESSION_ENDING and role != fuzz_world.ANONYMOUS:
        client, token = fuzz_world.signed_in_throwaway(walk, role)
    if fields and fields[0][0] == JSON:  # a JSON body where a form is expected
        run.errors.clear()
        response = client.open(
            f"{path}?{query}",
            method=parts.method,
            json=fields[0][1],
            headers={"X-CSRFToken": token},
        )
        response.get_data()  # a streamed body left unread would end outside its context
        response.close()
        run.sent += 1
        assert response.status_code < 500, _describe(response.status_code, run.errors)
        return
    body = None
    if fields is not None:
        body = MultiDict(
            (name, value.for_request() if isinstance(value, values.Upload) else value)
            for name, value in fields
        )
        for name in [key for key in body if key.endswith("csrf_token")] or ["csrf_token"]:
            body.setlist(name, [token])  # valid: the views, not CSRF, must refuse
    run.errors.clear()
    response = client.open(f"{path}?{query}", method=parts.method, data=body)
    response.get_data()  # streamed bodies (CSV, PDF) fail while they are read
    response.close()
    run.sent += 1
    if VERBOSE:
        print(role, parts.method, path[:80], query[:80], response.status_code, fields)
    assert response.status_code < 500, _describe(response.status_code, run.errors)


def _sweep(parts: Parts) -> list[Request]:
    """One request per part and kind of trouble, everything else good: the sweep."""
    good_path = [argument.good_values()[0] for _, argument in parts.arguments]
    form = max(parts.forms, key=lambda f: len(f.fields), default=None)
    fields = list(form.fields.values()) if form else []
    good_fields: list[tuple[str, Any]] = [
        (f.name, values.GOOD_UPLOAD if f.is_file else f.good_values()[0]) for f in fields
    ]
    body = None if parts.method == "GET" else tuple(good_fields)
    requests: list[Request] = [(parts.path(good_path), "", body)]
    for i in range(len(parts.arguments)):
        for bad in values.representatives(good_path[i]):
            path = parts.path([bad if j == i else text for j, text in enumerate(good_path)])
            requests.append((path, "", body))
    for found in parts.queries:
        for bad in values.representatives(found.good_values()[0]):
            requests.append((parts.path(good_path), urlencode([(found.name, bad)]), body))
    for i, found in enumerate(fields):
        good = good_fields[i][1]
        bads = [MISSING] if found.is_file else [MISSING, *values.representatives(good)]
        for bad in bads:
            changed = [pair for j, pair in enumerate(good_fields) if j != i or bad is not MISSING]
            if bad is not MISSING:
                changed[i] = (found.name, bad)
            requests.append((parts.path(good_path), "", tuple(changed)))
    return requests


SPOIL_MODES = ["one", "some", "some", "all"]


@st.composite
def _spoiled(draw: st.DrawFn, count: int) -> list[bool]:
    """Which of `count` parts get a bad value: one, about a third, or all."""
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
def _requests(draw: st.DrawFn, parts: Parts) -> Request:
    """A generated request: parts good or spoiled, strays and raw bytes on top."""
    form = draw(st.sampled_from(parts.forms)) if parts.forms else None
    fields = list(form.fields.values()) if form else []
    spoil = draw(_spoiled(len(fields) + len(parts.queries) + len(parts.arguments)))
    body_spoil = spoil[: len(fields)]
    query_spoil = spoil[len(fields) : len(fields) + len(parts.queries)]
    path_spoil = spoil[len(fields) + len(parts.queries) :]

    texts = []
    for (_, argument), bad in zip(parts.arguments, path_spoil, strict=True):
        good = draw(st.sampled_from(argument.good_values()))
        texts.append(draw(values.spoiled(good)) if bad else good)

    pairs = []
    for found, bad in zip(parts.queries, query_spoil, strict=True):
        good = draw(st.sampled_from(found.good_values()))
        if bad:
            pairs.append((found.name, draw(values.spoiled(good))))
        elif draw(st.booleans()):
            pairs.append((found.name, good))
    for name in draw(st.lists(st.sampled_from(fuzz_world.KNOWN_QUERY), max_size=2)):
        pairs.append((name, draw(values.NASTY)))
    tail = draw(st.sampled_from(["", "", "", *values.RAW_QUERY_TAILS]))
    query = "&".join(part for part in (urlencode(pairs), tail) if part)
    if parts.method == "GET":
        return parts.path(texts), query, None

    if draw(st.integers(0, 9)) == 9:
        payload = st.one_of(
            st.dictionaries(st.sampled_from(parts.vocabulary), values.NASTY, max_size=4),
            st.lists(st.integers(), max_size=3),
            st.integers(),
            values.NASTY,
        )
        return parts.path(texts), query, ((JSON, draw(payload)),)
    body: list[tuple[str, Any]] = []
    for found, bad in zip(fields, body_spoil, strict=True):
        if found.is_file:
            body.append((found.name, draw(values.NASTY if bad else values.upload())))
            continue
        good = draw(st.sampled_from(found.good_values()))
        if not bad:
            body.append((found.name, good))
            continue
        how = draw(st.sampled_from(["bad", "bad", "bad", "drop", "twice"]))
        if how != "drop":
            body.append((found.name, draw(values.spoiled(good))))
        if how == "twice":
            body.append((found.name, good))
    for name in draw(st.lists(st.sampled_from(parts.vocabulary), max_size=2 if form else 6)):
        body.append((name, draw(st.one_of(values.NASTY, values.upload()))))  # a file for text
    return parts.path(texts), query, tuple(body)


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
        text = record.getMessage()
        if record.exc_info:
            text += "\n" + logging.Formatter().formatException(record.exc_info)
        self.sink.append(text)
