"""Public reads, no account: the catalogue, producers, provinces and wards, fairs, and
a trace code's public data.

Each answers from the same queries as the pages (catalog.queries, pricing, places), with
an ETag (304 when it still matches), a shared-cache lifetime, and CORS open to any
origin: these are the only CORS endpoints of the API.
"""

from __future__ import annotations

import hashlib
from datetime import date, datetime
from typing import Any

from flask import Response, abort, current_app, request, url_for
from flask_smorest import Blueprint
from itsdangerous import BadSignature, URLSafeSerializer

from storefront.api import auth, schemas
from storefront.api.problems import problem
from storefront.catalog import queries, stars
from storefront.catalog.card_rows import CardPhoto, CardProduct
from storefront.catalog.models import Producer, Product, ProductPhoto
from storefront.extensions import db
from storefront.fairs import queries as fair_queries
from storefront.fairs.models import Fair, FairState, as_utc
from storefront.places.services import (
    Province,
    alias_names,
    all_provinces,
    find_province,
    get_province,
    get_ward,
    province_by_slug,
    wards_of,
)
from storefront.pricing import PackPrice, PriceContext, price_variants
from storefront.shipping.delivery import estimate
from storefront.shipping.services import current_rates
from storefront.storage import media_url
from storefront.timeutil import today_in_vietnam, utcnow
from storefront.traceability import codes
from storefront.traceability import queries as trace_queries

bp = Blueprint(
    "api_public", __name__, url_prefix="/api/v1", description="Public catalogue, no account"
)
auth.api_blueprint_hooks(bp)
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, Accept-Language",
    "Access-Control-Expose-Headers": "ETag, RateLimit, RateLimit-Policy, Retry-After",
    "Access-Control-Max-Age": "600",
}


@bp.after_request
def public_headers(response: Response) -> Response:
    """CORS for any origin, and caching for 200s: ETag, 304, shared-cache lifetime."""
    response.headers.update(CORS_HEADERS)
    if response.status_code == 200 and request.method in ("GET", "HEAD"):
        seconds = max(0, current_app.config["CATALOG_CACHE_SECONDS"])
        response.headers["Cache-Control"] = f"public, max-age=0, s-maxage={seconds}"
        response.vary.add("Accept-Language")
        response.add_etag()
        response.make_conditional(request)
    return response


# -- shaping ------------------------------------------------------------------------------


def _place(province: Province | None) -> dict[str, Any] | None:
    if province is None:
        return None
    return {"code": province.code, "slug": province.slug, "name": province.name}


def _photo(photo: ProductPhoto | CardPhoto) -> dict[str, Any]:
    return {
        "url": media_url(photo.path, external=True),
        "thumbnail_url": media_url(photo.thumbnail, external=True),
        "alt": photo.alt,
        "width": photo.width,
        "height": photo.height,
    }


def _summary(product: Product | CardProduct, stars_now: int | None) -> dict[str, Any]:
    return {
        "slug": product.slug,
        "name": product.name,
        "name_en": product.name_en,
        "group": product.group_code,
        "stars": stars_now or None,
        "price_from_vnd": product.price_from,
        "producer": {"slug": product.producer.slug, "name": product.producer.name},
        "province": _place(get_province(product.producer.province_code)),
        "photo": _photo(product.photos[0]) if product.photos else None,
        "rating": {"average": product.rating_average, "count": product.rating_count},
        "url": url_for("catalog.product_detail", slug=product.slug, _external=True),
    }


def _stock_state(stock: int, threshold: int) -> str:
    if stock <= 0:
        return "out_of_stock"
    return "low_stock" if stock <= threshold else "in_stock"


# -- cursors ------------------------------------------------------------------------------


def _cursors() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="api-products-cursor")


def _fingerprint(filters: queries.CatalogFilters) -> str:
    args = sorted(filters.query_args().items()) + [("sort", filters.sort)]
    return hashlib.sha256(repr(args).encode()).hexdigest()[:16]


def cursor_for(filters: queries.CatalogFilters, page: int) -> str:
    """The opaque cursor of `page` of these filters (valid for the same filters only)."""
    return _cursors().dumps({"p": page, "f": _fingerprint(filters)})


def _page_of(cursor: str | None, filters: queries.CatalogFilters) -> int | None:
    """The page a cursor points at, for these same filters; None when it is not ours."""
    if not cursor:
        return 1
    try:
        data = _cursors().loads(cursor)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("f") != _fingerprint(filters):
        return None
    page = data.get("p")
    return page if isinstance(page, int) and 1 <= page <= queries.MAX_PAGE else None


# -- catalogue ----------------------------------------------------------------------------


