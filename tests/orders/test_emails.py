"""Order emails go out after commit, once each, each producer seeing only its own part."""

from __future__ import annotations

import smtplib
from datetime import timedelta

from sqlalchemy import select, update

from storefront.orders import fulfilment
from storefront.orders.emails import send_pending_emails
from storefront.orders.models import OrderEmail, OrderPart
from storefront.timeutil import utcnow
from tests.accounts.helpers import make_member
from tests.factories import make_producer, make_product
from tests.orders.helpers import place, variant_of


def _shop(session):  # type: ignore[no-untyped-def]
    honey_htx = make_producer(session, "HTX Mật ong Mường Phăng")
    nut_htx = make_producer(session, "HTX Lạc Na Son")
    silent = make_producer(session, "HTX Chưa có tài khoản")
    make_member(session, honey_htx, email="mat.ong@htx.vn")
    make_member(session, nut_htx, email="lac@htx.vn")
    make_member(session, nut_htx, email="lac.phu@htx.vn", owner=False)
    products = [
        make_product(session, honey_htx, "Mật ong hoa Ban", price=350_000, stock=5),
        make_product(session, nut_htx, "Lạc đỏ Na Son", price=90_000, stock=5),
        make_product(session, silent, "Thịt lợn khô", price=400_000, stock=5),
    ]
    session.commit()
    return [variant_of(session, p).id for p in products]


def test_buyer_and_each_producer_get_their_email_once(session, smtp_inbox):
    honey, nuts, pork = _shop(session)
    order = place(session, [(honey, 1), (nuts, 2), (pork, 1)], email="lan@example.vn")
    assert send_pending_emails(session, order.id) == 3
    assert send_pending_emails(session, order.id) == 0  # a retry sends nothing again

    [buyer] = smtp_inbox.to("lan@example.vn")
    text = smtp_inbox.text_of(buyer)
    assert order.number in buyer["Subject"]
    assert "Mật ong hoa Ban" in text and "Lạc đỏ Na Son" in text and "Thịt lợn khô" in text
    assert f"/orders/{order.number}" in text

    [honey_mail] = smtp_inbox.to("mat.ong@htx.vn")
    honey_text = smtp_inbox.text_of(honey_mail)
    assert "Mật ong hoa Ban" in honey_text and "Nguyễn Thị Lan" in honey_text
    assert "Lạc đỏ" not in honey_text and "Thịt lợn" not in honey_text
    assert len(smtp_inbox.to("lac@htx.vn")) == 1 and len(smtp_inbox.to("lac.phu@htx.vn")) == 1
    assert "Mật ong" not in smtp_inbox.text_of(smtp_inbox.to("lac@htx.vn")[0])
    assert len(smtp_inbox.messages) == 4  # nobody to write to for the producer without accounts


def test_a_claimed_email_is_not_sent_by_another_worker(session, smtp_inbox):
    honey, _, _ = _shop(session)
    order = place(session, [(honey, 1)])
    buyer_email = session.execute(
        select(OrderEmail).where(OrderEmail.kind == "order_placed")
    ).scalar_one()
    buyer_email.status = "sending"  # another worker claimed it a moment ago
    session.commit()
    send_pending_emails(session, order.id)
    assert smtp_inbox.to(order.email) == []


def test_an_unreachable_mail_server_leaves_the_email_pending(session, monkeypatch, smtp_inbox):
    honey, _, _ = _shop(session)
    order = place(session, [(honey, 1)])
    real_send = smtplib.SMTP.send_message

    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPConnectError(421, "try later")

    monkeypatch.setattr(smtplib.SMTP, "send_message", refuse)
    assert send_pending_emails(session, order.id) == 0
    session.expire_all()
    emails = list(session.execute(select(OrderEmail)).scalars())
    assert {(e.status, e.attempts) for e in emails} == {("pending", 1)}
    assert all("try later" in e.last_error for e in emails)
    monkeypatch.setattr(smtplib.SMTP, "send_message", real_send)
    assert send_pending_emails(session, order.id) == 0  # backing off: not due yet
    session.execute(update(OrderEmail).values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    session.commit()  # …a minute later
    assert send_pending_emails(session, order.id) == 2  # the buyer's and the producer's
    session.expire_all()
    assert set(session.execute(select(OrderEmail.status)).scalars()) == {"sent"}
    assert len(smtp_inbox.to(order.email)) == 1


def test_shipping_and_payment_emails_follow_the_change(session, smtp_inbox):
    honey, _, _ = _shop(session)
    order = place(
        session, [(honey, 1)], method="bank_transfer", awaiting=True, email="lan@example.vn"
    )
    send_pending_emails(session)
    fulfilment.mark_paid(session, order.id)
    session.commit()
    part = session.execute(select(OrderPart)).scalar_one()
    fulfilment.confirm_part(session, part.id)
    fulfilment.ship_part(session, part.id, "Viettel Post", "VTP987")
    session.commit()
    send_pending_emails(session)
    send_pending_emails(session)  # a second run sends nothing again
    subjects = [m["Subject"] for m in smtp_inbox.to("lan@example.vn")]
    assert [s.split(" OC-")[0] for s in subjects] == [
        "Đã nhận đơn hàng",
        "Đã nhận thanh toán đơn hàng",
        "Đơn hàng",  # … đã được xác nhận
        "Đơn hàng",  # … đã được gửi đi
    ]
    assert subjects[2].endswith("đã được xác nhận") and subjects[3].endswith("đã được gửi đi")
    shipped = smtp_inbox.text_of(smtp_inbox.to("lan@example.vn")[-1])
    assert "Viettel Post" in shipped and "VTP987" in shipped
    fulfilment.deliver_part(session, part.id)
    session.commit()
    send_pending_emails(session)
    assert smtp_inbox.to("lan@example.vn")[-1]["Subject"].endswith("đã được giao")


def test_an_english_buyer_gets_english_emails(session, smtp_inbox):
    honey, _, _ = _shop(session)
    from storefront.orders.placement import place_order
    from tests.orders.helpers import order_request

    request = order_request([(honey, 1)], email="tom@example.com")
    placed = place_order(session, request.__class__(**{**request.__dict__, "language": "en"}))
    session.commit()
    send_pending_emails(session, placed.order.id)
    [mail] = smtp_inbox.to("tom@example.com")
    assert "Xin chào" not in smtp_inbox.text_of(mail)
