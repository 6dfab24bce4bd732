"""Public catalogue pages: home, listing and search, product and producer pages."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import get_locale
from markupsafe import Markup

from storefront.catalog import home_chips, queries, stars
from storefront.catalog.cache import cached_fragment
from storefront.catalog.http_cache import cache_catalogue_page
from storefront.catalog.models import Product
from storefront.catalog.product_page import load_product_page
from storefront.extensions import db
from storefront.places.services import get_province, get_ward
from storefront.pricing import price_variants
from storefront.pricing.web import visitor_price_context
from storefront.timeutil import today_in_vietnam, utcnow

bp = Blueprint("catalog", __name__)
bp.after_request(cache_catalogue_page)  # public caching for anonymous visitors

HOME_PRODUCTS = 12
BEST_SELLERS = 8
BEST_SELLER_DAYS = 30  # "Bán chạy": units sold over this many days
# Sections other domains add to the home page, by name: (locale, today, now) -> HTML.
# fairs.init_app adds "fair_banner" (the fair open now, leading the page) and "fairs"
# (featured products), so the catalogue never imports the fairs.
HOME_SECTIONS: dict[str, Callable[[str, date, datetime], Markup]] = {}
# Boxes other domains add to the product page, by name: (product) -> HTML. shipping adds
# "delivery" (the fee and estimated delivery window to the buyer's province). A box with a
# fact of the same name (product_page.PRODUCT_FACTS) is left out when the fact is false.
PRODUCT_SECTIONS: dict[str, Callable[[Product], Markup]] = {}


@bp.get("/")
def home() -> ResponseReturnValue:
    today = today_in_vietnam()
    locale = str(get_locale())

    def render() -> str:
        selling = frozenset(queries.provinces_with_producers(db.session))
        listing = url_for("catalog.product_list")
        since = utcnow() - timedelta(days=BEST_SELLER_DAYS)
        shelves = queries.home_shelves(db.session, today, since, HOME_PRODUCTS, BEST_SELLERS)
        return render_template(
            "catalog/_home.html",
            listing=listing,
            newest=shelves.newest,
            best_sellers=shelves.best_sellers,
            best_seller_days=BEST_SELLER_DAYS,
            group_chips=home_chips.group_chips(locale, listing),
            province_chips=home_chips.province_chips(listing, selling),
        )

    # Cached until the catalogue changes, and for the hour at most: orders take stock with
    # bulk statements, which leave the catalogue's version alone, so "Bán chạy" follows
    # sales within the hour.
    hour = utcnow().strftime("%Y%m%d%H")
    home_html = cached_fragment("home", (locale, hour), today, render)
    sections = {
        name: render_section(locale, today, utcnow())
        for name, render_section in HOME_SECTIONS.items()
    }
    return render_template("catalog/home.html", home=home_html, sections=sections)


@bp.get("/products")
def product_list() -> ResponseReturnValue:
    filters = queries.parse_filters(request.args)
    today = today_in_vietnam()
    per_page = current_app.config["PRODUCTS_PER_PAGE"]
    stars.keep_current(current_app, db.session, today)  # expired certificates stop counting

    def render() -> str:
        page = queries.search_catalog(db.session, filters, today, per_page)
        return render_template(
            "catalog/_listing.html",
            result=page,
            filters=page.filters,
            sorts=queries.SORTS,
        )

    key = (str(get_locale()), filters, per_page)
    listing_html = cached_fragment("listing", key, today, render)
    return render_template("catalog/list.html", filters=filters, listing=listing_html)


@bp.get("/products/<slug>")
def product_detail(slug: str) -> ResponseReturnValue:
    # The price each pack costs this buyer now: the one function the cart, checkout and
    # the order use too (an open fair may sell some packs for less).
    pricing = visitor_price_context()
    page = load_product_page(db.session, slug, pricing.now)
    if page is None:
        abort(404)
    product, skip = page.product, page.nothing_for
    today = today_in_vietnam()
    return render_template(
        "catalog/product.html",
        product=product,
        prices=price_variants(db.session, product.variants, pricing, skip=skip),
        producer=product.producer,
        certificate=product.current_certificate(today),
        expired_certificates=[
            c for c in product.certificates if c.status == "verified" and c.expires_on < today
        ],
        province=get_province(product.producer.province_code),
        ward=get_ward(product.producer.ward_code),
        sections={
            name: Markup("") if name in skip else render(product)
            for name, render in PRODUCT_SECTIONS.items()
        },
    )


@bp.get("/producers/<slug>")
def producer_detail(slug: str) -> ResponseReturnValue:
    producer = queries.producer_detail(db.session, slug)
    if producer is None:
        abort(404)
    return render_template(
        "catalog/producer.html",
        producer=producer,
        cards=queries.producer_products(db.session, producer, today_in_vietnam()),
        province=get_province(producer.province_code),
        ward=get_ward(producer.ward_code),
    )
