"""Trust X-Forwarded-* only from the proxies in front (TRUSTED_PROXIES of them).

Behind nginx (deploy/nginx/storefront.conf) set TRUSTED_PROXIES=1: the client address
(rate limits, /metrics' allow list, logs), scheme and host then come from the headers
nginx sets. With 0 (the default, the app facing clients itself) the headers are
ignored, since anyone could send them.
"""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def register(app: Flask) -> None:
    hops = app.config["TRUSTED_PROXIES"]
    if hops > 0:
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops
        )
