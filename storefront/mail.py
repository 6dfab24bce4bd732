"""Outgoing email: SMTP configured by MAIL_* settings, or the log when none is set.

    send_email("buyer@example.vn", subject, body_text, body_html=None)

Raises MailError when the SMTP server cannot be reached or refuses the message;
callers decide whether that matters to the person in front of the page.
"""

from __future__ import annotations

import logging
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr

from flask import current_app

logger = logging.getLogger("storefront.mail")


class MailError(RuntimeError):
    """The message could not be handed to the SMTP server."""


@dataclass(frozen=True)
class Attachment:
    """A file sent with an email, e.g. a meeting's calendar file (text/calendar)."""

    filename: str
    maintype: str
    subtype: str
    data: bytes


def build_message(
    sender: str,
    to: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> EmailMessage:
    """A UTF-8 message with a plain-text body and, when given, an HTML alternative and
    attached files."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(usegmt=True)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(body_text)
    if body_html is not None:
        message.add_alternative(body_html, subtype="html")
    for attachment in attachments:
        message.add_attachment(
            attachment.data,
            maintype=attachment.maintype,
            subtype=attachment.subtype,
            filename=attachment.filename,
            # text files (a calendar) are UTF-8; sent as bytes (base64) so their CRLF
            # line ends survive
            params={"charset": "utf-8"} if attachment.maintype == "text" else None,
        )
    return message


def send_email(
    to: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    attachments: Sequence[Attachment] = (),
) -> None:
    """Send one email now through the configured SMTP server (or write it to the log)."""
    config = current_app.config
    message = build_message(config["MAIL_FROM"], to, subject, body_text, body_html, attachments)
    host = config["MAIL_SERVER"]
    if not host:
        logger.warning(
            "MAIL_SERVER is not set; email written here instead of sent.\n"
            "To: %s\nSubject: %s\n\n%s",
            to,
            subject,
            body_text,
        )
        return
    port = int(config["MAIL_PORT"])
    timeout = config.get("MAIL_TIMEOUT", 10)
    try:
        if port == 465:  # implicit TLS (SMTPS)
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        with smtp:
            if config["MAIL_USE_TLS"] and port != 465:
                smtp.starttls(context=ssl.create_default_context())
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as exc:
        raise MailError(f"could not send email to {to} via {host}:{port}: {exc}") from exc
