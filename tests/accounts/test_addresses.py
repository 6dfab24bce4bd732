"""Saved addresses in the browser without JavaScript: province first, then its wards."""

from __future__ import annotations

from sqlalchemy import select

from storefront.accounts.models import Address
from storefront.places import get_ward, wards_of
from tests.accounts.helpers import log_in, make_user
from tests.conftest import csrf_token_from
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD, VINH_LONG_WARD


def _signed_in(client, session):
    user = make_user(session, email="mai@example.vn", full_name="Lò Thị Mai")
    session.commit()
    log_in(client, "mai@example.vn")
    return user


def test_choose_province_then_ward_then_save(client, session):
    _signed_in(client, session)
    page = client.get("/account/addresses/new")
    assert page.status_code == 200
    assert 'value="Lò Thị Mai"' in page.text  # the name is filled in
    assert get_ward(DIEN_BIEN_WARD).name not in page.text  # no wards before a province
    token = csrf_token_from(page.text)
    form = {
        "csrf_token": token,
        "recipient_name": "Lò Thị Mai",
        "phone": "0912 345 678",
        "province_code": str(DIEN_BIEN),
        "ward_code": "0",
        "street": "Số 5, tổ 3",
    }
    chosen = client.post("/account/addresses/new", data={**form, "choose_province": "1"})
    assert chosen.status_code == 200
    assert all(ward.name in chosen.text for ward in wards_of(DIEN_BIEN))
    assert session.execute(select(Address)).first() is None  # nothing saved yet
    assert 'value="Số 5, tổ 3"' in chosen.text  # what was typed is kept

    saved = client.post("/account/addresses/new", data={**form, "ward_code": str(DIEN_BIEN_WARD)})
    assert saved.status_code == 302
    address = session.execute(select(Address)).scalar_one()
    assert (address.phone, address.ward_code, address.is_default) == (
        "0912345678",
        DIEN_BIEN_WARD,
        True,
    )
    account = client.get("/account/")
    assert get_ward(DIEN_BIEN_WARD).name in account.text


def test_a_ward_of_another_province_is_refused(client, session):
    _signed_in(client, session)
    token = csrf_token_from(client.get("/account/addresses/new").text)
    response = client.post(
        "/account/addresses/new",
        data={
            "csrf_token": token,
            "recipient_name": "Mai",
            "phone": "0912345678",
            "province_code": str(DIEN_BIEN),
            "ward_code": str(VINH_LONG_WARD),
            "street": "Số 5",
        },
    )
    assert response.status_code == 200
    assert "Phường, xã không thuộc tỉnh" in response.text
    assert session.execute(select(Address)).first() is None


def test_garbage_in_the_selects_is_not_a_500(client, session):
    _signed_in(client, session)
    token = csrf_token_from(client.get("/account/addresses/new").text)
    response = client.post(
        "/account/addresses/new",
        data={"csrf_token": token, "province_code": "abc", "ward_code": "<x>", "street": "x"},
    )
    assert response.status_code == 200


def test_edit_default_and_delete(client, session):
    _signed_in(client, session)
    token = csrf_token_from(client.get("/account/addresses/new").text)
    base = {
        "csrf_token": token,
        "recipient_name": "Mai",
        "phone": "0912345678",
        "province_code": str(DIEN_BIEN),
        "ward_code": str(DIEN_BIEN_WARD),
        "street": "Số 5",
    }
    client.post("/account/addresses/new", data=base)
    client.post("/account/addresses/new", data={**base, "street": "Số 7"})
    first, second = session.execute(select(Address).order_by(Address.id)).scalars()
    edit = client.get(f"/account/addresses/{second.id}/edit")
    assert 'value="Số 7"' in edit.text
    response = client.post(
        f"/account/addresses/{second.id}/edit", data={**base, "street": "Số 9", "is_default": "y"}
    )
    assert response.status_code == 302
    session.expire_all()
    assert (first.is_default, second.is_default, second.street) == (False, True, "Số 9")
    client.post(f"/account/addresses/{second.id}/delete", data={"csrf_token": token})
    session.expire_all()
    assert [a.id for a in session.execute(select(Address)).scalars()] == [first.id]
    assert first.is_default


def test_another_account_s_address_is_not_found(app, client, session):
    owner = _signed_in(client, session)
    token = csrf_token_from(client.get("/account/addresses/new").text)
    client.post(
        "/account/addresses/new",
        data={
            "csrf_token": token,
            "recipient_name": "Mai",
            "phone": "0912345678",
            "province_code": str(DIEN_BIEN),
            "ward_code": str(DIEN_BIEN_WARD),
            "street": "Số 5",
        },
    )
    address = session.execute(select(Address).where(Address.user_id == owner.id)).scalar_one()
    make_user(session, email="other@example.vn")
    session.commit()
    other = app.test_client()
    log_in(other, "other@example.vn")
    token = csrf_token_from(other.get("/account/").text)
    assert other.get(f"/account/addresses/{address.id}/edit").status_code == 404
    assert (
        other.post(
            f"/account/addresses/{address.id}/delete", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert (
        other.post(
            f"/account/addresses/{address.id}/default", data={"csrf_token": token}
        ).status_code
        == 404
    )
    assert session.get(Address, address.id) is not None
