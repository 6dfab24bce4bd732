"""Account forms. Labels and messages are Vietnamese msgids, translated when rendered
(templates/accounts/_form.html); the services do the real checking."""

from __future__ import annotations

from flask_babel import gettext
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from storefront.accounts.passwords import MAX_LENGTH
from storefront.i18n import N_
from storefront.numbers import INT_MAX, whole_number
from storefront.places import all_provinces, get_province, wards_of
from storefront.site.forms import ShopForm

REQUIRED = N_("Vui lòng điền mục này.")
LANGUAGE_CHOICES = [("vi", "Tiếng Việt"), ("en", "English")]


def to_int(value: object) -> int:
    """Coerce a submitted choice to int; anything else (unicode digits, an id beyond what
    the integer columns hold) becomes 0 ("not chosen"), which the services refuse with a
    message in the visitor's language."""
    return whole_number(str(value), 0, INT_MAX) or 0


def email_field() -> StringField:
    return StringField(
        N_("Email"),
        # Length and form are the email policy's to check (storefront/email_policy.py).
        validators=[DataRequired(REQUIRED)],
        render_kw={"autocomplete": "email", "inputmode": "email", "maxlength": 254},
    )


# The address fields of every form that asks for one (address book, checkout, producer
# application): province first, then ward (set_place_choices), then the street.
def phone_field(label: str = N_("Số điện thoại")) -> StringField:
    return StringField(
        label,
        validators=[DataRequired(REQUIRED), Length(max=20)],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )


def province_field() -> SelectField:
    return SelectField(N_("Tỉnh, thành phố"), coerce=to_int, validate_choice=False)


def ward_field() -> SelectField:
    return SelectField(N_("Phường, xã"), coerce=to_int, validate_choice=False)


def street_field(label: str = N_("Số nhà, đường, thôn, bản")) -> StringField:
    return StringField(
        label,
        validators=[DataRequired(REQUIRED), Length(max=300)],
        render_kw={"autocomplete": "address-line1"},
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


class LoginForm(ShopForm):
    email = email_field()
    password = PasswordField(
        N_("Mật khẩu"),
        validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    remember = BooleanField(N_("Ghi nhớ đăng nhập trên thiết bị này"))
    next = HiddenField()


class RegistrationForm(ShopForm):
    full_name = StringField(
        N_("Họ và tên"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    email = email_field()
    password = _new_password()
    password_confirm = _confirm("password")
    next = HiddenField()


class ForgotPasswordForm(ShopForm):
    email = email_field()


class ResetPasswordForm(ShopForm):
    password = _new_password(N_("Mật khẩu mới"))
    password_confirm = _confirm("password")


class ChangePasswordForm(ShopForm):
    current_password = PasswordField(
        N_("Mật khẩu hiện tại"),
        validators=[DataRequired(REQUIRED), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "current-password"},
    )
    password = _new_password(N_("Mật khẩu mới"))
    password_confirm = _confirm("password")


class ProfileForm(ShopForm):
    full_name = StringField(
        N_("Họ và tên"), validators=[Length(max=120)], render_kw={"autocomplete": "name"}
    )
    phone = StringField(
        N_("Số điện thoại"),
        validators=[Optional(), Length(max=20)],
        render_kw={"autocomplete": "tel", "inputmode": "tel"},
    )
    language = SelectField(N_("Ngôn ngữ"), choices=LANGUAGE_CHOICES)


class AddressForm(ShopForm):
    """Province first, then ward: without JavaScript the "choose province" button
    reloads the form with that province's wards (static/js/address.js does it on change)."""

    recipient_name = StringField(
        N_("Tên người nhận"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    phone = phone_field()
    province_code = province_field()
    ward_code = ward_field()
    street = street_field()
    is_default = BooleanField(N_("Dùng làm địa chỉ mặc định"))


def set_place_choices(form: FlaskForm) -> None:
    """Offer all provinces, and the wards of the province chosen so far (none before a
    province is chosen). Works on any form with province_code and ward_code fields."""
    province_field, ward_field = form.province_code, form.ward_code
    province_field.choices = [(0, gettext("— Chọn tỉnh, thành phố —"))] + [
        (p.code, p.name) for p in all_provinces()
    ]
    code = province_field.data if isinstance(province_field.data, int) else 0
    wards = wards_of(code) if get_province(code) else []
    ward_field.choices = [(0, gettext("— Chọn phường, xã —"))] + [(w.code, w.name) for w in wards]
