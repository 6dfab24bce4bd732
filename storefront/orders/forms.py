"""Order forms: finding a guest order, shipping details, the admin's search."""

from __future__ import annotations

from wtforms import StringField
from wtforms.validators import DataRequired, Length

from storefront.accounts.forms import REQUIRED
from storefront.i18n import N_
from storefront.site.forms import ShopForm


class LookupForm(ShopForm):
    contact = StringField(
        N_("Email hoặc số điện thoại đã dùng khi đặt hàng"),
        validators=[DataRequired(REQUIRED), Length(max=254)],
        render_kw={"autocomplete": "email"},
    )
