"""The checkout form. Labels and messages are Vietnamese msgids translated when rendered;
the order services do the real checking (phone, email, province and ward)."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from storefront.accounts.forms import (
    REQUIRED,
    email_field,
    phone_field,
    province_field,
    street_field,
    to_int,
    ward_field,
)
from storefront.i18n import N_
from storefront.site.forms import ShopForm


class CheckoutForm(ShopForm):
    checkout_token = HiddenField()
    saved_address = SelectField(N_("Địa chỉ đã lưu"), coerce=to_int, validate_choice=False)
    contact_name = StringField(
        N_("Họ và tên người nhận"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    phone = phone_field()
    email = email_field()
    province_code = province_field()
    ward_code = ward_field()
    street = street_field()
    note = TextAreaField(
        N_("Ghi chú cho người bán (không bắt buộc)"),
        validators=[Optional(), Length(max=500)],
        render_kw={"rows": 2},
    )
    payment_method = RadioField(N_("Cách thanh toán"), validate_choice=False)
    # Offered to business buyers only; the details come from their profile at placement.
    invoice = BooleanField(N_("Xuất hóa đơn cho doanh nghiệp"))


# The form field each OrderError field names (orders.placement), for the page and the API.
ORDER_ERROR_FIELDS = {
    "name": "contact_name",
    "phone": "phone",
    "email": "email",
    "province": "province_code",
    "ward": "ward_code",
    "street": "street",
    "note": "note",
}
