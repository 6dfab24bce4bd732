"""The product page: every photo in a gallery that works without JavaScript, the delivery
fee and estimated window to the buyer's province (picked, or from their saved address),
and the phones' sticky "Thêm vào giỏ" bar."""

from __future__ import annotations

import re

import pytest

from storefront.accounts.addresses import AddressData, add_address
from storefront.catalog import services
from storefront.shipping import services as shipping
from storefront.shipping.delivery import Distance, distance, estimate
from storefront.shipping.models import ShippingZone
from tests.accounts.helpers import log_in, make_user
from tests.conftest import csrf_token_from
from tests.factories import DIEN_BIEN, make_product
from tests.orders.helpers import GIA_LAI, GIA_LAI_WARD, HA_NOI

HO_CHI_MINH = 79


@pytest.mark.parametrize(
    ("origin", "destination", "expected", "days"),
    [
        (DIEN_BIEN, DIEN_BIEN, Distance.SAME_PROVINCE, (1, 2)),
        (DIEN_BIEN, HA_NOI, Distance.SAME_REGION, (2, 4)),  # both in the North
        (GIA_LAI, 48, Distance.SAME_REGION, (2, 4)),  # Gia Lai and Đà Nẵng: the Centre
        (DIEN_BIEN, HO_CHI_MINH, Distance.FAR, (4, 6)),
        (96, GIA_LAI, Distance.FAR, (4, 6)),  # Cà Mau to the Central Highlands
    ],
)
def test_the_delivery_window_grows_with_distance(origin, destination, expected, days):
    assert distance(origin, destination) == expected
    quote = estimate(dict(shipping.DEFAULT_RATES), origin, destination, 500)
    assert quote.days == days and quote.distance == expected


def test_the_fee_is_the_shipping_rule_for_the_weight():
    rates = dict(shipping.DEFAULT_RATES)
    assert estimate(rates, DIEN_BIEN, DIEN_BIEN, 500).fee_vnd == 20_000
    assert estimate(rates, DIEN_BIEN, HA_NOI, 500).fee_vnd == 35_000
    assert estimate(rates, DIEN_BIEN, HA_NOI, 2_500).fee_vnd == 35_000 + 2 * 5_000


@pytest.fixture
def honey(session):  # type: ignore[no-untyped-def]
    """Honey from Điện Biên (Hộp 500 g at 150.000 ₫) with three photos."""
    product = make_product(session, name="Mật ong hoa Ban")
    for n in range(3):
        services.add_photo(session, product, f"products/h{n}.jpg", 800, 600, alt=f"Ảnh {n}")
    session.commit()
    return product


def delivery_box(html: str) -> str:
    start = html.index('id="delivery"')
    return html[start : html.index("</section>", start)]


def test_without_a_province_the_box_offers_a_picker_as_a_get_form(client, honey):
    box = delivery_box(client.get(f"/products/{honey.slug}").text)
    assert "Chọn nơi nhận để xem phí vận chuyển" in box
    form = re.search(r'<form method="get" action="([^"]+)"', box)
    assert form and form.group(1) == f"/products/{honey.slug}#delivery"
    assert 'name="province"' in box and "csrf_token" not in box
    assert "₫" not in box


@pytest.mark.parametrize(
    ("province", "fee", "days", "where"),
    [
        ("ho-chi-minh", "35.000", "4–6 ngày", "khác miền"),
        ("Hà Nội", "35.000", "2–4 ngày", "cùng miền"),
        ("dien-bien", "20.000", "1–2 ngày", "cùng tỉnh"),
    ],
)
def test_a_picked_province_shows_the_fee_and_the_window(client, honey, province, fee, days, where):
    response = client.get(f"/products/{honey.slug}", query_string={"province": province})
    box = delivery_box(response.text)
    assert f"{fee}" in box and "cho 1 Hộp 500 g" in box
    assert days in box and where in box
    assert re.search(r"<option value=\"[^\"]+\" selected>", box)  # the picker keeps the choice


def test_the_fee_follows_the_admins_rule(client, session, honey):
    shipping.set_rate(session, ShippingZone.OTHER_PROVINCE, shipping.Rate(41_000, 1000, 7_000))
    session.commit()
    box = delivery_box(client.get(f"/products/{honey.slug}?province=ha-noi").text)
    assert "41.000" in box and "7.000" in box


@pytest.mark.parametrize("province", ["Atlantis", "x" * 5000, "<script>", "%00"])
def test_a_province_that_does_not_exist_is_said_so(client, honey, province):
    response = client.get(f"/products/{honey.slug}", query_string={"province": province})
    assert response.status_code == 200
    box = delivery_box(response.text)
    assert "Không tìm thấy tỉnh, thành phố này" in box and "<script>" not in box


