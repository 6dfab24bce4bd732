"""The admin's shipping rule form: one row of numbers per zone."""

from __future__ import annotations

from wtforms.validators import InputRequired, NumberRange

from storefront.accounts.forms import REQUIRED
from storefront.i18n import N_
from storefront.money import VndField, WholeNumberField
from storefront.shipping.services import MAX_FEE_VND, MAX_INCLUDED_GRAMS
from storefront.site.forms import ShopForm

FEE_RANGE = N_("Nhập số nguyên từ 0 đến 10.000.000.")
GRAMS_RANGE = N_("Nhập số gam từ 0 đến 100.000.")


def _fee(label: str) -> VndField:
    return VndField(
        label,
        validators=[InputRequired(REQUIRED), NumberRange(0, MAX_FEE_VND, FEE_RANGE)],
        render_kw={"inputmode": "numeric"},
    )


class RatesForm(ShopForm):
    same_base_fee_vnd = _fee(N_("Phí cơ bản (₫)"))
    same_included_grams = WholeNumberField(
        N_("Khối lượng tính trong phí cơ bản (gam)"),
        validators=[InputRequired(REQUIRED), NumberRange(0, MAX_INCLUDED_GRAMS, GRAMS_RANGE)],
        render_kw={"inputmode": "numeric"},
    )
    same_extra_kg_fee_vnd = _fee(N_("Phí mỗi kg tiếp theo (₫)"))
    other_base_fee_vnd = _fee(N_("Phí cơ bản (₫)"))
    other_included_grams = WholeNumberField(
        N_("Khối lượng tính trong phí cơ bản (gam)"),
        validators=[InputRequired(REQUIRED), NumberRange(0, MAX_INCLUDED_GRAMS, GRAMS_RANGE)],
        render_kw={"inputmode": "numeric"},
    )
    other_extra_kg_fee_vnd = _fee(N_("Phí mỗi kg tiếp theo (₫)"))
