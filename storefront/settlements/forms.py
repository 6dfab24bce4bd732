"""Forms of the settlement pages; labels are Vietnamese msgids translated when rendered."""

from __future__ import annotations

import re

from wtforms import DateField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, ValidationError

from storefront.accounts.forms import REQUIRED
from storefront.i18n import N_
from storefront.site.forms import ShopForm

PERCENT = re.compile(r"\s*(\d{1,3})(?:[.,](\d{1,2}))?\s*%?\s*")


def percent_to_bp(text: str | None) -> int | None:
    """'5', '5,5', '12.25 %' → basis points (500, 550, 1225); None if not a percentage."""
    match = PERCENT.fullmatch(text or "")
    if match is None:
        return None
    whole, fraction = match.group(1), (match.group(2) or "").ljust(2, "0")
    return int(whole) * 100 + int(fraction)


class CommissionForm(ShopForm):
    rate = StringField(N_("Tỷ lệ hoa hồng (%)"), validators=[DataRequired(REQUIRED)])
    effective_from = DateField(
        N_("Áp dụng cho phần đơn giao từ ngày"), validators=[DataRequired(N_("Ngày không hợp lệ."))]
    )

    def validate_rate(self, field: StringField) -> None:
        value = percent_to_bp(field.data)
        if value is None or value > 10000:
            raise ValidationError(N_("Tỷ lệ là số từ 0 đến 100, ví dụ 5 hoặc 7,5."))


class RecordPaidForm(ShopForm):
    start = HiddenField()
    end = HiddenField()
    digest = HiddenField()
    bank_reference = StringField(
        N_("Mã giao dịch chuyển khoản"),
        validators=[DataRequired(REQUIRED), Length(max=100)],
    )
    paid_on = DateField(
        N_("Ngày chuyển khoản"), validators=[DataRequired(N_("Ngày không hợp lệ."))]
    )
