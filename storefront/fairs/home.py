"""The home page's fair sections: the fair open now as the banner that leads the page
(with its countdown and featured packs at their fair prices), and the curated featured
products.

Each is a cached fragment like the rest of the home page. The banner's key holds the
minute, because fairs open and close at set times and its countdown counts minutes; fair
and feature changes call catalogue_changed() after committing (see views.py), product
changes already do.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import render_template
from flask_babel import gettext as _
from markupsafe import Markup

from storefront.catalog.cache import cached_fragment
from storefront.extensions import db
from storefront.fairs import queries
from storefront.fairs.models import as_utc

BANNER_PACKS = 4


def time_left(closes_at: datetime, now: datetime) -> str:
    """What is left of a fair's online window, as the banner says it: "Còn 3 ngày 4 giờ",
    "Còn 5 giờ 12 phút", "Còn 7 phút" (started minutes count as whole ones)."""
    seconds = max(0, int((as_utc(closes_at) - as_utc(now)).total_seconds()))
    days, rest = divmod(-(-seconds // 60), 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("Còn %(days)s ngày %(hours)s giờ", days=days, hours=hours)
    if hours:
        return _("Còn %(hours)s giờ %(minutes)s phút", hours=hours, minutes=minutes)
    return _("Còn %(minutes)s phút", minutes=minutes)


def countdown_formats() -> dict[str, str]:
    """The same sentences with {d} {h} {m} holes, for the script that keeps the
    countdown current between page loads (static/js/app.js)."""
    return {
        "days": _("Còn %(days)s ngày %(hours)s giờ", days="{d}", hours="{h}"),
        "hours": _("Còn %(hours)s giờ %(minutes)s phút", hours="{h}", minutes="{m}"),
        "minutes": _("Còn %(minutes)s phút", minutes="{m}"),
        "ended": _("Hội chợ trực tuyến đã kết thúc."),
    }


def fair_banner(locale: str, today: date, now: datetime) -> Markup:
    """HTML of the banner for the fair open now that closes first (the others it links),
    or nothing when no fair is open."""
    now = as_utc(now)

    def render() -> str:
        fairs = queries.current_fairs(db.session, now)
        if not fairs:
            return ""
        lead = fairs[0]
        return render_template(
            "fairs/_banner.html",
            fair=lead,
            closes_at=as_utc(lead.closes_at).isoformat(),
            time_left=time_left(lead.closes_at, now),
            formats=countdown_formats(),
            packs=queries.banner_packs(db.session, lead, now, today, BANNER_PACKS),
            others=fairs[1:],
        )

    return cached_fragment("home-fair-banner", (locale, now.strftime("%Y%m%d%H%M")), today, render)


def home_sections(locale: str, today: date, now: datetime) -> Markup:
    """HTML of the featured products for the home page."""

    def render() -> str:
        return render_template(
            "fairs/_home.html", featured=queries.home_features(db.session, today)
        )

    return cached_fragment("home-fairs", (locale,), today, render)
