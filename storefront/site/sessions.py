"""Flask's signed-cookie session, without its per-request cost for visitors who have none.

Most requests (anonymous catalogue pages, static checks, health probes) carry no session
cookie and leave the session empty. Flask's own interface still builds a signing
serializer on every request and works out every cookie attribute on every response;
this one builds the serializer once per secret key and skips the cookie work when there
is no session to read or write. What it sends is the same.
"""

from __future__ import annotations

from flask import Flask, Request, Response
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface, SessionMixin
from itsdangerous import URLSafeTimedSerializer

from storefront.site.headers import vary_on


class ShopSessionInterface(SecureCookieSessionInterface):
    def __init__(self) -> None:
        self._serializers: dict[tuple[object, ...], URLSafeTimedSerializer | None] = {}

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if keys not in self._serializers:
            self._serializers[keys] = super().get_signing_serializer(app)
        return self._serializers[keys]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if not app.secret_key:
            return None
        # No Cookie header at all (most visitors): nothing to parse.
        if "HTTP_COOKIE" not in request.environ or not request.cookies.get(
            self.get_cookie_name(app)
        ):
            return self.session_class()
        return super().open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Response) -> None:
        if not session and not session.modified:  # nothing to set, nothing to delete
            if session.accessed:
                vary_on(response, "Cookie")
            return
        super().save_session(app, session, response)


def register(app: Flask) -> None:
    app.session_interface = ShopSessionInterface()
