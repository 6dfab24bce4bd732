"""Account forms. Labels and messages are Vietnamese msgids, translated when rendered
(templates/accounts/_form.html); the services do the real checking."""

from __future__ import annotations

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from storefront.accounts.passwords import MAX_LENGTH
from storefront.i18n import N_
from storefront.places import all_provinces, get_province, wards_of
from storefront.site.fields import NumberSelectField

REQUIRED = N_("Vui lòng điền mục này.")
LANGUAGE_CHOICES = [("vi", "Tiếng Việt"), ("en", "English")]


def _email() -> StringField:
    return StringField(
        N_("Email"),
        validators=[DataRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )


def _new_password(label: str = N_("Mật khẩu")) -> PasswordField:
    return PasswordField(
        label,
        validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "new-password", "minlength": 8},
    )


def _confirm(field: str) -> PasswordField:
    return PasswordField(
        N_("Nhập lại mật khẩu"),
        validators=[DataRequired(REQUIRED), EqualTo(field, N_("Hai mật khẩu không khớp."))],
        render_kw={"autocomplete": "new-password"},
    )


class LoginForm(FlaskForm):
    email = _email()
    password = PasswordField(
        N_("Mật khẩu"),
        validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(N_("Ghi nhớ đăng nhập trên thiết bị này"))
    next = HiddenField()


class RegistrationForm(FlaskForm):
    full_name = StringField(
        N_("Họ và tên"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = _email()
    password = _new_password()
    password_confirm = _confirm("password")
    next = HiddenField()


class ForgotPasswordForm(FlaskForm):
    email = _email()


class ResetPasswordForm(FlaskForm):
    password = _new_password(N_("Mật khẩu mới"))
    password_confirm = _confirm("password")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        N_("Mật khẩu hiện tại"),
        validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password(N_("Mật khẩu mới"))
    password_confirm = _confirm("password")


class ProfileForm(FlaskForm):
    full_name = StringField(
        N_("Họ và tên"), validators=[Length(max=120)], render_kw={"autocomplete": "name"}
    )
    phone = StringField(
        N_("Số điện thoại"),
        validators=[Optional(), Length(max=20)],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    language = SelectField(N_("Ngôn ngữ"), choices=LANGUAGE_CHOICES)


class AddressForm(FlaskForm):
    """Province first, then ward: without JavaScript the "choose province" button
    reloads the form with that province's wards (static/js/address.js does it on change)."""

    recipient_name = StringField(
        N_("Tên người nhận"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    phone = StringField(
        N_("Số điện thoại"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    province_code = NumberSelectField(N_("Tỉnh, thành phố"))
    ward_code = NumberSelectField(N_("Phường, xã"))
    street = StringField(
        N_("Số nhà, đường, thôn, bản"),
        validators=[DataRequired(REQUIRED), Length(max=300)],
        render_kw={"autocomplete": "address-line1"},
    )
    is_default = BooleanField(N_("Dùng làm địa chỉ mặc định"))


def set_place_choices(form: FlaskForm) -> None:
    """Offer all provinces, and the wards of the province chosen so far (none before a
    province is chosen). Works on any form with province_code and ward_code fields."""
    province_field, ward_field = form.province_code, form.ward_code  # type: ignore[attr-defined]
    province_field.choices = [(0, gettext("— Chọn tỉnh, thành phố —"))] + [
        (p.code, p.name) for p in all_provinces()
    ]
    code = province_field.data if isinstance(province_field.data, int) else 0
    wards = wards_of(code) if get_province(code) else []
    ward_field.choices = [(0, gettext("— Chọn phường, xã —"))] + [(w.code, w.name) for w in wards]
