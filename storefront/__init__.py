"""OCOP Storefront: a marketplace for Vietnam's OCOP-certified products."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from flask import Flask, has_app_context
from flask_babel import get_locale, get_translations
from jinja2 import Environment

from storefront.config import load_config
from storefront.site.template_env import TemplateEnvironment
from storefront.site.template_i18n import language_environment


class Storefront(Flask):
    """Flask, remembering which hooks and views are plain functions.

    Flask asks `inspect.iscoroutinefunction` of every hook and view on every request
    (eleven times for a bare request here); the answer never changes for a function, so
    it is worked out once. The shop has no `async def` views; one added later is still
    wrapped as Flask would. Its templates live in one environment per language
    (`jinja_env`), each reading the globals without Jinja's ChainMap (site.template_env)."""

    jinja_environment = TemplateEnvironment  # templates read the globals without a ChainMap
    _sync: dict[Callable[..., Any], Callable[..., Any]]
    _language_envs: dict[str, Environment]

    def ensure_sync(self, func: Callable[..., Any]) -> Callable[..., Any]:
        try:
            return self._sync[func]
        except KeyError:
            pass
        except (AttributeError, TypeError):  # before __init__ finished; unhashable
            return super().ensure_sync(func)
        synced = self._sync[func] = super().ensure_sync(func)
        return synced

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._sync = {}
        self._language_envs = {}
        super().__init__(*args, **kwargs)

    @property
    def jinja_env(self) -> Environment:  # type: ignore[override]
        """The templates' environment for the language in force (site.template_i18n):
        the app's own where no locale is known (no request and no `force_locale`)."""
        base: Environment | None = self.__dict__.get("_base_jinja_env")
        if base is None:
            base = self.__dict__["_base_jinja_env"] = self.create_jinja_environment()
        try:
            locale = get_locale() if has_app_context() else None
        except RuntimeError:  # an app context without a request or a forced locale
            locale = None
        if locale is None:
            return base
        key = str(locale)
        env = self._language_envs.get(key)
        if env is None:
            env = self._language_envs[key] = language_environment(base, get_translations())
        return env


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error pages, commands."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Storefront(
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(root, "templates"),
        static_folder=None,  # WhiteNoise serves static/, see site.assets
    )
    app.config.update(load_config(os.environ, app.instance_path))
    app.config["STATIC_ROOT"] = os.path.join(root, "static")
    if overrides:
        app.config.update(overrides)
    os.makedirs(app.instance_path, exist_ok=True)

    from storefront.site import compression, inputs, sessions

    if not app.config["REDIS_URL"] and app.config["STOREFRONT_ENV"] == "development":
        app.logger.warning(
            "REDIS_URL is not set: rate limits are counted in each process's memory "
            "(every worker and server counts its own) and the cache is per process. "
            "Fine for development; production requires REDIS_URL."
        )
    from storefront import ops

    ops.register(app)  # request id and log line, metrics, /readyz, proxy, error reports
    inputs.register(app)  # URL converters and cleaned form values, before any route
    compression.register(app)  # first of the after-request hooks, so it runs last
    sessions.register(app)
    register_extensions(app)
    register_blueprints(app)
    register_commands(app)

    from storefront.site import assets, errors, security, templating

    errors.register(app)
    security.register(app)
    templating.register(app)
    assets.register(app)
    return app


def register_extensions(app: Flask) -> None:
    from storefront import database, storage
    from storefront.catalog import cache as catalog_cache
    from storefront.catalog import stars as catalog_stars
    from storefront.extensions import babel, cache, csrf, db, init_db, init_limiter, migrate
    from storefront.i18n import install_template_gettext, select_locale

    init_db(app)  # Flask-SQLAlchemy, its teardown only after a request that used it
    database.register(app)  # time limits on every PostgreSQL connection
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=os.path.join(app.root_path, "translations"),
    )
    install_template_gettext(app)  # the same translations, looked up once per language
    init_limiter(app)  # per-route limits only
    cache.init_app(app)
    _import_models()
    catalog_cache.register(app)
    catalog_stars.register(app)  # Product.stars follows its certificates
    storage.register(app)  # where media files live (MEDIA_STORAGE, MEDIA_ROOT)

    from storefront import accounts

    accounts.init_app(app)  # Flask-Login and password hashing


