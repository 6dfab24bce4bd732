"""What search engines and link previews read: schema.org JSON-LD for products, producers,
fairs and the home page, breadcrumbs, canonical and language URLs.

Everything here is built from rows the page has already loaded: no query of its own.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from flask import current_app, request
from flask_babel import gettext
from markupsafe import Markup

from storefront.catalog.groups import GROUPS_BY_CODE
from storefront.catalog.models import Producer, Product
from storefront.fairs.models import Fair
from storefront.places.services import Province, Ward
from storefront.pricing.services import PackPrice
from storefront.timeutil import VIETNAM_TZ

SCHEMA = "https://schema.org"
SITE_NAME = "OCOP Storefront"
# Arguments that make another page of the listing worth indexing on its own.
LISTING_ARGS = ("group", "province", "stars", "page")
_CANONICAL = "storefront.canonical_args"


def absolute_url(path: str) -> str:
    """`path` on the shop's public address (PUBLIC_BASE_URL), as shared links need; an
    address already absolute (media in an object store) is kept."""
    if "://" in path:
        return path
    return current_app.config["PUBLIC_BASE_URL"] + path


def canonical_url(language: str | None = None) -> str:
    """The page's one address: its path, with only the listing arguments that make a
    distinct page (never sorting, prices or review filters), and `lang=en` for the
    English version. `language` asks for that language's version instead."""
    # Worked out once per request (kept in its WSGI environ): every page's head asks for
    # it five times.
    held: tuple[dict[str, str], str] | None = request.environ.get(_CANONICAL)
    if held is None:
        held = request.environ[_CANONICAL] = (_distinct_args(), request.args.get("lang", ""))
    args, asked = dict(held[0]), held[1]
    language = language or ("en" if asked == "en" else "vi")
    if language == "en":
        args["lang"] = "en"
    query = "&".join(f"{k}={_quote(v)}" for k, v in args.items())
    return absolute_url(request.path + (f"?{query}" if query else ""))


def _distinct_args() -> dict[str, str]:
    """The request's listing arguments that make a page of its own."""
    if request.endpoint != "catalog.product_list":
        return {}
    given = request.args
    args = {k: given[k][:80] for k in LISTING_ARGS if k in given and given[k]}
    if args.get("page") == "1":
        args.pop("page")
    return args


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")


