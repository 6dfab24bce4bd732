"""Forms for applying as a producer and managing members."""

from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from storefront.accounts.forms import (
    REQUIRED,
    phone_field,
    province_field,
    street_field,
    ward_field,
)
from storefront.i18n import N_
from storefront.producers.services import MAX_STORY
from storefront.site.forms import ShopForm


class ApplicationForm(ShopForm):
    """Province first, then ward, as in the address form (set_place_choices)."""

    business_name = StringField(
        N_("Tên chủ thể (HTX, doanh nghiệp, hộ kinh doanh)"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
        render_kw={"autocomplete": "organization"},
    )
    kind = SelectField(N_("Loại hình chủ thể"), validate_choice=False)
    province_code = province_field()
    ward_code = ward_field()
    address = street_field(N_("Địa chỉ (số nhà, đường, thôn, bản)"))
    phone = phone_field(N_("Số điện thoại liên hệ"))
    story = TextAreaField(
        N_("Giới thiệu ngắn: sản phẩm, vùng nguyên liệu, câu chuyện của bạn"),
        validators=[Length(max=MAX_STORY)],
        render_kw={"rows": 6},
    )


class AddMemberForm(ShopForm):
    email = StringField(
        N_("Email của thành viên"),
        # Length and form are the email policy's to check (storefront/email_policy.py).
        validators=[DataRequired(REQUIRED)],
        render_kw={"autocomplete": "off", "inputmode": "email", "maxlength": 254},
    )
