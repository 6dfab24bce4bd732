"""Emails telling an applicant what an admin decided."""

from __future__ import annotations

from flask_babel import force_locale, gettext

from storefront.accounts.emails import public_url, send_to
from storefront.accounts.models import User
from storefront.producers.models import ProducerApplication


def send_application_approved(user: User, application: ProducerApplication) -> None:
    with force_locale(user.language):
        subject = gettext("Đơn đăng ký chủ thể đã được duyệt")
        paragraphs = [
            gettext("Xin chào %(name)s,", name=user.display_name),
            gettext(
                "Đơn đăng ký bán hàng của %(business)s đã được duyệt. Bạn có thể vào khu "
                "vực chủ thể để thêm sản phẩm:",
                business=application.business_name,
            ),
            public_url("producers.area"),
        ]
    send_to(user, subject, paragraphs)


def send_application_rejected(user: User, application: ProducerApplication) -> None:
    with force_locale(user.language):
        subject = gettext("Đơn đăng ký chủ thể chưa được duyệt")
        paragraphs = [
            gettext("Xin chào %(name)s,", name=user.display_name),
            gettext(
                "Đơn đăng ký bán hàng của %(business)s chưa được duyệt, với lý do:",
                business=application.business_name,
            ),
            application.rejection_reason,
            gettext("Bạn có thể bổ sung thông tin và gửi đơn mới tại:"),
            public_url("producers.apply"),
        ]
    send_to(user, subject, paragraphs)