def _import_models() -> None:
    """Import every domain's models so Alembic and relationships see all tables."""
    import storefront.accounts.models  # noqa: F401
    import storefront.api.models  # noqa: F401
    import storefront.audit.models  # noqa: F401
    import storefront.business.models  # noqa: F401
    import storefront.cart.models  # noqa: F401
    import storefront.catalog.models  # noqa: F401
    import storefront.fairs.models  # noqa: F401
    import storefront.meetings.models  # noqa: F401
    import storefront.offtake.models  # noqa: F401
    import storefront.orders.models  # noqa: F401
    import storefront.payments.models  # noqa: F401
    import storefront.producers.models  # noqa: F401
    import storefront.programme.models  # noqa: F401
    import storefront.quotes.models  # noqa: F401
    import storefront.reviews.models  # noqa: F401
    import storefront.settlements.models  # noqa: F401
    import storefront.shipping.models  # noqa: F401
    import storefront.traceability.models  # noqa: F401


def register_blueprints(app: Flask) -> None:
    """Every domain's pages; some domains register theirs (and helpers) in init_app."""
    from storefront import (
        api,
        business,
        fair_business,
        fairs,
        meetings,
        orders,
        payments,
        producers,
        quotes,
        reviews,
        seo,
        shipping,
    )
    from storefront.accounts.views import bp as accounts_bp
    from storefront.admin.views import bp as admin_bp
    from storefront.audit.views import bp as audit_bp
    from storefront.cart.views import bp as cart_bp
    from storefront.catalog.views import bp as catalog_bp
    from storefront.checkout.views import bp as checkout_bp
    from storefront.fairs.booths import bp as producer_fairs_bp
    from storefront.fairs.views import bp as fairs_bp
    from storefront.orders.views import bp as orders_bp
    from storefront.producers.views import bp as producers_bp
    from storefront.programme.views import bp as programme_bp
    from storefront.settlements.views import bp as settlements_bp
    from storefront.shipping.views import bp as shipping_bp
    from storefront.site.views import bp as site_bp
    from storefront.traceability.views import bp as traceability_bp

    for blueprint in (
        site_bp,
        catalog_bp,
        accounts_bp,
        producers_bp,
        admin_bp,
        cart_bp,
        checkout_bp,
        orders_bp,
        shipping_bp,
        settlements_bp,
        traceability_bp,
        fairs_bp,
        producer_fairs_bp,
        audit_bp,
        programme_bp,
    ):
        app.register_blueprint(blueprint)
    producers.init_app(app)  # the producer's workspace, its admin queue and CLI
    business.init_app(app)  # business buyers' profile page
    fairs.init_app(app)  # fair prices into pricing, the fairs' home page section
    orders.init_app(app)  # the best sellers of the home page
    shipping.init_app(app)  # the product page's delivery fee and window
    payments.init_app(app)  # the payment methods checkout offers, card pages, webhook, refunds
    reviews.init_app(app)  # review pages; the product and order pages' reviews, email links
    seo.init_app(app)  # sharing tags, JSON-LD, robots.txt and the sitemaps
    api.init_app(app)  # the JSON API, its OpenAPI document, docs and access-token pages
    meetings.init_app(app)  # fair meetings: pages, the fair page's slots, the report's rows
    quotes.init_app(app)  # business buyers' quotes, `flask quotes expire`
    from storefront import offtake

    offtake.init_app(app)  # offtake agreements' pages and `flask offtake due`
    fair_business.init_app(app)  # quotes' and agreements' rows of the fair report
    if app.config.get("BENCH_ROUTES"):
        from storefront.site.bench import bp as bench_bp

        app.register_blueprint(bench_bp)


def register_commands(app: Flask) -> None:
    from storefront.accounts.cli import users_cli
    from storefront.catalog.commands import catalog_cli
    from storefront.demo.commands import demo_cli
    from storefront.jobs.worker import jobs_cli
    from storefront.orders.commands import orders_cli
    from storefront.programme.commands import programme_cli
    from storefront.seo.commands import seo_cli

    groups = (demo_cli, users_cli, orders_cli, catalog_cli, programme_cli, jobs_cli, seo_cli)
    for group in groups:
        app.cli.add_command(group)
