"""Agreement forms. Labels and messages are Vietnamese msgids, translated when rendered
(templates/accounts/_form.html); the services do the real checking."""

from __future__ import annotations

from wtforms import Form, FormField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields import FieldList
from wtforms.validators import DataRequired, Length, Optional

from storefront.accounts.forms import REQUIRED
from storefront.i18n import N_
from storefront.money import VndField, WholeNumberField
from storefront.offtake.services import MAX_DELIVERIES, MAX_NOTE
from storefront.site.fields import NumberSelectField
from storefront.site.forms import ShopForm
from storefront.traceability.forms import DayField

BLANK_ROWS = 2  # empty lines under the schedule, to add deliveries by hand

PRICE_MODES = [
    ("fixed", N_("Một đơn giá cho cả hợp đồng")),
    ("per_delivery", N_("Đơn giá riêng cho từng lần giao")),
]
INTERVAL_CHOICES = [
    ("month", N_("Mỗi tháng")),
    ("two_weeks", N_("Mỗi hai tuần")),
    ("week", N_("Mỗi tuần")),
]


class LineEntry(Form):
    """One delivery of the schedule; a row left empty is skipped."""

    due_on = DayField(N_("Ngày giao"), validators=[Optional()])
    quantity = WholeNumberField(
        N_("Số lượng"), validators=[Optional()], render_kw={"inputmode": "numeric", "min": 1}
    )
    unit_price = VndField(N_("Đơn giá (₫), nếu giá theo lần giao"), validators=[Optional()])

    def is_blank(self) -> bool:
        return (
            not (self.due_on.raw_data and self.due_on.raw_data[0])
            and not (self.quantity.raw_data and self.quantity.raw_data[0])
            and not (self.unit_price.raw_data and self.unit_price.raw_data[0])
        )


class TermsForm(ShopForm):
    """The terms a side proposes: price, schedule (generated, then edited) and address."""

    price_mode = SelectField(N_("Cách tính giá"), choices=PRICE_MODES, validate_choice=False)
    unit_price = VndField(N_("Đơn giá mỗi đơn vị (₫)"), validators=[Optional()])
    start = DayField(N_("Ngày giao đầu tiên"), validators=[Optional()])
    end = DayField(N_("Ngày giao cuối cùng"), validators=[Optional()])
    interval = SelectField(N_("Chu kỳ"), choices=INTERVAL_CHOICES, validate_choice=False)
    per_delivery = WholeNumberField(
        N_("Số lượng mỗi lần giao"),
        validators=[Optional()],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    lines = FieldList(
        FormField(LineEntry), min_entries=BLANK_ROWS, max_entries=MAX_DELIVERIES + BLANK_ROWS
    )
    province_code = NumberSelectField(N_("Tỉnh, thành phố"))
    ward_code = NumberSelectField(N_("Phường, xã"))
    address_line = StringField(N_("Số nhà, đường, thôn, bản"), validators=[Length(max=300)])
    note = TextAreaField(N_("Ghi chú, điều kiện"), validators=[Length(max=MAX_NOTE)])


class BuyerRequestForm(TermsForm):
    variant_id = NumberSelectField(N_("Quy cách"))
    fair_id = HiddenField()


class ProducerProposalForm(TermsForm):
    variant_id = NumberSelectField(N_("Sản phẩm và quy cách"))
    buyer_email = StringField(
        N_("Email tài khoản doanh nghiệp của bên mua"),
        validators=[DataRequired(REQUIRED), Length(max=254)],
        render_kw={"inputmode": "email", "autocomplete": "off"},
    )


class AnswerForm(ShopForm):
    """Accept, decline or withdraw one version: its number makes the step conditional."""

    version = HiddenField()
