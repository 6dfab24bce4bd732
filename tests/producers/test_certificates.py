"""Certificates: submitted with a scan, pending until an admin verifies them; only
verified ones in force show stars; the producer is warned 60 days before expiry."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import select

from storefront.accounts.models import Role
from storefront.catalog.models import CertificateStatus, OcopCertificate
from storefront.producers import certificates
from storefront.producers.certificates import CertificateState
from storefront.timeutil import add_months
from storefront.timeutil import today_in_vietnam as today
from tests.accounts.helpers import log_in, make_member, make_user
from tests.conftest import csrf_token_from
from tests.factories import make_producer, make_product
from tests.producers.test_media import raw_pdf


def _submission(**changes):  # type: ignore[no-untyped-def]
    values = {
        "stars": 4,
        "level": "province",
        "decision_number": "1234/QĐ-UBND",
        "decision_date": today() - timedelta(days=30),
        "issuing_body": "UBND tỉnh Điện Biên",
    }
    return certificates.Submission(**{**values, **changes})


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"stars": 2}, "3, 4 hoặc 5"),
        ({"stars": 5}, "trung ương"),  # 5 stars are certified centrally
        ({"stars": 3, "level": "central"}, "trung ương"),
        ({"decision_number": " "}, "số quyết định"),
        ({"decision_date": lambda day: day + timedelta(days=1)}, "tương lai"),
        ({"decision_date": lambda day: add_months(day, -37)}, "hết hạn"),
    ],
)
def test_bad_submissions_store_nothing(session, tmp_path, changes, message):
    day = today()  # worked out when the test runs, never at collection
    changes = {key: value(day) if callable(value) else value for key, value in changes.items()}
    product = make_product(session, stars=None)
    with pytest.raises(certificates.CertificateError, match=message):
        certificates.submit(session, tmp_path, product, _submission(**changes), raw_pdf(), day)
    assert list(tmp_path.rglob("*.*")) == []


def test_states_and_expiry_warning(session, tmp_path):
    producer = make_producer(session)
    product = make_product(session, producer, stars=None)
    certificate = certificates.submit(session, tmp_path, product, _submission(), raw_pdf(), today())
    assert certificate.status == CertificateStatus.PENDING and certificate.scan_path
    assert certificates.state_of(certificate, today()) == CertificateState.PENDING
    admin = make_user(session, role=Role.ADMIN)
    certificates.verify(session, certificate.id, admin)
    assert certificate.decided_by_id == admin.id
    assert certificates.state_of(certificate, today()) == CertificateState.VALID
    ends = certificate.expires_on
    assert certificates.state_of(certificate, ends - timedelta(days=61)) == CertificateState.VALID
    assert (
        certificates.state_of(certificate, ends - timedelta(days=60)) == CertificateState.EXPIRING
    )
    assert certificates.state_of(certificate, ends + timedelta(days=1)) == CertificateState.EXPIRED
    assert certificates.expiring(session, [producer.id], ends - timedelta(days=59)) == [certificate]
    assert certificates.expiring(session, [producer.id], today()) == []
    with pytest.raises(certificates.CertificateError, match="đã được xử lý"):
        certificates.reject(session, certificate.id, admin, "Sai số")


def test_submit_then_admin_verifies_and_stars_show(app, client, session):
    producer = make_producer(session)
    make_member(session, producer, email="ong@example.vn")
    product = make_product(session, producer, name="Mật ong hoa Ban", stars=None)
    make_user(session, email="admin@example.vn", role=Role.ADMIN)
    session.commit()
    log_in(client, "ong@example.vn")
    path = f"/producer/{producer.id}/certificates/new"
    form = {
        "csrf_token": csrf_token_from(client.get(path).text),
        "product_id": str(product.id),
        "stars": "4",
        "level": "province",
        "decision_number": "1234/QĐ-UBND",
        "decision_date": (today() - timedelta(days=30)).isoformat(),
        "issuing_body": "UBND tỉnh Điện Biên",
    }
    with_script = client.post(
        path,
        data={
            **form,
            "scan": (io.BytesIO(raw_pdf(b"/OpenAction << /S /JavaScript /JS (x) >>")), "qd.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert with_script.status_code == 400 and "mã lệnh" in with_script.text
    bad_date = client.post(
        path,
        data={**form, "decision_date": "30/02/2025", "scan": (io.BytesIO(raw_pdf()), "qd.pdf")},
        content_type="multipart/form-data",
    )
    assert bad_date.status_code == 400 and "Ngày quyết định" in bad_date.text
    assert session.execute(select(OcopCertificate)).first() is None
    sent = client.post(
        path,
        data={**form, "scan": (io.BytesIO(raw_pdf()), "qd.pdf")},
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "Chờ xác minh" in sent.text
    assert "OCOP 4 sao" not in client.get(f"/products/{product.slug}").text

    admin = app.test_client()
    log_in(admin, "admin@example.vn")
    queue = admin.get("/admin/certificates/")
    assert "Mật ong hoa Ban" in queue.text and "1234/QĐ-UBND" in queue.text
    certificate = session.execute(select(OcopCertificate)).scalar_one()
    admin.post(
        f"/admin/certificates/{certificate.id}/verify",
        data={"csrf_token": csrf_token_from(queue.text)},
    )
    assert "OCOP 4 sao" in client.get(f"/products/{product.slug}").text
    assert "Đã xác minh, còn hiệu lực" in client.get(f"/producer/{producer.id}/certificates").text


def test_rejection_reason_reaches_the_producer(app, client, session):
    producer = make_producer(session)
    make_member(session, producer, email="ong@example.vn")
    product = make_product(session, producer, stars=None)
    certificate = certificates.submit(
        session, app.config["MEDIA_ROOT"], product, _submission(), raw_pdf(), today()
    )
    make_user(session, email="admin@example.vn", role=Role.ADMIN)
    session.commit()
    admin = app.test_client()
    log_in(admin, "admin@example.vn")
    token = csrf_token_from(admin.get("/admin/certificates/").text)
    empty = admin.post(f"/admin/certificates/{certificate.id}/reject", data={"csrf_token": token})
    assert empty.status_code == 302
    admin.post(
        f"/admin/certificates/{certificate.id}/reject",
        data={"csrf_token": token, "reason": "Số quyết định không khớp bản chụp."},
    )
    assert (
        admin.post("/admin/certificates/999999/verify", data={"csrf_token": token}).status_code
        == 404
    )
    log_in(client, "ong@example.vn")
    page = client.get(f"/producer/{producer.id}/certificates")
    assert "Bị từ chối" in page.text and "Số quyết định không khớp bản chụp." in page.text


def test_certificate_for_another_producers_product_is_404(client, session):
    mine, theirs = make_producer(session), make_producer(session)
    make_member(session, mine, email="ong@example.vn")
    their_product = make_product(session, theirs, stars=None)
    session.commit()
    log_in(client, "ong@example.vn")
    path = f"/producer/{mine.id}/certificates/new"
    response = client.post(
        path,
        data={
            "csrf_token": csrf_token_from(client.get(path).text),
            "product_id": str(their_product.id),
            "stars": "4",
            "level": "province",
            "decision_number": "1/QĐ",
            "decision_date": today().isoformat(),
            "issuing_body": "UBND",
            "scan": (io.BytesIO(raw_pdf()), "qd.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 404
    assert session.execute(select(OcopCertificate)).first() is None


def test_expiring_certificates_are_flagged_on_the_producers_pages(client, session):
    producer = make_producer(session)
    make_member(session, producer, email="ong@example.vn")
    product = make_product(session, producer, name="Lạc đỏ Na Son", stars=None)
    from storefront.catalog import services as catalog

    certificate = catalog.add_certificate(
        session,
        product,
        catalog.CertificateData(
            stars=3,
            level="province",
            decision_number="7/QĐ",
            decision_date=add_months(today(), -35),
            issuing_body="UBND tỉnh Điện Biên",
        ),
    )
    catalog.verify_certificate(session, certificate)
    session.commit()
    log_in(client, "ong@example.vn")
    for path in ("/producer/", f"/producer/{producer.id}/products"):
        assert "Giấy chứng nhận OCOP sắp hết hạn" in client.get(path).text
    assert "Sắp hết hạn" in client.get(f"/producer/{producer.id}/certificates").text
