"""Admin forms."""

from __future__ import annotations

from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from storefront.accounts.models import Role
from storefront.i18n import N_
from storefront.producers.services import MAX_REASON
from storefront.site.fields import NumberSelectMultipleField
from storefront.site.forms import ShopForm

ROLE_LABELS = {
    Role.BUYER: N_("Người mua"),
    Role.PRODUCER: N_("Chủ thể OCOP"),
    Role.ORGANISER: N_("Ban tổ chức hội chợ"),
    Role.OFFICER: N_("Cán bộ OCOP tỉnh"),
    Role.ADMIN: N_("Quản trị viên"),
}


class ApproveForm(ShopForm):
    """Only the CSRF token: approving needs no more input."""


class RejectForm(ShopForm):
    reason = TextAreaField(
        N_("Lý do từ chối (người đăng ký sẽ đọc được)"),
        validators=[DataRequired(N_("Vui lòng nêu lý do từ chối.")), Length(max=MAX_REASON)],
        render_kw={"rows": 4},
    )


class RoleForm(ShopForm):
    role = SelectField(N_("Vai trò"), choices=[(r.value, r.value) for r in Role])
    # Only for a province officer: the provinces whose dashboard it may read (the service
    # checks the codes).
    provinces = NumberSelectMultipleField(N_("Tỉnh/thành phố (cán bộ OCOP tỉnh)"))
