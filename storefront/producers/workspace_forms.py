"""Forms of the producer's workspace. Numbers and dates are text fields parsed by the
services, so "150.000" is a price and every error message is Vietnamese."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    HiddenField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired
from wtforms.widgets import CheckboxInput, ListWidget

from storefront.accounts.forms import REQUIRED
from storefront.catalog.groups import PRODUCT_GROUPS
from storefront.i18n import N_
from storefront.producers.certificates import LEVEL_LABELS
from storefront.producers.stock import MANUAL_REASONS
from storefront.site.fields import NumberSelectField, NumberSelectMultipleField
from storefront.site.forms import ShopForm

NUMBER = {"inputmode": "numeric", "autocomplete": "off"}


def category_choices() -> dict[str, list[tuple[str, str]]]:
    """OCOP groups and sub-groups for a select with option groups ("group/subgroup")."""
    return {
        str(lazy_gettext(group.name)): [
            (f"{group.code}/{code}", str(lazy_gettext(name)))
            for code, name in group.subgroups.items()
        ]
        for group in PRODUCT_GROUPS
    }


class ActionForm(ShopForm):
    """Only the CSRF token: buttons that need no more input."""


class ProductForm(ShopForm):
    name = StringField(
        N_("Tên sản phẩm (tiếng Việt)"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"maxlength": 200},
    )
    name_en = StringField(N_("Tên tiếng Anh (không bắt buộc)"), render_kw={"maxlength": 200})
    category = SelectField(N_("Nhóm sản phẩm OCOP"), validate_choice=False)
    description = TextAreaField(N_("Mô tả (tiếng Việt)"), render_kw={"rows": 6})
    description_en = TextAreaField(N_("Mô tả tiếng Anh (không bắt buộc)"), render_kw={"rows": 4})


class VariantForm(ShopForm):
    label = StringField(
        N_("Quy cách (ví dụ: Hũ 500 g)"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"maxlength": 120},
    )
    sku = StringField(
        N_("Mã SKU"), validators=[DataRequired(REQUIRED)], render_kw={"maxlength": 64}
    )
    price = StringField(
        N_("Giá bán (đồng, ví dụ 150.000)"), validators=[DataRequired(REQUIRED)], render_kw=NUMBER
    )
    weight_grams = StringField(
        N_("Khối lượng khi gửi (gam)"), validators=[DataRequired(REQUIRED)], render_kw=NUMBER
    )
    low_stock_threshold = StringField(N_("Cảnh báo khi tồn kho còn"), default="5", render_kw=NUMBER)
    stock = StringField(N_("Tồn kho ban đầu"), default="0", render_kw=NUMBER)
    is_active = BooleanField(N_("Đang bán quy cách này"), default=True)


class NewProductForm(ProductForm, VariantForm):
    """A product with its first variant, as one form."""


class StockForm(ShopForm):
    variant_id = HiddenField()
    delta = StringField(
        N_("Số lượng (ví dụ +20 hoặc -3)"), validators=[DataRequired(REQUIRED)], render_kw=NUMBER
    )
    reason = SelectField(
        N_("Lý do"),
        choices=[(reason.value, lazy_gettext(label)) for reason, label in MANUAL_REASONS.items()],
        validate_choice=False,
    )
    note = StringField(N_("Ghi chú (không bắt buộc)"), render_kw={"maxlength": 300})


class PhotoForm(ShopForm):
    photo = FileField(
        N_("Ảnh (JPEG, PNG hoặc WebP, tối đa 5 MB)"),
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    alt = StringField(
        N_("Mô tả ảnh cho người khiếm thị (ví dụ: Hũ mật ong 500 g trên bàn gỗ)"),
        render_kw={"maxlength": 300},
    )


class AltForm(ShopForm):
    alt = StringField(N_("Mô tả ảnh"), render_kw={"maxlength": 300})


class ImportForm(ShopForm):
    file = FileField(N_("Tệp CSV (UTF-8)"), render_kw={"accept": ".csv,text/csv"})


class CertificateForm(ShopForm):
    product_id = NumberSelectField(N_("Sản phẩm"))
    stars = SelectField(
        N_("Hạng sao"),
        choices=[("3", "3 ★"), ("4", "4 ★"), ("5", "5 ★")],
        validate_choice=False,
    )
    level = SelectField(
        N_("Cấp công nhận"),
        choices=[(level.value, lazy_gettext(label)) for level, label in LEVEL_LABELS.items()],
        validate_choice=False,
    )
    decision_number = StringField(
        N_("Số quyết định (ví dụ 1234/QĐ-UBND)"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"maxlength": 80},
    )
    decision_date = StringField(
        N_("Ngày quyết định"), validators=[DataRequired(REQUIRED)], render_kw={"type": "date"}
    )
    issuing_body = StringField(
        N_("Cơ quan cấp (ví dụ UBND tỉnh Điện Biên)"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"maxlength": 200},
    )
    scan = FileField(
        N_("Bản chụp giấy chứng nhận (PDF, JPEG, PNG hoặc WebP, tối đa 5 MB)"),
        render_kw={"accept": "application/pdf,image/jpeg,image/png,image/webp"},
    )


class ShipForm(ShopForm):
    carrier = StringField(
        N_("Đơn vị vận chuyển (ví dụ Viettel Post)"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"maxlength": 80},
    )
    tracking_number = StringField(
        N_("Mã vận đơn"), validators=[DataRequired(REQUIRED)], render_kw={"maxlength": 80}
    )
    # Choices are the producer's batches of the ordered variants, set by the view;
    # ownership is checked again by traceability.shipments when recording.
    batch_ids = NumberSelectMultipleField(
        N_("Lô sản xuất đã gửi (để người mua truy xuất nguồn gốc)"),
        choices=[],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )


class CancelForm(ShopForm):
    reason = StringField(
        N_("Lý do huỷ (người mua sẽ đọc được)"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"maxlength": 300},
    )


class RejectCertificateForm(ShopForm):
    reason = TextAreaField(
        N_("Lý do từ chối (chủ thể sẽ đọc được)"),
        validators=[DataRequired(N_("Vui lòng nêu lý do từ chối."))],
        render_kw={"rows": 3, "maxlength": 1000},
    )
