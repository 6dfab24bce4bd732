"""The account page's personal access tokens: make one (its secret shown once), revoke.
Buyers' tokens work the cart, checkout, orders and reviews; producers' the workspace."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from wtforms import RadioField, SelectField, StringField
from wtforms.validators import InputRequired, Length

from storefront.accounts.access import role_required
from storefront.accounts.models import Role
from storefront.api import tokens
from storefront.api.tokens import NewToken
from storefront.errors import DomainError, NotFound
from storefront.extensions import db
from storefront.i18n import N_
from storefront.site.forms import ShopForm
from storefront.timeutil import utcnow

bp = Blueprint("api_tokens", __name__, url_prefix="/account/tokens")


class TokenForm(ShopForm):
    name = StringField(N_("Tên (ví dụ: phần mềm kho)"), [InputRequired(), Length(max=80)])
    scope = RadioField(
        N_("Quyền"),
        choices=[("read", N_("Chỉ đọc")), ("write", N_("Đọc và ghi (tồn kho, đơn hàng)"))],
        default="read",
    )
    days = SelectField(
        N_("Thời hạn (ngày)"),
        choices=[(str(d), str(d)) for d in tokens.LIFETIMES_DAYS],
        default="90",
    )


class RevokeForm(ShopForm):
    pass


WRITE_LABELS = {
    Role.PRODUCER: N_("Đọc và ghi (tồn kho, đơn hàng)"),
    Role.BUYER: N_("Đọc và ghi (giỏ hàng, đặt hàng, huỷ, đánh giá)"),
}


def _form(submitted: bool) -> TokenForm:
    """The form, its write choice named for what this account's token may change."""
    form = TokenForm() if submitted else TokenForm(formdata=None)
    form.scope.choices = [
        ("read", N_("Chỉ đọc")),
        ("write", WRITE_LABELS.get(Role(current_user.role), WRITE_LABELS[Role.PRODUCER])),
    ]
    return form


def _page(form: TokenForm, new: NewToken | None = None, status: int = 200) -> ResponseReturnValue:
    return (
        render_template(
            "api/tokens.html",
            form=form,
            revoke_form=RevokeForm(formdata=None),
            tokens=tokens.live_tokens(db.session, int(current_user.id), utcnow()),
            new=new,
        ),
        status,
    )


@bp.get("/")
@role_required(*tokens.TOKEN_ROLES)
def index() -> ResponseReturnValue:
    return _page(_form(submitted=False))


@bp.post("/")
@role_required(*tokens.TOKEN_ROLES)
def create() -> ResponseReturnValue:
    """Make a token and show its secret on this answer only (never in a redirect or the
    session); it cannot be shown again."""
    form = _form(submitted=True)
    if not form.validate_on_submit():
        return _page(form, status=400)
    try:
        days = int(form.days.data or 0)
        new = tokens.create_token(
            db.session, current_user, form.name.data or "", form.scope.data or "", days, utcnow()
        )
    except (DomainError, ValueError) as error:
        db.session.rollback()
        flash(str(error), "error")
        return _page(form, status=400)
    db.session.commit()
    return _page(_form(submitted=False), new=new)


@bp.post("/<id:token_id>/revoke")
@role_required(*tokens.TOKEN_ROLES)
def revoke(token_id: int) -> ResponseReturnValue:
    if RevokeForm().validate_on_submit():
        try:
            tokens.revoke_token(db.session, int(current_user.id), token_id, utcnow())
        except NotFound:
            db.session.rollback()
            abort(404)
        db.session.commit()
        flash(gettext("Đã thu hồi mã truy cập."), "success")
    return redirect(url_for(".index"))
