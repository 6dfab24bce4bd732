"""Shipping fees: zones, started kilograms, and the admin's rules."""

from __future__ import annotations

import pytest

from storefront.accounts.models import Role
from storefront.shipping import services
from storefront.shipping.models import ShippingZone
from tests.accounts.helpers import log_in, make_user
from tests.conftest import csrf_token_from
from tests.factories import DIEN_BIEN, VINH_LONG


@pytest.mark.parametrize(
    ("origin", "destination", "grams", "fee"),
    [
        (DIEN_BIEN, DIEN_BIEN, 500, 20_000),
        (DIEN_BIEN, DIEN_BIEN, 1000, 20_000),
        (DIEN_BIEN, DIEN_BIEN, 1001, 25_000),
        (DIEN_BIEN, DIEN_BIEN, 2000, 25_000),
        (DIEN_BIEN, DIEN_BIEN, 2001, 30_000),
        (DIEN_BIEN, VINH_LONG, 300, 35_000),
        (DIEN_BIEN, VINH_LONG, 3500, 35_000 + 3 * 5_000),
    ],
)
def test_default_fees_by_zone_and_started_kilogram(session, origin, destination, grams, fee):
    rates = services.current_rates(session)
    assert services.shipping_fee(rates, origin, destination, grams) == fee


def test_an_admin_rule_replaces_the_default_for_its_zone(session):
    services.set_rate(session, ShippingZone.OTHER_PROVINCE, services.Rate(40_000, 2000, 8_000))
    session.commit()
    rates = services.current_rates(session)
    assert services.shipping_fee(rates, DIEN_BIEN, VINH_LONG, 2000) == 40_000
    assert services.shipping_fee(rates, DIEN_BIEN, VINH_LONG, 2500) == 48_000
    assert services.shipping_fee(rates, DIEN_BIEN, DIEN_BIEN, 2500) == 30_000  # default kept


@pytest.mark.parametrize(
    "rate",
    [
        services.Rate(-1, 1000, 5000),
        services.Rate(20_000, -5, 5000),
        services.Rate(20_000, 1000, services.MAX_FEE_VND + 1),
    ],
)
def test_negative_or_absurd_rules_are_refused(session, rate):
    with pytest.raises(services.ShippingError):
        services.set_rate(session, ShippingZone.SAME_PROVINCE, rate)


def _form(**values: int) -> dict[str, object]:
    data: dict[str, object] = {
        "same_base_fee_vnd": 20_000,
        "same_included_grams": 1000,
        "same_extra_kg_fee_vnd": 5_000,
        "other_base_fee_vnd": 35_000,
        "other_included_grams": 1000,
        "other_extra_kg_fee_vnd": 5_000,
    }
    data.update(values)
    return data


def test_admin_page_changes_the_rules(client, session):
    admin = make_user(session, role=Role.ADMIN)
    session.commit()
    log_in(client, admin.email)
    page = client.get("/admin/shipping")
    assert page.status_code == 200
    assert 'value="35.000"' in page.text
    response = client.post(
        "/admin/shipping",
        data={**_form(other_base_fee_vnd=42_000), "csrf_token": csrf_token_from(page.text)},
    )
    assert response.status_code == 302
    rates = services.current_rates(session)
    assert rates[ShippingZone.OTHER_PROVINCE].base_fee_vnd == 42_000


@pytest.mark.parametrize("bad", ["-5", "abc", "99999999999", ""])
def test_admin_page_refuses_bad_numbers_without_changing_anything(client, session, bad):
    admin = make_user(session, role=Role.ADMIN)
    session.commit()
    log_in(client, admin.email)
    token = csrf_token_from(client.get("/admin/shipping").text)
    response = client.post(
        "/admin/shipping", data={**_form(), "same_base_fee_vnd": bad, "csrf_token": token}
    )
    assert response.status_code == 400
    assert services.current_rates(session) == services.DEFAULT_RATES


def test_only_admins_open_the_shipping_page(client, session):
    assert client.get("/admin/shipping").status_code == 302  # to the login page
    buyer = make_user(session)
    session.commit()
    log_in(client, buyer.email)
    assert client.get("/admin/shipping").status_code == 403
    token = csrf_token_from(client.get("/").text)  # the sign-out form's token
    response = client.post(
        "/admin/shipping", data={**_form(same_base_fee_vnd=1), "csrf_token": token}
    )
    assert response.status_code == 403
    assert services.current_rates(session) == services.DEFAULT_RATES
