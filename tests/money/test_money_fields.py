"""One Vietnamese price parser (storefront/money.py) behind every amount of money the
shop lets someone type, and refused forms that keep what was typed.

`test_every_money_field_is_covered` walks every form of the app: a new field named
like money (price, fee, amount) must be added to MONEY_FIELDS and tested here."""

from __future__ import annotations

import html
import re

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select

from storefront import money
from storefront.accounts.models import Role
from storefront.fairs.models import FairFeature
from storefront.shipping import services as shipping
from storefront.shipping.models import ShippingZone
from tests.accounts.helpers import log_in, make_user
from tests.conftest import csrf_token_from
from tests.factories import make_product

# (form class, field): how the field's text reaches the parser
MONEY_FIELDS = {
    ("VariantForm", "price"): "producers.listings.parse_vnd (also the CSV import)",
    ("NewProductForm", "price"): "producers.listings.parse_vnd",
    ("RatesForm", "same_base_fee_vnd"): "VndField",
    ("RatesForm", "same_extra_kg_fee_vnd"): "VndField",
    ("RatesForm", "other_base_fee_vnd"): "VndField",
    ("RatesForm", "other_extra_kg_fee_vnd"): "VndField",
    ("FeatureForm", "fair_price"): "VndField",
    ("RefundForm", "amount"): "payments.admin_views.parse_amount",
    ("AnswerForm", "shipping_fee"): "VndField (a quote's line prices: money.parse_whole_number)",
    ("TermsForm", "unit_price"): "VndField",
    ("BuyerRequestForm", "unit_price"): "VndField",
    ("ProducerProposalForm", "unit_price"): "VndField",
}
MONEY_NAME = re.compile(r"price|fee|amount|vnd")
NOT_AMOUNTS = re.compile(r"_mode$")  # a choice of how a price is set, not an amount
TYPED = [
    ("250000", 250_000),
    ("250.000", 250_000),
    ("250.000 ₫", 250_000),
    ("250.000\u00a0₫", 250_000),  # as the shop itself prints it
    ("250.000đ", 250_000),
    ("250.000 VNĐ", 250_000),
    ("250 000", 250_000),
    ("250,000", 250_000),
    (" 1.500.000 ", 1_500_000),
]
NOT_MONEY = ["", "abc", "250.00", "250,5", "250.000,50", "-5", "1.50.000", "hai trăm", "9" * 17]


def _forms(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_forms(sub)]
    return found


def test_every_money_field_is_covered(app):
    seen = set()
    for form in _forms(FlaskForm):
        if not form.__module__.startswith("storefront."):
            continue
        for name in dir(form):
            unbound = getattr(form, name)
            if (
                hasattr(unbound, "field_class")
                and MONEY_NAME.search(name)
                and not NOT_AMOUNTS.search(name)
            ):
                seen.add((form.__name__, name))
    assert seen == set(MONEY_FIELDS)


@pytest.mark.parametrize(("typed", "value"), TYPED)
def test_amounts_as_vietnamese_type_them(typed, value):
    assert money.parse_vnd(typed) == value


@pytest.mark.parametrize("typed", NOT_MONEY)
def test_what_is_not_a_whole_amount_of_dong_is_refused(typed):
    with pytest.raises(ValueError):
        money.parse_vnd(typed)


@pytest.fixture
def admin(client, session):  # type: ignore[no-untyped-def]
    user = make_user(session, role=Role.ADMIN)
    session.commit()
    log_in(client, user.email)
    return user


def _rates_form(**values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "same_base_fee_vnd": "20.000 ₫",
        "same_included_grams": 1000,
        "same_extra_kg_fee_vnd": "5.000",
        "other_base_fee_vnd": "35000",
        "other_included_grams": 1000,
        "other_extra_kg_fee_vnd": "5.000 ₫",
    }
    data.update(values)
    return data


def test_shipping_fees_take_prices_as_typed_and_a_refusal_keeps_them(client, session, admin):
    token = csrf_token_from(client.get("/admin/shipping").text)
    saved = client.post(
        "/admin/shipping", data={**_rates_form(other_base_fee_vnd="42.000 ₫"), "csrf_token": token}
    )
    assert saved.status_code == 302
    assert shipping.current_rates(session)[ShippingZone.OTHER_PROVINCE].base_fee_vnd == 42_000
    refused = client.post(
        "/admin/shipping", data={**_rates_form(other_base_fee_vnd="42,5"), "csrf_token": token}
    )
    assert refused.status_code == 400
    page = html.unescape(refused.text)
    assert 'value="42,5"' in page and money.NOT_AN_AMOUNT in page
    assert 'value="20.000 ₫"' in page  # the other fields as typed too
    assert shipping.current_rates(session)[ShippingZone.OTHER_PROVINCE].base_fee_vnd == 42_000


def selected(page: str) -> int | None:
    """The product chosen in the featured-product form's select."""
    form = page[page.index('id="variant_id"') :]
    match = re.search(r'<option selected value="(\d+)"', form[: form.index("</select>")])
    return int(match.group(1)) if match else None


def _feature(client, fair, **fields):  # type: ignore[no-untyped-def]
    page = client.get(f"/fairs/manage/{fair.id}")
    assert page.status_code == 200
    data = {"csrf_token": csrf_token_from(page.text), **fields}
    return client.post(f"/fairs/manage/{fair.id}/features", data=data)


def test_the_fair_price_takes_250_000_and_a_refusal_keeps_product_position_and_price(
    client, session, organiser, fair_world
):
    fair, variant = fair_world["fair"], fair_world["variant"]
    make_product(session, fair_world["producer"], "Mật ong rừng", price=300_000)  # a 2nd choice
    session.commit()
    log_in(client, organiser.email)
    for typed, why in [("250,5", money.NOT_AN_AMOUNT), ("160.000", "thấp hơn giá thường")]:
        refused = _feature(client, fair, variant_id=variant.id, position="7", fair_price=typed)
        assert refused.status_code == 400
        page = html.unescape(refused.text)
        assert why in page
        assert f'value="{typed}"' in page and 'value="7"' in page
        assert selected(page) == variant.id  # the product chosen stays chosen
    assert session.execute(select(FairFeature)).first() is None

    saved = _feature(client, fair, variant_id=variant.id, position="7", fair_price="120.000 ₫")
    assert saved.status_code == 302
    feature = session.execute(select(FairFeature)).scalar_one()
    assert (feature.variant_id, feature.position, feature.fair_price_vnd) == (
        variant.id,
        7,
        120_000,
    )


def test_the_catalogue_price_filter_reads_prices_as_typed(client, session):
    make_product(session, name="Mật ong hoa Ban", price=290_000)
    make_product(session, name="Kẹo dừa", price=45_000)
    session.commit()
    page = client.get("/products", query_string={"min_price": "100.000 ₫"}).text
    assert "Mật ong hoa Ban" in page and "Kẹo dừa" not in page
