from tests.factories import make_product


def test_product_page_shows_price_and_stars(client, session):
    product = make_product(session, name="Mật ong hoa Ban", price=150_000, stars=4)
    session.commit()
    page = client.get(f"/products/{product.slug}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "150.000\xa0₫" in html
    assert "OCOP 4 sao" in html
