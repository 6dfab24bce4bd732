"""The province officer role (cán bộ OCOP tỉnh): granted for one or more provinces from
the command line and the admin users page, always with an entry in the audit log."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from storefront.accounts import services
from storefront.accounts.models import OfficerProvince, Role, User
from storefront.audit.models import AuditEntry
from tests.accounts.helpers import log_in, make_user
from tests.conftest import csrf_token_from
from tests.factories import DIEN_BIEN
from tests.orders.helpers import GIA_LAI


def test_an_officer_needs_real_provinces_and_other_roles_keep_none(session):
    user = make_user(session, email="can.bo@example.vn")
    with pytest.raises(services.AccountError):
        services.set_role(session, user, Role.OFFICER, provinces=[])
    with pytest.raises(services.AccountError):
        services.set_role(session, user, Role.OFFICER, provinces=[DIEN_BIEN, 999])
    assert user.role == Role.BUYER and services.officer_provinces(session, user.id) == []
    services.set_role(session, user, Role.OFFICER, provinces=[GIA_LAI, DIEN_BIEN, DIEN_BIEN])
    assert services.officer_provinces(session, user.id) == [DIEN_BIEN, GIA_LAI]
    services.set_role(session, user, Role.BUYER, provinces=[DIEN_BIEN])
    assert user.role == Role.BUYER and services.officer_provinces(session, user.id) == []


def test_set_role_from_the_command_line_for_provinces(runner, session):
    make_user(session, email="can.bo@example.vn")
    session.commit()
    result = runner.invoke(
        args=["users", "set-role", "--email", "can.bo@example.vn", "--role", "officer"]
        + ["--province", "dien-bien", "--province", "Gia Lai"]
    )
    assert result.exit_code == 0, result.output
    session.expire_all()
    user = session.execute(select(User).where(User.email == "can.bo@example.vn")).scalar_one()
    assert user.role == Role.OFFICER
    assert services.officer_provinces(session, user.id) == [DIEN_BIEN, GIA_LAI]
    [entry] = session.execute(select(AuditEntry)).scalars()
    assert entry.action == "user.role" and entry.actor_id is None
    assert entry.after == {"role": "officer", "provinces": [DIEN_BIEN, GIA_LAI]}


def test_command_line_refuses_an_officer_without_or_with_an_unknown_province(runner, session):
    make_user(session, email="can.bo@example.vn")
    session.commit()
    base = ["users", "set-role", "--email", "can.bo@example.vn", "--role", "officer"]
    missing = runner.invoke(args=base)
    unknown = runner.invoke(args=[*base, "--province", "atlantis"])
    assert missing.exit_code == 1 and "ít nhất một tỉnh" in missing.output
    assert unknown.exit_code == 1 and "atlantis" in unknown.output
    session.expire_all()
    assert session.execute(select(OfficerProvince)).first() is None
    assert session.execute(select(AuditEntry)).first() is None


def test_admin_makes_an_officer_on_the_users_page(client, session):
    user = make_user(session, email="can.bo@example.vn")
    make_user(session, email="admin@example.vn", role=Role.ADMIN)
    session.commit()
    log_in(client, "admin@example.vn")
    page = client.get("/admin/users?q=can.bo")
    assert "Cán bộ OCOP tỉnh" in page.text and 'name="provinces"' in page.text
    token = csrf_token_from(page.text)
    url = f"/admin/users/{user.id}/role"
    client.post(url, data={"csrf_token": token, "role": "officer"})  # no province
    client.post(url, data={"csrf_token": token, "role": "officer", "provinces": "x"})
    session.expire_all()
    assert user.role == Role.BUYER
    response = client.post(
        url, data={"csrf_token": token, "role": "officer", "provinces": str(DIEN_BIEN)}
    )
    assert response.status_code == 302
    session.expire_all()
    assert user.role == Role.OFFICER
    assert services.officer_provinces(session, user.id) == [DIEN_BIEN]
    entry = session.execute(select(AuditEntry)).scalar_one()
    assert entry.before == {"role": "buyer"}
    assert entry.after == {"role": "officer", "provinces": [DIEN_BIEN]}
    again = client.get("/admin/users?q=can.bo")
    assert f'value="{DIEN_BIEN}" selected' in again.text
