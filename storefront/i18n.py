"""Language choice: Vietnamese by default, English one click away."""

from __future__ import annotations

from flask import current_app, request

LANGUAGE_COOKIE = "lang"


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a message for extraction without translating it yet (translated at display)."""
    return message


def select_locale() -> str:
    """The language for this request: a `lang` query argument, else the visitor's chosen
    language cookie, else the signed-in account's preference, else Vietnamese."""
    languages = current_app.config["LANGUAGES"]
    # ?lang=en: the English version of a page at its own URL (hreflang, shared links).
    asked = request.args.get("lang")
    if asked in languages:
        return str(asked)
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in languages:
        return str(cookie)
    from flask_login import current_user

    preferred = getattr(current_user, "language", None)
    if preferred in languages:
        return str(preferred)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])