def as_script(data: Mapping[str, Any] | Sequence[Mapping[str, Any]]) -> Markup:
    """A JSON-LD script element; `<`, `>` and `&` are escaped so no text can end it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(f'<script type="application/ld+json">{text}</script>')  # noqa: S704


def breadcrumbs(items: Sequence[tuple[str, str]]) -> dict[str, Any]:
    """A BreadcrumbList of (name, path) from the home page down."""
    return {
        "@context": SCHEMA,
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": n, "name": name, "item": absolute_url(path)}
            for n, (name, path) in enumerate(items, start=1)
        ],
    }


def _address(street: str, ward: Ward | None, province: Province | None) -> dict[str, Any]:
    address: dict[str, Any] = {
        "@type": "PostalAddress",
        "streetAddress": street,
        "addressCountry": "VN",
    }
    if ward:
        address["addressLocality"] = ward.name
    if province:
        address["addressRegion"] = province.name
    return address


def producer_node(
    producer: Producer, province: Province | None = None, ward: Ward | None = None
) -> dict[str, Any]:
    """The producer as an Organization (a LocalBusiness, with its address when given)."""
    node: dict[str, Any] = {
        "@type": "Organization" if province is None else "LocalBusiness",
        "name": producer.name,
        "url": absolute_url(f"/producers/{producer.slug}"),
    }
    if province is not None:
        node["address"] = _address(producer.address, ward, province)
        node["telephone"] = producer.phone
        if producer.logo_path:
            node["image"] = absolute_url(f"/media/{producer.logo_path}")
            node["logo"] = node["image"]
    return node


def product_data(
    product: Product,
    prices: Mapping[int, PackPrice],
    images: Sequence[str],
) -> list[dict[str, Any]]:
    """Product (with an Offer per pack on sale, in VND, availability from stock; the
    buyers' AggregateRating when there are reviews; the producer as brand) and its
    breadcrumbs."""
    url = absolute_url(f"/products/{product.slug}")
    offers = [
        {
            "@type": "Offer",
            "name": variant.label,
            "sku": variant.sku,
            "price": str(prices[variant.id].unit_vnd),
            "priceCurrency": "VND",
            "availability": f"{SCHEMA}/{'InStock' if variant.stock > 0 else 'OutOfStock'}",
            "itemCondition": f"{SCHEMA}/NewCondition",
            "url": url,
        }
        for variant in product.variants
        if variant.is_active and variant.id in prices
    ]
    node: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Product",
        "@id": f"{url}#product",
        "name": product.name,
        "description": (product.description or product.name)[:5000],
        "url": url,
        "brand": producer_node(product.producer),
        "manufacturer": producer_node(product.producer),
    }
    if images:
        node["image"] = list(images)
    if product.variants:
        node["sku"] = product.variants[0].sku
    if offers:
        node["offers"] = offers
    if product.rating_count:
        node["aggregateRating"] = {
            "@type": "AggregateRating",
            "ratingValue": f"{product.rating_sum / product.rating_count:.1f}",
            "reviewCount": product.rating_count,
            "bestRating": 5,
            "worstRating": 1,
        }
    group = GROUPS_BY_CODE.get(product.group_code)
    trail = [(gettext("Trang chủ"), "/")]
    if group is not None:
        trail.append((gettext(group.name), f"/products?group={group.code}"))
    trail.append((product.name, f"/products/{product.slug}"))
    return [node, breadcrumbs(trail)]


def producer_data(
    producer: Producer, province: Province | None, ward: Ward | None
) -> list[dict[str, Any]]:
    node = {"@context": SCHEMA, **producer_node(producer, province, ward)}
    if province is None:  # still a place of business: say so with what is known
        node["@type"] = "LocalBusiness"
        node["address"] = _address(producer.address, ward, None)
    trail = [(gettext("Trang chủ"), "/"), (producer.name, f"/producers/{producer.slug}")]
    return [node, breadcrumbs(trail)]


def _vietnam_time(moment: datetime) -> str:
    if moment.tzinfo is None:  # SQLite gives back UTC without its zone
        from datetime import UTC

        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(VIETNAM_TZ).isoformat()


def fair_data(fair: Fair, province: Province | None) -> list[dict[str, Any]]:
    """The fair as an online Event, dates in Vietnam time, with its breadcrumbs."""
    url = absolute_url(f"/fairs/{fair.slug}")
    node: dict[str, Any] = {
        "@context": SCHEMA,
        "@type": "Event",
        "name": fair.name,
        "description": (fair.description or fair.name)[:5000],
        "url": url,
        "startDate": _vietnam_time(fair.opens_at),
        "endDate": _vietnam_time(fair.closes_at),
        "eventAttendanceMode": f"{SCHEMA}/OnlineEventAttendanceMode",
        "eventStatus": f"{SCHEMA}/EventScheduled",
        "location": {"@type": "VirtualLocation", "url": url},
        "organizer": {"@type": "Organization", "name": SITE_NAME, "url": absolute_url("/")},
    }
    if fair.banner_path:
        node["image"] = [absolute_url(f"/media/{fair.banner_path}")]
    trail = [
        (gettext("Trang chủ"), "/"),
        (gettext("Hội chợ"), "/fairs"),
        (fair.name, f"/fairs/{fair.slug}"),
    ]
    return [node, breadcrumbs(trail)]


def home_data() -> list[dict[str, Any]]:
    """The shop as an Organization, and a WebSite whose search takes a query."""
    home = absolute_url("/")
    return [
        {
            "@context": SCHEMA,
            "@type": "Organization",
            "name": SITE_NAME,
            "url": home,
            "logo": absolute_url("/static/img/favicon.svg"),
        },
        {
            "@context": SCHEMA,
            "@type": "WebSite",
            "name": SITE_NAME,
            "url": home,
            "inLanguage": ["vi", "en"],
            "potentialAction": {
                "@type": "SearchAction",
                "target": absolute_url("/products?q={search_term_string}"),
                "query-input": "required name=search_term_string",
            },
        },
    ]
