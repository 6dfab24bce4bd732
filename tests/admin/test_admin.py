"""Admin pages: deciding producer applications, granting roles."""

from __future__ import annotations

from sqlalchemy import select

from storefront.accounts.models import Role, User
from storefront.catalog.models import Producer
from storefront.producers import services
from storefront.producers.models import ApplicationStatus
from tests.accounts.helpers import log_in, make_user
from tests.accounts.mail import Inbox
from tests.conftest import csrf_token_from
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD


def _application(session, email="ong@example.vn"):
    applicant = make_user(session, email=email, full_name="Lò Văn Ong")
    return services.apply_as_producer(
        session,
        applicant,
        services.ApplicationData(
            business_name="HTX Mật ong Mường Phăng",
            kind="cooperative",
            province_code=DIEN_BIEN,
            ward_code=DIEN_BIEN_WARD,
            address="Bản Kéo",
            phone="0987654321",
            story="Ong nuôi dưới tán rừng.",
        ),
    )


def _admin_client(client, session):
    make_user(session, email="admin@example.vn", role=Role.ADMIN)
    session.commit()
    log_in(client, "admin@example.vn")
    return client


def test_admin_approves_from_the_queue(client, session, smtp_inbox):
    application = _application(session)
    _admin_client(client, session)
    queue = client.get("/admin/applications")
    assert queue.status_code == 200 and "HTX Mật ong Mường Phăng" in queue.text
    page = client.get(f"/admin/applications/{application.id}")
    assert "Ong nuôi dưới tán rừng." in page.text and "Phường Điện Biên Phủ" in page.text
    response = client.post(
        f"/admin/applications/{application.id}/approve",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    assert response.status_code == 302
    session.expire_all()
    assert application.status == ApplicationStatus.APPROVED
    producer = session.execute(select(Producer)).scalar_one()
    assert client.get(f"/producers/{producer.slug}").status_code == 200
    [message] = smtp_inbox.to("ong@example.vn")
    assert "đã được duyệt" in message["Subject"]
    # a second click changes nothing
    client.post(
        f"/admin/applications/{application.id}/approve",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    assert len(session.execute(select(Producer)).all()) == 1


def test_admin_rejects_with_a_reason(client, session, smtp_inbox):
    application = _application(session)
    _admin_client(client, session)
    page = client.get(f"/admin/applications/{application.id}")
    token = csrf_token_from(page.text)
    missing = client.post(
        f"/admin/applications/{application.id}/reject", data={"csrf_token": token, "reason": " "}
    )
    assert missing.status_code == 400 and "Vui lòng nêu lý do từ chối." in missing.text
    response = client.post(
        f"/admin/applications/{application.id}/reject",
        data={"csrf_token": token, "reason": "Chưa có giấy chứng nhận OCOP."},
    )
    assert response.status_code == 302
    session.expire_all()
    assert application.status == ApplicationStatus.REJECTED
    [message] = smtp_inbox.to("ong@example.vn")
    assert "Chưa có giấy chứng nhận OCOP." in Inbox.text_of(message)
    assert session.execute(select(Producer)).first() is None


def test_admin_grants_roles_but_not_to_leave_admin(client, session):
    user = make_user(session, email="org@example.vn")
    _admin_client(client, session)
    page = client.get("/admin/users?q=org")
    assert "org@example.vn" in page.text and "admin@example.vn" not in page.text
    token = csrf_token_from(page.text)
    client.post(f"/admin/users/{user.id}/role", data={"csrf_token": token, "role": "organiser"})
    session.expire_all()
    assert user.role == Role.ORGANISER
    admin = session.execute(select(User).where(User.email == "admin@example.vn")).scalar_one()
    response = client.post(
        f"/admin/users/{admin.id}/role", data={"csrf_token": token, "role": "buyer"}
    )
    assert response.status_code == 302
    session.expire_all()
    assert admin.role == Role.ADMIN
    bad = client.post(f"/admin/users/{user.id}/role", data={"csrf_token": token, "role": "root"})
    assert bad.status_code == 302
    session.expire_all()
    assert user.role == Role.ORGANISER
    assert (
        client.post(
            "/admin/users/99999/role", data={"csrf_token": token, "role": "buyer"}
        ).status_code
        == 404
    )
