"""The product page's rating bars draw without an inline style attribute, which the
Content-Security-Policy (style-src 'self') blocks: the bars would stay empty and the
browser logs an error on every product page with reviews."""

from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_no_template_carries_an_inline_style_attribute():
    found = [
        f"{path.relative_to(TEMPLATES)}:{n}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"""\sstyle\s*=\s*["']""", line)
    ]
    assert found == []