def test_a_signed_in_buyer_sees_the_estimate_to_their_saved_address(client, session, honey):
    buyer = make_user(session, email="lan@example.vn")
    add_address(
        session,
        buyer,
        AddressData("Lan", "0912345678", GIA_LAI, GIA_LAI_WARD, "12 Phạm Văn Đồng", True),
    )
    session.commit()
    log_in(client, "lan@example.vn")
    box = delivery_box(client.get(f"/products/{honey.slug}").text)
    assert "Giao đến Gia Lai" in box and "(địa chỉ mặc định của bạn)" in box
    assert "35.000" in box and "4–6 ngày" in box
    # a province picked on the page wins over the saved one
    picked = delivery_box(client.get(f"/products/{honey.slug}?province=dien-bien").text)
    assert "20.000" in picked and "địa chỉ mặc định" not in picked


def test_the_estimate_costs_one_statement_and_none_without_a_province(client, honey, count_queries):
    client.get(f"/products/{honey.slug}")  # the first visit also starts the guest's session
    with count_queries() as plain:
        client.get(f"/products/{honey.slug}")
    with count_queries() as quoted:
        client.get(f"/products/{honey.slug}?province=ha-noi")
    assert quoted.count == plain.count + 1  # the shipping rules


def test_every_photo_is_in_the_gallery_with_a_link_to_it(client, honey):
    html = client.get(f"/products/{honey.slug}").text
    track = html[html.index('class="gallery-track"') : html.index('class="gallery-thumbs"')]
    assert re.findall(r'<li id="(photo-\d)">', track) == ["photo-1", "photo-2", "photo-3"]
    assert re.findall(r'src="([^"]+)"', track) == [f"/media/products/h{n}.jpg" for n in range(3)]
    assert 'fetchpriority="high"' in track and track.count('loading="lazy"') == 2
    thumbs = html[html.index('class="gallery-thumbs"') :]
    thumbs = thumbs[: thumbs.index("</ul>")]
    assert re.findall(r'href="(#photo-\d)"', thumbs) == ["#photo-1", "#photo-2", "#photo-3"]
    assert "/media/products/h1-thumb.jpg" in thumbs and 'alt="Ảnh 2 / 3"' in thumbs


def test_one_photo_needs_no_thumbnails(client, session):
    product = make_product(session, name="Lạc đỏ Na Son")
    services.add_photo(session, product, "products/one.jpg", 800, 600)
    session.commit()
    html = client.get(f"/products/{product.slug}").text
    assert 'id="photo-1"' in html and "gallery-thumbs" not in html


def buy_bar(html: str) -> str:
    start = html.rindex("<form", 0, html.index('class="buy-bar"'))
    return html[start : html.index("</form>", start)]


def test_the_buy_bar_adds_the_pack_to_the_cart_without_javascript(client, session, honey):
    bar = buy_bar(client.get(f"/products/{honey.slug}").text)
    assert 'action="/cart/add"' in bar and 'aria-label="Thêm nhanh vào giỏ"' in bar
    assert "Hộp 500 g" in bar and "150.000" in bar and "Thêm vào giỏ" in bar
    variant_id = re.search(r'name="variant_id" value="(\d+)"', bar).group(1)
    response = client.post(
        "/cart/add",
        data={
            "csrf_token": csrf_token_from(bar),
            "variant_id": variant_id,
            "quantity": "1",
            "next": f"/products/{honey.slug}",
        },
    )
    assert response.status_code == 302
    assert "Mật ong hoa Ban" in client.get("/cart").text


def test_the_buy_bar_offers_a_choice_of_packs_in_stock(client, session, honey):
    services.add_variant(
        session,
        honey,
        services.VariantData(
            sku="MO-1KG", label="Hũ 1 kg", price_vnd=280_000, weight_grams=1100, stock=5
        ),
    )
    services.add_variant(
        session,
        honey,
        services.VariantData(
            sku="MO-0", label="Hũ hết hàng", price_vnd=90_000, weight_grams=300, stock=0
        ),
    )
    session.commit()
    bar = buy_bar(client.get(f"/products/{honey.slug}").text)
    assert re.search(r'<label for="buy-bar-pack"[^>]*>Quy cách</label>', bar)
    options = re.findall(r"<option value=\"\d+\">([^<]+)</option>", bar)
    assert options == ["Hộp 500 g – 150.000\xa0₫", "Hũ 1 kg – 280.000\xa0₫"]


def test_no_buy_bar_when_nothing_is_in_stock(client, session):
    product = make_product(session, name="Yến sào", stock=0)
    session.commit()
    assert 'class="buy-bar"' not in client.get(f"/products/{product.slug}").text
