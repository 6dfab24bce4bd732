"""The listing form's long option lists (34 provinces, the product groups), made once
per language and process.

Rendered by a Jinja loop they cost some 200 escapes, translations and attribute
lookups on every listing and search page; their markup only changes with the
language, and the chosen option is marked by a string replacement.
"""

from __future__ import annotations

from functools import lru_cache

from flask_babel import get_locale, gettext
from markupsafe import Markup, escape

from storefront.catalog.groups import PRODUCT_GROUPS
from storefront.places.services import all_provinces


@lru_cache(maxsize=8)
def _group_options(locale: str) -> str:
    del locale  # the cache key: gettext reads the locale in force itself
    return "".join(
        f'<option value="{escape(group.code)}">{_translated(group.name)}</option>'
        for group in PRODUCT_GROUPS
    )


@lru_cache(maxsize=1)
def _province_options() -> str:
    return "".join(
        f'<option value="{escape(province.slug)}">{escape(province.short_name)}</option>'
        for province in all_provinces()
    )


def _translated(message: str) -> Markup:
    """As a template's `_(message)` renders it: the translation, marked safe."""
    return Markup(gettext(message))  # noqa: S704 - our own message catalogue


def _choose(options: str, value: str | None) -> Markup:
    html = options
    if value:
        chosen = f'<option value="{escape(value)}">'
        html = html.replace(chosen, chosen[:-1] + " selected>", 1)
    return Markup(html)  # noqa: S704 - escaped when made


def group_options(selected: str | None) -> Markup:
    """<option>s of every product group, in the page's language, `selected` chosen."""
    return _choose(_group_options(str(get_locale() or "vi")), selected)


def province_options(selected: str | None) -> Markup:
    """<option>s of the 34 provinces by slug, `selected` chosen (names stay Vietnamese)."""
    return _choose(_province_options(), selected)
