"""Fulfilling orders from the workspace: the list, each step, the packing slip, the CSV;
the buyer sees every change on the order page and gets the emails the orders domain sends."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select

from storefront.accounts.models import User
from storefront.catalog.models import StockMovement, StockReason
from storefront.orders.access import SESSION_KEY
from storefront.orders.models import OrderPart, OrderStatusChange, PartStatus
from tests.accounts.helpers import log_in, make_member
from tests.conftest import csrf_token_from
from tests.factories import VINH_LONG, VINH_LONG_WARD, make_producer, make_product
from tests.orders.helpers import place, stock_of, variant_of
from tests.producers.helpers import part_id_of


def _setup(session):  # type: ignore[no-untyped-def]
    mine, theirs = (
        make_producer(session, name="HTX Mật ong"),
        make_producer(session, name="HTX Lạc"),
    )
    make_member(session, mine, email="ong@example.vn")
    honey = make_product(session, mine, name="Mật ong hoa Ban", price=150_000, stock=10)
    peanuts = make_product(session, theirs, name="Lạc đỏ Na Son", price=80_000, stock=10)
    honey_variant, peanut_variant = variant_of(session, honey), variant_of(session, peanuts)
    order = place(session, [(honey_variant.id, 3), (peanut_variant.id, 1)], email="lan@example.vn")
    parts = {
        p.producer_id: p.id
        for p in session.execute(select(OrderPart).where(OrderPart.order_id == order.id)).scalars()
    }
    return mine, theirs, order, parts[mine.id], parts[theirs.id], honey_variant


def _buyer_sees(app, number):  # type: ignore[no-untyped-def]
    buyer = app.test_client()
    with buyer.session_transaction() as cookie:
        cookie[SESSION_KEY] = [number]
    return buyer.get(f"/orders/{number}").text


def test_confirm_ship_deliver_with_the_buyer_told(app, client, session, smtp_inbox):
    mine, _, order, part_id, their_part_id, _ = _setup(session)
    log_in(client, "ong@example.vn")
    listing = client.get(f"/producer/{mine.id}/orders")
    assert order.number in listing.text and "Lạc đỏ Na Son" not in listing.text
    assert order.number in client.get(f"/producer/{mine.id}/orders?status=placed").text
    assert order.number not in client.get(f"/producer/{mine.id}/orders?status=shipped").text
    assert client.get(f"/producer/{mine.id}/orders?status=bogus&page=x").status_code == 200
    page = client.get(f"/producer/{mine.id}/orders/{part_id}")
    token = csrf_token_from(page.text)
    base = f"/producer/{mine.id}/orders/{part_id}"
    # steps out of order are refused and change nothing
    early = client.post(f"{base}/deliver", data={"csrf_token": token}, follow_redirects=True)
    assert "Không thể chuyển" in early.text
    assert client.post(f"{base}/confirm", data={"csrf_token": token}).status_code == 302
    missing = client.post(f"{base}/ship", data={"csrf_token": token, "carrier": "Viettel Post"})
    assert missing.status_code == 400  # the form again, with the carrier as typed
    assert 'value="Viettel Post"' in missing.text and "Vui lòng điền đủ thông tin." in missing.text
    session.expire_all()
    assert session.get(OrderPart, part_id).status == PartStatus.CONFIRMED
    client.post(
        f"{base}/ship",
        data={"csrf_token": token, "carrier": "Viettel Post", "tracking_number": "VTP123456"},
    )
    [email] = smtp_inbox.to("lan@example.vn")[-1:]
    assert "VTP123456" in smtp_inbox.text_of(email)
    assert "VTP123456" in _buyer_sees(app, order.number)
    client.post(f"{base}/deliver", data={"csrf_token": token})
    session.expire_all()
    part = session.get(OrderPart, part_id)
    assert (part.status, part.carrier) == (PartStatus.DELIVERED, "Viettel Post")
    assert session.get(OrderPart, their_part_id).status == PartStatus.PLACED


def test_cancel_needs_a_reason_returns_stock_and_records_it(app, client, session, smtp_inbox):
    mine, _, order, part_id, _, variant = _setup(session)
    owner_id = session.execute(select(User.id).where(User.email == "ong@example.vn")).scalar_one()
    assert stock_of(session, variant.id) == 7
    log_in(client, "ong@example.vn")
    base = f"/producer/{mine.id}/orders/{part_id}"
    token = csrf_token_from(client.get(base).text)
    no_reason = client.post(f"{base}/cancel", data={"csrf_token": token, "reason": " "})
    assert no_reason.status_code == 400 and stock_of(session, variant.id) == 7  # form again
    client.post(f"{base}/cancel", data={"csrf_token": token, "reason": "Hết mật ong vụ này"})
    session.expire_all()
    assert session.get(OrderPart, part_id).status == PartStatus.CANCELLED
    assert stock_of(session, variant.id) == 10
    [movement] = session.execute(
        select(StockMovement).where(StockMovement.reason == StockReason.RETURNED)
    ).scalars()
    assert (movement.delta, movement.note, movement.variant_id) == (3, order.number, variant.id)
    assert movement.actor_id == owner_id
    [cancelled] = [m for m in smtp_inbox.to("lan@example.vn") if "bị huỷ" in str(m["Subject"])]
    assert "Hết mật ong vụ này" in smtp_inbox.text_of(cancelled)
    buyer_page = _buyer_sees(app, order.number)
    assert "Đã huỷ" in buyer_page and "Hết mật ong vụ này" in buyer_page
    history = session.get(OrderPart, part_id)
    notes = [
        c.note
        for c in session.execute(
            select(OrderStatusChange).where(OrderStatusChange.part_id == history.id)
        ).scalars()
    ]
    assert "Hết mật ong vụ này" in notes  # kept with the part's history
    again = client.post(f"{base}/cancel", data={"csrf_token": token, "reason": "Lần nữa"})
    assert again.status_code == 400 and stock_of(session, variant.id) == 10


def test_other_producers_parts_are_404_everywhere(client, session):
    mine, theirs, _, _, their_part_id, _ = _setup(session)
    log_in(client, "ong@example.vn")
    token = csrf_token_from(client.get(f"/producer/{mine.id}/orders").text)
    for path in ("", "/packing-slip"):
        assert client.get(f"/producer/{mine.id}/orders/{their_part_id}{path}").status_code == 404
    for step in ("confirm", "ship", "deliver", "cancel"):
        response = client.post(
            f"/producer/{mine.id}/orders/{their_part_id}/{step}",
            data={"csrf_token": token, "carrier": "x", "tracking_number": "y", "reason": "z"},
        )
        assert response.status_code == 404, step
    assert client.get(f"/producer/{theirs.id}/orders").status_code == 404
    session.expire_all()
    assert session.get(OrderPart, their_part_id).status == PartStatus.PLACED


def test_packing_slip_and_csv_export(client, session):
    mine, _, order, part_id, _, _ = _setup(session)
    log_in(client, "ong@example.vn")
    slip = client.get(f"/producer/{mine.id}/orders/{part_id}/packing-slip")
    assert slip.status_code == 200
    assert (
        order.number in slip.text and "Mật ong hoa Ban" in slip.text and "12 Phố Huế" in slip.text
    )
    assert "packing-slip" in slip.text and "style=" not in slip.text
    assert "Lạc đỏ Na Son" not in slip.text
    export = client.get(f"/producer/{mine.id}/orders.csv?status=placed")
    rows = list(csv.DictReader(io.StringIO(export.text.lstrip("\ufeff"))))
    assert [(r["order_number"], r["sku"], r["quantity"]) for r in rows] == [
        (order.number, rows[0]["sku"], "3")
    ]
    assert rows[0]["line_total_vnd"] == "450000"
    assert client.get(f"/producer/{mine.id}/orders.csv?status=shipped").text.count("\n") == 1


def test_buyer_formula_in_a_name_is_neutralised_in_the_export(client, session):
    producer = make_producer(session)
    make_member(session, producer, email="ong@example.vn")
    variant = variant_of(session, make_product(session, producer))
    order = place(
        session,
        [(variant.id, 1)],
        province=VINH_LONG,
        ward=VINH_LONG_WARD,
    )
    order.contact_name = '=cmd|" /C calc"!A0'
    session.commit()
    log_in(client, "ong@example.vn")
    rows = list(
        csv.DictReader(
            io.StringIO(client.get(f"/producer/{producer.id}/orders.csv").text.lstrip("\ufeff"))
        )
    )
    assert rows[0]["recipient"].startswith("'=")
    assert part_id_of(session, order.id)


def test_orders_page_costs_the_same_whatever_it_lists(client, session, count_queries):
    mine, _, _, _, _, variant = _setup(session)
    log_in(client, "ong@example.vn")
    url = f"/producer/{mine.id}/orders"
    client.get(url)
    session.expire_all()
    with count_queries() as one:
        client.get(url)
    for _ in range(5):
        place(session, [(variant.id, 1)])
    session.expire_all()
    with count_queries() as six:
        page = client.get(url)
    assert page.text.count("/orders/") >= 6
    assert six.count == one.count


def test_shipping_records_the_batch_and_the_buyer_can_trace_it(app, client, session):
    from storefront.traceability.codes import display
    from tests.traceability.helpers import make_batch

    mine, theirs, order, part_id, _, honey_variant = _setup(session)
    honey_batch = make_batch(session, product=_product(session, honey_variant))
    their_product = make_product(session, theirs, name="Lạc rang")
    their_batch = make_batch(session, product=their_product)
    session.commit()
    log_in(client, "ong@example.vn")
    base = f"/producer/{mine.id}/orders/{part_id}"
    token = csrf_token_from(client.get(base).text)
    client.post(f"{base}/confirm", data={"csrf_token": token})
    page = client.get(base)  # the ship form, offering this part's batches only
    assert display(honey_batch.code) in page.text and display(their_batch.code) not in page.text
    ship = {"csrf_token": token, "carrier": "VNPost", "tracking_number": "EB1"}
    # another producer's batch id tampered into the form: refused, nothing shipped
    client.post(f"{base}/ship", data={**ship, "batch_ids": str(their_batch.id)})
    session.expire_all()
    assert session.get(OrderPart, part_id).status == PartStatus.CONFIRMED
    client.post(f"{base}/ship", data={**ship, "batch_ids": str(honey_batch.id)})
    session.expire_all()
    assert session.get(OrderPart, part_id).status == PartStatus.SHIPPED
    assert f"/t/{honey_batch.code}" in _buyer_sees(app, order.number)


def _product(session, variant):  # type: ignore[no-untyped-def]
    from storefront.catalog.models import Product

    return session.get(Product, variant.product_id)
