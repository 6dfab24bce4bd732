"""The home page's fair sections: the fairs open now and the curated featured products.

Rendered as one cached fragment like the rest of the home page. Its key holds the
minute, because fairs open and close at set times; fair and feature changes call
catalogue_changed() after committing (see views.py), product changes already do.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import render_template
from markupsafe import Markup

from storefront.catalog.cache import cached_fragment
from storefront.extensions import db
from storefront.fairs import queries
from storefront.fairs.models import as_utc


def home_sections(locale: str, today: date, now: datetime) -> Markup:
    """HTML of the current fairs and the featured products for the home page."""
    now = as_utc(now)

    def render() -> str:
        return render_template(
            "fairs/_home.html",
            current_fairs=queries.current_fairs(db.session, now),
            featured=queries.home_features(db.session, today),
        )

    return cached_fragment("home-fairs", (locale, now.strftime("%Y%m%d%H%M")), today, render)
