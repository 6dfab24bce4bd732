"""Email fixtures: a real SMTP server on loopback (aiosmtpd), and the mail log.

Requests only write emails to the outbox; the job worker delivers them. Reading the
inbox (`messages`, `to()`, `envelopes`) or the log (`text`, `records`) first runs one
pass of the worker's own function, `storefront.jobs.worker.run_once`, as the worker
process would have by then.

Import the fixtures into a folder's conftest.py to use them there:
    from tests.accounts.mail import mail_log, smtp_inbox  # noqa: F401
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from flask import Flask


def deliver_outbox() -> int:
    """One pass of the job worker over the outbox, in the test's app context."""
    from storefront.extensions import db
    from storefront.jobs.worker import run_once

    return run_once(db.session)


class Receiver:
    """The aiosmtpd handler: keeps what arrives, parsed."""

    def __init__(self) -> None:
        self.received: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append(message)  # type: ignore[arg-type]
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 Message accepted for delivery"


class Inbox:
    """What the SMTP server received, once the worker delivered what was due."""

    def __init__(self) -> None:
        self.handler = Receiver()

    @property
    def messages(self) -> list[EmailMessage]:
        deliver_outbox()
        return self.handler.received

    @property
    def envelopes(self) -> list[tuple[str, list[str]]]:
        deliver_outbox()
        return self.handler.envelopes

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    @staticmethod
    def text_of(message: EmailMessage) -> str:
        body = message.get_body(preferencelist=("plain",))
        assert body is not None, "message has no text/plain part"
        return str(body.get_content())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_inbox(app: Flask, monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    """Point the app's MAIL_* settings at an aiosmtpd server on 127.0.0.1 for one test."""
    inbox = Inbox()
    controller = Controller(inbox.handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", controller.port)
    monkeypatch.setitem(app.config, "MAIL_USE_TLS", False)
    monkeypatch.setitem(app.config, "MAIL_USERNAME", "")
    try:
        yield inbox
    finally:
        controller.stop()


class MailLog:
    """The captured log of emails written instead of sent, once the worker ran."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self.caplog = caplog

    @property
    def text(self) -> str:
        deliver_outbox()
        return self.caplog.text

    @property
    def records(self) -> list[logging.LogRecord]:
        deliver_outbox()
        return self.caplog.records


@pytest.fixture
def mail_log(caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch) -> MailLog:
    """Captured log of emails written instead of sent (no MAIL_SERVER).

    Alembic's fileConfig() in migrations/env.py disables loggers that existed before
    the test database was migrated, storefront.mail among them; enable it again."""
    logger = logging.getLogger("storefront.mail")
    monkeypatch.setattr(logger, "disabled", False)
    caplog.set_level(logging.INFO, logger="storefront.mail")
    return MailLog(caplog)
