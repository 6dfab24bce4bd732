"""The payment methods checkout offers, the shop's bank account from config, the transfer."""

from __future__ import annotations

import pytest

from storefront.config import ConfigError, load_config
from storefront.orders.queries import order_for_page
from storefront.payments import bank_transfer, vietqr
from storefront.payments.registry import available_methods, get_method
from tests.factories import make_product
from tests.orders.helpers import place, variant_of


def test_cash_and_transfer_are_offered_in_that_order(app):
    assert [m.code for m in available_methods(app.config)] == ["cod", "bank_transfer"]
    assert get_method("cod", app.config).awaiting_payment is False
    assert get_method("bank_transfer", app.config).awaiting_payment is True
    assert get_method("stripe", app.config) is None


def test_production_hides_the_transfer_until_a_real_account_is_set(tmp_path):
    base = {"STOREFRONT_ENV": "production", "SECRET_KEY": "s" * 40, "REDIS_URL": "redis://r/0"}
    demo = load_config(base, str(tmp_path))
    assert demo["BANK_ACCOUNT_IS_DEMO"] is True
    assert [m.code for m in available_methods(demo)] == ["cod"]
    real = load_config(
        {
            **base,
            "BANK_BIN": "970418",
            "BANK_ACCOUNT_NUMBER": "21510001234567",
            "BANK_ACCOUNT_NAME": "HTX OCOP",
        },
        str(tmp_path),
    )
    assert real["BANK_ACCOUNT_IS_DEMO"] is False
    assert [m.code for m in available_methods(real)] == ["cod", "bank_transfer"]


@pytest.mark.parametrize(
    "env",
    [{"BANK_BIN": "97041"}, {"BANK_BIN": "abcdef"}, {"BANK_ACCOUNT_NUMBER": "0011-2233"}],
)
def test_a_malformed_bank_account_stops_the_server_starting(tmp_path, env):
    with pytest.raises(ConfigError):
        load_config(env, str(tmp_path))


def test_transfer_details_charge_what_is_still_due(app, session):
    product = make_product(session, price=120_000, stock=5)
    session.commit()
    placed = place(
        session, [(variant_of(session, product).id, 2)], method="bank_transfer", awaiting=True
    )
    order = order_for_page(session, placed.number)
    details = bank_transfer.transfer_details(order, app.config)
    assert details is not None
    assert details.amount_vnd == 240_000 + 35_000
    assert details.note == order.number
    assert details.payload == vietqr.build_payload(
        app.config["BANK_BIN"], app.config["BANK_ACCOUNT_NUMBER"], 275_000, order.number
    )
    assert details.account.bank_name == "Vietcombank"
    cod = order_for_page(session, place(session, [(variant_of(session, product).id, 1)]).number)
    assert bank_transfer.transfer_details(cod, app.config) is None