@bp.route("/products")
@auth.rate_limited(auth.public_limit)
@bp.arguments(schemas.ProductQuery, location="query", as_kwargs=True)
@bp.response(200, schemas.ProductPage)
def products(**_: Any) -> Any:
    """Published products, with the filters, sort and search of /products.

    Pages follow `next_cursor` (an opaque token bound to the same filters)."""
    raw = {key: value for key, value in request.args.items() if key != "page"}
    filters = queries.parse_filters(raw)
    page = _page_of(request.args.get("cursor"), filters)
    if page is None:
        return problem(400, slug="invalid-cursor", field="cursor", detail=_bad_cursor())
    filters = queries.CatalogFilters(**{**filters.__dict__, "page": page})
    today = today_in_vietnam()
    stars.keep_current(current_app, db.session, today)
    per_page = current_app.config["PRODUCTS_PER_PAGE"]
    result = queries.search_catalog(db.session, filters, today, per_page)
    next_cursor = None
    if result.page < result.pages and result.page == page:
        next_cursor = cursor_for(filters, page + 1)
    return {
        "items": [_summary(card.product, card.stars) for card in result.cards],
        "total": result.total,
        "total_is_capped": result.total_is_capped,
        "next_cursor": next_cursor,
    }


def _bad_cursor() -> str:
    from flask_babel import gettext

    return str(gettext("Con trỏ trang không hợp lệ cho bộ lọc này; bắt đầu lại từ đầu."))


@bp.route("/products/<slug>")
@auth.rate_limited(auth.public_limit)
@bp.response(200, schemas.ProductDetail)
@bp.alt_response(404, schema=schemas.Problem, content_type="application/problem+json")
def product(slug: str) -> Any:
    """A product with its packs, prices now (fair prices while a fair is open), stock
    state, current certificate and stars, photos and buyers' rating."""
    found = queries.product_detail(db.session, slug)
    if found is None:
        abort(404)
    today = today_in_vietnam()
    prices = price_variants(db.session, found.variants, PriceContext(utcnow()))
    certificate = found.current_certificate(today)
    body = _summary(found, certificate.stars if certificate else None)
    body.update(
        description=found.description,
        description_en=found.description_en,
        packs=[
            _pack(variant.id, variant.sku, variant.label, variant.weight_grams, prices[variant.id])
            | {"stock_state": _stock_state(variant.stock, variant.low_stock_threshold)}
            for variant in found.variants
            if variant.is_active
        ],
        certificate=_certificate(certificate, today),
        photos=[_photo(photo) for photo in found.photos],
    )
    return body


def _pack(variant_id: int, sku: str, label: str, grams: int, price: PackPrice) -> dict[str, Any]:
    return {
        "id": variant_id,
        "sku": sku,
        "label": label,
        "weight_grams": grams,
        "price_vnd": price.unit_vnd,
        "retail_vnd": price.retail_vnd,
        "is_reduced": price.is_reduced,
        "discount_percent": price.discount_percent,
    }


def _certificate(certificate: Any, today: date) -> dict[str, Any] | None:
    if certificate is None:
        return None
    return {
        "stars": certificate.stars,
        "level": str(certificate.level),
        "decision_number": certificate.decision_number,
        "decision_date": certificate.decision_date,
        "issuing_body": certificate.issuing_body,
        "expires_on": certificate.expires_on,
    }


@bp.route("/producers/<slug>")
@auth.rate_limited(auth.public_limit)
@bp.response(200, schemas.ProducerDetail)
@bp.alt_response(404, schema=schemas.Problem, content_type="application/problem+json")
def producer(slug: str) -> Any:
    """A producer (chủ thể OCOP) and its published products."""
    found: Producer | None = queries.producer_detail(db.session, slug)
    if found is None:
        abort(404)
    ward = get_ward(found.ward_code)
    cards = queries.producer_products(db.session, found, today_in_vietnam())
    return {
        "slug": found.slug,
        "name": found.name,
        "kind": str(found.kind),
        "story": found.story,
        "province": _place(get_province(found.province_code)),
        "ward": {"code": ward.code, "slug": str(ward.code), "name": ward.name} if ward else None,
        "products": [_summary(card.product, card.stars) for card in cards],
        "url": url_for("catalog.producer_detail", slug=found.slug, _external=True),
    }


# -- places -------------------------------------------------------------------------------


def _province(province: Province) -> dict[str, Any]:
    return {
        **(_place(province) or {}),
        "kind": province.kind,
        "old_names": alias_names(province.code),
    }


@bp.route("/provinces")
@auth.rate_limited(auth.public_limit)
@bp.response(200, schemas.ProvinceList)
def provinces() -> Any:
    """The 34 provinces and cities since 1 July 2025, with the names they replaced."""
    return {"items": [_province(p) for p in all_provinces()]}


@bp.route("/provinces/<slug>/wards")
@auth.rate_limited(auth.public_limit)
@bp.response(200, schemas.WardList)
@bp.alt_response(404, schema=schemas.Problem, content_type="application/problem+json")
def wards(slug: str) -> Any:
    """A province's wards and communes (two levels since 2025: no districts)."""
    province = province_by_slug(slug)
    if province is None:
        abort(404)
    return {
        "province": _province(province),
        "items": [{"code": w.code, "name": w.name} for w in wards_of(province.code)],
    }


# -- fairs and traceability -----------------------------------------------------------------


