"""Account pages: sign in and out, register, passwords, profile and saved addresses."""

from __future__ import annotations

import logging
from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext
from flask_login import current_user
from werkzeug.wrappers import Response

from storefront.accounts import addresses, devices, emails, services, tokens
from storefront.accounts.access import login_required
from storefront.accounts.forms import (
    AddressForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ProfileForm,
    RegistrationForm,
    ResetPasswordForm,
    set_place_choices,
)
from storefront.accounts.login import sign_in, sign_out
from storefront.accounts.models import User
from storefront.accounts.passwords import WeakPassword
from storefront.errors import NotFound
from storefront.extensions import db, limiter
from storefront.i18n import LANGUAGE_COOKIE
from storefront.places import get_province, get_ward
from storefront.site.urls import safe_next_path

bp = Blueprint("accounts", __name__, url_prefix="/account")
logger = logging.getLogger(__name__)


def _ip_key() -> str:
    return "ip:" + (request.remote_addr or "unknown")


def _submitted_email() -> str:
    """The submitted address as the shop would store it, so case or spaces don't dodge it."""
    raw = request.form.get("email", "")[:254]
    try:
        return services.normalize_email(raw)
    except services.AccountError:
        return raw.strip().lower()


def _email_key() -> str:
    return "email:" + (_submitted_email() or "-")


def _account_and_client_key() -> str:
    """Failed sign-ins to one account from one client: the device that signed in to it
    before (its cookie), else the address (devices.py)."""
    email = _submitted_email() or "-"
    device = devices.known_device(email)
    client = f"device:{device}" if device else "ip:" + (request.remote_addr or "unknown")
    return f"email:{email}:{client}"


def _from_known_device() -> bool:
    return devices.known_device(_submitted_email()) is not None


def _limit(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def _failed(response: Response) -> bool:
    return response.status_code != 302


def _user() -> User:
    return current_user._get_current_object()


def _with_language(response: Response, language: str) -> Response:
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    return response


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_limit("LIMIT_LOGIN_PER_IP"), key_func=_ip_key, methods=["POST"])
@limiter.limit(
    _limit("LIMIT_LOGIN_PER_ACCOUNT"),
    key_func=_account_and_client_key,
    methods=["POST"],
    deduct_when=_failed,
)
@limiter.limit(
    _limit("LIMIT_LOGIN_PER_ACCOUNT_ANY_CLIENT"),
    key_func=_email_key,
    methods=["POST"],
    deduct_when=_failed,
    exempt_when=_from_known_device,
)
def login() -> ResponseReturnValue:
    form = LoginForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    target = safe_next_path(form.next.data, default=url_for("catalog.home"))
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(target)
    if form.validate_on_submit():
        user = services.authenticate(db.session, form.email.data or "", form.password.data or "")
        if user is not None:
            db.session.commit()
            sign_in(user, remember=bool(form.remember.data))
            flash(gettext("Đăng nhập thành công."), "success")
            response = _with_language(redirect(target), user.language)
            return devices.remember_device(response, user.email)
        form.password.errors.append(gettext("Email hoặc mật khẩu không đúng."))
    return render_template("accounts/login.html", form=form)


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """Sign out; the account's session token changes, so a session or remember-me cookie
    copied before (from this browser or any other) no longer signs in."""
    _end_sessions()
    flash(gettext("Bạn đã đăng xuất."), "info")
    return redirect(url_for("catalog.home"))


@bp.post("/sessions/end")
@login_required
def sign_out_everywhere() -> ResponseReturnValue:
    """ "Đăng xuất mọi nơi": every device and browser signed in to the account, this one too."""
    _end_sessions()
    flash(gettext("Đã đăng xuất tài khoản trên mọi thiết bị."), "info")
    return redirect(url_for("accounts.login"))


def _end_sessions() -> None:
    if current_user.is_authenticated:
        services.end_sessions(db.session, _user())
        db.session.commit()
    sign_out()


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(_limit("LIMIT_REGISTER_PER_IP"), key_func=_ip_key, methods=["POST"])
@limiter.limit(_limit("LIMIT_REGISTER_PER_EMAIL"), key_func=_email_key, methods=["POST"])
def register() -> ResponseReturnValue:
    form = RegistrationForm()
    if request.method == "GET":
        form.next.data = request.args.get("next", "")
    target = safe_next_path(form.next.data, default=url_for("accounts.account"))
    if request.method == "GET" and current_user.is_authenticated:
        return redirect(target)
    if form.validate_on_submit():
        data = services.Registration(
            email=form.email.data or "",
            password=form.password.data or "",
            full_name=form.full_name.data or "",
            language=str(request.cookies.get(LANGUAGE_COOKIE, "vi")),
        )
        try:
            user = services.register_user(db.session, data)
        except services.EmailTaken:
            db.session.rollback()
            _notify_already_registered(data.email)
            flash(
                gettext(
                    "Chúng tôi đã gửi hướng dẫn tới email bạn nhập. Nếu địa chỉ này đã có "
                    "tài khoản, hãy đăng nhập hoặc đặt lại mật khẩu."
                ),
                "info",
            )
            return redirect(url_for("accounts.login"))
        except WeakPassword as error:
            form.password.errors.append(str(error))
        except services.AccountError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            sign_in(user)
            flash(gettext("Chào mừng bạn! Tài khoản đã được tạo."), "success")
            return redirect(target)
    return render_template("accounts/register.html", form=form)


