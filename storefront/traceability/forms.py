"""Batch forms. Labels and messages are Vietnamese msgids, translated when rendered
(templates/accounts/_form.html); the services do the real checking."""

from __future__ import annotations

from typing import Any

from wtforms import Form, FormField, SelectField, StringField, TextAreaField
from wtforms.fields import DateField, FieldList
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from storefront.accounts.forms import REQUIRED
from storefront.i18n import N_
from storefront.money import WholeNumberField
from storefront.site.fields import NumberSelectField
from storefront.site.forms import ShopForm
from storefront.traceability.services import (
    MAX_NOTE_LENGTH,
    MAX_PLACE_LENGTH,
    MAX_QUANTITY,
    STEP_LABELS,
)
from storefront.traceability.stamps import MAX_STAMPS, MIN_STAMPS, PER_PAGE

NEW_BATCH_STEP_ROWS = 4


class DayField(DateField):
    """A date input whose parse error is a msgid like every other message here."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(N_("Ngày không hợp lệ.")) from None


def step_kind_choices() -> list[tuple[str, str]]:
    """Step kinds as (value, msgid); the blank choice leaves a row unused."""
    return [("", N_("— Chọn công đoạn —"))] + [
        (kind.value, label) for kind, label in STEP_LABELS.items()
    ]


class StepEntry(Form):
    """One row of steps on the new-batch form; a row left without a kind is skipped."""

    kind = SelectField(N_("Công đoạn"), choices=step_kind_choices(), validate_choice=False)
    happened_on = DayField(N_("Ngày"), validators=[Optional()])
    place = StringField(N_("Địa điểm"), validators=[Length(max=MAX_PLACE_LENGTH)])
    note = StringField(N_("Ghi chú"), validators=[Length(max=MAX_NOTE_LENGTH)])

    def is_blank(self) -> bool:
        return not (self.kind.data or self.happened_on.data or self.place.data or self.note.data)


class BatchForm(ShopForm):
    variant_id = NumberSelectField(N_("Sản phẩm và quy cách"), validators=[InputRequired(REQUIRED)])
    produced_on = DayField(N_("Ngày sản xuất"), validators=[InputRequired(REQUIRED)])
    expires_on = DayField(N_("Hạn sử dụng"), validators=[InputRequired(REQUIRED)])
    quantity = WholeNumberField(
        N_("Số lượng (đơn vị theo quy cách)"),
        validators=[
            InputRequired(REQUIRED),
            NumberRange(1, MAX_QUANTITY, N_("Số lượng phải là số nguyên dương.")),
        ],
        render_kw={"inputmode": "numeric", "min": 1},
    )
    province_code = NumberSelectField(N_("Tỉnh, thành phố"))
    ward_code = NumberSelectField(N_("Phường, xã"))
    place_detail = StringField(
        N_("Nơi sản xuất (thôn, bản, cơ sở)"), validators=[Length(max=MAX_PLACE_LENGTH)]
    )
    steps = FieldList(FormField(StepEntry), min_entries=NEW_BATCH_STEP_ROWS, max_entries=12)


class StepForm(ShopForm):
    """Add one step to an existing batch."""

    kind = SelectField(
        N_("Công đoạn"),
        choices=step_kind_choices(),
        validate_choice=False,
        validators=[DataRequired(N_("Vui lòng chọn loại công đoạn."))],
    )
    happened_on = DayField(N_("Ngày"), validators=[InputRequired(REQUIRED)])
    place = StringField(N_("Địa điểm"), validators=[Length(max=MAX_PLACE_LENGTH)])
    note = TextAreaField(N_("Ghi chú"), validators=[Length(max=MAX_NOTE_LENGTH)])


class StampSheetForm(ShopForm):
    """How many stamps to print (a GET form: no CSRF token needed for a download)."""

    class Meta:
        csrf = False

    count = WholeNumberField(
        N_("Số tem cần in"),
        default=PER_PAGE,
        validators=[
            InputRequired(REQUIRED),
            NumberRange(
                MIN_STAMPS,
                MAX_STAMPS,
                N_("Số tem phải từ 1 đến 500."),  # MIN_STAMPS, MAX_STAMPS
            ),
        ],
        render_kw={"inputmode": "numeric", "min": MIN_STAMPS, "max": MAX_STAMPS},
    )
