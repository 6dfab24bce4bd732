"""Helpers shared by the cart, checkout and order tests: places, orders placed through
the service, and a checkout driven through the pages as a browser would."""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from storefront.catalog.models import Product, Variant
from storefront.orders.models import Order
from storefront.orders.placement import (
    Contact,
    DeliveryAddress,
    LineRequest,
    OrderRequest,
    new_checkout_token,
    place_order,
)
from tests.conftest import csrf_token_from

HA_NOI = 1
HA_NOI_WARD = 9877  # Xã An Khánh
GIA_LAI = 52
GIA_LAI_WARD = 23954  # Xã Al Bá

CHECKOUT_TOKEN = re.compile(r'name="checkout_token"[^>]*value="([^"]+)"')


def variant_of(session: Session, product: Product) -> Variant:
    return session.execute(select(Variant).where(Variant.product_id == product.id)).scalar_one()


def stock_of(session: Session, variant_id: int) -> int:
    session.expire_all()
    return session.execute(select(Variant.stock).where(Variant.id == variant_id)).scalar_one()


def order_request(
    lines: list[tuple[int, int]],
    token: str | None = None,
    province: int = HA_NOI,
    ward: int = HA_NOI_WARD,
    method: str = "cod",
    awaiting: bool = False,
    user_id: int | None = None,
    phone: str = "0912 345 678",
    email: str = "Mua.Hang@Example.vn",
) -> OrderRequest:
    return OrderRequest(
        checkout_token=token or new_checkout_token(),
        contact=Contact(name="Nguyễn Thị Lan", phone=phone, email=email),
        address=DeliveryAddress(province_code=province, ward_code=ward, street="12 Phố Huế"),
        lines=[LineRequest(variant_id, quantity) for variant_id, quantity in lines],
        payment_method=method,
        awaiting_payment=awaiting,
        user_id=user_id,
    )


def place(session: Session, lines: list[tuple[int, int]], **kw: object) -> Order:
    """Place and commit an order through the service."""
    placed = place_order(session, order_request(lines, **kw))  # type: ignore[arg-type]
    session.commit()
    return placed.order


def add_to_cart(
    client: FlaskClient, product: Product, variant_id: int, quantity: int | str = 1
) -> TestResponse:
    page = client.get(f"/products/{product.slug}")
    assert page.status_code == 200
    return client.post(
        "/cart/add",
        data={
            "variant_id": variant_id,
            "quantity": quantity,
            "csrf_token": csrf_token_from(page.text),
            "next": f"/products/{product.slug}",
        },
    )


def checkout_form(client: FlaskClient) -> dict[str, str]:
    """The hidden fields of the checkout page (CSRF and idempotency tokens)."""
    page = client.get("/checkout")
    assert page.status_code == 200, page.status_code
    match = CHECKOUT_TOKEN.search(page.text)
    assert match, "checkout page has no checkout token"
    return {"csrf_token": csrf_token_from(page.text), "checkout_token": match.group(1)}


def delivery_fields(**overrides: object) -> dict[str, object]:
    fields: dict[str, object] = {
        "contact_name": "Trần Văn Minh",
        "phone": "0987 654 321",
        "email": "minh@example.vn",
        "province_code": HA_NOI,
        "ward_code": HA_NOI_WARD,
        "street": "5 Ngõ Huế",
        "note": "",
        "payment_method": "cod",
        "place": "1",
    }
    fields.update(overrides)
    return fields


def latest_order(session: Session) -> Order | None:
    session.expire_all()
    return session.execute(select(Order).order_by(Order.id.desc()).limit(1)).scalar_one_or_none()