def _notify_already_registered(email: str) -> None:
    """Queue the "you already have an account" email (the job worker sends it)."""
    user = services.find_user_by_email(db.session, email)
    if user is None or not user.is_active:
        return
    emails.queue_already_registered(db.session, user)
    db.session.commit()


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_limit("LIMIT_RESET_PER_IP"), key_func=_ip_key, methods=["POST"])
@limiter.limit(_limit("LIMIT_RESET_PER_EMAIL"), key_func=_email_key, methods=["POST"])
def forgot_password() -> ResponseReturnValue:
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(db.session, form.email.data or "")
        if user is not None and user.is_active:
            emails.queue_password_reset(db.session, user)  # the job worker sends it
            db.session.commit()
        flash(
            gettext(
                "Nếu email này có tài khoản, chúng tôi đã gửi liên kết đặt lại mật khẩu. "
                "Liên kết có hiệu lực trong 1 giờ."
            ),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@limiter.limit(_limit("LIMIT_RESET_PER_IP"), key_func=_ip_key, methods=["POST"])
def reset_password(token: str) -> ResponseReturnValue:
    user = tokens.user_for_reset_token(
        db.session,
        str(current_app.config["SECRET_KEY"]),
        token,
        max_age=current_app.config["PASSWORD_RESET_MAX_AGE"],
    )
    if user is None:
        return render_template("accounts/reset_invalid.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            services.set_password(db.session, user, form.password.data or "")
        except WeakPassword as error:
            form.password.errors.append(str(error))
        else:
            db.session.commit()
            sign_in(user)
            flash(gettext("Mật khẩu đã được đổi. Bạn đã đăng nhập."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/reset_password.html", form=form, user=user)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password() -> ResponseReturnValue:
    form = ChangePasswordForm()
    if form.validate_on_submit():
        user = _user()
        try:
            services.change_password(
                db.session, user, form.current_password.data or "", form.password.data or ""
            )
        except WeakPassword as error:
            form.password.errors.append(str(error))
        except services.AccountError as error:
            form.current_password.errors.append(str(error))
        else:
            db.session.commit()
            sign_in(user)  # the token changed: keep this device, sign out the others
            flash(gettext("Đã đổi mật khẩu. Các thiết bị khác đã được đăng xuất."), "success")
            return redirect(url_for("accounts.account"))
    return render_template("accounts/change_password.html", form=form)


@bp.get("/")
@login_required
def account() -> ResponseReturnValue:
    user = _user()
    form = ProfileForm(obj=user)
    return _account_page(form)


def _account_page(form: ProfileForm, status: int = 200) -> ResponseReturnValue:
    saved = addresses.list_addresses(db.session, _user())
    places = {a.id: (get_province(a.province_code), get_ward(a.ward_code)) for a in saved}
    return (
        render_template("accounts/account.html", form=form, addresses=saved, places=places),
        status,
    )


@bp.post("/profile")
@login_required
def update_profile() -> ResponseReturnValue:
    form = ProfileForm()
    if form.validate_on_submit():
        user = _user()
        data = services.Profile(
            full_name=form.full_name.data or "",
            phone=form.phone.data or "",
            language=form.language.data or "vi",
        )
        try:
            services.update_profile(db.session, user, data)
        except services.AccountError as error:
            form.phone.errors.append(str(error))
        else:
            db.session.commit()
            flash(gettext("Đã lưu thông tin tài khoản."), "success")
            return _with_language(redirect(url_for("accounts.account")), user.language)
    return _account_page(form, 400)


def _address_data(form: AddressForm) -> addresses.AddressData:
    return addresses.AddressData(
        recipient_name=form.recipient_name.data or "",
        phone=form.phone.data or "",
        province_code=form.province_code.data or 0,
        ward_code=form.ward_code.data or 0,
        street=form.street.data or "",
        is_default=bool(form.is_default.data),
    )


def _save_address(form: AddressForm, address_id: int | None) -> ResponseReturnValue | None:
    """Validate and save; None when the form should be shown again."""
    if "choose_province" in request.form or not form.validate_on_submit():
        return None
    try:
        if address_id is None:
            addresses.add_address(db.session, _user(), _address_data(form))
        else:
            addresses.update_address(db.session, _user(), address_id, _address_data(form))
    except services.AccountError as error:
        db.session.rollback()
        flash(str(error), "error")
        return None
    db.session.commit()
    flash(gettext("Đã lưu địa chỉ."), "success")
    return redirect(url_for("accounts.account"))


@bp.route("/addresses/new", methods=["GET", "POST"])
@login_required
def new_address() -> ResponseReturnValue:
    form = AddressForm()
    if request.method == "GET":
        form.recipient_name.data = _user().full_name
        form.phone.data = _user().phone
    set_place_choices(form)
    return _save_address(form, None) or render_template(
        "accounts/address_form.html", form=form, address=None
    )


@bp.route("/addresses/<id:address_id>/edit", methods=["GET", "POST"])
@login_required
def edit_address(address_id: int) -> ResponseReturnValue:
    try:
        address = addresses.get_address(db.session, _user(), address_id)
    except NotFound:
        abort(404)
    form = AddressForm(obj=address)
    set_place_choices(form)
    return _save_address(form, address.id) or render_template(
        "accounts/address_form.html", form=form, address=address
    )


@bp.post("/addresses/<id:address_id>/default")
@login_required
def default_address(address_id: int) -> ResponseReturnValue:
    try:
        addresses.set_default_address(db.session, _user(), address_id)
    except NotFound:
        abort(404)
    db.session.commit()
    flash(gettext("Đã đặt làm địa chỉ mặc định."), "success")
    return redirect(url_for("accounts.account"))


@bp.post("/addresses/<id:address_id>/delete")
@login_required
def delete_address(address_id: int) -> ResponseReturnValue:
    try:
        addresses.delete_address(db.session, _user(), address_id)
    except NotFound:
        abort(404)
    db.session.commit()
    flash(gettext("Đã xóa địa chỉ."), "success")
    return redirect(url_for("accounts.account"))
