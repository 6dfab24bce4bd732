"""The business profile form; the service does the real checking."""

from __future__ import annotations

from wtforms import HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional

from storefront.accounts.forms import REQUIRED, phone_field, province_field, ward_field
from storefront.i18n import N_
from storefront.site.forms import ShopForm


class BusinessProfileForm(ShopForm):
    """Province first, then ward, as in the address book (set_place_choices)."""

    name = StringField(
        N_("Tên doanh nghiệp hoặc hộ kinh doanh"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
        render_kw={"autocomplete": "organization"},
    )
    tax_code = StringField(
        N_("Mã số thuế"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    province_code = province_field()
    ward_code = ward_field()
    address_line = StringField(
        N_("Số nhà, đường, thôn, bản"),
        validators=[DataRequired(REQUIRED), Length(max=300)],
        render_kw={"autocomplete": "address-line1"},
    )
    contact_name = StringField(
        N_("Người liên hệ"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    contact_phone = phone_field(N_("Số điện thoại liên hệ"))
    buys = StringField(N_("Mặt hàng cần mua"), validators=[Optional(), Length(max=300)])
    next = HiddenField()
