"""The tax code's shape and check digit (storefront/business/taxcode.py cites the rule)."""

from __future__ import annotations

import pytest

from storefront.business.taxcode import WEIGHTS, check_digit, normalize_tax_code


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("0100233488", "0100233488"),  # python-stdnum's example
        ("0100109106", "0100109106"),  # Viettel
        ("0314409058-002", "0314409058-002"),  # a branch, python-stdnum's example
        ("0314409058002", "0314409058-002"),  # a branch typed without its hyphen
        ("0312 68 78 78 - 001", "0312687878-001"),
        ("01.00.112.437", "0100112437"),
        (" 0100233488 ", "0100233488"),
    ],
)
def test_valid_codes_are_kept_in_their_standard_form(typed, stored):
    assert normalize_tax_code(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "12345",
        "0100233480",  # wrong check digit (python-stdnum's example)
        "0100233487",  # one digit off
        "0100233848",  # two digits swapped
        "0100109106-000",  # branch 000 does not exist
        "0100109106-01",  # a branch has three digits
        "0100109106-0011",
        "01000000001",
        "0100000000",  # the sequence number is never zero
        "01002334880",  # eleven digits
        "010023348A",
        "٠١٠٠٢٣٣٤٨٨",  # Arabic-Indic digits
        "0100233488--001",
        "-0100233488",
    ],
)
def test_invalid_codes_are_refused(typed):
    assert normalize_tax_code(typed) is None


def test_no_digit_fits_when_the_sum_divides_by_eleven():
    # the first nine digits of a code no tenth digit can complete
    prefix = next(
        f"{n:09d}"
        for n in range(10_000_000, 10_100_000)
        if sum(w * int(d) for w, d in zip(WEIGHTS, f"{n:09d}", strict=True)) % 11 == 0
    )
    assert check_digit(prefix) is None
    assert all(normalize_tax_code(prefix + str(d)) is None for d in range(10))


def test_check_digit_of_known_codes():
    assert check_digit("010023348") == 8
    assert check_digit("010010910") == 6
