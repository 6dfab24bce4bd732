"""Business profiles: the service's checks, the page, and the business-buyer-only door."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from flask_login import login_user
from sqlalchemy import func, select

from storefront.business import services
from storefront.business.access import business_buyer_required
from storefront.business.models import BusinessProfile
from tests.accounts.helpers import log_in, make_user
from tests.business.helpers import make_business_buyer, profile_data
from tests.conftest import csrf_token_from
from tests.factories import DIEN_BIEN, VINH_LONG_WARD


def _count(session) -> int:
    return session.execute(select(func.count()).select_from(BusinessProfile)).scalar_one()


def test_save_then_change_keeps_one_profile(session):
    user = make_user(session)
    saved = services.save_business_profile(session, user.id, profile_data(tax_code="0100 233 488"))
    assert saved.tax_code == "0100233488"
    assert saved.contact_phone == "0912345678"
    changed = services.save_business_profile(
        session, user.id, profile_data(name="  HKD   Lò Văn Pánh ", tax_code="0314409058002")
    )
    assert changed.id == saved.id
    assert changed.name == "HKD Lò Văn Pánh"
    assert changed.tax_code == "0314409058-002"
    assert services.business_profile_for(user.id) is changed
    assert services.is_business_buyer(user.id)
    assert not services.is_business_buyer(None)
    assert _count(session) == 1


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"name": "  "}, services.BusinessError),
        ({"name": "x" * 201}, services.BusinessError),
        ({"tax_code": "0100233480"}, services.InvalidTaxCode),
        ({"tax_code": "abc"}, services.InvalidTaxCode),
        ({"province_code": 0}, services.BusinessError),
        ({"ward_code": VINH_LONG_WARD}, services.BusinessError),  # not in Điện Biên
        ({"address_line": ""}, services.BusinessError),
        ({"contact_name": ""}, services.BusinessError),
        ({"contact_phone": "0123"}, services.BusinessError),
        ({"buys": "x" * 301}, services.BusinessError),
    ],
)
def test_bad_profiles_are_refused_and_change_nothing(session, changes, error):
    user = make_user(session)
    with pytest.raises(error):
        services.save_business_profile(session, user.id, profile_data(**changes))
    assert _count(session) == 0
    assert services.business_profile_for(user.id) is None


def _form(page_text: str, **changes: str) -> dict[str, str]:
    data = {
        "csrf_token": csrf_token_from(page_text),
        "name": "Công ty CP Thực phẩm Sạch Hà Nội",
        "tax_code": "0100109106",
        "province_code": str(DIEN_BIEN),
        "ward_code": "3127",
        "address_line": "Số 1 Tràng Tiền",
        "contact_name": "Trần Thị Lan",
        "contact_phone": "0987654321",
        "buys": "Mật ong cho chuỗi cửa hàng",
    }
    data.update(changes)
    return data


def test_page_saves_the_profile_and_goes_back_to_next(client, session):
    user = make_user(session, email="lan@example.vn")
    session.commit()
    log_in(client, "lan@example.vn")
    account = client.get("/account/")
    assert "/account/business" in account.text  # linked from the account page
    page = client.get("/account/business?next=/products")
    assert page.status_code == 200
    saved = client.post("/account/business", data=_form(page.text, next="/products"))
    assert saved.status_code == 302
    assert saved.headers["Location"] == "/products"
    profile = services.business_profile_for(user.id)
    assert profile is not None and profile.name == "Công ty CP Thực phẩm Sạch Hà Nội"
    again = client.get("/account/business")
    assert 'value="0100109106"' in again.text


def test_page_refuses_a_bad_tax_code_with_a_message(client, session):
    make_user(session, email="lan@example.vn")
    session.commit()
    log_in(client, "lan@example.vn")
    page = client.get("/account/business")
    refused = client.post("/account/business", data=_form(page.text, tax_code="0100109107"))
    assert refused.status_code == 400
    assert "Mã số thuế không hợp lệ" in refused.text
    assert _count(session) == 0


def test_next_off_the_site_is_ignored(client, session):
    make_user(session, email="lan@example.vn")
    session.commit()
    log_in(client, "lan@example.vn")
    page = client.get("/account/business")
    saved = client.post("/account/business", data=_form(page.text, next="//evil.example/x"))
    assert saved.headers["Location"] == "/account/business"


def test_csrf_is_required(app, session):
    make_user(session, email="lan@example.vn")
    session.commit()
    client = app.test_client()
    log_in(client, "lan@example.vn")
    page = client.get("/account/business")
    data = _form(page.text)
    data.pop("csrf_token")
    assert client.post("/account/business", data=data).status_code == 400
    assert _count(session) == 0


@business_buyer_required
def _only_business() -> str:
    return "only for business buyers"


def _call_as(app, user, path="/quotes/new?x=1"):
    with app.test_request_context(path):
        if user is not None:
            login_user(user)
        return _only_business()


def _next_of(response) -> str:
    return parse_qs(urlsplit(response.headers["Location"]).query)["next"][0]


def test_business_buyer_required(app, session):
    anonymous = _call_as(app, None)
    assert anonymous.status_code == 302
    assert "/account/login" in anonymous.headers["Location"]
    assert _next_of(anonymous) == "/quotes/new?x=1"

    retail_user = make_user(session)
    retail = _call_as(app, retail_user)
    assert retail.status_code == 302
    assert retail.headers["Location"].startswith("/account/business?next=")
    assert _next_of(retail) == "/quotes/new?x=1"

    business_user, _ = make_business_buyer(session)
    assert _call_as(app, business_user) == "only for business buyers"


def test_two_tabs_creating_the_profile_at_once_get_a_message_not_an_error(
    client, session, monkeypatch
):
    user = make_user(session, email="lan@example.vn")
    session.commit()
    log_in(client, "lan@example.vn")
    page = client.get("/account/business")
    services.save_business_profile(session, user.id, profile_data(name="Tab thứ nhất"))
    session.commit()
    # the second tab's request read "no profile yet" just before the first one committed
    monkeypatch.setattr(services, "business_profile_for", lambda *args: None)
    clashed = client.post("/account/business", data=_form(page.text, name="Tab thứ hai"))
    assert clashed.status_code == 302
    monkeypatch.undo()
    assert "Có thay đổi cùng lúc" in client.get(clashed.headers["Location"]).text
    session.expire_all()
    assert services.business_profile_for(user.id).name == "Tab thứ nhất"
    assert _count(session) == 1
