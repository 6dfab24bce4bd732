"""Product cards everywhere (listing, search, home, fair and producer pages, cart): the
320 px copy of the photo with srcset/sizes and its width and height; the large photo only
on the product page (not even as a srcset choice: Chromium would take it on most phones);
a product without a certificate in force labelled, never starred."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from storefront.catalog import services
from storefront.catalog.models import Product
from storefront.extensions import read_columns
from storefront.fairs import services as fairs
from storefront.timeutil import today_in_vietnam
from tests.accounts.helpers import make_member, make_user
from tests.factories import make_producer, make_product
from tests.fairs.helpers import make_fair
from tests.orders.helpers import add_to_cart, variant_of

UNCERTIFIED = "Chưa có chứng nhận OCOP còn hiệu lực"
IMG = re.compile(r"<img [^>]*>")


def attribute(tag: str, name: str) -> str | None:
    match = re.search(rf'\s{name}="([^"]*)"', tag)
    return match.group(1) if match else None


def card_images(html: str) -> list[str]:
    """The <img> tags inside the page's product cards."""
    cards = re.findall(r'<li class="card">(.*?)</li>', html, re.S)
    return [tag for card in cards for tag in IMG.findall(card)]


@pytest.fixture
def shop(session, app):  # type: ignore[no-untyped-def]
    """Three certified products with an 800 × 600 photo, one uncertified, one whose
    certificate expired; an open fair featuring the first at 14 % off, with a booth."""
    producer = make_producer(session, "HTX Mường Phăng")
    certified = [
        make_product(session, producer, f"Mật ong hoa Ban {n}", price=350_000) for n in range(3)
    ]
    plain = make_product(session, producer, "Bánh chưng thường", stars=None)
    lapsed = make_product(session, producer, "Chè Shan hết hạn", expired=True)
    for n, product in enumerate([*certified, plain, lapsed]):
        services.add_photo(session, product, f"products/p{n}.jpg", 800, 600, alt="ảnh")
    organiser = make_user(session, role="organiser")
    make_member(session, producer)
    fair = make_fair(session, organiser, name="Hội chợ OCOP Điện Biên")
    exhibitor = fairs.invite_exhibitor(session, fair, producer.id)
    fairs.accept_invitation(session, exhibitor)
    fairs.update_booth(session, exhibitor, "", [plain.id, lapsed.id, certified[1].id])
    fairs.feature_variant(session, fair, variant_of(session, certified[0]).id, 1, 301_000)
    today = today_in_vietnam()
    for product in (plain, lapsed):
        fairs.add_home_feature(
            session, organiser, product.id, 1, today - timedelta(days=1), today + timedelta(1)
        )
    session.commit()
    return {"certified": certified, "plain": plain, "lapsed": lapsed, "fair": fair}


@pytest.mark.parametrize("url", ["/products", "/products?q=mat+ong", "/", "/fairs/{fair}"])
def test_cards_show_the_small_copy_with_its_size_never_the_large_photo(client, shop, url):
    html = client.get(url.format(fair=shop["fair"].slug)).text
    images = card_images(html)
    assert images
    for tag in images:
        src = attribute(tag, "src")
        assert src and re.fullmatch(r"/media/products/p\d-thumb\.jpg", src), tag
        assert attribute(tag, "width") == "320" and attribute(tag, "height") == "240"
        assert attribute(tag, "srcset") == f"{src} 320w"  # never the large photo
        assert "47vw" in (attribute(tag, "sizes") or "")
        assert attribute(tag, "alt") == ""


def test_the_first_row_of_the_listing_loads_at_once_and_the_rest_lazily(client, shop):
    images = card_images(client.get("/products").text)
    assert len(images) == 5
    assert [attribute(tag, "loading") for tag in images] == [None, None, "lazy", "lazy", "lazy"]


def test_the_product_page_shows_the_large_photo(client, shop):
    html = client.get(f"/products/{shop['certified'][0].slug}").text
    gallery = html[html.index('class="gallery') :]
    first = IMG.search(gallery)
    assert first and attribute(first.group(0), "src") == "/media/products/p0.jpg"
    assert attribute(first.group(0), "width") == "800"


