"""Forms of the fair pages: the organiser's fair, exhibitors, featured products and home
features, and the producer's booth."""

from __future__ import annotations

from flask_wtf.file import FileField
from wtforms import (
    DateField,
    DateTimeLocalField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from storefront.accounts.forms import REQUIRED
from storefront.fairs.models import FairState
from storefront.i18n import N_
from storefront.money import VndField, WholeNumberField
from storefront.site.fields import NumberSelectField, NumberSelectMultipleField
from storefront.site.forms import ShopForm

STATE_LABELS = {
    FairState.DRAFT: N_("Bản nháp"),
    FairState.PUBLISHED: N_("Đã công bố"),
    FairState.CLOSED: N_("Đã đóng"),
}
BAD_DATE = N_("Ngày không hợp lệ.")
BAD_TIME = N_("Thời gian không hợp lệ.")
BAD_NUMBER = N_("Vui lòng nhập số nguyên.")
# What browsers send for <input type="datetime-local">; the first is also how it is shown.
LOCAL_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]


class ActionForm(ShopForm):
    """Only the CSRF token."""


class FairForm(ShopForm):
    name = StringField(N_("Tên hội chợ"), validators=[DataRequired(REQUIRED)])
    description = TextAreaField(N_("Giới thiệu"), render_kw={"rows": 5})
    venue = StringField(N_("Địa điểm tổ chức"), validators=[DataRequired(REQUIRED)])
    province_code = NumberSelectField(N_("Tỉnh, thành phố"))
    starts_on = DateField(N_("Ngày khai mạc"), validators=[InputRequired(BAD_DATE)])
    ends_on = DateField(N_("Ngày bế mạc"), validators=[InputRequired(BAD_DATE)])
    opens_local = DateTimeLocalField(
        N_("Mở cửa trực tuyến (giờ Việt Nam)"),
        validators=[InputRequired(BAD_TIME)],
        format=LOCAL_FORMATS,
    )
    closes_local = DateTimeLocalField(
        N_("Đóng cửa trực tuyến (giờ Việt Nam)"),
        validators=[InputRequired(BAD_TIME)],
        format=LOCAL_FORMATS,
    )
    banner = FileField(N_("Ảnh bìa (JPEG, PNG hoặc WebP)"))


class StateForm(ShopForm):
    state = SelectField(N_("Trạng thái"), choices=[(s.value, s.value) for s in FairState])


class InviteForm(ShopForm):
    producer_id = NumberSelectField(N_("Chủ thể OCOP"))


class FeatureForm(ShopForm):
    variant_id = NumberSelectField(N_("Sản phẩm"))
    position = WholeNumberField(
        N_("Thứ tự"),
        default=0,
        validators=[
            InputRequired(BAD_NUMBER),
            NumberRange(0, 9999, N_("Thứ tự phải từ 0 đến 9999.")),
        ],
    )
    fair_price = VndField(
        N_("Giá hội chợ (đồng, để trống nếu giữ giá thường)"),
        validators=[Optional(), NumberRange(1, 2_000_000_000, N_("Giá hội chợ phải lớn hơn 0."))],
        render_kw={"inputmode": "numeric"},
    )


class HomeFeatureForm(ShopForm):
    product = StringField(
        N_("Đường dẫn sản phẩm (ví dụ /products/mat-ong-hoa-ban)"),
        validators=[DataRequired(REQUIRED)],
    )
    position = WholeNumberField(
        N_("Thứ tự"), default=0, validators=[InputRequired(BAD_NUMBER), NumberRange(0, 9999)]
    )
    starts_on = DateField(N_("Từ ngày"), validators=[InputRequired(BAD_DATE)])
    ends_on = DateField(N_("Đến ngày"), validators=[InputRequired(BAD_DATE)])


class BoothForm(ShopForm):
    description = TextAreaField(N_("Giới thiệu gian hàng"), render_kw={"rows": 4})
    products = NumberSelectMultipleField(
        N_("Sản phẩm trưng bày"),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class RequestForm(ShopForm):
    fair_id = NumberSelectField(N_("Hội chợ"))
