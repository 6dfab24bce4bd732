"""Choices whose values are whole numbers (ids, province and ward codes).

WTForms' `coerce=int` takes "١٢" and 2¹⁰⁰ (Python's int() has no size) and lets them
through to a query, where PostgreSQL's integer columns refuse them with a 500. These
take ASCII digits within the column's range, and anything else is a form error with a
Vietnamese msgid. Typed numbers and amounts are storefront.money's WholeNumberField and
VndField. tests/site/test_inputs.py checks that no form uses coerce=int or IntegerField.
"""

from __future__ import annotations

from typing import Any

from wtforms import Field, SelectField, SelectMultipleField

from storefront.i18n import N_
from storefront.numbers import INT_MAX, whole_number

NOT_A_CHOICE = N_("Vui lòng chọn một mục trong danh sách.")


def number_choice(value: Any) -> int:
    """`coerce` for option values that are ids or codes: 0 to 2³¹ - 1, else ValueError."""
    number = whole_number(value, 0, INT_MAX) if isinstance(value, str | int) else None
    if number is None:
        raise ValueError(NOT_A_CHOICE)
    return number


class _NumberChoices(Field):
    """Whole-number option values for a select field. Choices are not validated by default:
    the services check what the id names. Any value that is not one says so in words."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("coerce", number_choice)
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(NOT_A_CHOICE) from None


class NumberSelectField(_NumberChoices, SelectField):
    """A select whose option values are whole numbers (an id, a province or ward code)."""


class NumberSelectMultipleField(_NumberChoices, SelectMultipleField):
    """Checkboxes or a multiple select of whole-number values (products, batches)."""
