"""The business profile page: /account/business."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from storefront.accounts.access import login_required, role_required
from storefront.accounts.forms import set_place_choices
from storefront.accounts.models import Role
from storefront.business import services, wholesale
from storefront.business.forms import BusinessProfileForm, WholesaleForm
from storefront.business.models import WholesaleTier
from storefront.catalog.models import Product
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.producers.workspace import acting_producer, own
from storefront.site.urls import safe_next_path

bp = Blueprint("business", __name__, url_prefix="/account/business")


def _clash() -> ResponseReturnValue:
    """Another request saved the same rows at the same moment (two tabs: the unique
    constraints let one win): roll back and show the page again, as it now is."""
    db.session.rollback()
    flash(gettext("Có thay đổi cùng lúc ở nơi khác. Vui lòng xem lại và lưu lần nữa."), "error")
    return redirect(request.full_path.rstrip("?"))


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
                db.session.commit()
            except services.BusinessError as error:
                db.session.rollback()
                flash(str(error), "error")
                status = 400
            except IntegrityError:
                return _clash()
            else:
                flash(gettext("Đã lưu thông tin doanh nghiệp."), "success")
                return redirect(safe_next_path(form.next.data, "/account/business"))
        else:
            status = 400
    return render_template("business/profile.html", form=form, profile=existing), status


# The producer's side: a pack's wholesale tiers (also offered inline on the product's
# edit page, producers/views_listings.py, whose forms post here).
workspace = Blueprint("business_wholesale", __name__, url_prefix="/producer")


def wholesale_form(
    variant_id: int, tiers: list[WholesaleTier], formdata: bool = False
) -> WholesaleForm:
    """The tier form of one pack, prefixed so several fit on the product's edit page."""
    form = WholesaleForm(prefix=f"w{variant_id}", **({} if formdata else {"formdata": None}))
    if not formdata:
        form.fill([(t.min_quantity, t.price_vnd, t.business_only) for t in tiers])
    return form


@workspace.route("/<id:producer_id>/variants/<id:variant_id>/wholesale", methods=["GET", "POST"])
@role_required(Role.PRODUCER)
def tiers(producer_id: int, variant_id: int) -> ResponseReturnValue:
    """Set a pack's wholesale tiers; back to the product's edit page when saved."""
    producer = acting_producer(producer_id)
    variant = own(wholesale.own_variant, producer_id, variant_id)
    saved = wholesale.tiers_for(db.session, [variant.id])[variant.id]
    status = 200
    if request.method == "POST":
        form = wholesale_form(variant.id, saved, formdata=True)
        if form.validate_on_submit():
            inputs = [wholesale.TierInput(q.data or "", p.data or "") for q, p in form.rows()]
            label, product_id = variant.label, variant.product_id
            try:
                wholesale.set_tiers(
                    db.session, producer_id, variant.id, inputs, bool(form.business_only.data)
                )
                db.session.commit()
            except DomainError as error:
                db.session.rollback()
                flash(str(error), "error")
                status = 400
            except IntegrityError:
                return _clash()
            else:
                flash(gettext("Đã lưu giá sỉ của %(label)s.", label=label), "success")
                return redirect(
                    url_for(
                        "producer_listings.edit_product",
                        producer_id=producer_id,
                        product_id=product_id,
                        _anchor="variants",
                    )
                )
        else:
            status = 400
    else:
        form = wholesale_form(variant.id, saved)
    product = db.session.get(Product, variant.product_id)
    return (
        render_template(
            "business/wholesale.html",
            producer=producer,
            product=product,
            variant=variant,
            form=form,
        ),
        status,
    )
