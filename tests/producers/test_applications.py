"""Applying to sell, the admin's decision, and the producer area."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storefront.accounts.models import ProducerMember, Role
from storefront.catalog.models import Producer
from storefront.producers import services
from storefront.producers.models import ApplicationStatus, ProducerApplication
from tests.accounts.helpers import log_in, make_member, make_user
from tests.conftest import csrf_token_from
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD, VINH_LONG_WARD, make_producer, make_product


def _data(**changes):
    data = {
        "business_name": "HTX Chè Shan Tuyết Mường Phăng",
        "kind": "cooperative",
        "province_code": DIEN_BIEN,
        "ward_code": DIEN_BIEN_WARD,
        "address": "Bản Che Căn",
        "phone": "0912 345 678",
        "story": "Chè cổ thụ trên 100 năm tuổi.",
    }
    return services.ApplicationData(**{**data, **changes})


def test_apply_approve_makes_the_applicant_owner_of_a_new_producer(session):
    buyer = make_user(session)
    admin = make_user(session, role=Role.ADMIN)
    application = services.apply_as_producer(session, buyer, _data())
    assert application.status == ApplicationStatus.PENDING
    assert application.phone == "0912345678"
    producer = services.approve_application(session, application, admin)
    assert producer.name == "HTX Chè Shan Tuyết Mường Phăng"
    assert producer.slug == "htx-che-shan-tuyet-muong-phang"
    assert application.status == ApplicationStatus.APPROVED
    assert (application.decided_by_id, application.producer_id) == (admin.id, producer.id)
    assert buyer.role == Role.PRODUCER
    [member] = session.execute(select(ProducerMember)).scalars()
    assert (member.user_id, member.producer_id, member.is_owner) == (buyer.id, producer.id, True)


def test_an_application_is_decided_once(session):
    buyer, admin = make_user(session), make_user(session, role=Role.ADMIN)
    application = services.apply_as_producer(session, buyer, _data())
    services.reject_application(session, application, admin, "Thiếu giấy chứng nhận OCOP.")
    assert application.rejection_reason == "Thiếu giấy chứng nhận OCOP."
    with pytest.raises(services.ProducerError):
        services.approve_application(session, application, admin)
    assert session.execute(select(Producer)).first() is None
    assert buyer.role == Role.BUYER


def test_rejecting_needs_a_reason(session):
    buyer, admin = make_user(session), make_user(session, role=Role.ADMIN)
    application = services.apply_as_producer(session, buyer, _data())
    with pytest.raises(services.ProducerError):
        services.reject_application(session, application, admin, "   ")
    assert application.status == ApplicationStatus.PENDING


def test_one_pending_application_at_a_time_and_checked_input(session):
    buyer = make_user(session)
    with pytest.raises(services.ProducerError, match="Phường"):
        services.apply_as_producer(session, buyer, _data(ward_code=VINH_LONG_WARD))
    with pytest.raises(services.ProducerError, match="Loại hình"):
        services.apply_as_producer(session, buyer, _data(kind="bank"))
    with pytest.raises(services.ProducerError, match="điện thoại"):
        services.apply_as_producer(session, buyer, _data(phone="123"))
    services.apply_as_producer(session, buyer, _data())
    with pytest.raises(services.ProducerError, match="chờ duyệt"):
        services.apply_as_producer(session, buyer, _data(business_name="Khác"))


def test_organisers_and_admins_do_not_apply(session):
    for role in (Role.ORGANISER, Role.ADMIN):
        with pytest.raises(services.ProducerError):
            services.apply_as_producer(session, make_user(session, role=role), _data())


def test_owner_adds_and_removes_members(session):
    producer = make_producer(session)
    owner = make_member(session, producer)
    helper = make_user(session, email="helper@example.vn")
    services.add_member(session, producer.id, "Helper@Example.vn")
    assert helper.role == Role.PRODUCER
    with pytest.raises(services.ProducerError):
        services.add_member(session, producer.id, "helper@example.vn")
    with pytest.raises(services.ProducerError):
        services.add_member(session, producer.id, "nobody@example.vn")
    with pytest.raises(services.ProducerError):
        services.add_member(session, producer.id, make_user(session, role=Role.ADMIN).email)
    with pytest.raises(services.ProducerError):
        services.remove_member(session, producer.id, owner.id)
    services.remove_member(session, producer.id, helper.id)
    assert helper.role == Role.BUYER  # no producer left to act for
    assert [m.user_id for m in services.list_members(session, producer.id)] == [owner.id]


def _apply_in_browser(client):
    page = client.get("/producer/apply")
    assert page.status_code == 200
    form = {
        "csrf_token": csrf_token_from(page.text),
        "business_name": "HTX Mật ong Mường Phăng",
        "kind": "cooperative",
        "province_code": str(DIEN_BIEN),
        "ward_code": "0",
        "address": "Bản Kéo",
        "phone": "0987654321",
        "story": "Ong nuôi dưới tán rừng.",
    }
    chosen = client.post("/producer/apply", data={**form, "choose_province": "1"})
    assert chosen.status_code == 200 and "Phường Điện Biên Phủ" in chosen.text
    return client.post("/producer/apply", data={**form, "ward_code": str(DIEN_BIEN_WARD)})


def test_apply_page_flow(client, session):
    make_user(session, email="ong@example.vn")
    session.commit()
    log_in(client, "ong@example.vn")
    response = _apply_in_browser(client)
    assert response.status_code == 302
    application = session.execute(select(ProducerApplication)).scalar_one()
    assert application.ward_code == DIEN_BIEN_WARD
    page = client.get("/producer/apply")
    assert "đang chờ quản trị viên duyệt" in page.text
    assert client.get("/producer/").status_code == 403  # still a buyer until approved


def test_producer_area_lists_only_its_own_products(client, session):
    mine, theirs = (
        make_producer(session, name="HTX Của Tôi"),
        make_producer(session, name="HTX Khác"),
    )
    make_product(session, mine, name="Mật ong hoa Ban")
    make_product(session, mine, name="Sản phẩm nháp", published=False)
    make_product(session, theirs, name="Lạc đỏ Na Son")
    make_member(session, mine, email="ong@example.vn")
    session.commit()
    log_in(client, "ong@example.vn")
    page = client.get("/producer/")
    assert page.status_code == 200
    assert "Mật ong hoa Ban" in page.text and "Sản phẩm nháp" in page.text
    assert "Lạc đỏ Na Son" not in page.text and "HTX Khác" not in page.text


def test_members_page_owner_and_member(app, client, session):
    producer = make_producer(session)
    make_member(session, producer, email="owner@example.vn")
    staff = make_member(session, producer, email="staff@example.vn", owner=False)
    make_user(session, email="new@example.vn")
    session.commit()
    log_in(client, "owner@example.vn")
    page = client.get(f"/producer/{producer.id}/members")
    assert "staff@example.vn" in page.text
    token = csrf_token_from(page.text)
    added = client.post(
        f"/producer/{producer.id}/members", data={"csrf_token": token, "email": "new@example.vn"}
    )
    assert added.status_code == 302
    assert "new@example.vn" in client.get(f"/producer/{producer.id}/members").text

    member_client = app.test_client()
    log_in(member_client, "staff@example.vn")
    page = member_client.get(f"/producer/{producer.id}/members")
    assert page.status_code == 200 and "Thêm thành viên" not in page.text
    token = csrf_token_from(page.text)
    refused = member_client.post(
        f"/producer/{producer.id}/members/{staff.id}/remove", data={"csrf_token": token}
    )
    assert refused.status_code == 403

    removed = client.post(
        f"/producer/{producer.id}/members/{staff.id}/remove",
        data={"csrf_token": csrf_token_from(client.get(f"/producer/{producer.id}/members").text)},
    )
    assert removed.status_code == 302
    assert member_client.get("/producer/").status_code == 403  # a buyer again
