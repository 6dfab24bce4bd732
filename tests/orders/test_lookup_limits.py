"""Guessing a guest order's email or phone is rate-limited, per order and per address."""

from __future__ import annotations

from tests.accounts.test_rate_limits import limited_app, redis_client  # noqa: F401
from tests.conftest import csrf_token_from
from tests.factories import make_product
from tests.orders.helpers import place, variant_of


def _try(client, number: str, contact: str, ip: str) -> int:  # type: ignore[no-untyped-def]
    token = csrf_token_from(client.get(f"/orders/{number}").text)
    response = client.post(
        f"/orders/{number}",
        data={"contact": contact, "csrf_token": token},
        environ_base={"REMOTE_ADDR": ip},
    )
    return response.status_code


def test_an_order_number_takes_five_guesses_a_minute(limited_app, session):  # noqa: F811
    product = make_product(session, stock=5)
    session.commit()
    order = place(session, [(variant_of(session, product).id, 1)], phone="0912345678")
    client = limited_app.test_client()
    guesses = [_try(client, order.number, f"09123456{n:02d}", f"198.51.100.{n}") for n in range(5)]
    assert guesses == [404] * 5
    # Even from a sixth address, and with the right answer, this order is closed for now.
    assert _try(client, order.number, "0912345678", "198.51.100.99") == 429


def test_one_address_takes_ten_lookups_a_minute(limited_app):  # noqa: F811
    client = limited_app.test_client()
    numbers = [f"OC-2611-{letter}AAAAA" for letter in "ABCDEFGHJKM"]
    codes = [_try(client, number, "a@b.vn", "203.0.113.7") for number in numbers]
    assert codes[:10] == [404] * 10
    assert codes[10] == 429
