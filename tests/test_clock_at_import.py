"""Nothing reads the clock when its module is imported. A day read at import is stale
by the time it is used: a test suite that starts before midnight in Vietnam (17:00 UTC)
and reaches a test after it compared yesterday's date, kept from collection, with the
services' today, and CI failed on 86 offtake tests. A server process lives for days.
Read from the source with `ast`: a call at module level, outside every function and
class body, to anything that tells the time."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CLOCKS = {"today_in_vietnam", "today", "utcnow", "now", "time", "monotonic"}


def _calls_at_import(tree: ast.Module) -> list[tuple[int, str]]:
    """(line, name) of each clock call that runs when the module is imported."""
    found: list[tuple[int, str]] = []
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            # Decorators and default values run at import; the body does not.
            pending.extend(node.decorator_list if not isinstance(node, ast.Lambda) else [])
            pending.extend(node.args.defaults + [d for d in node.args.kw_defaults if d])
            continue
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in CLOCKS:
                found.append((node.lineno, name))
        pending.extend(ast.iter_child_nodes(node))
    return found


SOURCES = sorted(
    path
    for folder in ("storefront", "tests", "bench")
    for path in (ROOT / folder).rglob("*.py")
    if "migrations" not in path.parts
)


@pytest.mark.parametrize("path", SOURCES, ids=lambda path: str(path.relative_to(ROOT)))
def test_no_module_reads_the_clock_when_imported(path: Path) -> None:
    calls = _calls_at_import(ast.parse(path.read_text(encoding="utf-8")))
    assert calls == [], f"{path.relative_to(ROOT)} reads the clock at import: {calls}"


def test_the_walk_finds_a_day_kept_at_import() -> None:
    source = "TODAY = today_in_vietnam()\ndef f(day=date.today()):\n    return utcnow()\n"
    assert sorted(_calls_at_import(ast.parse(source))) == [
        (1, "today_in_vietnam"),
        (2, "today"),
    ]
