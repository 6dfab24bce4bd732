"""Forgotten passwords, end to end through a real SMTP server on loopback."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from storefront.mail import MailError, send_email
from tests.accounts.helpers import PASSWORD, log_in, make_user, post_form
from tests.accounts.mail import Inbox
from tests.conftest import csrf_token_from

LINK = re.compile(r"https?://\S+/account/password/reset/\S+")


def _ask_for_reset(client, email):
    return post_form(
        client, "/account/password/forgot", "/account/password/forgot", {"email": email}
    )


def _link_in(message) -> str:
    match = LINK.search(Inbox.text_of(message))
    assert match, "no reset link in the email"
    link = match.group(0)
    assert f'href="{link}"' in str(message.get_body(preferencelist=("html",)).get_content())
    return link


def test_reset_link_by_email_sets_a_new_password_once(app, client, session, smtp_inbox):
    make_user(session, email="mai@example.vn", full_name="Lò Thị Mai")
    session.commit()
    response = _ask_for_reset(client, " MAI@example.vn")
    assert response.status_code == 302
    assert "Nếu email này có tài khoản" in client.get(response.headers["Location"]).text

    [message] = smtp_inbox.to("mai@example.vn")
    assert message["Subject"] == "Đặt lại mật khẩu OCOP Storefront"
    assert "Lò Thị Mai" in Inbox.text_of(message)
    link = _link_in(message)
    assert link.startswith(app.config["PUBLIC_BASE_URL"] + "/")  # not the request's Host
    path = urlsplit(link).path

    page = client.get(path)
    assert page.status_code == 200
    assert "mai@example.vn" in page.text
    new = "thịt lợn khô Điện Biên"
    response = post_form(client, path, path, {"password": new, "password_confirm": new})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200  # signed in after the reset

    assert client.get(path).status_code == 400  # used: the link is dead now
    fresh = app.test_client()
    assert log_in(fresh, "mai@example.vn", PASSWORD).status_code == 200
    assert log_in(fresh, "mai@example.vn", new).status_code == 302


def test_unknown_address_gets_the_same_answer_and_no_email(client, session, smtp_inbox):
    make_user(session, email="mai@example.vn")
    session.commit()
    known = _ask_for_reset(client, "mai@example.vn")
    unknown = _ask_for_reset(client, "nobody@example.vn")
    assert known.status_code == unknown.status_code == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert len(smtp_inbox.messages) == 1


def test_reset_email_ignores_a_forged_host_header(client, session, smtp_inbox):
    make_user(session, email="mai@example.vn")
    session.commit()
    token_page = client.get("/account/password/forgot", headers={"Host": "evil.example"})
    client.post(
        "/account/password/forgot",
        data={"email": "mai@example.vn", "csrf_token": csrf_token_from(token_page.text)},
        headers={"Host": "evil.example"},
    )
    [message] = smtp_inbox.messages
    assert "evil.example" not in Inbox.text_of(message)


def test_a_bad_reset_link_says_so(client):
    page = client.get("/account/password/reset/not-a-token")
    assert page.status_code == 400
    assert "Liên kết không còn hiệu lực" in page.text


def test_smtp_failure_is_not_shown_to_the_visitor(app, client, session, monkeypatch):
    make_user(session, email="mai@example.vn")
    session.commit()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)  # discard port: nothing listens
    response = _ask_for_reset(client, "mai@example.vn")
    assert response.status_code == 302
    assert "Nếu email này có tài khoản" in client.get(response.headers["Location"]).text


def test_send_email_raises_mail_error_when_the_server_is_down(app, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", 9)
    with pytest.raises(MailError):
        send_email("a@example.vn", "Chào", "Nội dung")


def test_without_a_mail_server_the_email_goes_to_the_log(app, mail_log, monkeypatch):
    monkeypatch.setitem(app.config, "MAIL_SERVER", "")
    send_email("a@example.vn", "Xin chào", "Đơn hàng của bạn đã được giao.")
    assert "a@example.vn" in mail_log.text
    assert "Đơn hàng của bạn đã được giao." in mail_log.text


def test_send_email_delivers_text_and_html(smtp_inbox, app):
    send_email("a@example.vn", "Chào bạn", "Nội dung", "<p>Nội dung</p>")
    [message] = smtp_inbox.messages
    assert smtp_inbox.envelopes[0][1] == ["a@example.vn"]
    assert message["From"] == app.config["MAIL_FROM"]
    assert message["Subject"] == "Chào bạn"
    assert Inbox.text_of(message).strip() == "Nội dung"
    assert "<p>Nội dung</p>" in message.get_body(preferencelist=("html",)).get_content()
