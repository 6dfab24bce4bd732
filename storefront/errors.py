"""The base of every domain error a service may raise.

Views turn these into a flash message or a form error; the message is a
translatable Vietnamese msgid with named arguments, rendered in the visitor's
language by `str(error)` inside a request.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A request the shop refuses, with a message meant for the person who made it."""

    def __init__(self, message: str, **params: Any) -> None:
        super().__init__(message)
        self.message = message
        self.params = params

    def __str__(self) -> str:
        try:
            from flask_babel import gettext

            return str(gettext(self.message, **self.params))
        except (RuntimeError, KeyError):  # outside a request, or a bad placeholder
            return self.message % self.params if self.params else self.message


class NotFound(DomainError):
    """The thing asked for does not exist, or the asker may not know it exists."""
