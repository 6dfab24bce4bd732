"""The business profile page: /account/business."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from storefront.accounts.access import login_required
from storefront.accounts.forms import set_place_choices
from storefront.business import services
from storefront.business.forms import BusinessProfileForm
from storefront.extensions import db
from storefront.site.urls import safe_next_path

bp = Blueprint("business", __name__, url_prefix="/account/business")


def _form_data(form: BusinessProfileForm) -> services.BusinessProfileData:
    return services.BusinessProfileData(
        name=form.name.data or "",
        tax_code=form.tax_code.data or "",
        province_code=form.province_code.data or 0,
        ward_code=form.ward_code.data or 0,
        address_line=form.address_line.data or "",
        contact_name=form.contact_name.data or "",
        contact_phone=form.contact_phone.data or "",
        buys=form.buys.data or "",
    )


@bp.route("", methods=["GET", "POST"])
@login_required
def profile() -> ResponseReturnValue:
    """Add or change the account's business profile; come back to `next` when saved."""
    user_id = current_user.id
    existing = services.business_profile_for(user_id)
    form = BusinessProfileForm(obj=existing)
    if request.method == "GET":
        form.next.data = safe_next_path(request.args.get("next"), "")
        if existing is None:
            form.contact_name.data = current_user.full_name
            form.contact_phone.data = current_user.phone
    set_place_choices(form)
    status = 200
    if request.method == "POST" and "choose_province" not in request.form:
        if form.validate_on_submit():
            try:
                services.save_business_profile(db.session, user_id, _form_data(form))
            except services.BusinessError as error:
                db.session.rollback()
                flash(str(error), "error")
                status = 400
            else:
                db.session.commit()
                flash(gettext("Đã lưu thông tin doanh nghiệp."), "success")
                return redirect(safe_next_path(form.next.data, "/account/business"))
        else:
            status = 400
    return render_template("business/profile.html", form=form, profile=existing), status
