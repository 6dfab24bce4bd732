"""Invoices: a business buyer's order carries the company, tax code and address as they
were at placement, and the producer sees them on the part page and in the CSV."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest
from sqlalchemy import select

from storefront.business import services
from storefront.orders.errors import OrderError
from storefront.orders.models import Order
from storefront.orders.placement import place_order
from tests.accounts.helpers import log_in, make_member, make_user
from tests.business.helpers import make_business_buyer, profile_data
from tests.factories import make_producer, make_product
from tests.orders.helpers import (
    add_to_cart,
    checkout_form,
    delivery_fields,
    order_request,
    variant_of,
)
from tests.producers.helpers import part_id_of


@pytest.fixture
def shop(session):
    producer = make_producer(session, name="HTX Mật ong Mường Phăng")
    product = make_product(session, producer, name="Mật ong hoa Ban", stock=50)
    owner = make_member(session, producer, email="htx@example.vn")
    session.commit()
    return producer, product, owner


def test_placement_copies_the_profile_and_later_changes_do_not_rewrite_it(session, shop):
    _, product, _ = shop
    buyer, _ = make_business_buyer(session)
    variant = variant_of(session, product)
    request = replace(order_request([(variant.id, 2)], user_id=buyer.id), wants_invoice=True)
    order = place_order(session, request).order
    assert order.invoice_company_name == "Công ty TNHH Đặc sản Tây Bắc"
    assert order.invoice_tax_code == "0100233488"
    assert order.invoice_address.startswith("Số 12, đường Võ Nguyên Giáp, Phường Điện Biên Phủ")
    assert order.invoice_address.endswith("Điện Biên")
    services.save_business_profile(session, buyer.id, profile_data(name="Công ty mới"))
    session.commit()
    session.expire_all()
    assert session.get(Order, order.id).invoice_company_name == "Công ty TNHH Đặc sản Tây Bắc"


def test_without_asking_there_is_no_invoice(session, shop):
    _, product, _ = shop
    buyer, _ = make_business_buyer(session)
    variant = variant_of(session, product)
    order = place_order(session, order_request([(variant.id, 1)], user_id=buyer.id)).order
    assert not order.wants_invoice and order.invoice_tax_code == ""


@pytest.mark.parametrize("retail", [True, False])
def test_an_invoice_needs_a_business_profile(session, shop, retail):
    _, product, _ = shop
    user_id = make_user(session).id if retail else None
    variant = variant_of(session, product)
    request = replace(order_request([(variant.id, 1)], user_id=user_id), wants_invoice=True)
    with pytest.raises(OrderError, match="thông tin doanh nghiệp"):
        place_order(session, request)
    session.rollback()
    assert session.execute(select(Order)).first() is None


def _checkout_as_business_buyer(client, session, product, invoice: bool):
    make_business_buyer(session, email="shop@example.vn")
    session.commit()
    log_in(client, "shop@example.vn")
    add_to_cart(client, product, variant_of(session, product).id, 3)
    page = client.get("/checkout")
    assert "Xuất hóa đơn cho doanh nghiệp" in page.text
    assert "0100233488" in page.text
    fields = {**checkout_form(client), **delivery_fields()}
    if invoice:
        fields["invoice"] = "y"
    placed = client.post("/checkout", data=fields)
    assert placed.status_code == 303, placed.text
    return session.execute(select(Order)).scalar_one()


def test_checkout_offers_the_invoice_and_the_producer_sees_it(client, session, shop, app):
    producer, product, _ = shop
    order = _checkout_as_business_buyer(client, session, product, invoice=True)
    assert order.invoice_tax_code == "0100233488"
    assert "0100233488" in client.get(f"/orders/{order.number}").text

    producer_client = app.test_client()
    log_in(producer_client, "htx@example.vn")
    part_id = part_id_of(session, order.id)
    page = producer_client.get(f"/producer/{producer.id}/orders/{part_id}")
    assert page.status_code == 200
    assert "Công ty TNHH Đặc sản Tây Bắc" in page.text and "0100233488" in page.text
    exported = producer_client.get(f"/producer/{producer.id}/orders.csv")
    rows = list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))
    assert rows[0]["invoice_company"] == "Công ty TNHH Đặc sản Tây Bắc"
    assert rows[0]["invoice_tax_code"] == "0100233488"
    assert rows[0]["invoice_address"].endswith("Điện Biên")


def test_unticked_invoice_leaves_the_order_without_one(client, session, shop):
    _, product, _ = shop
    order = _checkout_as_business_buyer(client, session, product, invoice=False)
    assert order.invoice_tax_code == "" and order.invoice_company_name == ""


def test_retail_buyers_are_not_offered_an_invoice(client, session, shop):
    _, product, _ = shop
    make_user(session, email="retail@example.vn")
    session.commit()
    log_in(client, "retail@example.vn")
    add_to_cart(client, product, variant_of(session, product).id, 1)
    assert "Xuất hóa đơn cho doanh nghiệp" not in client.get("/checkout").text
    fields = {**checkout_form(client), **delivery_fields(), "invoice": "y"}
    refused = client.post("/checkout", data=fields)
    assert refused.status_code == 303  # back to the form, with the message
    assert "thông tin doanh nghiệp" in client.get("/checkout").text
    assert session.execute(select(Order)).first() is None
