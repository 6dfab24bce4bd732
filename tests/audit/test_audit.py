"""Admin and organiser actions are written to the audit log, which only admins read."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from storefront.accounts.models import Role
from storefront.audit import services as audit
from storefront.audit.models import AuditEntry
from storefront.timeutil import today_in_vietnam
from tests.accounts.helpers import log_in, make_user
from tests.conftest import csrf_token_from
from tests.factories import DIEN_BIEN, make_producer


def _entries(session) -> list[AuditEntry]:  # type: ignore[no-untyped-def]
    session.expire_all()
    return list(session.execute(select(AuditEntry).order_by(AuditEntry.id)).scalars())


def test_organiser_actions_are_logged_with_before_and_after(client, session):
    organiser = make_user(session, email="btc@example.vn", role=Role.ORGANISER)
    producer = make_producer(session, name="HTX Mời")
    session.commit()
    log_in(client, organiser.email)
    token = csrf_token_from(client.get("/fairs/manage/new").text)
    form = {
        "csrf_token": token,
        "name": "Hội chợ Điện Biên",
        "venue": "Quảng trường",
        "province_code": str(DIEN_BIEN),
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-02",
        "opens_local": "2026-12-01T08:00",
        "closes_local": "2026-12-02T20:00",
    }
    assert client.post("/fairs/manage/new", data=form).status_code == 302
    fair_id = _entries(session)[0].target_id
    client.post(f"/fairs/manage/{fair_id}", data={**form, "name": "Hội chợ Điện Biên 2026"})
    client.post(f"/fairs/manage/{fair_id}/state", data={"csrf_token": token, "state": "published"})
    client.post(
        f"/fairs/manage/{fair_id}/invite", data={"csrf_token": token, "producer_id": producer.id}
    )
    entries = _entries(session)
    assert [e.action for e in entries] == [
        "fair.create",
        "fair.update",
        "fair.state",
        "exhibitor.invite",
    ]
    assert all(e.actor_id == organiser.id and e.actor_email == organiser.email for e in entries)
    update = entries[1]
    assert update.target_type == "fair" and update.target_id == fair_id
    assert update.before["name"] == "Hội chợ Điện Biên"
    assert update.after["name"] == "Hội chợ Điện Biên 2026"
    assert (entries[2].before, entries[2].after) == ({"state": "draft"}, {"state": "published"})


def test_a_refused_action_writes_nothing(client, session):
    organiser = make_user(session, email="btc@example.vn", role=Role.ORGANISER)
    session.commit()
    log_in(client, organiser.email)
    token = csrf_token_from(client.get("/fairs/manage/home").text)
    response = client.post(
        "/fairs/manage/home",
        data={
            "csrf_token": token,
            "product": "/products/khong-co",
            "position": "0",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-02",
        },
    )
    assert response.status_code == 400
    assert _entries(session) == []


def test_admin_role_changes_are_logged(client, session):
    admin = make_user(session, email="qt@example.vn", role=Role.ADMIN)
    buyer = make_user(session, email="mua@example.vn")
    session.commit()
    log_in(client, admin.email)
    token = csrf_token_from(client.get("/admin/users").text)
    client.post(f"/admin/users/{buyer.id}/role", data={"csrf_token": token, "role": "organiser"})
    (entry,) = _entries(session)
    assert entry.action == "user.role" and entry.target_id == str(buyer.id)
    assert (entry.before, entry.after) == ({"role": "buyer"}, {"role": "organiser"})


def test_admins_read_and_filter_the_log(client, session):
    admin = make_user(session, email="qt@example.vn", role=Role.ADMIN)
    organiser = make_user(session, email="btc@example.vn", role=Role.ORGANISER)
    audit.record(session, admin.id, "user.role", ("user_account", 5), {"role": "a"}, {"role": "b"})
    audit.record(session, organiser.id, "fair.create", ("fair", 9), None, {"name": "Hội chợ X"})
    old = audit.record(session, organiser.id, "fair.state", ("fair", 9), None, None)
    old.created_at = old.created_at - timedelta(days=30)
    session.commit()
    ROLE, CREATE, STATE = "Đổi vai trò tài khoản", "Tạo hội chợ", "Đổi trạng thái hội chợ"
    log_in(client, admin.email)
    everything = client.get("/admin/audit").text
    assert ROLE in everything and CREATE in everything
    by_actor = client.get("/admin/audit?actor=btc@").text
    assert CREATE in by_actor and "qt@example.vn" not in by_actor.split("<tbody>")[1]
    by_action = client.get("/admin/audit?action=user.role").text.split("<tbody>")[1]
    assert ROLE in by_action and CREATE not in by_action
    by_target = client.get("/admin/audit?target_type=fair&target_id=9").text.split("<tbody>")[1]
    assert CREATE in by_target and ROLE not in by_target
    today = today_in_vietnam().isoformat()
    recent = client.get(f"/admin/audit?since={today}").text.split("<tbody>")[1]
    assert CREATE in recent and STATE not in recent
    assert client.get("/admin/audit?since=garbage&page=x").status_code == 200


def test_only_admins_read_the_log(client, session):
    organiser = make_user(session, email="btc@example.vn", role=Role.ORGANISER)
    session.commit()
    assert client.get("/admin/audit").status_code == 302
    log_in(client, organiser.email)
    assert client.get("/admin/audit").status_code == 403


def test_certificate_decisions_are_logged(client, session):
    from tests.producers.helpers import workspace_objects

    admin = make_user(session, email="qt@example.vn", role=Role.ADMIN)
    certificate_id = workspace_objects(session, make_producer(session))["certificate_id"]
    session.commit()
    log_in(client, admin.email)
    token = csrf_token_from(client.get("/admin/certificates/").text)
    client.post(f"/admin/certificates/{certificate_id}/verify", data={"csrf_token": token})
    (entry,) = _entries(session)
    assert entry.action == "certificate.verify" and entry.target_id == str(certificate_id)
    assert entry.after["status"] == "verified"


def test_the_log_reads_in_words_with_the_order_number(client, session, count_queries):
    """Rows said `order.mark_paid`, `customer_order #1` and JSON: now the action in words,
    the order by its number, and each change as old → new in the shop's formats."""
    from storefront.fairs import services as fairs
    from tests.factories import make_product
    from tests.fairs.helpers import make_fair
    from tests.orders.helpers import place, variant_of

    admin = make_user(session, role=Role.ADMIN)
    producer = make_producer(session, name="HTX Mường Phăng")
    product = make_product(session, producer, name="Mật ong hoa Ban", price=290_000)
    order = place(
        session, [(variant_of(session, product).id, 1)], method="bank_transfer", awaiting=True
    )
    fair = make_fair(session, admin, name="Hội chợ Điện Biên")
    fairs.accept_invitation(session, fairs.invite_exhibitor(session, fair, producer.id))
    feature = fairs.feature_variant(session, fair, variant_of(session, product).id, 2, 250_000)
    audit.record(
        session,
        admin.id,
        "feature.set",
        feature,
        None,
        audit.snapshot(feature, ("fair_id", "variant_id", "position", "fair_price_vnd")),
    )
    session.commit()
    log_in(client, admin.email)
    token = csrf_token_from(client.get("/admin/orders").text)
    client.post(f"/admin/orders/{order.number}/paid", data={"csrf_token": token})

    with count_queries() as few:
        page = client.get("/admin/audit").text
    table = page[page.index("<tbody>") : page.index("</tbody>")].replace("\xa0", " ")
    assert "Ghi nhận đã nhận tiền chuyển khoản" in table
    assert f"Đơn hàng {order.number}" in table
    assert "Chờ thanh toán</del> → <ins>Đã thanh toán" in table
    assert "Tổng tiền" in table and "325.000 ₫" in table  # 290.000 + 35.000 shipping
    assert "Đặt sản phẩm nổi bật của hội chợ" in table
    assert "Hội chợ Điện Biên" in table and "250.000 ₫" in table
    for code in ("order.mark_paid", "customer_order", "feature.set", "{", "payment_status"):
        assert code not in table
    options = page[page.index('id="action"') : page.index("</select>")]
    assert ">Ghi nhận đã nhận tiền chuyển khoản<" in options

    for _ in range(5):
        audit.record(
            session, admin.id, "fair.state", fair, {"state": "draft"}, {"state": "published"}
        )
    session.commit()
    with count_queries() as more:
        client.get("/admin/audit")
    assert more.count == few.count  # names are looked up per table, not per row
