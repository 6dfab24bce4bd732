"""Pages that travel well: Open Graph and Twitter card tags, schema.org JSON-LD,
canonical and language URLs, the "Chia sẻ" control, robots.txt and the sitemaps.

The page templates include `templates/seo/…` pieces, which call the globals registered
here with what their page already loaded, so sharing data costs no query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from flask import Flask
from markupsafe import Markup

from storefront import media
from storefront.catalog.models import ProductPhoto
from storefront.seo import structured
from storefront.storage import media_url

# Where the share links send a visitor (plain links: they work without JavaScript).
SHARE_TARGETS = {
    "facebook": "https://www.facebook.com/sharer/sharer.php?u={url}",
    "zalo": "https://sp.zalo.me/share_to_zalo?link={url}",
}


def init_app(app: Flask) -> None:
    from storefront.seo.views import bp

    app.register_blueprint(bp)
    app.jinja_env.globals.update(
        absolute_url=structured.absolute_url,
        canonical_url=structured.canonical_url,
        share_image_url=share_image_url,
        share_links=share_links,
        jsonld=jsonld,
        lowest_price=lowest_price,
    )


def lowest_price(product: Any, prices: dict[int, Any]) -> int | None:
    """What the cheapest pack on sale costs this visitor now (the pricing result)."""
    on_sale = [prices[v.id].unit_vnd for v in product.variants if v.is_active and v.id in prices]
    return min(on_sale, default=None)


def share_image_url(photo: ProductPhoto | str | None) -> str | None:
    """The absolute URL of the 1200×630 sharing picture of a photo (or of a stored image's
    path). Storing the photo made the picture (media.SHARED_FOLDERS; `flask seo
    share-pictures` makes those of photos stored before), so a page only names it."""
    if photo is None:
        return None
    source = photo if isinstance(photo, str) else photo.path
    return structured.absolute_url(media_url(media.share_image_path(source)))


def share_links(url: str) -> dict[str, str]:
    return {name: target.format(url=quote(url, safe="")) for name, target in SHARE_TARGETS.items()}


def jsonld(kind: str, *args: Any) -> Markup:
    """The page's JSON-LD scripts: jsonld("product", product, prices, images),
    jsonld("producer", producer, province, ward), jsonld("fair", fair, province),
    jsonld("home")."""
    builders: dict[str, Callable[..., list[dict[str, Any]]]] = {
        "product": structured.product_data,
        "producer": structured.producer_data,
        "fair": structured.fair_data,
        "home": structured.home_data,
    }
    return Markup("").join(structured.as_script(node) for node in builders[kind](*args))
