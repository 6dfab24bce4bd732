"""The admin page where shipping fee rules are changed."""

from __future__ import annotations

from dataclasses import asdict

from flask import Blueprint, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user

from storefront.accounts.access import role_required
from storefront.accounts.models import Role
from storefront.audit import services as audit
from storefront.extensions import db
from storefront.shipping import services
from storefront.shipping.forms import RatesForm
from storefront.shipping.models import ShippingZone

bp = Blueprint("shipping", __name__, url_prefix="/admin/shipping")

PREFIXES = {ShippingZone.SAME_PROVINCE: "same", ShippingZone.OTHER_PROVINCE: "other"}


@bp.route("", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def rates() -> ResponseReturnValue:
    form = RatesForm()
    current = services.current_rates(db.session)
    if form.validate_on_submit():
        try:
            for zone, prefix in PREFIXES.items():
                services.set_rate(
                    db.session,
                    zone,
                    services.Rate(
                        base_fee_vnd=form[f"{prefix}_base_fee_vnd"].data,
                        included_grams=form[f"{prefix}_included_grams"].data,
                        extra_kg_fee_vnd=form[f"{prefix}_extra_kg_fee_vnd"].data,
                    ),
                )
            audit.record(
                db.session,
                current_user.id,
                "shipping.rates",
                ("shipping_rate", "all"),
                {zone.value: asdict(rate) for zone, rate in current.items()},
                {
                    zone.value: asdict(rate)
                    for zone, rate in services.current_rates(db.session).items()
                },
            )
        except services.ShippingError as error:
            db.session.rollback()
            flash(str(error), "error")
        else:
            db.session.commit()
            flash(gettext("Đã lưu biểu phí vận chuyển."), "success")
            return redirect(url_for("shipping.rates"))
    elif not form.is_submitted():
        for zone, prefix in PREFIXES.items():
            rate = current[zone]
            form[f"{prefix}_base_fee_vnd"].data = rate.base_fee_vnd
            form[f"{prefix}_included_grams"].data = rate.included_grams
            form[f"{prefix}_extra_kg_fee_vnd"].data = rate.extra_kg_fee_vnd
    status = 400 if form.is_submitted() else 200
    return render_template("shipping/rates.html", form=form), status
