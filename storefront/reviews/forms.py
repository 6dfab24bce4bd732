"""Forms of the reviews: writing one, reporting one, the producer's reply, moderation."""

from __future__ import annotations

from wtforms import MultipleFileField, SelectField, TextAreaField
from wtforms.validators import DataRequired

from storefront.accounts.forms import REQUIRED
from storefront.i18n import N_
from storefront.reviews.services import MAX_BODY, MAX_REASON, MAX_REPLY
from storefront.site.fields import NumberSelectField
from storefront.site.forms import ShopForm

STAR_CHOICES = [
    (5, N_("5 sao: Rất hài lòng")),
    (4, N_("4 sao: Hài lòng")),
    (3, N_("3 sao: Bình thường")),
    (2, N_("2 sao: Không hài lòng")),
    (1, N_("1 sao: Rất không hài lòng")),
]


class ReviewForm(ShopForm):
    stars = NumberSelectField(
        N_("Bạn chấm sản phẩm mấy sao?"),
        choices=STAR_CHOICES,
        validators=[DataRequired(REQUIRED)],
    )
    body = TextAreaField(N_("Nhận xét của bạn"), render_kw={"rows": 6, "maxlength": MAX_BODY})
    pack = SelectField(N_("Quy cách đã mua"), validate_choice=False)
    photos = MultipleFileField(
        N_("Ảnh thực tế (tối đa 3 ảnh JPEG, PNG hoặc WebP, mỗi ảnh tối đa 5 MB)"),
        render_kw={"accept": "image/jpeg,image/png,image/webp", "multiple": True},
    )


class ReportForm(ShopForm):
    reason = TextAreaField(
        N_("Lý do báo cáo"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"rows": 3, "maxlength": MAX_REASON},
    )


class ReplyForm(ShopForm):
    body = TextAreaField(
        N_("Trả lời công khai của chủ thể"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"rows": 3, "maxlength": MAX_REPLY},
    )


class HideForm(ShopForm):
    reason = TextAreaField(
        N_("Lý do ẩn (người viết sẽ thấy)"),
        validators=[DataRequired(REQUIRED)],
        render_kw={"rows": 2, "maxlength": MAX_REASON},
    )


class ActionForm(ShopForm):
    """Only the CSRF token."""
