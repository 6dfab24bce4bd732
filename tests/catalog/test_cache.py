"""Rendered listings are cached, and any committed catalogue change shows at once."""

from __future__ import annotations

from storefront.catalog import services
from tests.factories import make_product


def test_second_visit_is_served_from_the_cache(client, session, count_queries):
    make_product(session, name="Mật ong hoa Ban")
    session.commit()
    client.get("/products?q=mat+ong")
    with count_queries() as counter:
        page = client.get("/products?q=mat+ong")
    assert "Mật ong hoa Ban" in page.get_data(as_text=True)
    # Only the shared catalogue version (no Redis here: it lives in the database).
    assert len(counter.statements) == 1 and "catalogue_version" in counter.statements[0]


def test_a_committed_change_is_visible_on_the_next_request(client, session):
    product = make_product(session, name="Khoai sọ Phì Nhừ", price=40_000)
    session.commit()
    assert "40.000" in client.get("/products").get_data(as_text=True)

    variant = _first_variant(session, product)
    services.update_variant(
        session,
        variant,
        services.VariantChanges(
            sku=variant.sku,
            label=variant.label,
            price_vnd=45_000,
            weight_grams=variant.weight_grams,
            low_stock_threshold=5,
        ),
    )
    make_product(session, name="Bí xanh Tìa Dình")
    session.commit()
    html = client.get("/products").get_data(as_text=True)
    assert "Bí xanh Tìa Dình" in html
    assert "45.000" in html and "40.000" not in html


def test_the_cache_key_ignores_malformed_arguments(client, session):
    make_product(session, name="Lạc đỏ Na Son")
    session.commit()
    dirty = client.get("/products?stars=abc&page=x").get_data(as_text=True)
    clean = client.get("/products").get_data(as_text=True)
    assert "stars=abc" not in clean and "Lạc đỏ Na Son" in dirty


def _first_variant(session, product):
    from sqlalchemy import select

    from storefront.catalog.models import Variant

    return session.execute(select(Variant).where(Variant.product_id == product.id)).scalar_one()
