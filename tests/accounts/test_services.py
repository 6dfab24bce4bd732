"""Account services: emails, registration, sign-in, reset tokens, roles, addresses."""

from __future__ import annotations

import time

import pytest
from itsdangerous import TimestampSigner

from storefront.accounts import addresses, services, tokens
from storefront.accounts.models import Role
from storefront.errors import NotFound
from tests.accounts.helpers import PASSWORD, make_user
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD, VINH_LONG, VINH_LONG_WARD

SECRET = "test-secret"


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("  Lan.Lo@Example.VN ", "lan.lo@example.vn"),
        ("MUA@GMAIL.COM", "mua@gmail.com"),
        ("hoa@bücher.de", "hoa@xn--bcher-kva.de"),
        ("buyer@ocop.test", "buyer@ocop.test"),
    ],
)
def test_emails_are_normalised(raw, normalized):
    assert services.normalize_email(raw) == normalized


@pytest.mark.parametrize("raw", ["", "lan", "lan@", "@example.vn", "lan@@example.vn", "a b@c.vn"])
def test_bad_emails_are_refused(raw):
    with pytest.raises(services.AccountError):
        services.normalize_email(raw)


def test_one_account_per_address_whatever_the_case(session):
    make_user(session, email="lan@example.vn")
    with pytest.raises(services.EmailTaken):
        make_user(session, email=" LAN@Example.vn")


def test_authenticate(session):
    user = make_user(session, email="lan@example.vn")
    assert services.authenticate(session, "Lan@Example.vn", PASSWORD) is user
    assert user.last_login_at is not None
    assert services.authenticate(session, "lan@example.vn", "wrong") is None
    assert services.authenticate(session, "nobody@example.vn", PASSWORD) is None
    assert services.authenticate(session, "not an email", PASSWORD) is None
    assert services.authenticate(session, "lan@example.vn", "") is None


def test_set_password_replaces_the_session_token(session):
    user = make_user(session)
    token = user.session_token
    services.set_password(session, user, "bí xanh Tìa Dình")
    assert user.session_token != token
    assert services.authenticate(session, user.email, "bí xanh Tìa Dình") is user


def test_reset_token_opens_the_account_once(session):
    user = make_user(session)
    token = tokens.make_reset_token(SECRET, user)
    assert tokens.user_for_reset_token(session, SECRET, token, max_age=3600) is user
    services.set_password(session, user, "bí xanh Tìa Dình")
    assert tokens.user_for_reset_token(session, SECRET, token, max_age=3600) is None


def test_reset_token_expires_after_an_hour(session, monkeypatch):
    user = make_user(session)
    an_hour_ago = int(time.time()) - 3601
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: an_hour_ago)
    token = tokens.make_reset_token(SECRET, user)
    monkeypatch.undo()
    assert tokens.user_for_reset_token(session, SECRET, token, max_age=3600) is None
    assert tokens.user_for_reset_token(session, SECRET, token, max_age=7200) is user


def test_reset_token_is_refused_when_forged_or_for_a_locked_account(session):
    user = make_user(session)
    token = tokens.make_reset_token(SECRET, user)
    assert tokens.user_for_reset_token(session, "other-secret", token, max_age=3600) is None
    assert tokens.user_for_reset_token(session, SECRET, token[:-2] + "xx", max_age=3600) is None
    assert tokens.user_for_reset_token(session, SECRET, "garbage", max_age=3600) is None
    services.set_active(session, user, False)
    assert tokens.user_for_reset_token(session, SECRET, token, max_age=3600) is None


def test_roles(session):
    admin = make_user(session, role=Role.ADMIN)
    user = make_user(session)
    services.set_role(session, user, "organiser", acting=admin)
    assert user.role == Role.ORGANISER
    with pytest.raises(services.AccountError):
        services.set_role(session, user, "superuser", acting=admin)
    with pytest.raises(services.AccountError):
        services.set_role(session, admin, Role.BUYER, acting=admin)
    assert admin.role == Role.ADMIN


def _address(**changes):
    data = {
        "recipient_name": "Lò Thị Mai",
        "phone": "0912.345.678",
        "province_code": DIEN_BIEN,
        "ward_code": DIEN_BIEN_WARD,
        "street": "Số 5, tổ 3",
    }
    return addresses.AddressData(**{**data, **changes})


def test_addresses_check_the_ward_and_phone(session):
    user = make_user(session)
    saved = addresses.add_address(session, user, _address())
    assert saved.phone == "0912345678"
    assert saved.is_default
    with pytest.raises(services.AccountError, match="Phường, xã"):
        addresses.add_address(session, user, _address(ward_code=VINH_LONG_WARD))
    with pytest.raises(services.AccountError, match="Tỉnh"):
        addresses.add_address(session, user, _address(province_code=999, ward_code=1))
    with pytest.raises(services.AccountError, match="điện thoại"):
        addresses.add_address(session, user, _address(phone="0212345678"))
    with pytest.raises(services.AccountError):
        addresses.add_address(session, user, _address(street="   "))


def test_one_default_address(session):
    user = make_user(session)
    first = addresses.add_address(session, user, _address())
    second = addresses.add_address(
        session, user, _address(province_code=VINH_LONG, ward_code=VINH_LONG_WARD)
    )
    assert (first.is_default, second.is_default) == (True, False)
    addresses.set_default_address(session, user, second.id)
    session.refresh(first)
    assert (first.is_default, second.is_default) == (False, True)
    addresses.delete_address(session, user, second.id)
    session.refresh(first)
    assert first.is_default
    assert [a.id for a in addresses.list_addresses(session, user)] == [first.id]


def test_nobody_reaches_another_account_s_address(session):
    owner, other = make_user(session), make_user(session)
    address = addresses.add_address(session, owner, _address())
    with pytest.raises(NotFound):
        addresses.get_address(session, other, address.id)
    with pytest.raises(NotFound):
        addresses.delete_address(session, other, address.id)
    with pytest.raises(NotFound):
        addresses.update_address(session, other, address.id, _address(street="Khác"))
