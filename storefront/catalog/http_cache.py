"""HTTP caching of the public catalogue pages, for browsers, nginx and CDNs in front.

A visitor who has no cookie but the language one gets the same home, listing and
producer pages as every other such visitor of that language, so those responses carry
an ETag (answered with 304 Not Modified when it still matches), `Cache-Control: public`
with a shared-cache lifetime of CATALOG_CACHE_SECONDS (`s-maxage`; browsers revalidate
every time, `max-age=0`), and `Vary: Cookie`, the language being the `lang` cookie.
Anything personal — a session or sign-in cookie in the request, a cookie set by the
response (the product page's cart form puts a CSRF token in the session) — makes the
response `private, no-cache` instead, so no shared cache ever keeps it.
"""

from __future__ import annotations

from flask import Response, current_app, request, session

from storefront.i18n import LANGUAGE_COOKIE

# Cookies that do not make a page personal.
_IMPERSONAL_COOKIES = frozenset({LANGUAGE_COOKIE})


def _is_public() -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if set(request.cookies) - _IMPERSONAL_COOKIES:
        return False
    return not session  # the view put nothing in the session: no cookie will be set


def cache_catalogue_page(response: Response) -> Response:
    """After-request hook for the catalogue blueprint: public caching headers and a 304
    for anonymous visitors, `private, no-cache` for everyone else."""
    if response.status_code != 200 or response.direct_passthrough:
        return response
    if not _is_public() or response.headers.get("Set-Cookie"):
        response.headers["Cache-Control"] = "private, no-cache"
        return response
    seconds = max(0, current_app.config["CATALOG_CACHE_SECONDS"])
    response.headers["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
    response.vary.add("Cookie")
    response.add_etag()
    response.make_conditional(request)  # a 304 with no body when the ETag still matches
    return response
