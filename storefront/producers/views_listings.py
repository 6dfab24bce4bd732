"""The producer's listings: products, variants, publishing, CSV import and export."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext

from storefront.accounts.access import role_required
from storefront.accounts.models import Role
from storefront.business import wholesale
from storefront.business.views import wholesale_form
from storefront.catalog import services as catalog
from storefront.catalog.models import Product
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.i18n import N_
from storefront.media import UploadRefused, read_upload
from storefront.producers import certificates, imports, listings, services
from storefront.producers.workspace import (
    acting_producer,
    actor_id,
    commit,
    own,
    own_product,
    refused,
)
from storefront.producers.workspace_forms import (
    ActionForm,
    AltForm,
    ImportForm,
    NewProductForm,
    PhotoForm,
    ProductForm,
    StockForm,
    VariantForm,
    category_choices,
)
from storefront.timeutil import today_in_vietnam

bp = Blueprint("producer_listings", __name__, url_prefix="/producer")


def _product_data(form: ProductForm) -> catalog.ProductData:
    group, _, subgroup = (form.category.data or "").partition("/")
    return catalog.ProductData(
        name=form.name.data or "",
        group_code=group,
        subgroup_code=subgroup,
        description=form.description.data or "",
        name_en=form.name_en.data or "",
        description_en=form.description_en.data or "",
    )


def variant_input(form: VariantForm, with_stock: bool = False) -> listings.VariantInput:
    return listings.VariantInput(
        sku=form.sku.data or "",
        label=form.label.data or "",
        price=form.price.data or "",
        weight_grams=form.weight_grams.data or "",
        low_stock_threshold=form.low_stock_threshold.data or "",
        stock=(form.stock.data or "0") if with_stock else "0",
        is_active=bool(form.is_active.data),
    )


@bp.get("/<id:producer_id>/products")
@role_required(Role.PRODUCER)
def products(producer_id: int) -> ResponseReturnValue:
    """The producer's products with what needs attention: low stock, expiring stars."""
    producer = acting_producer(producer_id)
    today = today_in_vietnam()
    rows = listings.listing(db.session, producer_id)
    low_only = request.args.get("stock") == "low"
    if low_only:
        rows = [row for row in rows if row.low_stock or row.out_of_stock]
    return render_template(
        "producers/products.html",
        producer=producer,
        rows=rows,
        low_only=low_only,
        expiring=certificates.expiring(db.session, [producer_id], today),
        actions=services.action_counts(db.session, [producer_id])[producer_id],
    )


@bp.route("/<id:producer_id>/products/new", methods=["GET", "POST"])
@role_required(Role.PRODUCER)
def new_product(producer_id: int) -> ResponseReturnValue:
    producer = acting_producer(producer_id)
    form = NewProductForm()
    form.category.choices = category_choices()
    if form.validate_on_submit():
        try:
            product = listings.create_listing(
                db.session, producer, _product_data(form), variant_input(form, True), actor_id()
            )
        except DomainError as error:
            refused(error)
        else:
            commit()
            flash(gettext("Đã tạo sản phẩm. Thêm ảnh rồi đăng bán khi sẵn sàng."), "success")
            return redirect(
                url_for(".edit_product", producer_id=producer_id, product_id=product.id)
            )
    return render_template("producers/product_new.html", producer=producer, form=form)


def _edit_page(
    producer_id: int,
    product: Product,
    form: ProductForm | None = None,
    status: int = 200,
    refused: RefusedForms | None = None,
) -> ResponseReturnValue:
    """The product's page. A refused form of it (a pack, stock, a photo) is passed in
    `refused` as submitted, so it shows what the producer typed beside the refusal."""
    refused = refused or RefusedForms()
    if form is None:
        form = ProductForm(formdata=None, obj=product)
        form.category.choices = category_choices()
        form.category.data = f"{product.group_code}/{product.subgroup_code}"
    variant_forms = {}
    for variant in product.variants:
        if refused.variant_id == variant.id and refused.variant_form is not None:
            variant_forms[variant.id] = refused.variant_form
            continue
        variant_form = VariantForm(prefix=f"v{variant.id}", formdata=None, obj=variant)
        variant_form.price.data = str(variant.price_vnd)
        variant_form.weight_grams.data = str(variant.weight_grams)
        variant_form.low_stock_threshold.data = str(variant.low_stock_threshold)
        variant_forms[variant.id] = variant_form
    tiers = wholesale.tiers_for(db.session, [v.id for v in product.variants])
    wholesale_forms = {v.id: wholesale_form(v.id, tiers[v.id]) for v in product.variants}
    return (
        render_template(
            "producers/product_edit.html",
            wholesale_forms=wholesale_forms,
            producer=acting_producer(producer_id),
            product=product,
            form=form,
            variant_forms=variant_forms,
            open_variant=refused.variant_id,
            new_variant_form=refused.new_variant_form or VariantForm(prefix="new", formdata=None),
            stock_form=refused.stock_form or StockForm(formdata=None),
            stock_typed=refused.stock_typed,
            photo_form=refused.photo_form or PhotoForm(formdata=None),
            alt_form=AltForm(formdata=None),
            action_form=ActionForm(),
        ),
        status,
    )


@dataclass(frozen=True)
class RefusedForms:
    """The product page's forms as a refused post submitted them (None: a fresh one)."""

    new_variant_form: VariantForm | None = None
    variant_id: int | None = None
    variant_form: VariantForm | None = None
    stock_form: StockForm | None = None
    stock_typed: dict[str, str] = field(default_factory=dict)  # for variant_id's stock form
    photo_form: PhotoForm | None = None


