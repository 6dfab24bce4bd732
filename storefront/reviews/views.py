"""Review pages: writing one (a signed-in buyer, or a guest through an emailed link),
"Hữu ích" votes and reports, the buyer's own reviews, the producer's replies from the
workspace, and the admins' moderation queue."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from storefront.accounts.access import login_required, require_producer_member, role_required
from storefront.accounts.models import Role
from storefront.catalog.models import Producer, Product
from storefront.errors import DomainError, NotFound
from storefront.extensions import db, limiter
from storefront.i18n import N_
from storefront.media import UploadRefused, read_upload
from storefront.numbers import page_number
from storefront.reviews import queries, services
from storefront.reviews.forms import (
    ActionForm,
    HideForm,
    ReplyForm,
    ReportForm,
    ReviewForm,
)
from storefront.reviews.services import Reviewable, ReviewDraft, ReviewError
from storefront.storage import media_storage

bp = Blueprint("reviews", __name__)


def _limit(name: str):  # type: ignore[no-untyped-def]
    return lambda: current_app.config[name]


def _account_key() -> str:
    who = current_user.get_id() if current_user.is_authenticated else request.remote_addr
    return f"reviews:{request.endpoint}:{who or 'unknown'}"


def _invite_key() -> str:
    return f"reviews:invite:{request.remote_addr or 'unknown'}"


def _back(default: str) -> str:
    target = request.form.get("next") or ""
    return target if target.startswith("/") and not target.startswith("//") else default


def _product(product_id: int) -> Product:
    product = db.session.get(Product, product_id)
    if product is None:
        abort(404)
    return product


def _form_for(reviewable: Reviewable) -> ReviewForm:
    form = ReviewForm()
    form.pack.choices = [("", gettext("Không ghi"))] + [(p, p) for p in reviewable.packs]
    if request.method == "GET" and len(reviewable.packs) == 1:
        form.pack.data = reviewable.packs[0]
    return form


def _draft(form: ReviewForm) -> ReviewDraft:
    files = [f for f in (form.photos.data or []) if isinstance(f, FileStorage) and f.filename]
    if len(files) > services.MAX_PHOTOS:
        raise ReviewError(N_("Tối đa %(n)s ảnh."), field="photos", n=services.MAX_PHOTOS)
    return ReviewDraft(
        stars=form.stars.data or 0,
        body=form.body.data or "",
        pack=form.pack.data or "",
        photos=[read_upload(f.stream) for f in files],
    )


def _write_page(
    reviewable: Reviewable, form: ReviewForm, action: str, status: int = 200
) -> ResponseReturnValue:
    return (
        render_template(
            "reviews/write.html",
            form=form,
            reviewable=reviewable,
            product=_product(reviewable.product_id),
            action=action,
        ),
        status,
    )


def _refused(form: ReviewForm, error: DomainError) -> None:
    db.session.rollback()
    target = getattr(error, "field", None) if isinstance(error, ReviewError) else "photos"
    if isinstance(error, UploadRefused):
        target = "photos"
    field = getattr(form, target or "", None)
    if field is not None:
        field.errors = [*list(field.errors), str(error)]
    else:
        flash(str(error), "error")


@bp.route("/reviews/write/<id:part_id>/<id:product_id>", methods=["GET", "POST"])
@login_required
@limiter.limit(_limit("LIMIT_REVIEW_WRITE"), key_func=_account_key, methods=["POST"])
def write(part_id: int, product_id: int) -> ResponseReturnValue:
    """A signed-in buyer reviews a product of a delivered part of their own order."""
    try:
        reviewable = services.reviewable_for_buyer(
            db.session, int(current_user.id), part_id, product_id
        )
    except NotFound:
        abort(404)
    except ReviewError as error:
        return render_template("reviews/refused.html", message=str(error)), 403
    form = _form_for(reviewable)
    action = url_for("reviews.write", part_id=part_id, product_id=product_id)
    if not form.validate_on_submit():
        return _write_page(reviewable, form, action, 400 if request.method == "POST" else 200)
    try:
        name = services.author_name_of(
            db.session, int(current_user.id), reviewable.part.order.contact_name
        )
        review = services.write_review(
            db.session,
            media_storage(),
            reviewable,
            _draft(form),
            name,
            user_id=int(current_user.id),
        )
    except DomainError as error:
        _refused(form, error)
        return _write_page(reviewable, form, action, 400)
    db.session.commit()
    flash(gettext("Cảm ơn bạn đã đánh giá!"), "success")
    return redirect(_review_url(review.product_id, review.id))


def _review_url(product_id: int, review_id: int) -> str:
    product = _product(product_id)
    return url_for("catalog.product_detail", slug=product.slug) + f"#review-{review_id}"


@bp.route("/reviews/invite/<token>", methods=["GET", "POST"])
@limiter.limit(_limit("LIMIT_REVIEW_WRITE"), key_func=_invite_key, methods=["POST"])
def invite(token: str) -> ResponseReturnValue:
    """A guest buyer reviews through the single-use link of their "delivered" email."""
    secret = current_app.config["SECRET_KEY"]
    try:
        _, reviewable = services.reviewable_for_invite(db.session, secret, token[:200])
    except NotFound as error:
        return render_template("reviews/refused.html", message=str(error)), 404
    except ReviewError as error:
        return render_template("reviews/refused.html", message=str(error)), 403
    form = _form_for(reviewable)
    action = url_for("reviews.invite", token=token)
    if not form.validate_on_submit():
        return _write_page(reviewable, form, action, 400 if request.method == "POST" else 200)
    try:
        review = services.write_invited_review(
            db.session, media_storage(), secret, token[:200], _draft(form)
        )
    except DomainError as error:
        _refused(form, error)
        return _write_page(reviewable, form, action, 400)
    db.session.commit()
    flash(gettext("Cảm ơn bạn đã đánh giá!"), "success")
    return redirect(_review_url(review.product_id, review.id))


@bp.post("/reviews/<id:review_id>/helpful")
@login_required
@limiter.limit(_limit("LIMIT_REVIEW_VOTE"), key_func=_account_key)
def helpful(review_id: int) -> ResponseReturnValue:
    form = ActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        review = services.vote_helpful(db.session, review_id, int(current_user.id))
    except NotFound:
        abort(404)
    except ReviewError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(_back("/"))
    db.session.commit()
    flash(gettext("Cảm ơn bạn đã bình chọn."), "success")
    return redirect(_back(_review_url(review.product_id, review.id)))


@bp.route("/reviews/<id:review_id>/report", methods=["GET", "POST"])
@login_required
@limiter.limit(_limit("LIMIT_REVIEW_REPORT"), key_func=_account_key, methods=["POST"])
def report(review_id: int) -> ResponseReturnValue:
    """Anyone signed in reports a review to the admins, with a reason."""
    found = queries.review_with_product(db.session, review_id)
    if found is None or found[0].status != "visible":
        abort(404)
    review, product = found
    form = ReportForm()
    if form.validate_on_submit():
        try:
            services.report_review(db.session, review_id, int(current_user.id), form.reason.data)
        except ReviewError as error:
            db.session.rollback()
            form.reason.errors = [str(error)]
        else:
            db.session.commit()
            flash(gettext("Đã gửi báo cáo. Quản trị viên sẽ xem xét."), "success")
            return redirect(url_for("catalog.product_detail", slug=product.slug))
    status = 400 if request.method == "POST" else 200
    return render_template("reviews/report.html", form=form, review=review, product=product), status


@bp.get("/account/reviews")
@login_required
def mine() -> ResponseReturnValue:
    """The buyer's own reviews, a hidden one with the reason an admin gave."""
    reviews = queries.reviews_of_user(db.session, int(current_user.id))
    ids = {r.product_id for r in reviews}
    products = {
        p.id: p for p in db.session.execute(select(Product).where(Product.id.in_(ids))).scalars()
    }
    return render_template("reviews/mine.html", reviews=reviews, products=products)


