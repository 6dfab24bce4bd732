"""Every link on every page of every role goes somewhere: a link rendered from a
template variable that was never set (an empty `href`) is caught here, whichever page
it is on (the home page's "Xem tất cả sản phẩm" was one, for a few commits)."""

from __future__ import annotations

import re

from tests.page_walk import walk

EMPTY_LINK = re.compile(r'<a\b[^>]*\shref=""', re.I)


def test_no_page_of_any_role_has_a_link_to_nowhere(app, session):
    _, _, pages = walk(app, session)
    empty = [
        f"{url} as {role}: {match}"
        for role, found in pages.items()
        for url, html in found.items()
        for match in EMPTY_LINK.findall(html)
    ]
    assert pages and not empty, empty
