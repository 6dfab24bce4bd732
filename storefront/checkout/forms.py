"""The checkout form. Labels and messages are Vietnamese msgids translated when rendered;
the order services do the real checking (phone, email, province and ward)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from storefront.i18n import N_
from storefront.numbers import INT_MAX, whole_number

REQUIRED = N_("Vui lòng điền mục này.")


def to_int(value: object) -> int:
    """Coerce a submitted choice to int; anything else, an id beyond what the columns
    hold included, becomes 0 ("not chosen")."""
    return whole_number(str(value), 0, INT_MAX) or 0


class CheckoutForm(FlaskForm):
    checkout_token = HiddenField()
    saved_address = SelectField(N_("Địa chỉ đã lưu"), coerce=to_int, validate_choice=False)
    contact_name = StringField(
        N_("Họ và tên người nhận"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    phone = StringField(
        N_("Số điện thoại"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    email = StringField(
        N_("Email"),
        validators=[DataRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    province_code = SelectField(N_("Tỉnh, thành phố"), coerce=to_int, validate_choice=False)
    ward_code = SelectField(N_("Phường, xã"), coerce=to_int, validate_choice=False)
    street = StringField(
        N_("Số nhà, đường, thôn, bản"),
        validators=[DataRequired(REQUIRED), Length(max=300)],
        render_kw={"autocomplete": "address-line1"},
    )
    note = TextAreaField(
        N_("Ghi chú cho người bán (không bắt buộc)"),
        validators=[Optional(), Length(max=500)],
        render_kw={"rows": 2},
    )
    payment_method = RadioField(N_("Cách thanh toán"), validate_choice=False)