def product_page_refused(
    producer_id: int, product_id: int, refused: RefusedForms
) -> ResponseReturnValue:
    """The product's page again, status 400, with the refused form as it was typed."""
    return _edit_page(producer_id, own_product(producer_id, product_id), None, 400, refused)


@bp.route("/<id:producer_id>/products/<id:product_id>", methods=["GET", "POST"])
@role_required(Role.PRODUCER)
def edit_product(producer_id: int, product_id: int) -> ResponseReturnValue:
    """A product's details, variants, stock and photos on one page."""
    acting_producer(producer_id)
    product = own_product(producer_id, product_id)
    form = ProductForm(obj=product if request.method == "GET" else None)
    form.category.choices = category_choices()
    if request.method == "GET":
        form.category.data = f"{product.group_code}/{product.subgroup_code}"
    elif form.validate_on_submit():
        try:
            catalog.update_product(db.session, product, _product_data(form))
        except DomainError as error:
            refused(error)
            product = own_product(producer_id, product_id)
            return _edit_page(producer_id, product, form, 400)
        commit()
        flash(gettext("Đã lưu sản phẩm."), "success")
        return redirect(url_for(".edit_product", producer_id=producer_id, product_id=product_id))
    return _edit_page(producer_id, product, form)


@bp.post("/<id:producer_id>/products/<id:product_id>/publish")
@role_required(Role.PRODUCER)
def publish(producer_id: int, product_id: int) -> ResponseReturnValue:
    acting_producer(producer_id)
    back = url_for(".edit_product", producer_id=producer_id, product_id=product_id)
    product = own_product(producer_id, product_id)
    try:
        published = request.form.get("published") == "1"
        if ActionForm().validate_on_submit():
            catalog.set_published(db.session, product, published)
            commit()
            flash(gettext("Đã đăng bán.") if published else gettext("Đã ẩn sản phẩm."), "success")
    except DomainError as error:
        refused(error)
    return redirect(back)


@bp.post("/<id:producer_id>/products/<id:product_id>/variants")
@role_required(Role.PRODUCER)
def add_variant(producer_id: int, product_id: int) -> ResponseReturnValue:
    acting_producer(producer_id)
    form = VariantForm(prefix="new")
    product = own_product(producer_id, product_id)
    try:
        if not form.validate_on_submit():
            flash(gettext("Vui lòng điền quy cách, mã SKU, giá và khối lượng."), "error")
            return product_page_refused(
                producer_id, product_id, RefusedForms(new_variant_form=form)
            )
        listings.add_variant(db.session, product, variant_input(form, True), actor_id())
        commit()
        flash(gettext("Đã thêm quy cách."), "success")
    except DomainError as error:
        refused(error)
        return product_page_refused(producer_id, product_id, RefusedForms(new_variant_form=form))
    return redirect(url_for(".edit_product", producer_id=producer_id, product_id=product_id))


@bp.post("/<id:producer_id>/variants/<id:variant_id>")
@role_required(Role.PRODUCER)
def update_variant(producer_id: int, variant_id: int) -> ResponseReturnValue:
    acting_producer(producer_id)
    form = VariantForm(prefix=f"v{variant_id}")
    variant = own(listings.get_variant, producer_id, variant_id)
    product_id = variant.product_id
    typed = RefusedForms(variant_id=variant_id, variant_form=form)
    try:
        if not form.validate_on_submit():
            flash(gettext("Vui lòng điền quy cách, mã SKU, giá và khối lượng."), "error")
            return product_page_refused(producer_id, product_id, typed)
        listings.update_variant(db.session, variant, variant_input(form))
        commit()
        flash(gettext("Đã lưu quy cách %(label)s.", label=variant.label), "success")
    except DomainError as error:
        refused(error)
        return product_page_refused(producer_id, product_id, typed)
    return redirect(url_for(".edit_product", producer_id=producer_id, product_id=product_id))


@bp.route("/<id:producer_id>/products/import", methods=["GET", "POST"])
@role_required(Role.PRODUCER)
def import_products(producer_id: int) -> ResponseReturnValue:
    """Upload a CSV; nothing changes unless every row is accepted."""
    producer = acting_producer(producer_id)
    form = ImportForm()
    report, status = None, 200
    if form.validate_on_submit():
        upload = request.files.get(form.file.name)
        try:
            if upload is None:
                raise UploadRefused(N_("Vui lòng chọn một tệp."))
            data = read_upload(upload.stream, imports.MAX_BYTES)
            report = imports.import_products(db.session, producer, data, actor_id())
        except DomainError as error:
            refused(error)
            status = 400
        else:
            if report.ok:
                commit()
                flash(gettext("Đã nhập %(n)s dòng.", n=report.rows), "success")
            else:
                db.session.rollback()
                status = 400
    return (
        render_template(
            "producers/import.html",
            producer=producer,
            form=form,
            report=report,
            columns=imports.COLUMNS,
        ),
        status,
    )


@bp.get("/<id:producer_id>/products/export.csv")
@role_required(Role.PRODUCER)
def export_products(producer_id: int) -> ResponseReturnValue:
    producer = acting_producer(producer_id)
    return Response(
        imports.export_products(db.session, producer_id),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="san-pham-{producer.slug}.csv"'},
    )
