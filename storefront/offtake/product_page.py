"""The product page's offtake box: for a signed-in business buyer, a link to ask the
producer for an agreement on this product. When the buyer came through a fair's page
(the channel the fair's prices use), the link carries that fair, so the agreement is
credited to it once the producer is found to exhibit there. Registered into the
catalogue's product page by offtake.init_app, so the catalogue never imports offtake."""

from __future__ import annotations

from flask import render_template, session
from flask_login import current_user
from markupsafe import Markup

from storefront.catalog.models import Product
from storefront.extensions import db
from storefront.offtake.services import business_profile
from storefront.pricing import channel_from_cookie
from storefront.timeutil import utcnow


def offtake_section(product: Product) -> Markup:
    """The box's HTML, or nothing for visitors who are not business buyers."""
    if not current_user.is_authenticated:
        return Markup("")
    packs = [v for v in product.variants if v.is_active]
    if not packs or business_profile(db.session, int(current_user.id)) is None:
        return Markup("")
    channel = channel_from_cookie(session, utcnow())
    fair_id = channel.id if channel is not None and channel.kind == "fair" else None
    html = render_template("offtake/_product_box.html", variant=packs[0], fair_id=fair_id)
    return Markup(html)  # noqa: S704 - our own autoescaped template
