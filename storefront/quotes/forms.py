"""Forms of the quote pages. The per-line numbers (a quantity per pack when asking, a unit
price per line when answering) are plain inputs named `qty-<pack id>` and
`price-<line id>`, read by `typed_numbers`; the services check what they name."""

from __future__ import annotations

from collections.abc import Mapping

from wtforms import BooleanField, DateField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from storefront.accounts.forms import REQUIRED, phone_field, street_field
from storefront.i18n import N_
from storefront.money import VndField, WholeNumberField, parse_whole_number
from storefront.numbers import INT_MAX, whole_number
from storefront.site.fields import NumberSelectField
from storefront.site.forms import ShopForm

BAD_DATE = N_("Ngày không hợp lệ (ngày/tháng/năm).")
NOT_A_NUMBER = N_("Vui lòng nhập số nguyên.")
TEXT = {"rows": 3, "maxlength": 2000}


class RequestForm(ShopForm):
    """Asking (and asking again): where, when, notes; the quantities are `qty-<id>`."""

    token = HiddenField()
    round = HiddenField()
    delivery_province_code = NumberSelectField(N_("Giao đến tỉnh, thành phố"))
    wanted_on = DateField(
        N_("Ngày cần hàng (không bắt buộc)"), validators=[Optional()], render_kw={"type": "date"}
    )
    notes = TextAreaField(
        N_("Ghi chú cho chủ thể (quy cách đóng gói, hoá đơn…)"),
        validators=[Length(max=2000)],
        render_kw=TEXT,
    )


class AnswerForm(ShopForm):
    """The producer's quote; the unit prices are `price-<line id>`."""

    round = HiddenField()
    shipping_fee = VndField(N_("Phí vận chuyển (₫)"), validators=[InputRequired(REQUIRED)])
    lead_time_days = WholeNumberField(
        N_("Thời gian chuẩn bị (ngày)"), validators=[InputRequired(REQUIRED)]
    )
    valid_until = DateField(
        N_("Báo giá có hiệu lực đến ngày"),
        validators=[InputRequired(BAD_DATE)],
        render_kw={"type": "date"},
    )
    conditions = TextAreaField(
        N_("Điều kiện (thanh toán, đóng gói, hoá đơn…)"),
        validators=[Length(max=2000)],
        render_kw=TEXT,
    )


class DeclineForm(ShopForm):
    round = HiddenField()
    reason = TextAreaField(
        N_("Lý do không nhận"),
        validators=[DataRequired(REQUIRED), Length(max=2000)],
        render_kw=TEXT,
    )


PAYMENT_CHOICES = [
    ("bank_transfer", N_("Chuyển khoản ngân hàng (VietQR)")),
    ("cod", N_("Thanh toán khi nhận hàng (COD)")),
]


class AcceptForm(ShopForm):
    """Where the goods go, in the quote's province, and how the buyer pays."""

    round = HiddenField()
    contact_name = StringField(
        N_("Người nhận hàng"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    phone = phone_field()
    ward_code = NumberSelectField(N_("Phường, xã"))
    street = street_field()
    note = TextAreaField(N_("Ghi chú giao hàng"), validators=[Length(max=500)], render_kw=TEXT)
    payment_method = RadioField(
        N_("Thanh toán"), choices=PAYMENT_CHOICES, validators=[InputRequired(REQUIRED)]
    )
    wants_invoice = BooleanField(N_("Xuất hóa đơn theo thông tin doanh nghiệp"))


class MessageForm(ShopForm):
    token = HiddenField()
    body = TextAreaField(
        N_("Tin nhắn"), validators=[DataRequired(REQUIRED), Length(max=2000)], render_kw=TEXT
    )


def round_of(form: RequestForm | AnswerForm | DeclineForm | AcceptForm) -> int:
    """The round the form was shown for (0, which matches none, when it is not a number)."""
    return whole_number(form.round.data or "", 1, INT_MAX) or 0


def typed_numbers(formdata: Mapping[str, str], prefix: str) -> tuple[dict[int, int], list[int]]:
    """The whole numbers typed in the `<prefix>-<id>` inputs: ({id: number} for the ones
    filled in, [ids whose text is not a whole number]). Empty inputs are left out."""
    numbers: dict[int, int] = {}
    refused: list[int] = []
    for name, text in formdata.items():
        if not name.startswith(prefix + "-"):
            continue
        key = whole_number(name[len(prefix) + 1 :], 1, INT_MAX)
        if key is None:
            continue
        if not str(text).strip():
            continue
        try:
            numbers[key] = parse_whole_number(str(text))
        except ValueError:
            refused.append(key)
    return numbers, refused
