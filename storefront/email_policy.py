"""The shop's one email policy, for every form that takes an address: registration,
sign-in and password reset, checkout, finding a guest order, adding a producer member.

An address is checked for its form only (no DNS lookup: no request waits on a slow
resolver), and the special-use `.test` domain is accepted so that the demo accounts
(buyer@ocop.test…) work everywhere. It is stored and compared in one spelling:
trimmed, the domain in its ASCII form, all lower-case.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from storefront.errors import DomainError
from storefront.i18n import N_

MAX_LENGTH = 254


class InvalidEmail(DomainError):
    """Not an address the shop accepts."""

    def __init__(self) -> None:
        super().__init__(N_("Địa chỉ email không hợp lệ."))


def normalize_email(raw: str) -> str:
    """The one spelling of an address the shop stores and looks up; InvalidEmail if the
    text is not an address."""
    text = (raw or "").strip()
    if not text or len(text) > MAX_LENGTH:
        raise InvalidEmail()
    try:
        result = validate_email(text, check_deliverability=False, test_environment=True)
    except EmailNotValidError as exc:
        raise InvalidEmail() from exc
    email = f"{result.local_part}@{result.ascii_domain}".lower()
    if len(email) > MAX_LENGTH:
        raise InvalidEmail()
    return email
