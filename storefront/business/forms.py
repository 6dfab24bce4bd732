"""The business profile form; the service does the real checking."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, StringField
from wtforms.validators import DataRequired, Length, Optional

from storefront.accounts.forms import REQUIRED, phone_field, province_field, ward_field
from storefront.i18n import N_
from storefront.site.forms import ShopForm


class BusinessProfileForm(ShopForm):
    """Province first, then ward, as in the address book (set_place_choices)."""

    name = StringField(
        N_("Tên doanh nghiệp hoặc hộ kinh doanh"),
        validators=[DataRequired(REQUIRED), Length(max=200)],
        render_kw={"autocomplete": "organization"},
    )
    tax_code = StringField(
        N_("Mã số thuế"),
        validators=[DataRequired(REQUIRED), Length(max=20)],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )
    province_code = province_field()
    ward_code = ward_field()
    address_line = StringField(
        N_("Số nhà, đường, thôn, bản"),
        validators=[DataRequired(REQUIRED), Length(max=300)],
        render_kw={"autocomplete": "address-line1"},
    )
    contact_name = StringField(
        N_("Người liên hệ"),
        validators=[DataRequired(REQUIRED), Length(max=120)],
        render_kw={"autocomplete": "name"},
    )
    contact_phone = phone_field(N_("Số điện thoại liên hệ"))
    buys = StringField(N_("Mặt hàng cần mua"), validators=[Optional(), Length(max=300)])
    next = HiddenField()


class WholesaleForm(ShopForm):
    """Up to five tiers of one pack: "from q units, p đồng each"; empty rows are none.
    The service parses and checks the numbers (business/wholesale.py)."""

    q1 = StringField(N_("Từ số lượng"), validators=[Length(max=20)])
    p1 = StringField(N_("Giá mỗi sản phẩm (₫)"), validators=[Length(max=20)])
    q2 = StringField(N_("Từ số lượng"), validators=[Length(max=20)])
    p2 = StringField(N_("Giá mỗi sản phẩm (₫)"), validators=[Length(max=20)])
    q3 = StringField(N_("Từ số lượng"), validators=[Length(max=20)])
    p3 = StringField(N_("Giá mỗi sản phẩm (₫)"), validators=[Length(max=20)])
    q4 = StringField(N_("Từ số lượng"), validators=[Length(max=20)])
    p4 = StringField(N_("Giá mỗi sản phẩm (₫)"), validators=[Length(max=20)])
    q5 = StringField(N_("Từ số lượng"), validators=[Length(max=20)])
    p5 = StringField(N_("Giá mỗi sản phẩm (₫)"), validators=[Length(max=20)])
    business_only = BooleanField(N_("Chỉ cho khách doanh nghiệp"))

    ROWS = 5

    def rows(self) -> list[tuple[StringField, StringField]]:
        return [(self[f"q{n}"], self[f"p{n}"]) for n in range(1, self.ROWS + 1)]

    def fill(self, tiers: list[tuple[int, int, bool]]) -> None:
        """Show saved tiers (quantity, price, business only) in the rows."""
        for (quantity, price), (q, p) in zip(
            [(t[0], t[1]) for t in tiers], self.rows(), strict=False
        ):
            q.data, p.data = str(quantity), str(price)
        self.business_only.data = any(t[2] for t in tiers)
