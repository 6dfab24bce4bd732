"""The home page's two lists of links into the listing: by product group, by province.

Rendered in Jinja they cost 0.13 ms of a cold home page (some forty links, each through
`urlencode`, `escape` and, for a group's name, a gettext call). They change only with
the language, the listing's address and the set of provinces where producers sell, so
each list is made once per such combination and kept.
"""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

from flask_babel import gettext
from markupsafe import Markup, escape

from storefront.catalog.groups import PRODUCT_GROUPS
from storefront.places.services import all_provinces


@lru_cache(maxsize=16)
def group_chips(locale: str, listing: str) -> Markup:
    """`<li>` links to the listing of each product group, names in `locale` (the cache
    key: gettext reads the locale in force itself)."""
    del locale
    return Markup("").join(
        _chip(f"{listing}?group={quote(group.code)}", gettext(group.name))
        for group in PRODUCT_GROUPS
    )


@lru_cache(maxsize=64)
def province_chips(listing: str, selling: frozenset[int]) -> Markup:
    """`<li>` links to the listing of each province in `selling`, in the provinces'
    order; the names are Vietnamese in every language (hence `lang="vi"`)."""
    return Markup("").join(
        _chip(f"{listing}?province={quote(province.slug)}", province.short_name, lang="vi")
        for province in all_provinces()
        if province.code in selling
    )


def _chip(href: str, text: str, lang: str | None = None) -> Markup:
    lang_attribute = f' lang="{lang}"' if lang else ""
    return Markup(f'<li><a href="{escape(href)}"{lang_attribute}>{escape(text)}</a></li>')  # noqa: S704 - escaped
