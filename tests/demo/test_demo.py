"""`flask demo load` and `flask demo generate`, through the CLI as an operator runs them."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from storefront.catalog import queries
from storefront.catalog.groups import PRODUCT_GROUPS
from storefront.catalog.models import (
    OcopCertificate,
    Producer,
    Product,
    ProductPhoto,
    Variant,
)
from storefront.demo.reviews import DEMO_REVIEWS
from storefront.places import find_province
from storefront.text import fold
from storefront.timeutil import today_in_vietnam
from tests.factories import make_product

STARS_SHOWN = re.compile(r"OCOP \d sao")

ARTICLE_PRODUCTS = {  # slug: (stars, province)
    "mat-ong-hoa-ban": (4, "Điện Biên"),
    "bi-xanh-tia-dinh": (3, "Điện Biên"),
    "khoai-so-phi-nhu": (3, "Điện Biên"),
    "lac-do-na-son": (3, "Điện Biên"),
    "thit-lon-kho-dien-bien-dong": (3, "Điện Biên"),
    "yen-sao-chu-se": (4, "Gia Lai"),
}


def _counts(session) -> dict[str, int]:
    return {
        model.__tablename__: session.execute(select(func.count()).select_from(model)).scalar()
        for model in (Producer, Product, Variant, ProductPhoto, OcopCertificate)
    }


def _load(runner) -> str:
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    return result.output


def _generate(runner, count: int, seed: int = 7) -> str:
    result = runner.invoke(args=["demo", "generate", "--products", str(count), "--seed", str(seed)])
    assert result.exit_code == 0, result.output
    return result.output


def test_demo_load_builds_a_catalogue_and_loading_again_changes_nothing(runner, session):
    output = _load(runner)

    products = session.execute(select(Product)).scalars().all()
    assert len(products) >= 30
    assert f"Products: {len(products)} created" in output
    provinces = session.execute(select(func.count(func.distinct(Producer.province_code)))).scalar()
    assert provinces >= 6
    assert {p.group_code for p in products} == {g.code for g in PRODUCT_GROUPS}
    for product in products:
        lowest = session.execute(
            select(func.min(Variant.price_vnd)).where(Variant.product_id == product.id)
        ).scalar()
        assert product.price_from == lowest
    stocks = session.execute(select(Variant.stock)).scalars().all()
    assert 0 in stocks
    assert any(0 < stock <= 5 for stock in stocks)

    first = _counts(session)
    output = _load(runner)
    assert _counts(session) == first
    assert "Producers: 0 created" in output
    assert "Products: 0 created" in output


def test_demo_pages_show_stars_only_for_certificates_in_force(runner, client, session):
    _load(runner)
    for slug, (stars, province_name) in ARTICLE_PRODUCTS.items():
        page = client.get(f"/products/{slug}")
        assert page.status_code == 200, slug
        assert f"OCOP {stars} sao" in page.get_data(as_text=True), slug
        producer = session.execute(
            select(Producer).join(Product.producer).where(Product.slug == slug)
        ).scalar_one()
        assert producer.province_code == find_province(province_name).code

    five_stars = client.get("/products/keo-dua-ben-tre").get_data(as_text=True)
    assert "OCOP 5 sao" in five_stars
    assert "Bộ Nông nghiệp và Môi trường" in five_stars
    expired = client.get("/products/thach-den-trang-dinh").get_data(as_text=True)
    assert STARS_SHOWN.search(expired) is None
    assert "hết hạn" in expired
    pending = client.get("/products/lan-ho-diep-moc-chau").get_data(as_text=True)
    assert STARS_SHOWN.search(pending) is None


def test_every_demo_product_has_a_real_picture_and_every_producer_a_logo(app, runner, session):
    _load(runner)
    media = Path(app.config["MEDIA_ROOT"])
    products = session.execute(select(Product.id)).scalars().all()
    photos = session.execute(select(ProductPhoto)).scalars().all()
    assert {photo.product_id for photo in photos} == set(products)
    for photo in photos:
        assert re.fullmatch(r"products/[0-9a-f]{32}\.jpg", photo.path)
        with Image.open(media / photo.path) as image:
            assert image.format == "JPEG"
            assert image.size == (photo.width, photo.height)
            image.verify()
        with Image.open(media / photo.thumbnail) as thumb:  # what the cards show
            assert thumb.size == photo.thumbnail_size == (320, 240)
    assert len({photo.path for photo in photos}) == len(photos)  # one picture per product
    for logo in session.execute(select(Producer.logo_path)).scalars():
        with Image.open(media / logo) as image:
            image.verify()


def test_generate_creates_searchable_products_everywhere(runner, client, session):
    output = _generate(runner, 300)

    assert "Created 300 products" in output
    assert session.execute(select(func.count()).select_from(Product)).scalar() == 300
    provinces = session.execute(select(func.count(func.distinct(Producer.province_code)))).scalar()
    assert provinces == 34
    names = session.execute(select(Product.name)).scalars().all()
    honey = [name for name in names if fold(name).startswith("mat ong")]
    assert honey

    page = queries.search_catalog(
        session, queries.parse_filters({"q": "mat ong"}), today_in_vietnam(), 24
    )
    assert page.total >= len(honey)
    html = client.get("/products?q=mat+ong").get_data(as_text=True)
    assert page.cards[0].product.name in html
    assert client.get(f"/products/{page.cards[0].product.slug}").status_code == 200

    mismatched = session.execute(
        select(func.count())
        .select_from(Product)
        .where(
            Product.price_from
            != select(func.min(Variant.price_vnd))
            .where(Variant.product_id == Product.id)
            .scalar_subquery()
        )
    ).scalar()
    assert mismatched == 0
    today = today_in_vietnam()
    certificates = session.execute(select(OcopCertificate)).scalars().all()
    valid = {c.product_id for c in certificates if c.is_valid_on(today)}
    assert 0.55 * 300 < len(valid) < 0.85 * 300
    assert any(c.expires_on < today for c in certificates)
    assert any(c.status == "pending" for c in certificates)


def test_generate_adds_to_a_database_holding_the_demo(runner, session):
    _load(runner)
    demo = _counts(session)["product"]
    _generate(runner, 300, seed=1)
    _generate(runner, 300, seed=1)  # the same seed again: new slugs and SKUs, no clash
    assert _counts(session)["product"] == demo + 600
    assert "Products: 0 created" in _load(runner)
    slugs = session.execute(select(Product.slug)).scalars().all()
    assert len(slugs) == len(set(slugs))
    make_product(session, name="Mật ong hoa Ban")  # ids and slugs still free for the shop
    session.commit()
    assert _counts(session)["product"] == demo + 601


@pytest.mark.parametrize("count", ["0", "-5", "many"])
def test_generate_refuses_a_bad_count(runner, session, count):
    result = runner.invoke(args=["demo", "generate", "--products", count])
    assert result.exit_code != 0
    assert session.execute(select(func.count()).select_from(Product)).scalar() == 0


def test_generate_orders_makes_a_history_the_dashboards_count(runner, session):
    from storefront.orders.models import OrderPart, PartStatus
    from storefront.programme import services
    from storefront.programme.periods import parse_period
    from storefront.timeutil import today_in_vietnam

    _load(runner)
    before = session.execute(select(func.count()).select_from(OrderPart)).scalar_one()
    result = runner.invoke(args=["demo", "generate", "--orders", "3000", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "order parts" in result.output
    parts = session.execute(
        select(OrderPart.status, OrderPart.origin_province_code).order_by(OrderPart.id)
    ).all()[before:]
    assert 3000 <= len(parts) <= 3001
    cancelled = sum(1 for status, _ in parts if status == PartStatus.CANCELLED)
    assert 0.03 * len(parts) < cancelled < 0.12 * len(parts)
    refreshed = runner.invoke(args=["programme", "refresh"])
    assert refreshed.exit_code == 0, refreshed.output
    period = parse_period("52w", today_in_vietnam())
    assert period is not None
    ranking = services.national_ranking(session, period)
    counted = sum(r.reach.parts for r in ranking)
    assert 0.3 * len(parts) < counted < 0.7 * len(parts)  # about half of two years
    share = sum(r.reach.outside_parts for r in ranking) / counted
    assert 0.45 < share < 0.7
    assert runner.invoke(args=["demo", "generate"]).exit_code != 0  # nothing asked for


def test_demo_load_adds_reviews_with_replies_once(runner, client, session):
    from storefront.reviews.models import Review

    assert f"Reviews: {len(DEMO_REVIEWS)} added" in _load(runner)
    reviews = session.execute(select(Review)).scalars().all()
    assert len(reviews) == len(DEMO_REVIEWS)
    assert any(r.reply_body for r in reviews) and not all(r.reply_body for r in reviews)
    honey = session.execute(select(Product).where(Product.slug == "mat-ong-hoa-ban")).scalar_one()
    assert honey.rating_count == 3 and honey.sold_count == 3
    page = client.get("/products/mat-ong-hoa-ban").text
    assert "Đã mua hàng" in page and "Phản hồi của HTX Mật ong hoa Ban" in page
    assert "Reviews: 0 added" in _load(runner)
    session.expire_all()
    assert session.execute(select(func.count()).select_from(Review)).scalar() == len(reviews)
    assert session.get(Product, honey.id).sold_count == 3