# The producer's workspace.


@bp.get("/producer/<id:producer_id>/reviews")
@role_required(Role.PRODUCER)
def producer_reviews(producer_id: int) -> ResponseReturnValue:
    require_producer_member(producer_id)
    producer = db.get_or_404(Producer, producer_id)
    page = page_number(request.args.get("page"), last=1_000)
    rows, has_next = queries.reviews_of_producer(db.session, producer_id, page)
    return render_template(
        "reviews/producer.html",
        producer=producer,
        rows=rows,
        page=page,
        has_next=has_next,
        form=ReplyForm(formdata=None),
    )


@bp.post("/producer/<id:producer_id>/reviews/<id:review_id>/reply")
@role_required(Role.PRODUCER)
def reply(producer_id: int, review_id: int) -> ResponseReturnValue:
    """The producer answers a review of its product, once and publicly."""
    require_producer_member(producer_id)
    form = ReplyForm()
    back = url_for("reviews.producer_reviews", producer_id=producer_id)
    if not form.validate_on_submit():
        flash(gettext("Vui lòng nhập nội dung trả lời."), "error")
        return redirect(back)
    try:
        services.reply_to_review(
            db.session, review_id, producer_id, int(current_user.id), form.body.data or ""
        )
    except NotFound:
        abort(404)
    except ReviewError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(back)
    db.session.commit()
    flash(gettext("Đã đăng trả lời."), "success")
    return redirect(back)


# Admins' moderation.


@bp.get("/admin/reviews")
@role_required(Role.ADMIN)
def queue() -> ResponseReturnValue:
    return render_template(
        "reviews/queue.html",
        items=queries.moderation_queue(db.session),
        hidden=queries.hidden_reviews(db.session),
        hide_form=HideForm(formdata=None),
        action_form=ActionForm(formdata=None),
    )


def _moderated(action: str, review_id: int) -> ResponseReturnValue:
    admin_id = int(current_user.id)
    if action == "hide":
        form: HideForm | ActionForm = HideForm()
    else:
        form = ActionForm()
    if not form.validate_on_submit():
        flash(gettext("Vui lòng ghi lý do ẩn đánh giá."), "error")
        return redirect(url_for("reviews.queue"))
    try:
        if isinstance(form, HideForm):
            services.hide_review(db.session, review_id, admin_id, form.reason.data or "")
        elif action == "restore":
            services.restore_review(db.session, review_id, admin_id)
        else:
            services.dismiss_reports(db.session, review_id, admin_id)
    except NotFound:
        abort(404)
    except ReviewError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("reviews.queue"))
    db.session.commit()
    flash(gettext("Đã cập nhật đánh giá."), "success")
    return redirect(url_for("reviews.queue"))


@bp.post("/admin/reviews/<id:review_id>/hide")
@role_required(Role.ADMIN)
def hide(review_id: int) -> ResponseReturnValue:
    return _moderated("hide", review_id)


@bp.post("/admin/reviews/<id:review_id>/restore")
@role_required(Role.ADMIN)
def restore(review_id: int) -> ResponseReturnValue:
    return _moderated("restore", review_id)


@bp.post("/admin/reviews/<id:review_id>/keep")
@role_required(Role.ADMIN)
def keep(review_id: int) -> ResponseReturnValue:
    return _moderated("keep", review_id)
