"""Registering, signing in and out, passwords and the profile, as a visitor sees them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storefront.accounts.models import Role, User
from tests.accounts.helpers import PASSWORD, log_in, make_user, post_form
from tests.conftest import csrf_token_from

NEW_PASSWORD = "đặc sản Tây Bắc"


def _register(client, email="lan@example.vn", password=NEW_PASSWORD, **extra):
    return post_form(
        client,
        "/account/register",
        "/account/register",
        {
            "full_name": "Lò Thị Lan",
            "email": email,
            "password": password,
            "password_confirm": extra.pop("confirm", password),
            **extra,
        },
    )


def test_register_opens_a_buyer_account_and_signs_in(client, session):
    response = _register(client, email="  Lan.Lo@Example.VN ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/"
    user = session.execute(select(User)).scalar_one()
    assert user.email == "lan.lo@example.vn"
    assert user.role == Role.BUYER
    assert user.password_hash.startswith("$argon2id$")
    page = client.get("/account/")
    assert page.status_code == 200
    assert "lan.lo@example.vn" in page.text
    assert "Đăng xuất" in page.text


def test_register_refuses_weak_and_mismatched_passwords(client, session):
    for password, confirm, message in [
        ("123456789", "123456789", "quá phổ biến"),
        ("Anhyeuem@2025", "Anhyeuem@2025", "quá phổ biến"),
        ("ngắn", "ngắn", "ít nhất 8 ký tự"),
        ("mật khẩu dài hơn", "khác hẳn", "không khớp"),
    ]:
        response = _register(client, password=password, confirm=confirm)
        assert response.status_code == 200
        assert message in response.text
    assert session.execute(select(User)).first() is None


def test_register_with_a_taken_address_does_not_say_so(client, session, mail_log):
    make_user(session, email="lan@example.vn")
    session.commit()
    response = _register(client, email="LAN@example.vn")
    assert response.status_code == 302
    assert response.headers["Location"] == "/account/login"
    page = client.get("/account/login")
    assert "Chúng tôi đã gửi hướng dẫn tới email bạn nhập." in page.text
    assert "Email này đã có tài khoản." not in page.text
    assert len(session.execute(select(User)).all()) == 1
    # the owner of the address is told by email (here: the log, as no SMTP is set)
    assert "Ai đó vừa dùng địa chỉ email này" in mail_log.text


def test_login_and_logout(client, session):
    make_user(session, email="mua@example.vn")
    session.commit()
    response = log_in(client, "MUA@example.vn ")
    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert "Đăng xuất" in client.get("/").text
    home = client.get("/account/")
    token = csrf_token_from(home.text)
    response = client.post("/account/logout", data={"csrf_token": token})
    assert response.status_code == 302
    assert client.get("/account/").status_code == 302


def test_logout_is_a_post_with_csrf(client, session):
    make_user(session, email="mua@example.vn")
    session.commit()
    log_in(client, "mua@example.vn")
    assert client.get("/account/logout").status_code == 405
    assert client.post("/account/logout").status_code == 400
    assert client.get("/account/").status_code == 200  # still signed in


def test_wrong_password_and_unknown_email_get_the_same_answer(client, session):
    make_user(session, email="mua@example.vn")
    session.commit()
    wrong = log_in(client, "mua@example.vn", "not the password")
    unknown = log_in(client, "nobody@example.vn", "not the password")
    assert wrong.status_code == unknown.status_code == 200
    message = "Email hoặc mật khẩu không đúng."
    assert message in wrong.text and message in unknown.text
    assert wrong.text.replace("mua@example.vn", "X") == unknown.text.replace(
        "nobody@example.vn", "X"
    ).replace(csrf_token_from(unknown.text), csrf_token_from(wrong.text))


def test_locked_account_cannot_sign_in(client, session):
    user = make_user(session, email="mua@example.vn")
    user.is_active = False
    session.commit()
    assert log_in(client, "mua@example.vn").status_code == 200
    assert client.get("/account/").status_code == 302


def test_login_renews_the_session(client, session):
    make_user(session, email="mua@example.vn")
    session.commit()
    client.get("/account/login")
    with client.session_transaction() as before:
        before["planted"] = "by an attacker who fixed this session"
    log_in(client, "mua@example.vn")
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after.get("_user_id")


def test_remember_me_keeps_the_account_signed_in_after_the_session_ends(app, session):
    user = make_user(session, email="mua@example.vn")
    session.commit()
    client = app.test_client()
    log_in(client, "mua@example.vn", remember=True)
    assert client.get_cookie("remember_token") is not None
    client.delete_cookie("session")
    assert client.get("/account/").status_code == 200
    assert client.get_cookie("remember_token").value.startswith(user.session_token)


def test_change_password_signs_out_other_devices(app, session):
    make_user(session, email="mua@example.vn")
    session.commit()
    phone, laptop = app.test_client(), app.test_client()
    log_in(phone, "mua@example.vn", remember=True)
    log_in(laptop, "mua@example.vn")
    response = post_form(
        laptop,
        "/account/password",
        "/account/password",
        {
            "current_password": PASSWORD,
            "password": "lạc đỏ Na Son rang muối",
            "password_confirm": "lạc đỏ Na Son rang muối",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/account/").status_code == 200  # this device stays signed in
    assert phone.get("/account/").status_code == 302  # the other one, remember-me too
    phone.delete_cookie("session")
    assert phone.get("/account/").status_code == 302
    assert log_in(app.test_client(), "mua@example.vn", "lạc đỏ Na Son rang muối").status_code == 302


def test_change_password_needs_the_current_one(app, client, session):
    make_user(session, email="mua@example.vn")
    session.commit()
    log_in(client, "mua@example.vn")
    response = post_form(
        client,
        "/account/password",
        "/account/password",
        {
            "current_password": "wrong guess",
            "password": "khoai sọ Phì Nhừ",
            "password_confirm": "khoai sọ Phì Nhừ",
        },
    )
    assert response.status_code == 200
    assert "Mật khẩu hiện tại không đúng." in response.text
    other_device = app.test_client()
    assert log_in(other_device, "mua@example.vn", "khoai sọ Phì Nhừ").status_code == 200


def test_profile_language_preference_switches_the_site(client, session):
    make_user(session, email="mua@example.vn")
    session.commit()
    log_in(client, "mua@example.vn")
    response = post_form(
        client,
        "/account/",
        "/account/profile",
        {"full_name": "Mai", "phone": "+84 912 345 678", "language": "en"},
    )
    assert response.status_code == 302
    assert client.get_cookie("lang").value == "en"
    user = session.execute(select(User)).scalar_one()
    assert (user.phone, user.language, user.full_name) == ("0912345678", "en", "Mai")
    assert '<html lang="en">' in client.get("/account/").text


def test_profile_rejects_a_bad_phone(client, session):
    make_user(session, email="mua@example.vn")
    session.commit()
    log_in(client, "mua@example.vn")
    response = post_form(
        client,
        "/account/",
        "/account/profile",
        {"full_name": "", "phone": "12345", "language": "vi"},
    )
    assert response.status_code == 400
    assert "Số điện thoại không hợp lệ." in response.text


def test_signed_in_language_preference_applies_without_a_cookie(app, session):
    make_user(session, email="mua@example.vn", language="en")
    session.commit()
    client = app.test_client()
    log_in(client, "mua@example.vn")
    client.delete_cookie("lang")
    assert '<html lang="en">' in client.get("/account/").text


def _copies_of_cookies(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {name: client.get_cookie(name).value for name in ("session", "remember_token")}


def _browser_with(app, cookies: dict[str, str]):  # type: ignore[no-untyped-def]
    browser = app.test_client()
    for name, value in cookies.items():
        browser.set_cookie(name, value)
    return browser


@pytest.mark.parametrize("cookie", ["session", "remember_token"])
def test_cookies_copied_before_logout_no_longer_sign_in(app, session, cookie):
    make_user(session, email="mua@example.vn")
    session.commit()
    client = app.test_client()
    log_in(client, "mua@example.vn", remember=True)
    copied = _copies_of_cookies(client)
    assert _browser_with(app, {cookie: copied[cookie]}).get("/account/").status_code == 200
    response = post_form(client, "/account/", "/account/logout", {})
    assert response.status_code == 302
    thief = _browser_with(app, {cookie: copied[cookie]})
    assert thief.get("/account/").status_code == 302  # sent to the login page
    assert log_in(app.test_client(), "mua@example.vn").status_code == 302  # owner: fine


def test_sign_out_everywhere_ends_every_device(app, session):
    make_user(session, email="mua@example.vn")
    session.commit()
    phone, laptop = app.test_client(), app.test_client()
    log_in(phone, "mua@example.vn", remember=True)
    log_in(laptop, "mua@example.vn")
    page = laptop.get("/account/")
    assert "Đăng xuất mọi nơi" in page.text
    assert laptop.post("/account/sessions/end").status_code == 400  # no CSRF token: refused
    assert phone.get("/account/").status_code == 200
    response = post_form(laptop, "/account/", "/account/sessions/end", {})
    assert response.status_code == 302 and response.location.endswith("/account/login")
    assert laptop.get("/account/").status_code == 302
    assert phone.get("/account/").status_code == 302
    phone.delete_cookie("session")  # remember-me alone cannot bring it back
    assert phone.get("/account/").status_code == 302


def test_sign_out_everywhere_needs_a_signed_in_account(client):
    assert client.get("/account/sessions/end").status_code == 405
    token = csrf_token_from(client.get("/account/login").text)
    response = client.post("/account/sessions/end", data={"csrf_token": token})
    assert response.status_code == 302 and "/account/login" in response.location
