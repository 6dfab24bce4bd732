"""A buyer through the API: a guest cart token or a buyer's personal access token, the
cart, a shipping quote, checkout with an Idempotency-Key through checkout's own service,
orders, cancelling a part, reviews; and a producer's batches. Each answer is checked
against the live document."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storefront.api.models import IdempotencyKey
from storefront.cart import services as carts
from storefront.cart.quote import quote
from storefront.catalog.models import Product, Variant
from storefront.orders.models import Order, OrderPart
from storefront.payments import vietqr
from storefront.pricing import PriceContext
from storefront.reviews.models import Review
from storefront.timeutil import today_in_vietnam, utcnow
from storefront.traceability.models import Batch
from tests.accounts.helpers import log_in
from tests.api.buyer_helpers import CHECKOUT_BODY, api, make_shop
from tests.api.helpers import spec_of
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD
from tests.orders.helpers import (
    add_to_cart,
    checkout_form,
    delivery_fields,
    latest_order,
    stock_of,
)
from tests.reviews.helpers import deliver


@pytest.fixture
def shop(session):
    return make_shop(session)


@pytest.fixture
def spec(client):
    return spec_of(client)


def _guest_cart(client, spec, pack_id, quantity=2):
    made = api(client, spec, "POST", "/api/v1/carts")
    assert made.status_code == 201
    token = made.get_json()["cart_token"]
    added = api(
        client, spec, "POST", "/api/v1/cart/lines", cart=token,
        json={"pack_id": pack_id, "quantity": quantity},
    )  # fmt: skip
    assert added.status_code == 200, added.get_json()
    return token


def _order_with_key(client, spec, key, cart=None, secret=None, body=None):
    return api(
        client, spec, "POST", "/api/v1/cart/checkout", secret=secret, cart=cart,
        headers={"Idempotency-Key": key}, json=body or CHECKOUT_BODY,
    )  # fmt: skip


# -- the cart ---------------------------------------------------------------------------------


def test_a_guest_cart_is_filled_changed_and_emptied_through_its_token(client, session, shop, spec):
    token = _guest_cart(client, spec, shop.pack_id, 2)
    cart = api(client, spec, "GET", "/api/v1/cart", cart=token).get_json()
    [group] = cart["groups"]
    [line] = group["lines"]
    assert (line["pack_id"], line["quantity"], line["unit_price_vnd"]) == (shop.pack_id, 2, 150_000)
    assert cart["items_total_vnd"] == 300_000 and group["producer"]["name"] == "HTX Mường Phăng"
    # More than the stock (20) is cut down to it, and said so.
    changed = api(
        client, spec, "PUT", f"/api/v1/cart/lines/{shop.pack_id}", cart=token, json={"quantity": 50}
    ).get_json()
    assert changed["quantity"] == 20 and changed["capped"] and "20" in changed["message"]
    removed = api(client, spec, "DELETE", f"/api/v1/cart/lines/{shop.pack_id}", cart=token)
    assert removed.status_code == 200 and removed.get_json()["groups"] == []
    again = api(client, spec, "DELETE", f"/api/v1/cart/lines/{shop.pack_id}", cart=token)
    assert again.status_code == 404
    # The cart is the guest cart the cookie would name: the same row, the same token.
    stored = carts.find_cart(session, token=token)
    assert stored is not None and stored.user_id is None


def test_cart_refusals_change_nothing(client, session, shop, spec):
    token = _guest_cart(client, spec, shop.pack_id, 1)
    session.execute(
        Product.__table__.update()
        .where(
            Product.id
            == select(Variant.product_id).where(Variant.id == shop.other_pack_id).scalar_subquery()
        )
        .values(is_published=False)
    )
    session.commit()
    hidden = api(
        client, spec, "POST", "/api/v1/cart/lines", cart=token,
        json={"pack_id": shop.other_pack_id},
    )  # fmt: skip
    assert hidden.status_code == 409
    assert hidden.get_json()["detail"] == "Sản phẩm này không còn được bán."
    unknown = api(client, spec, "POST", "/api/v1/cart/lines", cart=token, json={"pack_id": 999_999})
    assert unknown.status_code == 409
    bad = api(client, spec, "POST", "/api/v1/cart/lines", cart=token, json={"pack_id": "x"})
    assert bad.status_code == 422 and bad.get_json()["field"] == "pack_id"
    not_in_cart = api(
        client, spec, "PUT", f"/api/v1/cart/lines/{shop.other_pack_id}", cart=token,
        json={"quantity": 1},
    )  # fmt: skip
    assert not_in_cart.status_code == 404
    assert api(client, spec, "GET", "/api/v1/cart", cart="forged").status_code == 401
    cart = api(client, spec, "GET", "/api/v1/cart", cart=token).get_json()
    assert [line["pack_id"] for g in cart["groups"] for line in g["lines"]] == [shop.pack_id]


def test_a_buyer_token_works_the_accounts_own_cart(client, session, shop, spec):
    secret = shop.tokens["buyer"]
    assert api(client, spec, "GET", "/api/v1/cart", secret).get_json()["groups"] == []
    api(client, spec, "POST", "/api/v1/cart/lines", secret, json={"pack_id": shop.pack_id})
    own = carts.find_cart(session, user_id=shop.buyer_id)
    assert own is not None
    summary = carts.summarize(session, own, PriceContext(utcnow()))
    assert [(i.variant.id, i.quantity) for i in summary.items] == [(shop.pack_id, 1)]
    # The signed-in cart page shows the same cart.
    from storefront.accounts.models import User

    log_in(client, session.get(User, shop.buyer_id).email)
    assert "Mật ong hoa Ban" in client.get("/cart").text


def test_a_quote_is_the_checkout_pages_quote(client, session, shop, spec):
    token = _guest_cart(client, spec, shop.pack_id, 3)
    answer = api(client, spec, "GET", "/api/v1/cart/quote?province=ha-noi", cart=token)
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    cart = carts.find_cart(session, token=token)
    expected = quote(session, carts.summarize(session, cart, PriceContext(utcnow())), 1)
    assert body["province"]["code"] == 1
    assert body["shipping_total_vnd"] == expected.shipping_total_vnd > 0
    assert body["total_vnd"] == expected.total_vnd == 450_000 + expected.shipping_total_vnd
    # An old name finds its 2025 province; nonsense is refused with the field at fault.
    assert (
        api(client, spec, "GET", "/api/v1/cart/quote?province=Trà Vinh", cart=token)
        .get_json()["province"]["name"]
        .endswith("Vĩnh Long")
    )
    unknown = api(client, spec, "GET", "/api/v1/cart/quote?province=Atlantis", cart=token)
    assert unknown.status_code == 422 and unknown.get_json()["field"] == "province"
    empty = api(client, spec, "POST", "/api/v1/carts").get_json()["cart_token"]
    assert api(client, spec, "GET", "/api/v1/cart/quote?province=1", cart=empty).status_code == 409


# -- checkout ---------------------------------------------------------------------------------


def test_checkout_places_the_order_once_per_idempotency_key(client, session, shop, spec):
    token = _guest_cart(client, spec, shop.pack_id, 2)
    first = _order_with_key(client, spec, "k-1", cart=token)
    assert first.status_code == 201, first.get_json()
    order = first.get_json()
    assert order["total_vnd"] == order["items_total_vnd"] + order["shipping_total_vnd"]
    assert order["parts"][0]["lines"][0]["quantity"] == 2
    assert first.headers["Location"] == f"/api/v1/orders/{order['number']}"
    assert stock_of(session, shop.pack_id) == 18
    # The cart was emptied; the retry still gives back the same order, and takes nothing.
    retry = _order_with_key(client, spec, "k-1", cart=token)
    assert retry.status_code == 201 and retry.get_json()["number"] == order["number"]
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert stock_of(session, shop.pack_id) == 18
    assert session.execute(select(func.count()).select_from(Order)).scalar_one() == 1
    # The same key with another body cannot be the same order.
    other = _order_with_key(client, spec, "k-1", cart=token, body={**CHECKOUT_BODY, "note": "x"})
    assert other.status_code == 422
    problem = other.get_json()
    assert problem["type"].endswith("idempotency-key-reused")
    assert problem["field"] == "Idempotency-Key"
    assert session.execute(select(func.count()).select_from(IdempotencyKey)).scalar_one() == 1


def test_checkout_requires_an_idempotency_key(client, session, shop, spec):
    token = _guest_cart(client, spec, shop.pack_id)
    missing = api(client, spec, "POST", "/api/v1/cart/checkout", cart=token, json=CHECKOUT_BODY)
    assert missing.status_code == 400
    assert missing.get_json()["type"].endswith("idempotency-key-missing")
    too_long = _order_with_key(client, spec, "x" * 256, cart=token)
    assert too_long.status_code == 400
    assert latest_order(session) is None


def test_checkout_refuses_with_the_forms_messages_and_changes_nothing(client, session, shop, spec):
    token = _guest_cart(client, spec, shop.pack_id)
    blank = _order_with_key(client, spec, "a", cart=token, body={**CHECKOUT_BODY, "phone": ""})
    assert blank.status_code == 422
    assert blank.get_json()["field"] == "phone"
    assert blank.get_json()["detail"] == "Vui lòng điền mục này."
    wrong = _order_with_key(client, spec, "b", cart=token, body={**CHECKOUT_BODY, "phone": "12"})
    assert wrong.status_code == 422 and wrong.get_json()["field"] == "phone"
    assert wrong.get_json()["detail"].startswith("Số điện thoại không hợp lệ")
    ward = _order_with_key(
        client, spec, "c", cart=token, body={**CHECKOUT_BODY, "ward_code": DIEN_BIEN_WARD}
    )
    assert ward.get_json()["field"] == "ward_code"
    assert ward.get_json()["detail"] == "Vui lòng chọn phường, xã thuộc tỉnh, thành phố đã chọn."
    card = _order_with_key(
        client, spec, "d", cart=token, body={**CHECKOUT_BODY, "payment_method": "card"}
    )
    assert card.status_code == 422 and card.get_json()["field"] == "payment_method"
    english = api(
        client, spec, "POST", "/api/v1/cart/checkout", cart=token,
        headers={"Idempotency-Key": "e", "Accept-Language": "en"},
        json={**CHECKOUT_BODY, "street": ""},
    )  # fmt: skip
    assert english.get_json()["detail"] == "Please fill in this field."
    assert latest_order(session) is None and stock_of(session, shop.pack_id) == 20
    # A refused key is not spent: fixed, the same key places the order.
    fixed = _order_with_key(client, spec, "a", cart=token)
    assert fixed.status_code == 201


def test_checkout_of_a_sold_out_cart_says_which_line(client, session, shop, spec):
    token = _guest_cart(client, spec, shop.pack_id, 5)
    session.execute(Variant.__table__.update().where(Variant.id == shop.pack_id).values(stock=2))
    session.commit()
    sold_out = _order_with_key(client, spec, "k", cart=token)
    assert sold_out.status_code == 409 and "Mật ong hoa Ban" in sold_out.get_json()["detail"]
    assert latest_order(session) is None and stock_of(session, shop.pack_id) == 2
    empty = api(client, spec, "POST", "/api/v1/carts").get_json()["cart_token"]
    assert _order_with_key(client, spec, "k", cart=empty).status_code == 409


def test_a_bank_transfer_order_says_what_to_send(client, session, shop, spec):
    secret = shop.tokens["buyer"]
    api(client, spec, "POST", "/api/v1/cart/lines", secret, json={"pack_id": shop.pack_id})
    body = {**CHECKOUT_BODY, "payment_method": "bank_transfer"}
    order = _order_with_key(client, spec, "vqr", secret=secret, body=body).get_json()
    transfer = order["bank_transfer"]
    assert order["payment_status"] == "awaiting"
    assert transfer["amount_vnd"] == order["total_vnd"]
    assert transfer["note"] == vietqr.transfer_purpose(order["number"])  # the order number
    assert transfer["payload"].startswith("000201")
    assert (
        session.get(Order, session.execute(select(Order.id)).scalar_one()).user_id == shop.buyer_id
    )


def test_an_order_through_the_api_equals_one_through_the_form(client, session, shop, spec):
    """The same cart (two producers, one at a fair-free price) through both ways in."""
    secret = shop.tokens["buyer"]
    for pack_id, quantity in ((shop.pack_id, 2), (shop.other_pack_id, 3)):
        api(
            client, spec, "POST", "/api/v1/cart/lines", secret,
            json={"pack_id": pack_id, "quantity": quantity},
        )  # fmt: skip
    body = {**CHECKOUT_BODY, "payment_method": "cod"}
    through_api = _order_with_key(client, spec, "same-cart", secret=secret, body=body)
    assert through_api.status_code == 201
    api_order = latest_order(session)

    from storefront.accounts.models import User

    buyer = session.get(User, shop.buyer_id)
    page_client = client.application.test_client()
    log_in(page_client, buyer.email)
    product_a = session.execute(
        select(Product).join(Variant).where(Variant.id == shop.pack_id)
    ).scalar_one()
    product_b = session.execute(
        select(Product).join(Variant).where(Variant.id == shop.other_pack_id)
    ).scalar_one()
    add_to_cart(page_client, product_a, shop.pack_id, 2)
    add_to_cart(page_client, product_b, shop.other_pack_id, 3)
    placed = page_client.post(
        "/checkout", data={**checkout_form(page_client), **delivery_fields(**body)}
    )
    assert placed.status_code == 303, placed.headers
    form_order = latest_order(session)
    assert form_order.id != api_order.id

    def facts(order: Order):  # type: ignore[no-untyped-def]
        parts = session.execute(
            select(OrderPart).where(OrderPart.order_id == order.id).order_by(OrderPart.producer_id)
        ).scalars()
        from storefront.orders.queries import order_for_page

        full = order_for_page(session, order.number)
        return (
            order.user_id,
            order.items_total_vnd,
            order.shipping_total_vnd,
            order.total_vnd,
            order.payment_method,
            str(order.payment_status),
            (order.contact_name, order.phone, order.email, order.province_code, order.ward_code),
            sorted(
                (
                    p.producer_id,
                    p.items_total_vnd,
                    p.shipping_fee_vnd,
                    p.weight_grams,
                    tuple(
                        (ln.variant_id, ln.quantity, ln.unit_price_vnd, ln.product_name)
                        for ln in next(x for x in full.parts if x.id == p.id).lines
                    ),
                )
                for p in parts
            ),
        )

    assert facts(api_order) == facts(form_order)
    assert len(facts(api_order)[-1]) == 2  # two producers, two parcels


# -- orders, cancelling, reviews ---------------------------------------------------------------


def _placed_by_buyer(client, spec, shop, quantity=2, key="o-1"):
    secret = shop.tokens["buyer"]
    api(
        client, spec, "POST", "/api/v1/cart/lines", secret,
        json={"pack_id": shop.pack_id, "quantity": quantity},
    )  # fmt: skip
    return _order_with_key(client, spec, key, secret=secret).get_json()


def test_a_buyer_reads_only_their_own_orders(client, session, shop, spec):
    order = _placed_by_buyer(client, spec, shop)
    mine = api(client, spec, "GET", "/api/v1/orders", shop.tokens["buyer"]).get_json()
    assert [o["number"] for o in mine["items"]] == [order["number"]]
    theirs = api(client, spec, "GET", "/api/v1/orders", shop.tokens["other_buyer"]).get_json()
    assert theirs["items"] == []
    path = f"/api/v1/orders/{order['number']}"
    detail = api(client, spec, "GET", path, shop.tokens["buyer_read"]).get_json()
    assert detail["parts"][0]["status"] == "placed" and detail["parts"][0]["can_cancel"]
    assert detail["parts"][0]["history"][0]["status"] == "placed"
    assert api(client, spec, "GET", path, shop.tokens["other_buyer"]).status_code == 404
    assert (
        api(client, spec, "GET", "/api/v1/orders/OC-0000-XXXXXX", shop.tokens["buyer"]).status_code
        == 404
    )
    assert (
        api(client, spec, "GET", "/api/v1/orders/nonsense", shop.tokens["buyer"]).status_code == 404
    )


def test_a_buyer_cancels_a_part_before_it_ships(client, session, shop, spec):
    order = _placed_by_buyer(client, spec, shop)
    part_id = order["parts"][0]["id"]
    path = f"/api/v1/orders/{order['number']}/parts/{part_id}/cancel"
    assert api(client, spec, "POST", path, shop.tokens["other_buyer"]).status_code == 404
    cancelled = api(client, spec, "POST", path, shop.tokens["buyer"])
    assert cancelled.status_code == 200
    assert cancelled.get_json()["parts"][0]["status"] == "cancelled"
    assert stock_of(session, shop.pack_id) == 20
    again = api(client, spec, "POST", path, shop.tokens["buyer"])
    assert again.status_code == 409
    assert again.get_json()["detail"] == (
        "Phần đơn hàng này đã được gửi đi hoặc đã huỷ, không thể huỷ."
    )
    assert stock_of(session, shop.pack_id) == 20
    wrong_part = f"/api/v1/orders/{order['number']}/parts/999999/cancel"
    assert api(client, spec, "POST", wrong_part, shop.tokens["buyer"]).status_code == 404


def test_a_buyer_reviews_once_delivered_and_once_only(client, session, shop, spec):
    order = _placed_by_buyer(client, spec, shop)
    part_id = order["parts"][0]["id"]
    product_id = order["parts"][0]["lines"][0]["product_id"]
    path = f"/api/v1/orders/{order['number']}/parts/{part_id}/reviews"
    review = {"product_id": product_id, "stars": 5, "body": "Mật thơm, đặc."}
    early = api(client, spec, "POST", path, shop.tokens["buyer"], json=review)
    assert early.status_code == 409
    assert early.get_json()["detail"] == "Bạn có thể đánh giá khi đã nhận được hàng."
    deliver(session, part_id)
    assert (
        api(client, spec, "POST", path, shop.tokens["other_buyer"], json=review).status_code == 404
    )
    bad = api(client, spec, "POST", path, shop.tokens["buyer"], json={**review, "stars": 7})
    assert bad.status_code == 422 and bad.get_json()["field"] == "stars"
    written = api(client, spec, "POST", path, shop.tokens["buyer"], json=review)
    assert written.status_code == 201, written.get_json()
    assert written.get_json()["author_name"] == "Trần Văn M."
    twice = api(client, spec, "POST", path, shop.tokens["buyer"], json=review)
    assert twice.status_code == 409
    session.expire_all()
    assert session.execute(select(func.count()).select_from(Review)).scalar_one() == 1
    assert session.get(Product, product_id).rating_count == 1


# -- a producer's batches ------------------------------------------------------------------------


def _batch_body(shop, **changes):  # type: ignore[no-untyped-def]
    today = today_in_vietnam()
    body = {
        "pack_id": shop.pack_id,
        "produced_on": (today - timedelta(days=5)).isoformat(),
        "expires_on": (today + timedelta(days=360)).isoformat(),
        "quantity": 200,
        "province_code": DIEN_BIEN,
        "ward_code": DIEN_BIEN_WARD,
        "place_detail": "Bản Mường Phăng",
        "steps": [
            {"kind": "growing", "happened_on": (today - timedelta(days=9)).isoformat()},
            {"kind": "packing", "happened_on": (today - timedelta(days=5)).isoformat()},
        ],
    }
    body.update(changes)
    return body


def test_a_producer_records_lists_and_reads_its_batches(client, session, shop, spec):
    base = f"/api/v1/producer/{shop.producer_id}/batches"
    made = api(client, spec, "POST", base, shop.tokens["producer"], json=_batch_body(shop))
    assert made.status_code == 201, made.get_json()
    batch = made.get_json()
    assert [s["kind"] for s in batch["steps"]] == ["growing", "packing"]
    assert batch["trace_url"].endswith("/t/" + batch["code"].replace("-", ""))
    assert batch["certificate_id"] is not None  # the 4★ certificate in force
    listed = api(client, spec, "GET", base, shop.tokens["producer_read"]).get_json()
    assert [b["id"] for b in listed["items"]] == [batch["id"]]
    read = api(client, spec, "GET", f"{base}/{batch['id']}", shop.tokens["producer_read"])
    assert read.get_json()["place_detail"] == "Bản Mường Phăng"
    # Another producer's batch, pack or path: 404, as the workspace answers.
    other_base = f"/api/v1/producer/{shop.other_producer_id}/batches"
    assert (
        api(client, spec, "GET", f"{base}/{batch['id']}", shop.tokens["other_producer"]).status_code
        == 404
    )
    assert (
        api(
            client, spec, "GET", f"{other_base}/{batch['id']}", shop.tokens["other_producer"]
        ).status_code
        == 404
    )
    theirs = api(
        client, spec, "POST", base, shop.tokens["producer"],
        json=_batch_body(shop, pack_id=shop.other_pack_id),
    )  # fmt: skip
    assert theirs.status_code == 404
    assert session.execute(select(func.count()).select_from(Batch)).scalar_one() == 1


def test_a_batch_is_refused_with_the_workspaces_messages(client, session, shop, spec):
    base = f"/api/v1/producer/{shop.producer_id}/batches"
    secret = shop.tokens["producer"]
    today = today_in_vietnam()
    backwards = api(
        client, spec, "POST", base, secret,
        json=_batch_body(shop, expires_on=(today - timedelta(days=30)).isoformat()),
    )  # fmt: skip
    assert backwards.status_code == 422
    assert backwards.get_json()["field"] == "expires_on"
    assert backwards.get_json()["detail"] == "Hạn sử dụng phải sau ngày sản xuất."
    future_step = _batch_body(shop)
    future_step["steps"][1]["happened_on"] = (today + timedelta(days=3)).isoformat()
    step = api(client, spec, "POST", base, secret, json=future_step)
    assert step.get_json()["field"] == "steps.1.happened_on"
    assert step.get_json()["detail"] == "Ngày của công đoạn không được sau hôm nay."
    ward = api(client, spec, "POST", base, secret, json=_batch_body(shop, ward_code=1))
    assert ward.get_json()["field"] == "ward_code"
    zero = api(client, spec, "POST", base, secret, json=_batch_body(shop, quantity=0))
    assert zero.status_code == 422 and zero.get_json()["field"] == "quantity"
    bad_date = api(
        client, spec, "POST", base, secret, json=_batch_body(shop, produced_on="hôm qua")
    )
    assert bad_date.status_code == 422 and bad_date.get_json()["field"] == "produced_on"
    assert session.execute(select(func.count()).select_from(Batch)).scalar_one() == 0


def test_the_cart_and_an_order_take_a_fixed_number_of_statements(
    client, session, shop, spec, count_queries
):
    """One line or many, from one producer or several: the same statements."""
    from tests.factories import make_product
    from tests.orders.helpers import variant_of

    secret = shop.tokens["buyer"]

    def add(pack_id: int) -> None:
        api(client, spec, "POST", "/api/v1/cart/lines", secret, json={"pack_id": pack_id})

    add(shop.pack_id)
    client.get("/api/v1/cart", headers={"Authorization": f"Bearer {secret}"})  # warm
    with count_queries() as one:
        client.get("/api/v1/cart", headers={"Authorization": f"Bearer {secret}"})
    first = _order_with_key(client, spec, "n-1", secret=secret).get_json()
    with count_queries() as one_order:
        client.get(
            f"/api/v1/orders/{first['number']}", headers={"Authorization": f"Bearer {secret}"}
        )
    packs = [shop.pack_id, shop.other_pack_id]
    for n in range(4):
        packs.append(variant_of(session, make_product(session, name=f"Khoai sọ {n}", stock=5)).id)
    session.commit()
    for pack_id in packs:
        add(pack_id)
    with count_queries() as many:
        client.get("/api/v1/cart", headers={"Authorization": f"Bearer {secret}"})
    assert many.count == one.count
    second = _order_with_key(client, spec, "n-2", secret=secret).get_json()
    assert len(second["parts"]) == 6
    with count_queries() as many_parts:
        client.get(
            f"/api/v1/orders/{second['number']}", headers={"Authorization": f"Bearer {secret}"}
        )
    assert many_parts.count == one_order.count
