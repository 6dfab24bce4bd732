"""Stock changes and their history, and product photos, in the producer's workspace."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from storefront import media
from storefront.accounts.access import role_required
from storefront.accounts.models import Role
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.i18n import N_
from storefront.numbers import row_id
from storefront.producers import listings, photos, stock
from storefront.producers.views_listings import RefusedForms, product_page_refused
from storefront.producers.workspace import (
    acting_producer,
    actor_id,
    commit,
    media_root,
    own,
    own_product,
    refused,
)
from storefront.producers.workspace_forms import ActionForm, AltForm, PhotoForm, StockForm

bp = Blueprint("producer_stock", __name__, url_prefix="/producer")


def _back_to(producer_id: int, product_id: int) -> ResponseReturnValue:
    return redirect(
        url_for("producer_listings.edit_product", producer_id=producer_id, product_id=product_id)
    )


@bp.post("/<id:producer_id>/stock")
@role_required(Role.PRODUCER)
def adjust_stock(producer_id: int) -> ResponseReturnValue:
    """A delivery, a count or a breakage for the variant named in the form; a variant
    of another producer is a 404, like any id that is not the producer's own."""
    acting_producer(producer_id)
    form = StockForm()
    variant = own(listings.get_variant, producer_id, row_id(form.variant_id.data) or 0)
    to_history = request.form.get("back") == "history"
    variant_id, product_id = variant.id, variant.product_id
    if form.validate_on_submit():
        try:
            new_stock = stock.adjust(
                db.session,
                producer_id,
                variant.id,
                form.delta.data or "",
                form.reason.data or "",
                actor_id(),
                form.note.data or "",
            )
        except DomainError as error:
            refused(error)
        else:
            commit()
            flash(gettext("Tồn kho %(label)s: %(n)s.", label=variant.label, n=new_stock), "success")
            if to_history:
                return redirect(
                    url_for(".stock_history", producer_id=producer_id, variant_id=variant_id)
                )
            return _back_to(producer_id, product_id)
    else:
        flash(gettext("Vui lòng nhập số lượng thay đổi."), "error")
    # refused: the page again with what was typed
    if to_history:
        return _history_page(producer_id, variant_id, form, 400)
    typed = {name: str(form[name].data or "") for name in ("delta", "reason", "note")}
    return product_page_refused(
        producer_id,
        product_id,
        RefusedForms(variant_id=variant_id, stock_form=form, stock_typed=typed),
    )


@bp.get("/<id:producer_id>/variants/<id:variant_id>/stock")
@role_required(Role.PRODUCER)
def stock_history(producer_id: int, variant_id: int) -> ResponseReturnValue:
    form = StockForm(formdata=None)
    form.variant_id.data = str(variant_id)
    return _history_page(producer_id, variant_id, form)


def _history_page(
    producer_id: int, variant_id: int, form: StockForm, status: int = 200
) -> ResponseReturnValue:
    """A pack's stock history with its stock form (as typed, when refused)."""
    producer = acting_producer(producer_id)
    variant = own(listings.get_variant, producer_id, variant_id)
    product = own_product(producer_id, variant.product_id)
    page = render_template(
        "producers/stock_history.html",
        producer=producer,
        product=product,
        variant=variant,
        movements=stock.history(db.session, variant.id),
        reason_labels=stock.REASON_LABELS,
        form=form,
    )
    return page, status


@bp.post("/<id:producer_id>/products/<id:product_id>/photos")
@role_required(Role.PRODUCER)
def upload_photo(producer_id: int, product_id: int) -> ResponseReturnValue:
    """Add a photo: decoded, checked and re-encoded; anything else is refused."""
    acting_producer(producer_id)
    product = own_product(producer_id, product_id)
    form = PhotoForm()
    if form.validate_on_submit():
        upload = request.files.get(form.photo.name)
        try:
            if upload is None or not upload.filename:
                raise media.UploadRefused(N_("Vui lòng chọn một tệp."))
            data = media.read_upload(upload.stream)
            photos.upload_photo(db.session, media_root(), product, data, form.alt.data or "")
        except DomainError as error:
            refused(error)
            return product_page_refused(producer_id, product_id, RefusedForms(photo_form=form))
        else:
            commit()
            flash(gettext("Đã thêm ảnh."), "success")
    elif request.method == "POST":
        return product_page_refused(producer_id, product_id, RefusedForms(photo_form=form))
    return _back_to(producer_id, product_id)


@bp.post("/<id:producer_id>/photos/<id:photo_id>/alt")
@role_required(Role.PRODUCER)
def photo_alt(producer_id: int, photo_id: int) -> ResponseReturnValue:
    acting_producer(producer_id)
    photo = own(listings.get_photo, producer_id, photo_id)
    form = AltForm()
    if form.validate_on_submit():
        try:
            photos.set_alt(db.session, photo, form.alt.data or "")
        except DomainError as error:
            refused(error)
        else:
            commit()
            flash(gettext("Đã lưu mô tả ảnh."), "success")
    return _back_to(producer_id, photo.product_id)


@bp.post("/<id:producer_id>/photos/<id:photo_id>/move")
@role_required(Role.PRODUCER)
def move_photo(producer_id: int, photo_id: int) -> ResponseReturnValue:
    acting_producer(producer_id)
    photo = own(listings.get_photo, producer_id, photo_id)
    product_id = photo.product_id
    if ActionForm().validate_on_submit():
        try:
            photos.move_photo(db.session, photo, -1 if request.form.get("to") == "up" else 1)
        except DomainError as error:
            refused(error)
        else:
            commit()
    return _back_to(producer_id, product_id)


@bp.post("/<id:producer_id>/photos/<id:photo_id>/delete")
@role_required(Role.PRODUCER)
def delete_photo(producer_id: int, photo_id: int) -> ResponseReturnValue:
    acting_producer(producer_id)
    photo = own(listings.get_photo, producer_id, photo_id)
    product_id = photo.product_id
    if ActionForm().validate_on_submit():
        unused = photos.delete_photo(db.session, photo)
        commit()
        if unused:
            media.remove_stored(media_root(), unused)
        flash(gettext("Đã xoá ảnh."), "success")
    return _back_to(producer_id, product_id)
