"""The emails accounts send, written in the recipient's language."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask_babel import force_locale, gettext
from markupsafe import Markup

from storefront.accounts.models import User
from storefront.mail import send_email


def public_url(endpoint: str, **values: Any) -> str:
    """An absolute link built on PUBLIC_BASE_URL, never on the request's Host header
    (a forged Host must not turn a reset email into a link to someone else's site)."""
    return current_app.config["PUBLIC_BASE_URL"] + url_for(endpoint, **values)


def compose(paragraphs: list[str]) -> tuple[str, str]:
    """Plain-text and HTML bodies from paragraphs; a paragraph that is a URL becomes a link."""
    text = "\n\n".join(paragraphs) + "\n"
    html_parts = []
    for paragraph in paragraphs:
        if paragraph.startswith(("http://", "https://")):
            html_parts.append(Markup('<p><a href="{0}">{0}</a></p>').format(paragraph))
        else:
            html_parts.append(Markup("<p>{}</p>").format(paragraph))
    html = Markup("<!doctype html><html><body>{}</body></html>").format(Markup("").join(html_parts))
    return text, str(html)


def send_to(user: User, subject: str, paragraphs: list[str]) -> None:
    """Send a composed email; subject and paragraphs already in the user's language."""
    text, html = compose(paragraphs)
    send_email(user.email, subject, text, html)


def send_password_reset(user: User, link: str, hours: int = 1) -> None:
    with force_locale(user.language):
        subject = gettext("Đặt lại mật khẩu OCOP Storefront")
        paragraphs = [
            gettext("Xin chào %(name)s,", name=user.display_name),
            gettext(
                "Chúng tôi nhận được yêu cầu đặt lại mật khẩu cho tài khoản này. "
                "Mở liên kết dưới đây trong vòng %(hours)s giờ để chọn mật khẩu mới:",
                hours=hours,
            ),
            link,
            gettext(
                "Liên kết chỉ dùng được một lần. Nếu bạn không yêu cầu, hãy bỏ qua email "
                "này: mật khẩu của bạn vẫn giữ nguyên."
            ),
        ]
    send_to(user, subject, paragraphs)


def send_already_registered(user: User, login_link: str, reset_link: str) -> None:
    with force_locale(user.language):
        subject = gettext("Email của bạn đã có tài khoản OCOP Storefront")
        paragraphs = [
            gettext("Xin chào %(name)s,", name=user.display_name),
            gettext(
                "Ai đó vừa dùng địa chỉ email này để đăng ký tài khoản mới. Email này đã "
                "có tài khoản, nên chúng tôi không tạo thêm. Bạn có thể đăng nhập tại:"
            ),
            login_link,
            gettext("Nếu quên mật khẩu, hãy đặt lại tại:"),
            reset_link,
            gettext("Nếu không phải bạn, hãy bỏ qua email này."),
        ]
    send_to(user, subject, paragraphs)