def _fair(fair: Fair, now: datetime) -> dict[str, Any]:
    return {
        "slug": fair.slug,
        "name": fair.name,
        "venue": fair.venue,
        "province": _place(get_province(fair.province_code)),
        "starts_on": fair.starts_on,
        "ends_on": fair.ends_on,
        "opens_at": as_utc(fair.opens_at),
        "closes_at": as_utc(fair.closes_at),
        "phase": fair.phase(now),
        "url": url_for("fairs.detail", slug=fair.slug, _external=True),
    }


@bp.route("/fairs")
@auth.rate_limited(auth.public_limit)
@bp.response(200, schemas.FairList)
def fairs() -> Any:
    """Published fairs: open now, upcoming, and past (most recent first)."""
    now = utcnow()
    lists = fair_queries.public_fairs(db.session, now)
    return {
        "current": [_fair(f, now) for f in lists.current],
        "upcoming": [_fair(f, now) for f in lists.upcoming],
        "past": [_fair(f, now) for f in lists.past],
    }


@bp.route("/fairs/<slug>")
@auth.rate_limited(auth.public_limit)
@bp.response(200, schemas.FairDetail)
@bp.alt_response(404, schema=schemas.Problem, content_type="application/problem+json")
def fair(slug: str) -> Any:
    """A fair with its exhibitors and featured packs, at the fair price while it is open
    (the fair page's query and storefront.pricing's PackPrice)."""
    found = fair_queries.fair_by_slug(db.session, slug)
    if found is None or found.state == FairState.DRAFT:
        abort(404)
    now = utcnow()
    page = fair_queries.fair_page(db.session, found, now, today_in_vietnam())
    return {
        **_fair(found, now),
        "description": found.description,
        "is_open": page.is_open,
        "featured": [
            {
                "product": _summary(item.card.product, item.card.stars),
                "pack": _pack(
                    item.variant.id,
                    item.variant.sku,
                    item.variant.label,
                    item.variant.weight_grams,
                    item.price,
                ),
            }
            for item in page.featured
        ],
        "exhibitors": [
            {"slug": booth.exhibitor.producer.slug, "name": booth.exhibitor.producer.name}
            for booth in page.booths
        ],
    }


@bp.route("/trace/<code>")
@auth.rate_limited(auth.public_limit)
@bp.response(200, schemas.Trace)
@bp.alt_response(404, schema=schemas.Problem, content_type="application/problem+json")
def trace(code: str) -> Any:
    """A batch's public traceability data: what the trace page /t/<code> shows (reading
    it here is not counted as a scan of the stamp)."""
    parsed = codes.parse(code)
    if parsed.status is not codes.CodeStatus.VALID:
        abort(404)
    today = today_in_vietnam()
    page = trace_queries.trace_page(db.session, parsed.code, today)
    if page is None:
        abort(404)
    batch = page.batch
    state = page.certificate_state
    return {
        "code": page.code,
        "product": {"slug": batch.product.slug, "name": batch.product.name},
        "pack_label": batch.variant.label,
        "producer": {"slug": batch.producer.slug, "name": batch.producer.name},
        "producer_address": batch.producer.address,
        "producer_province": _place(page.producer_province),
        "produced_on": batch.produced_on,
        "expires_on": batch.expires_on,
        "place_province": _place(page.place_province),
        "certificate": _certificate(page.certificate, today),
        "certificate_state": state.value if state else None,
        "steps": [
            {
                "kind": str(step.kind),
                "happened_on": step.happened_on,
                "place": step.place,
                "note": step.note,
            }
            for step in batch.steps
        ],
    }


@bp.route("/products/<slug>/delivery")
@auth.rate_limited(auth.public_limit)
@bp.arguments(schemas.DeliveryQuery, location="query")
@bp.response(200, schemas.DeliveryQuote)
@bp.alt_response(404, schema=schemas.Problem, content_type="application/problem+json")
def delivery(query: dict[str, Any], slug: str) -> Any:
    """The shipping fee and delivery window of each pack (`quantity` of it in one parcel)
    to a province: the product page's delivery box (shipping.delivery.estimate)."""
    found = queries.product_detail(db.session, slug)
    if found is None:
        abort(404)
    destination = find_province(query["province"].strip()[:80])
    if destination is None:
        return problem(422, detail=_unknown_province(), field="province")
    rates = current_rates(db.session)
    quantity = query["quantity"]
    packs = []
    how_far = ""
    for variant in found.variants:
        if not variant.is_active:
            continue
        grams = variant.weight_grams * quantity
        quote = estimate(rates, found.producer.province_code, destination.code, grams)
        how_far = str(quote.distance)
        packs.append(
            {
                "pack_id": variant.id,
                "weight_grams": grams,
                "fee_vnd": quote.fee_vnd,
                "days_min": quote.days[0],
                "days_max": quote.days[1],
            }
        )
    return {
        "province": _place(destination),
        "distance": how_far,
        "quantity": quantity,
        "packs": packs,
    }


def _unknown_province() -> str:
    from flask_babel import gettext

    return str(gettext("Không có tỉnh, thành phố này trong 34 tỉnh, thành từ 1/7/2025."))
