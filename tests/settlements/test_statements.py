"""Settling with producers: statements per producer and period, commission, recording paid."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from storefront.accounts.models import Role
from storefront.orders import fulfilment
from storefront.orders.models import OrderPart, OrderStatusChange, PartStatus
from storefront.payments import refunds
from storefront.settlements import services, statements
from storefront.settlements.models import Settlement, SettlementPart
from storefront.timeutil import today_in_vietnam, utcnow
from tests.accounts.helpers import log_in, make_member, make_user
from tests.conftest import csrf_token_from
from tests.factories import make_producer, make_product
from tests.orders.helpers import place, variant_of


@pytest.fixture
def shop(session):  # type: ignore[no-untyped-def]
    """Two producers, a 10 % commission, and for the first: a paid transfer order and a
    cash-on-delivery order, both delivered, and an order not yet delivered."""
    first = make_producer(session, "HTX Mường Phăng")
    second = make_producer(session, "HTX Tủa Chùa")
    honey = variant_of(session, make_product(session, first, "Mật ong", price=150_000, stock=50))
    tea = variant_of(session, make_product(session, second, "Chè Shan", price=90_000, stock=50))
    session.commit()
    services.set_commission_rate(session, 1000, today_in_vietnam() - timedelta(days=60), None)
    transfer = place(session, [(honey.id, 2)], method="bank_transfer", awaiting=True)
    fulfilment.mark_paid(session, transfer.id)
    cod = place(session, [(honey.id, 1)])
    waiting = place(session, [(honey.id, 1)])
    other = place(session, [(tea.id, 1)])
    session.commit()
    for order in (transfer, cod, other):
        deliver(session, part_of(session, order.id))
    return {
        "first": first,
        "second": second,
        "transfer": transfer,
        "cod": cod,
        "waiting": waiting,
        "other": other,
    }


def part_of(session, order_id: int) -> int:  # type: ignore[no-untyped-def]
    return session.execute(select(OrderPart.id).where(OrderPart.order_id == order_id)).scalar_one()


def deliver(session, part_id: int) -> None:  # type: ignore[no-untyped-def]
    fulfilment.confirm_part(session, part_id)
    fulfilment.ship_part(session, part_id, "VNPost", "EB123")
    fulfilment.deliver_part(session, part_id)
    session.commit()


def this_month() -> statements.Period:
    return statements.Period.month_of(today_in_vietnam())


def test_a_statement_lists_delivered_parts_with_commission(session, shop):
    statement = statements.statement_for(session, shop["first"].id, this_month())
    by_order = {line.order_number: line for line in statement.lines}
    assert set(by_order) == {shop["transfer"].number, shop["cod"].number}  # not the undelivered
    transfer = by_order[shop["transfer"].number]
    # 2 × 150.000 + 35.000 shipping collected by the shop; 10 % of the goods kept.
    assert (transfer.collected_vnd, transfer.commission_vnd, transfer.payout_vnd) == (
        335_000,
        30_000,
        305_000,
    )
    cod = by_order[shop["cod"].number]
    # Cash on delivery: the producer's carrier collected it; only the commission is owed.
    assert (cod.collected_by_shop, cod.collected_vnd, cod.commission_vnd, cod.payout_vnd) == (
        False,
        0,
        15_000,
        -15_000,
    )
    assert (statement.collected_vnd, statement.commission_vnd, statement.payout_vnd) == (
        335_000,
        45_000,
        290_000,
    )


def test_refunds_are_deducted_and_reduce_the_commission(session, shop):
    transfer_part = part_of(session, shop["transfer"].id)
    refunds.prepare_refunds(
        session, refunds.RefundRequest(shop["transfer"].id, transfer_part, amount_vnd=50_000)
    )
    session.commit()
    statement = statements.statement_for(session, shop["first"].id, this_month())
    line = next(x for x in statement.lines if x.part_id == transfer_part)
    assert (line.refunded_vnd, line.commission_vnd, line.payout_vnd) == (50_000, 25_000, 260_000)


def test_the_rate_in_force_on_the_delivery_day_applies(session, shop):
    services.set_commission_rate(session, 500, today_in_vietnam() - timedelta(days=5), None)
    cod_part = part_of(session, shop["cod"].id)
    session.execute(
        update(OrderStatusChange)
        .where(
            OrderStatusChange.part_id == cod_part,
            OrderStatusChange.to_status == PartStatus.DELIVERED,
        )
        .values(changed_at=utcnow() - timedelta(days=20))
    )
    session.commit()
    period = statements.Period(today_in_vietnam() - timedelta(days=30), today_in_vietnam())
    statement = statements.statement_for(session, shop["first"].id, period)
    rates = {line.order_number: line.rate_bp for line in statement.lines}
    assert rates == {shop["cod"].number: 1000, shop["transfer"].number: 500}


def test_recording_a_settlement_is_idempotent_and_settles_each_part_once(session, shop):
    producer_id = shop["first"].id
    statement = statements.statement_for(session, producer_id, this_month())
    record = services.record_settlement
    paid = record(
        session, producer_id, this_month(), statement.digest, "FT2611001", today_in_vietnam(), None
    )
    session.commit()
    assert paid.payout_vnd == 290_000
    again = record(
        session, producer_id, this_month(), statement.digest, "FT2611001", today_in_vietnam(), None
    )
    assert again.id == paid.id
    assert session.execute(select(func.count()).select_from(Settlement)).scalar_one() == 1
    after = statements.statement_for(session, producer_id, this_month())
    assert after.is_empty and all(line.settlement_id == paid.id for line in after.lines)
    # The database itself refuses a part settled twice.
    session.add(
        SettlementPart(
            settlement_id=paid.id,
            part_id=after.lines[0].part_id,
            collected_vnd=0,
            refunded_vnd=0,
            rate_bp=0,
            commission_vnd=0,
        )
    )
    with pytest.raises(IntegrityError):
        session.flush()
    session.rollback()


def test_a_statement_that_changed_since_it_was_shown_is_refused(session, shop):
    producer_id = shop["first"].id
    shown = statements.statement_for(session, producer_id, this_month())
    deliver(session, part_of(session, shop["waiting"].id))  # delivered meanwhile
    with pytest.raises(statements.SettlementError):
        services.record_settlement(
            session, producer_id, this_month(), shown.digest, "FT1", today_in_vietnam(), None
        )


def test_a_refund_after_settlement_is_deducted_next_time_with_its_commission(session, shop):
    producer_id = shop["first"].id
    shown = statements.statement_for(session, producer_id, this_month())
    services.record_settlement(
        session, producer_id, this_month(), shown.digest, "FT1", today_in_vietnam(), None
    )
    session.commit()
    transfer_part = part_of(session, shop["transfer"].id)
    refunds.prepare_refunds(
        session, refunds.RefundRequest(shop["transfer"].id, transfer_part, amount_vnd=100_000)
    )
    session.commit()
    statement = statements.statement_for(session, producer_id, this_month())
    [adjustment] = statement.adjustments
    assert (adjustment.amount_vnd, adjustment.commission_credit_vnd) == (100_000, 10_000)
    assert statement.payout_vnd == -90_000  # the producer owes the shop this time
    second = services.record_settlement(
        session, producer_id, this_month(), statement.digest, "FT2", today_in_vietnam(), None
    )
    session.commit()
    assert second.payout_vnd == -90_000
    assert statements.statement_for(session, producer_id, this_month()).is_empty


@pytest.fixture
def admin_client(client, session):  # type: ignore[no-untyped-def]
    admin = make_user(session, role=Role.ADMIN)
    session.commit()
    log_in(client, admin.email)
    return client


def test_the_admin_sets_the_rate_sees_statements_and_records_a_payment(admin_client, session, shop):
    client = admin_client
    index = client.get("/admin/settlements")
    assert index.status_code == 200
    assert "HTX Mường Phăng" in index.text and "HTX Tủa Chùa" in index.text
    response = client.post(
        "/admin/settlements/commission",
        data={
            "csrf_token": csrf_token_from(index.text),
            "rate": "7,5",
            "effective_from": (today_in_vietnam() + timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 302
    assert statements.rates(session)[-1].rate_bp == 750
    bad = client.post(
        "/admin/settlements/commission",
        data={"csrf_token": csrf_token_from(index.text), "rate": "abc", "effective_from": "x"},
        follow_redirects=True,
    )
    assert "Tỷ lệ là số từ 0 đến 100" in bad.text and len(statements.rates(session)) == 2
    assert bad.status_code == 400 and 'value="abc"' in bad.text  # what was typed stays

    url = f"/admin/settlements/producers/{shop['first'].id}"
    page = client.get(url)
    assert page.status_code == 200 and "290.000" in page.text
    csv = client.get(f"{url}.csv")
    assert csv.mimetype == "text/csv"
    rows = csv.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert rows[0].startswith("Mã đơn hàng,")
    assert any(row.startswith(shop["transfer"].number) and ",305000," in row for row in rows)
    assert rows[-1].split(",")[-2] == "290000"

    form = {
        "csrf_token": csrf_token_from(page.text),
        "start": this_month().start.isoformat(),
        "end": this_month().end.isoformat(),
        "digest": statements.statement_for(session, shop["first"].id, this_month()).digest,
        "bank_reference": "FT26110099",
        "paid_on": today_in_vietnam().isoformat(),
    }
    first = client.post(f"{url}/paid", data=form)
    assert first.status_code == 302
    second = client.post(f"{url}/paid", data=form)  # a double click
    assert second.headers["Location"] == first.headers["Location"]
    assert session.execute(select(func.count()).select_from(Settlement)).scalar_one() == 1
    detail = client.get(first.headers["Location"])
    assert detail.status_code == 200 and "FT26110099" in detail.text


def test_producers_see_only_their_own_statements(app, client, session, shop):
    member = make_member(session, shop["first"])
    session.commit()
    other = statements.statement_for(session, shop["second"].id, this_month())
    paid = services.record_settlement(
        session, shop["second"].id, this_month(), other.digest, "FT9", today_in_vietnam(), None
    )
    session.commit()
    log_in(client, member.email)
    own = client.get(f"/producer/{shop['first'].id}/settlements")
    assert own.status_code == 200 and shop["transfer"].number in own.text
    assert client.get(f"/producer/{shop['first'].id}/settlements.csv").status_code == 200
    assert client.get(f"/producer/{shop['second'].id}/settlements").status_code == 404
    assert client.get(f"/producer/{shop['second'].id}/settlements.csv").status_code == 404
    assert client.get(f"/producer/{shop['first'].id}/settlements/{paid.id}").status_code == 404
    assert client.get(f"/producer/{shop['second'].id}/settlements/{paid.id}").status_code == 404
    assert client.get("/admin/settlements").status_code == 403
    assert client.get(f"/admin/settlements/producers/{shop['first'].id}").status_code == 403


def test_a_bad_period_falls_back_to_this_month(admin_client, session, shop):
    page = admin_client.get("/admin/settlements?start=2026-13-01&end=yesterday")
    assert page.status_code == 200 and "Ngày không hợp lệ" in page.text
    page = admin_client.get("/admin/settlements?start=2020-01-01&end=2026-01-01")
    assert page.status_code == 200 and "dài tối đa 366 ngày" in page.text


def test_a_refused_payment_keeps_what_the_admin_typed(admin_client, session, shop):
    """A statement that changed since it was shown is refused: the admin sees it as it
    stands now with the bank reference and date they typed, and can record that one."""
    url = f"/admin/settlements/producers/{shop['first'].id}"
    page = admin_client.get(url)
    paid_on = today_in_vietnam().isoformat()
    form = {
        "csrf_token": csrf_token_from(page.text),
        "start": this_month().start.isoformat(),
        "end": this_month().end.isoformat(),
        "digest": "0" * 64,  # what the admin saw no longer matches
        "bank_reference": "FT26110100",
        "paid_on": paid_on,
    }
    refused = admin_client.post(f"{url}/paid", data=form)
    assert refused.status_code == 400
    assert 'value="FT26110100"' in refused.text and f'value="{paid_on}"' in refused.text
    assert session.execute(select(func.count()).select_from(Settlement)).scalar_one() == 0
    digest = re.search(r'name="digest"[^>]*value="([0-9a-f]+)"', refused.text)
    assert (
        digest
        and digest.group(1)
        == statements.statement_for(session, shop["first"].id, this_month()).digest
    )
    recorded = admin_client.post(f"{url}/paid", data={**form, "digest": digest.group(1)})
    assert recorded.status_code == 302
