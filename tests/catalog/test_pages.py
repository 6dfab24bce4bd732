"""Catalogue pages: fixed query counts, product and producer pages, stable slugs."""

from __future__ import annotations

import pytest

from storefront.catalog import services
from storefront.catalog.models import CertificateLevel
from tests.factories import days_ago, make_producer, make_product


def fill(session, count: int) -> None:
    producers = [make_producer(session) for _ in range(3)]
    for n in range(count):
        product = make_product(session, producers[n % 3], stars=3 + n % 3)
        services.add_photo(session, product, f"products/{product.id}.jpg", 800, 600, alt="ảnh")
        services.add_variant(
            session,
            product,
            services.VariantData(
                sku=f"X-{product.id}", label="Thùng", price_vnd=99_000, weight_grams=900
            ),
        )
    session.commit()


def queries_for(client, count_queries, url: str) -> int:
    with count_queries() as counter:
        response = client.get(url)
    assert response.status_code == 200
    return counter.count


@pytest.mark.parametrize(
    "url", ["/", "/products", "/products?q=san+pham&stars=3", "/products?sort=stars"]
)
def test_listing_pages_issue_a_fixed_number_of_queries(app, client, session, count_queries, url):
    app.config["PRODUCTS_PER_PAGE"] = 50
    fill(session, 5)
    few = queries_for(client, count_queries, url)
    fill(session, 45)
    many = queries_for(client, count_queries, url)
    app.config["PRODUCTS_PER_PAGE"] = 24
    assert few == many
    # listing: count, page, photos; home: its shelves plus the fairs and featured products;
    # both: the shared catalogue version (in the database here, without Redis)
    assert many <= (6 if url == "/" else 5)


@pytest.mark.parametrize(
    "url",
    ["/products", "/products?q=san+pham", "/products?q=san+phamm&stars=3", "/products?q=pham"],
)
def test_counted_pages_issue_a_fixed_number_of_queries(app, client, session, count_queries, url):
    """With more products than one page holds, the listing also counts them."""
    app.config["PRODUCTS_PER_PAGE"] = 2
    fill(session, 6)
    few = queries_for(client, count_queries, url)
    fill(session, 30)
    many = queries_for(client, count_queries, url)
    app.config["PRODUCTS_PER_PAGE"] = 24
    assert few == many
    # the search vocabulary (read again after the catalogue changed), page, photos, count,
    # the shared catalogue version (in the database here, without Redis)
    assert many <= (5 if "q=" in url else 4)


def test_a_postgresql_search_counts_its_matches_in_the_page_statement(
    app, client, session, count_queries, is_postgres
):
    """One read of the GIN index for the text tiers and the count, not one each."""
    if not is_postgres:
        pytest.skip("SQLite reads each FTS5 tier only as far as the page needs")
    app.config["PRODUCTS_PER_PAGE"] = 2
    fill(session, 7)
    with count_queries() as counter:
        page = client.get("/products?q=san+pham").text
    app.config["PRODUCTS_PER_PAGE"] = 24
    assert "7 sản phẩm" in page
    assert not [s for s in counter.statements if s.lstrip().startswith("SELECT count")]


def test_product_page_issues_a_fixed_number_of_queries(client, session, count_queries):
    fill(session, 1)
    product = make_product(session)
    session.commit()
    small = queries_for(client, count_queries, f"/products/{product.slug}")
    for n in range(20):
        services.add_photo(session, product, f"products/p{n}.jpg", 800, 600)
        services.add_variant(
            session,
            product,
            services.VariantData(sku=f"V-{n}", label=f"Gói {n}", price_vnd=10_000, weight_grams=10),
        )
    for n in range(3):  # three more certificates, the oldest long expired
        services.add_certificate(
            session,
            product,
            services.CertificateData(
                stars=3 + n,
                level=CertificateLevel.PROVINCE,
                decision_number=f"{n}/QĐ-UBND",
                decision_date=days_ago(400 * (3 - n)),
                issuing_body="UBND tỉnh Điện Biên",
            ),
        )
    session.commit()
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert html.count('<li id="photo-') == 20 and "Gói 19" in html  # all of them, once
    # the product with its producer, packs, certificates and photos, and whether a fair
    # prices a pack or a pack has wholesale tiers (neither: no statement for them), in one
    # statement (catalog/product_page.py)
    assert queries_for(client, count_queries, f"/products/{product.slug}") == small == 1


def test_product_page_lists_variants_with_stock_state(client, session):
    product = make_product(session, name="Lạc đỏ Na Son", price=85_000, stock=0)
    services.add_variant(
        session,
        product,
        services.VariantData(
            sku="LAC-1KG", label="Túi 1 kg", price_vnd=160_000, weight_grams=1000, stock=3
        ),
    )
    session.commit()
    html = client.get(f"/products/{product.slug}").get_data(as_text=True)
    assert "85.000\xa0₫" in html and "160.000\xa0₫" in html
    assert "Hết hàng" in html
    assert "Chỉ còn 3" in html
    assert f"/producers/{product.producer.slug}" in html


def test_slugs_are_ascii_and_unique(session):
    producer = make_producer(session, name="HTX Lạc đỏ Điện Biên")
    first = make_product(session, producer, name="Lạc đỏ Na Son")
    second = make_product(session, producer, name="Lạc đỏ Na Son")
    assert producer.slug == "htx-lac-do-dien-bien"
    assert first.slug == "lac-do-na-son"
    assert second.slug == "lac-do-na-son-2"


def test_producer_page_shows_story_location_and_products(client, session):
    producer = make_producer(session, name="HTX Mật ong Mường Phăng", story="Nuôi ong từ 1998.")
    make_product(session, producer, name="Mật ong hoa Ban")
    session.commit()
    html = client.get(f"/producers/{producer.slug}").get_data(as_text=True)
    assert "Nuôi ong từ 1998." in html
    assert "Điện Biên" in html
    assert "Mật ong hoa Ban" in html


def test_unknown_product_and_producer_are_friendly_404s(client):
    for url in ("/products/khong-co", "/producers/khong-co"):
        response = client.get(url)
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.get_data(as_text=True)


def test_home_shows_newest_certified_and_browse_links(client, session):
    make_product(session, name="Yến sào Chư Sê", stars=5)
    make_product(session, name="Chưa chứng nhận", stars=None)
    session.commit()
    html = client.get("/").get_data(as_text=True)
    assert "Yến sào Chư Sê" in html
    assert "Chưa chứng nhận" not in html
    assert "/products?province=dien-bien" in html
    assert "/products?group=thuc-pham" in html


@pytest.mark.parametrize(
    "bad",
    [
        services.ProducerData("HTX", "cooperative", 11, 29242, "x", "0912345678"),  # ward elsewhere
        services.ProducerData("HTX", "cooperative", 99, 1, "x", "0912345678"),
        services.ProducerData("HTX", "cooperative", 11, 3127, "x", "012345"),
        services.ProducerData(" ", "cooperative", 11, 3127, "x", "0912345678"),
    ],
)
def test_invalid_producers_are_refused(session, bad):
    with pytest.raises(services.CatalogError):
        services.create_producer(session, bad)