def test_cart_cards_use_the_small_copy(client, session, shop):
    product = shop["certified"][2]
    add_to_cart(client, product, variant_of(session, product).id, 1)
    html = client.get("/cart").text
    tags = [t for t in IMG.findall(html) if "/media/products/" in t]
    assert len(tags) == 1
    assert attribute(tags[0], "src") == "/media/products/p2-thumb.jpg"
    assert attribute(tags[0], "width") == "320" and attribute(tags[0], "sizes") == "4.5rem"


def card_for(html: str, name: str) -> str:
    cards = [c for c in re.findall(r'<li class="card">(.*?)</li>', html, re.S) if name in c]
    assert cards, f"no card for {name}"
    return cards[0]


@pytest.mark.parametrize("url", ["/products", "/products?q={q}", "/", "/fairs/{fair}"])
@pytest.mark.parametrize(
    ("name", "q"), [("Bánh chưng thường", "banh+chung"), ("Chè Shan hết hạn", "che+shan")]
)
def test_a_product_without_a_certificate_in_force_is_labelled_never_starred(
    client, shop, url, name, q
):
    html = client.get(url.format(fair=shop["fair"].slug, q=q)).text
    card = card_for(html, name)
    assert UNCERTIFIED in card
    assert "★" not in card and "sao" not in card.replace(UNCERTIFIED, "")


@pytest.mark.parametrize("url", ["/products", "/fairs/{fair}"])
def test_a_certified_product_shows_its_stars_and_no_label(client, shop, url):
    card = card_for(client.get(url.format(fair=shop["fair"].slug)).text, "Mật ong hoa Ban 1")
    assert "★★★★" in card and UNCERTIFIED not in card


def test_the_fair_page_shows_the_fair_price_with_its_discount(client, shop):
    card = card_for(client.get(f"/fairs/{shop['fair'].slug}").text, "Mật ong hoa Ban 0")
    assert "301.000" in card and "350.000" in card
    assert "−14 %" in card  # (350.000 − 301.000) / 350.000, as storefront.pricing rounds it


def test_remembered_cards_follow_every_change_they_show(client, session, shop):
    """Cards are remembered by what they show (catalog/cards.py): a second page view
    serves the same markup, and a changed name or price is shown at once."""
    from storefront.catalog.cards import _cards, forget_cards

    forget_cards()
    first = client.get("/products").get_data(as_text=True)
    assert len(_cards) == 5
    assert client.get("/products").get_data(as_text=True) == first
    product = shop["certified"][0]
    product.name = "Mật ong hoa Ban đổi tên"
    product.price_from = 123_000
    session.commit()
    changed = client.get("/products").get_data(as_text=True)
    assert "Mật ong hoa Ban đổi tên" in changed and "123.000" in changed
    assert changed.count('<li class="card">') == first.count('<li class="card">') == 5


def test_a_card_escapes_what_producers_typed_and_reads_rating_and_sales(session, client):
    from storefront.catalog.cards import forget_cards

    producer = make_producer(session, 'HTX "Bản" <Mường> & Co')
    product = make_product(session, producer, "Mật ong <b>rừng</b> & hoa", price=1_250_000)
    product.rating_count, product.rating_sum, product.sold_count = 3, 14, 1_250
    session.commit()
    forget_cards()
    html = client.get("/products").text
    card = re.search(r'<li class="card">(.*?)</li>', html, re.S)
    assert card
    markup = card.group(1)
    assert "Mật ong &lt;b&gt;rừng&lt;/b&gt; &amp; hoa" in markup and "<b>" not in markup
    assert "HTX &#34;Bản&#34; &lt;Mường&gt; &amp; Co" in markup
    assert '<span class="price">từ 1.250.000\xa0₫</span>' in markup
    assert '<span aria-hidden="true">★</span> 4,7' in markup and "(3" in markup
    assert '<span class="card-sold">Đã bán 1,2k</span>' in markup
    english = client.get("/products?lang=en").text
    assert "₫1,250,000" in english and "4.7" in english and "1.2k sold" in english


def test_column_reads_see_what_the_session_has_not_flushed_yet(session):
    """read_columns goes past the ORM's execute path, but flushes first, as it would."""
    product = make_product(session, name="Mật ong bạc hà")
    session.flush()
    product.name = "Mật ong hoa ban"  # pending, not flushed
    names = read_columns(session, select(Product.name).where(Product.id == product.id))
    assert names.scalar_one() == "Mật ong hoa ban"
