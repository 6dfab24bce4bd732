"""The request boundary: what a visitor sends is made safe once, before any view reads it.

- Every form and query value (and key) loses NUL and the other control characters;
  tabs and line breaks stay. Views, forms and services never see them, so PostgreSQL
  never refuses a string ("text fields cannot contain NUL") and nothing is patched per
  view. Uploaded files keep their bytes; their own checks (storefront/media.py) apply.
- `<id:name>` in a route takes ASCII digits within PostgreSQL's integer range: "²",
  "١٢", "-1" or 2147483648 match no route and answer 404 before the view runs.
- Every other URL part (`<slug>`, `<number>`, `<code>`, `<path:...>`) refuses control
  characters and absurd lengths the same way.

tests/site/test_inputs.py walks the URL map: a route argument is either an `id` or
listed there with the reason it is text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from flask import Flask, Request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import BaseConverter, ValidationError

from storefront.numbers import row_id
from storefront.text import strip_controls

MAX_TEXT_PART = 300  # characters in one URL part: slugs are at most 160, tokens about 100


class CleanMultiDict(ImmutableMultiDict[str, Any]):
    """Form or query values with control characters dropped from every key and value."""

    def __init__(self, mapping: Any = None) -> None:
        super().__init__([(_clean(key), _clean(value)) for key, value in _pairs(mapping)])


def _clean(value: Any) -> Any:
    return strip_controls(value) if isinstance(value, str) else value


def _pairs(mapping: Any) -> Iterable[tuple[Any, Any]]:
    if mapping is None:
        return []
    if isinstance(mapping, MultiDict):
        return list(mapping.items(multi=True))
    if isinstance(mapping, Mapping):
        return [
            (key, item)
            for key, value in mapping.items()
            for item in (value if isinstance(value, list | tuple) else [value])
        ]
    return list(mapping)


class ShopRequest(Request):
    """Flask's request with cleaned `args`, `form` and `values` (and `files`' keys)."""

    parameter_storage_class = CleanMultiDict


class IdConverter(BaseConverter):
    """A row id: 1 to 2³¹ - 1 in ASCII digits. Anything else matches no route (404)."""

    regex = r"[0-9]+"
    weight = 50  # as Werkzeug's int: tried before text parts in the same place

    def to_python(self, value: str) -> int:
        number = row_id(value)
        if number is None:
            raise ValidationError()
        return number

    def to_url(self, value: Any) -> str:
        return str(int(value))


class TextConverter(BaseConverter):
    """A slug, an order number, a code or a token: text without control characters."""

    regex = f"[^/\\x00-\\x1f\\x7f-\\x9f]{{1,{MAX_TEXT_PART}}}"
    part_isolating = True  # one part between slashes (the "/" above is in "[^/...]")


class FilePathConverter(BaseConverter):
    """A relative file path (media): Werkzeug's `path` without control characters."""

    regex = "[^/\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*?"
    part_isolating = False
    weight = 200


SAFE_CONVERTERS = (IdConverter, TextConverter, FilePathConverter)


def register(app: Flask) -> None:
    """Install the converters and the request class; before any blueprint adds a rule,
    since a rule takes its converters when it is added."""
    app.url_map.converters.update(
        id=IdConverter, default=TextConverter, string=TextConverter, path=FilePathConverter
    )
    app.request_class = ShopRequest
