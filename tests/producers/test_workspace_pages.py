"""The workspace's listing, stock and photo pages as a producer uses them, and what they
refuse: other producers' ids in URLs and in form fields, bad numbers, bad files."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from storefront.catalog.models import Product, ProductPhoto, StockMovement, Variant
from tests.accounts.helpers import log_in, make_member
from tests.conftest import csrf_token_from
from tests.factories import make_producer, make_product
from tests.orders.helpers import stock_of, variant_of
from tests.producers.helpers import jpeg_bytes
from tests.producers.test_media import png_declaring, raw_pdf


@pytest.fixture
def shop(session):  # type: ignore[no-untyped-def]
    """Two producers, each with a product, and a signed-in member of the first."""
    mine = make_producer(session, name="HTX Mật ong Mường Phăng")
    theirs = make_producer(session, name="HTX Lạc đỏ Na Son")
    make_member(session, mine, email="ong@example.vn")
    make_member(session, theirs, email="lac@example.vn")
    product = make_product(session, mine, name="Mật ong hoa Ban", stock=10)
    their_product = make_product(session, theirs, name="Lạc đỏ Na Son", stock=10)
    session.commit()
    return mine, theirs, product, their_product


def _signed_in(client, email="ong@example.vn"):  # type: ignore[no-untyped-def]
    assert log_in(client, email).status_code == 302
    return client


def _token(client, path):  # type: ignore[no-untyped-def]
    return csrf_token_from(client.get(path).text)


def test_listing_shows_stock_warnings(client, session, shop):
    mine, _, product, _ = shop
    variant = variant_of(session, product)
    variant.low_stock_threshold = 12
    session.commit()
    page = _signed_in(client).get(f"/producer/{mine.id}/products")
    assert page.status_code == 200
    assert "Mật ong hoa Ban" in page.text and "Lạc đỏ Na Son" not in page.text
    assert "Sắp hết: còn 10" in page.text


def test_create_a_product_then_publish_it(client, session, shop):
    mine = shop[0]
    _signed_in(client)
    path = f"/producer/{mine.id}/products/new"
    form = {
        "csrf_token": _token(client, path),
        "name": "Thịt lợn khô Điện Biên",
        "category": "thuc-pham/thuc-pham-che-bien",
        "description": "Thịt lợn gác bếp.",
        "label": "Gói 500 g",
        "sku": "TLK-500",
        "price": "250.000",
        "weight_grams": "600",
        "stock": "15",
        "low_stock_threshold": "3",
    }
    bad = client.post(path, data={**form, "price": "hai trăm"})
    assert bad.status_code == 200 and "không hợp lệ" in bad.text
    assert session.execute(select(Product).where(Product.name.startswith("Thịt"))).first() is None
    created = client.post(path, data=form)
    assert created.status_code == 302
    product = session.execute(select(Product).where(Product.name.startswith("Thịt"))).scalar_one()
    assert product.is_published is False and product.price_from == 250_000
    edit = created.headers["Location"]
    published = client.post(
        f"/producer/{mine.id}/products/{product.id}/publish",
        data={"csrf_token": _token(client, edit), "published": "1"},
    )
    assert published.status_code == 302
    session.expire_all()
    assert session.get(Product, product.id).is_published
    assert "Thịt lợn khô Điện Biên" in client.get("/products").text


def test_stock_form_refuses_another_producers_variant(client, session, shop):
    mine, _, product, their_product = shop
    _signed_in(client)
    edit = f"/producer/{mine.id}/products/{product.id}"
    token = _token(client, edit)
    theirs = variant_of(session, their_product)
    tampered = client.post(
        f"/producer/{mine.id}/stock",
        data={"csrf_token": token, "variant_id": theirs.id, "delta": "-10", "reason": "correction"},
    )
    assert tampered.status_code == 404
    for junk in ("", "abc", "-1", "99999"):
        response = client.post(
            f"/producer/{mine.id}/stock",
            data={"csrf_token": token, "variant_id": junk, "delta": "1", "reason": "delivery"},
        )
        assert response.status_code == 404
    assert stock_of(session, theirs.id) == 10
    mine_variant = variant_of(session, product)
    ok = client.post(
        f"/producer/{mine.id}/stock",
        data={
            "csrf_token": token,
            "variant_id": mine_variant.id,
            "delta": "+25",
            "reason": "delivery",
            "note": "Mẻ tháng 11",
        },
    )
    assert ok.status_code == 302
    too_many = client.post(
        f"/producer/{mine.id}/stock",
        data={
            "csrf_token": token,
            "variant_id": mine_variant.id,
            "delta": "-99",
            "reason": "correction",
        },
        follow_redirects=True,
    )
    assert "Không đủ tồn kho" in too_many.text
    assert stock_of(session, mine_variant.id) == 35
    history = client.get(f"/producer/{mine.id}/variants/{mine_variant.id}/stock")
    assert "Mẻ tháng 11" in history.text and "+25" in history.text
    assert client.get(f"/producer/{mine.id}/variants/{theirs.id}/stock").status_code == 404


def test_urls_with_other_producers_ids_answer_404(client, session, shop):
    mine, theirs, product, their_product = shop
    photo = ProductPhoto(product_id=their_product.id, path="products/t.jpg", width=800, height=600)
    session.add(photo)
    session.commit()
    _signed_in(client)
    token = _token(client, f"/producer/{mine.id}/products")
    their_variant = variant_of(session, their_product)
    # their producer id in the URL, or their objects under my producer id
    assert client.get(f"/producer/{theirs.id}/products").status_code == 404
    assert client.get(f"/producer/{mine.id}/products/{their_product.id}").status_code == 404
    posts = [
        f"/producer/{theirs.id}/products/{their_product.id}/publish",
        f"/producer/{mine.id}/products/{their_product.id}/publish",
        f"/producer/{mine.id}/products/{their_product.id}/variants",
        f"/producer/{mine.id}/variants/{their_variant.id}",
        f"/producer/{mine.id}/products/{their_product.id}/photos",
        f"/producer/{mine.id}/photos/{photo.id}/alt",
        f"/producer/{mine.id}/photos/{photo.id}/move",
        f"/producer/{mine.id}/photos/{photo.id}/delete",
    ]
    for path in posts:
        response = client.post(path, data={"csrf_token": token, "published": "0", "alt": "x"})
        assert response.status_code == 404, path
    session.expire_all()
    assert session.get(Product, their_product.id).is_published
    assert session.get(ProductPhoto, photo.id) is not None


def test_variant_edit_and_add(client, session, shop):
    mine, _, product, _ = shop
    _signed_in(client)
    edit = f"/producer/{mine.id}/products/{product.id}"
    token = _token(client, edit)
    variant = variant_of(session, product)
    prefix = f"v{variant.id}-"
    fields = {"label": "Hũ 500 g", "sku": variant.sku, "price": "165.000", "weight_grams": "650"}
    response = client.post(
        f"/producer/{mine.id}/variants/{variant.id}",
        data={
            "csrf_token": token,
            **{prefix + k: v for k, v in fields.items()},
            prefix + "is_active": "y",
        },
    )
    assert response.status_code == 302
    client.post(
        f"/producer/{mine.id}/products/{product.id}/variants",
        data={
            "csrf_token": token,
            "new-label": "Hũ 1 kg",
            "new-sku": "MO-1KG",
            "new-price": "290000",
            "new-weight_grams": "1200",
            "new-stock": "5",
        },
    )
    session.expire_all()
    prices = session.execute(
        select(Variant.sku, Variant.price_vnd)
        .where(Variant.product_id == product.id)
        .order_by(Variant.id)
    ).all()
    assert prices == [(variant.sku, 165_000), ("MO-1KG", 290_000)]
    assert session.execute(select(func.count()).select_from(StockMovement)).scalar_one() == 1


def _upload(client, path, token, data, name="photo.jpg"):  # type: ignore[no-untyped-def]
    return client.post(
        path,
        data={"csrf_token": token, "photo": (io.BytesIO(data), name), "alt": "Hũ mật ong"},
        content_type="multipart/form-data",
        follow_redirects=True,
    )


def test_photo_upload_accepts_real_images_and_refuses_the_rest(client, session, shop):
    mine, _, product, _ = shop
    _signed_in(client)
    edit = f"/producer/{mine.id}/products/{product.id}"
    upload_to = f"{edit}/photos"
    token = _token(client, edit)
    media_root = Path(current_app.config["MEDIA_ROOT"])
    before = {p for p in media_root.rglob("*") if p.is_file()} if media_root.exists() else set()
    refused = [
        (b"#!/bin/sh\nrm -rf ~\n", "evil.jpg", "không phải ảnh JPEG, PNG hoặc WebP"),
        (png_declaring(30000, 30000), "bomb.png", "triệu điểm ảnh"),
        (b"\xff\xd8\xff" + b"\0" * (5 * 1024 * 1024 + 10), "huge.jpg", "5 MB"),
        (raw_pdf(), "scan.jpg", "không phải ảnh"),
    ]
    for data, name, message in refused:
        page = _upload(client, upload_to, token, data, name)
        assert message in page.text, name
    after = {p for p in media_root.rglob("*") if p.is_file()} if media_root.exists() else set()
    assert after == before
    assert session.execute(select(ProductPhoto)).first() is None
    page = _upload(client, upload_to, token, jpeg_bytes())
    assert "Đã thêm ảnh." in page.text
    photo = session.execute(select(ProductPhoto)).scalar_one()
    assert photo.alt == "Hũ mật ong" and photo.path.startswith("products/")
    assert "photo.jpg" not in photo.path
    assert client.get(f"/media/{photo.path}").status_code == 200
    assert photo.path in client.get(f"/products/{product.slug}").text
    deleted = client.post(
        f"/producer/{mine.id}/photos/{photo.id}/delete", data={"csrf_token": token}
    )
    assert deleted.status_code == 302
    assert not (media_root / photo.path).exists()


def test_import_page_reports_refused_rows(client, session, shop):
    mine = shop[0]
    _signed_in(client)
    path = f"/producer/{mine.id}/products/import"
    csv_text = (
        "sku,product_name,variant_label,price_vnd,weight_grams,group,subgroup\n"
        "NEW-1,Chè Shan Tuyết,Gói 200 g,95.000,250,thuc-pham,che-tra\n"
        "NEW-2,Chè Shan Tuyết,Gói 500 g,abc,550,,\n"
    )
    page = client.post(
        path,
        data={
            "csrf_token": _token(client, path),
            "file": (io.BytesIO(csv_text.encode()), "sp.csv"),
        },
        content_type="multipart/form-data",
    )
    assert page.status_code == 400
    assert "Chưa nhập gì: 1 dòng bị từ chối" in page.text and "NEW-2" in page.text
    assert session.execute(select(Variant).where(Variant.sku == "NEW-1")).first() is None
    export = client.get(f"/producer/{mine.id}/products/export.csv")
    assert export.mimetype == "text/csv" and "Mật ong hoa Ban" in export.text
    assert "Lạc đỏ Na Son" not in export.text


def test_a_plain_member_edits_product_details(app, session, shop):
    mine, _, product, _ = shop
    make_member(session, mine, owner=False, email="staff@example.vn")
    session.commit()
    edit = f"/producer/{mine.id}/products/{product.id}"
    product_id, slug = product.id, product.slug
    session.expunge_all()  # nothing already loaded: the page must load what it needs
    staff = _signed_in(app.test_client(), "staff@example.vn")
    page = staff.get(edit)
    assert page.status_code == 200 and "thuc-pham/thuc-pham-che-bien" in page.text
    empty = staff.post(edit, data={"csrf_token": csrf_token_from(page.text), "name": ""})
    assert empty.status_code == 200 and "Vui lòng điền mục này." in empty.text
    saved = staff.post(
        edit,
        data={
            "csrf_token": csrf_token_from(page.text),
            "name": "Mật ong hoa Ban Mường Phăng",
            "name_en": "Ban flower honey",
            "category": "thuc-pham/thuc-pham-che-bien",
            "description": "Mật ong rừng.",
        },
    )
    assert saved.status_code == 302
    session.expire_all()
    updated = session.get(Product, product_id)
    assert (updated.name, updated.name_en, updated.slug) == (
        "Mật ong hoa Ban Mường Phăng",
        "Ban flower honey",
        slug,  # links already shared keep working
    )
    assert "Mật ong hoa Ban Mường Phăng" in staff.get("/products?q=muong+phang").text
