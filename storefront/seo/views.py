"""`/robots.txt`, the sitemaps (`/sitemap.xml`, an index of `/sitemaps/<kind>-<n>.xml`)
and the product feed for marketplaces and ads (`/feeds/products.xml`)."""

from __future__ import annotations

from flask import Blueprint, Response, abort, current_app, request, stream_with_context, url_for
from flask.typing import ResponseReturnValue

from storefront.extensions import db
from storefront.numbers import whole_number
from storefront.seo import feeds, sitemaps
from storefront.timeutil import today_in_vietnam, utcnow

bp = Blueprint("seo", __name__)

# Personal and back-office areas: nothing there for a search engine.
DISALLOWED = ("/account", "/cart", "/checkout", "/orders", "/admin", "/producer/", "/reviews/")
XML = "application/xml; charset=utf-8"


@bp.get("/robots.txt")
def robots() -> ResponseReturnValue:
    base = current_app.config["PUBLIC_BASE_URL"]
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "Allow: /"]
    lines += ["", f"Sitemap: {base}/sitemap.xml", ""]
    return Response("\n".join(lines), mimetype="text/plain")


@bp.get("/sitemap.xml")
def sitemap_index() -> ResponseReturnValue:
    counts = sitemaps.chunk_counts(db.session, today_in_vietnam())
    body = "".join(sitemaps.index_xml(current_app.config["PUBLIC_BASE_URL"], counts))
    return Response(body, content_type=XML, headers={"Cache-Control": "public, max-age=3600"})


@bp.get("/sitemaps/<chunk>.xml")
def sitemap_chunk(chunk: str) -> ResponseReturnValue:
    """One chunk of the index, such as /sitemaps/products-2.xml."""
    kind, _, digits = chunk.rpartition("-")
    number = whole_number(digits, 1, 10_000)
    if kind not in sitemaps.KINDS or number is None:
        abort(404)
    base, today = current_app.config["PUBLIC_BASE_URL"], today_in_vietnam()
    body = sitemaps.chunk_xml(db.session, base, kind, number, today)
    return Response(
        stream_with_context(body),
        content_type=XML,
        headers={"Cache-Control": "public, max-age=3600"},
    )


@bp.get("/feeds/products.xml")
def product_feed() -> ResponseReturnValue:
    """Every pack in stock, in the Google Merchant format (Facebook catalogs read it too).

    Streamed batch by batch (storefront.seo.feeds). Links are on PUBLIC_BASE_URL, or on
    the host asked when that is not set. No ETag: stock and fair prices change without
    the catalogue version moving, and an honest ETag would cost the whole feed; a
    quarter of an hour in shared caches is what the merchant centres need (they fetch
    it daily)."""
    base = current_app.config.get("PUBLIC_BASE_URL") or request.host_url.rstrip("/")
    body = feeds.feed_xml(
        db.session,
        base,
        utcnow(),
        lambda slug: url_for("catalog.product_detail", slug=slug),
        lambda path: url_for("site.media", filename=path),
    )
    return Response(
        stream_with_context(body),
        content_type=XML,
        headers={"Cache-Control": "public, max-age=900"},
    )
