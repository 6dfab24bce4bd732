"""Public catalogue pages: home, listing and search, product and producer pages."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request
from flask.typing import ResponseReturnValue

from storefront.catalog import queries
from storefront.catalog.groups import PRODUCT_GROUPS
from storefront.extensions import db
from storefront.places.services import all_provinces, get_province, get_ward
from storefront.timeutil import today_in_vietnam

bp = Blueprint("catalog", __name__)

HOME_PRODUCTS = 12


@bp.get("/")
def home() -> ResponseReturnValue:
    today = today_in_vietnam()
    selling = set(queries.provinces_with_producers(db.session))
    return render_template(
        "catalog/home.html",
        newest=queries.newest_certified(db.session, today, HOME_PRODUCTS),
        groups=PRODUCT_GROUPS,
        provinces=[p for p in all_provinces() if p.code in selling],
    )


@bp.get("/products")
def product_list() -> ResponseReturnValue:
    filters = queries.parse_filters(request.args)
    page = queries.search_catalog(
        db.session, filters, today_in_vietnam(), current_app.config["PRODUCTS_PER_PAGE"]
    )
    return render_template(
        "catalog/list.html",
        result=page,
        filters=page.filters,
        groups=PRODUCT_GROUPS,
        provinces=all_provinces(),
        sorts=queries.SORTS,
    )


@bp.get("/products/<slug>")
def product_detail(slug: str) -> ResponseReturnValue:
    product = queries.product_detail(db.session, slug)
    if product is None:
        abort(404)
    today = today_in_vietnam()
    return render_template(
        "catalog/product.html",
        product=product,
        producer=product.producer,
        certificate=product.current_certificate(today),
        expired_certificates=[
            c for c in product.certificates if c.status == "verified" and c.expires_on < today
        ],
        province=get_province(product.producer.province_code),
        ward=get_ward(product.producer.ward_code),
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
