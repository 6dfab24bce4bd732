"""The trace page's verdict (issue 11): a prominent green "Đã xác minh" with a tick and
words when the code is valid and the certificate in force; a warning with its reason,
announced to screen readers, when the certificate expired, was withdrawn or is missing,
and when the code is unknown or mistyped. Never colour alone."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from storefront.catalog.models import CertificateStatus, OcopCertificate
from storefront.traceability import codes
from tests.factories import make_producer, make_product
from tests.traceability.helpers import make_batch

STATUS = re.compile(r'<div class="trace-status ([\w-]+)" role="(\w+)">(.*?)</div>', re.S)


def _verdict(html: str) -> tuple[str, str, str, str]:
    """(class, role, title, whole text) of the page's one verdict box."""
    found = STATUS.findall(html)
    assert len(found) == 1, found
    kind, role, inner = found[0]
    assert 'aria-hidden="true"' in inner.split("</svg>")[0]  # the icon says nothing twice
    title = re.search(r'<strong class="trace-status-title">(.*?)</strong>', inner).group(1)  # type: ignore[union-attr]
    text = re.sub(r"<[^>]+>", " ", inner.split("</svg>")[1])
    return kind, role, title, " ".join(text.split())


@pytest.fixture
def producer(session):  # type: ignore[no-untyped-def]
    return make_producer(session, name="HTX Ong mật Mường Phăng")


def test_a_valid_code_with_a_certificate_in_force_is_verified(client, session, producer):
    batch = make_batch(session, product=make_product(session, producer, "Mật ong", stars=4))
    session.commit()
    html = client.get(f"/t/{batch.code}").text
    kind, role, title, text = _verdict(html)
    assert (kind, role, title) == ("trace-status-ok", "status", "Đã xác minh")
    assert "Mã hợp lệ" in text and "OCOP 4 sao" in text and "còn hiệu lực đến hết ngày" in text
    assert "năm" in text  # the long date: 23 tháng 9 năm 2028
    assert html.index("trace-status") < html.index('id="certificate-heading"')  # at the top


def test_an_expired_certificate_warns(client, session, producer):
    product = make_product(session, producer, "Thịt lợn khô", expired=True)
    batch = make_batch(session, product=product, produced_days_ago=1100)
    session.commit()
    kind, role, title, text = _verdict(client.get(f"/t/{batch.code}").text)
    assert (kind, role) == ("trace-status-warning", "alert")
    assert title == "Giấy chứng nhận OCOP đã hết hạn"
    assert "không còn được chứng nhận OCOP" in text and "Đã xác minh" not in text


def test_a_withdrawn_certificate_warns(client, session, producer):
    batch = make_batch(session, product=make_product(session, producer, "Lạc đỏ", stars=3))
    session.commit()
    certificate = session.execute(select(OcopCertificate)).scalar_one()
    certificate.status = CertificateStatus.REJECTED
    session.commit()
    kind, role, title, _ = _verdict(client.get(f"/t/{batch.code}").text)
    assert (kind, role) == ("trace-status-warning", "alert")
    assert title == "Giấy chứng nhận OCOP không còn được xác nhận"


def test_a_batch_without_a_certificate_warns(client, session, producer):
    batch = make_batch(session, product=make_product(session, producer, "Bí xanh", stars=None))
    session.commit()
    kind, role, title, text = _verdict(client.get(f"/t/{batch.code}").text)
    assert (kind, role, title) == ("trace-status-warning", "alert", "Chưa có chứng nhận OCOP")
    assert "Mã hợp lệ" in text  # the code itself is genuine


def test_an_unknown_code_warns_it_may_be_counterfeit(client):
    response = client.get(f"/t/{codes.new_code()}")
    assert response.status_code == 404
    kind, role, title, text = _verdict(response.text)
    assert (kind, role, title) == ("trace-status-warning", "alert", "Không xác minh được")
    assert "có thể là hàng giả" in text


def test_a_mistyped_code_warns_without_calling_it_fake(client, session, producer):
    batch = make_batch(session, product=make_product(session, producer, "Mật ong"))
    session.commit()
    response = client.get(f"/t/{batch.code[:-1]}")
    assert response.status_code == 404
    kind, role, title, text = _verdict(response.text)
    assert (kind, role, title) == ("trace-status-warning", "alert", "Chưa xác minh được")
    assert "hàng giả" not in text


def test_the_english_page_says_verified(client, session, producer):
    batch = make_batch(session, product=make_product(session, producer, "Mật ong", stars=5))
    session.commit()
    client.get("/language/en")
    _, _, title, _ = _verdict(client.get(f"/t/{batch.code}").text)
    assert title == "Verified"
