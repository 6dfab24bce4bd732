"""The product page's delivery box: the fee and the estimated delivery window to the
buyer's province, from the province picked on the page (a GET form, `?province=`) or the
signed-in buyer's default saved address. Registered into the catalogue's product page by
shipping.init_app, so the catalogue never imports shipping."""

from __future__ import annotations

from functools import cache

from flask import render_template, request
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import select

from storefront.accounts.models import Address
from storefront.catalog.models import Product, Variant
from storefront.extensions import db
from storefront.places import Province, all_provinces, find_province, get_province
from storefront.shipping.delivery import estimate
from storefront.shipping.services import current_rates


def _saved_province() -> Province | None:
    """The province of the signed-in buyer's default address (else their first), if any."""
    if not current_user.is_authenticated:
        return None
    code = db.session.execute(
        select(Address.province_code)
        .where(Address.user_id == int(current_user.id))
        .order_by(Address.is_default.desc(), Address.id)
        .limit(1)
    ).scalar_one_or_none()
    return get_province(code) if code is not None else None


@cache
def _province_options(selected: int | None) -> Markup:
    """The picker's 34 options, the same on every product page and in every language
    (province names are Vietnamese): made once per process for each choice, rather than
    by a 34-step template loop on every page."""
    option = Markup('<option value="{}"{}>{}</option>')
    return Markup("").join(
        option.format(p.slug, Markup(" selected") if p.code == selected else "", p.name)
        for p in all_provinces()
    )


def _pack_to_quote(product: Product) -> Variant | None:
    """The lightest pack on sale (in stock first): the fee the buyer pays at least."""
    packs = [v for v in product.variants if v.is_active]
    return min(packs, key=lambda v: (v.stock <= 0, v.weight_grams, v.price_vnd), default=None)


def delivery_section(product: Product) -> Markup:
    """The delivery box's HTML: the picker, and the fee and window once a province is
    known. A province that is not one of the 34 is said so, never an error."""
    typed = (request.args.get("province") or "").strip()[:80]
    chosen = find_province(typed) if typed else None
    from_address = False
    if chosen is None and not typed:
        chosen = _saved_province()
        from_address = chosen is not None
    pack = _pack_to_quote(product)
    quote = None
    if chosen is not None and pack is not None:
        rates = current_rates(db.session)
        quote = estimate(rates, product.producer.province_code, chosen.code, pack.weight_grams)
    html = render_template(
        "shipping/_delivery.html",
        product=product,
        province_options=_province_options(chosen.code if chosen is not None else None),
        destination=chosen,
        from_address=from_address,
        unknown=bool(typed) and chosen is None,
        pack=pack,
        quote=quote,
    )
    return Markup(html)  # noqa: S704 - our own autoescaped template
