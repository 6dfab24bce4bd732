"""The emails accounts send, written in the recipient's language.

Views queue them (`queue_password_reset`, `queue_already_registered`) in the outbox;
the job worker delivers them (`send_pending_account_emails`), writing the text and the
reset link then, so a request never waits on the mail server.
"""

from __future__ import annotations

import logging
import secrets
from contextlib import nullcontext
from typing import Any

from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, gettext
from markupsafe import Markup

from storefront import outbox
from storefront.accounts import tokens
from storefront.accounts.models import AccountEmail, User
from storefront.extensions import Session
from storefront.mail import MailError, send_email

logger = logging.getLogger(__name__)
PASSWORD_RESET = "password_reset"  # noqa: S105 - an email kind, not a password
ALREADY_REGISTERED = "already_registered"


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


def _queue(session: Session, user: User, kind: str) -> None:
    # Each request is its own email (a fresh reset link each time; the rate limits bound
    # how many): the key is unique, so a retried delivery never makes a second one.
    key = f"{kind}:user:{user.id}:{secrets.token_hex(8)}"
    session.add(AccountEmail(key=key, user_id=user.id, kind=kind))
    session.flush()


def queue_password_reset(session: Session, user: User) -> None:
    """A reset link for `user`, made and sent by the job worker."""
    _queue(session, user, PASSWORD_RESET)


def queue_already_registered(session: Session, user: User) -> None:
    """Tell the owner of an address that someone tried to register it again."""
    _queue(session, user, ALREADY_REGISTERED)


def _deliver(email: AccountEmail, user: User) -> None:
    config = current_app.config
    # Links are built on PUBLIC_BASE_URL; url_for needs a request outside of one.
    context = nullcontext() if has_request_context() else current_app.test_request_context()
    with context:
        if email.kind == PASSWORD_RESET:
            token = tokens.make_reset_token(str(config["SECRET_KEY"]), user)
            hours = max(config["PASSWORD_RESET_MAX_AGE"] // 3600, 1)
            send_password_reset(user, public_url("accounts.reset_password", token=token), hours)
        elif email.kind == ALREADY_REGISTERED:
            send_already_registered(
                user, public_url("accounts.login"), public_url("accounts.forgot_password")
            )
        else:
            raise ValueError(f"unknown account email kind {email.kind!r}")


def send_pending_account_emails(session: Session, limit: int = 200) -> int:
    """Deliver the account emails that are due; the job worker's step (see outbox)."""
    sent = 0
    for email_id in outbox.due_ids(session, AccountEmail, limit):
        claimed = outbox.claim(session, AccountEmail, email_id)
        if claimed is None:
            continue
        email = session.get(AccountEmail, email_id)
        user = session.get(User, email.user_id) if email is not None else None
        try:
            if email is None or user is None or not user.is_active:
                raise MailError("the account is gone or disabled")
            _deliver(email, user)
        except (MailError, OSError) as error:
            logger.warning(
                "account email %s not sent (try %s): %s", email_id, claimed.attempt, error
            )
            session.rollback()
            outbox.finish(session, AccountEmail, claimed, error=str(error) or type(error).__name__)
        else:
            session.commit()
            if outbox.finish(session, AccountEmail, claimed):
                sent += 1
    return sent
