"""Forms of the meeting pages: the exhibitor's slot, the buyer's booking, a decline."""

from __future__ import annotations

from wtforms import DateTimeLocalField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length

from storefront.fairs.forms import BAD_TIME, LOCAL_FORMATS
from storefront.i18n import N_
from storefront.meetings.models import MeetingState, SlotMode, SlotState
from storefront.meetings.services import LENGTHS, MAX_NOTE, MAX_REASON
from storefront.site.fields import NumberSelectField
from storefront.site.forms import ShopForm

MODE_LABELS = {
    SlotMode.BOOTH: N_("Tại gian hàng"),
    SlotMode.ONLINE: N_("Trực tuyến (gọi video)"),
}

MEETING_STATE_LABELS = {
    MeetingState.REQUESTED: N_("Chờ chủ thể trả lời"),
    MeetingState.ACCEPTED: N_("Đã xác nhận"),
    MeetingState.DECLINED: N_("Bị từ chối"),
    MeetingState.CANCELLED: N_("Đã hủy"),
}
SLOT_STATE_LABELS = {
    SlotState.OPEN: N_("Còn trống"),
    SlotState.BOOKED: N_("Đã có người đặt"),
    SlotState.CLOSED: N_("Đã đóng"),
}


class ActionForm(ShopForm):
    """Only the CSRF token."""


class SlotForm(ShopForm):
    exhibitor_id = NumberSelectField(N_("Hội chợ"))
    starts_local = DateTimeLocalField(
        N_("Bắt đầu (giờ Việt Nam)"), validators=[InputRequired(BAD_TIME)], format=LOCAL_FORMATS
    )
    minutes = NumberSelectField(
        N_("Thời lượng"), choices=[(m, N_("%(n)s phút") % {"n": m}) for m in LENGTHS], default=30
    )
    mode = SelectField(
        N_("Hình thức"),
        choices=[(mode.value, label) for mode, label in MODE_LABELS.items()],
        validate_choice=False,  # the service names a wrong one
    )
    link = StringField(
        N_("Đường dẫn cuộc gọi (gặp trực tuyến)"),
        render_kw={"inputmode": "url", "placeholder": "https://"},
    )


class BookForm(ShopForm):
    note = TextAreaField(
        N_("Lời nhắn cho chủ thể (sản phẩm quan tâm, số lượng, câu hỏi)"),
        validators=[Length(max=MAX_NOTE, message=N_("Lời nhắn tối đa 500 ký tự."))],
        render_kw={"rows": 3, "maxlength": MAX_NOTE},
    )


class DeclineForm(ShopForm):
    reason = TextAreaField(
        N_("Lý do từ chối"),
        validators=[Length(max=MAX_REASON, message=N_("Lý do tối đa 500 ký tự."))],
        render_kw={"rows": 2, "maxlength": MAX_REASON},
    )
