"""OCOP Storefront: a marketplace for Vietnam's OCOP-certified products."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask

from storefront.config import load_config


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    """Build the app: configuration, extensions, blueprints, error pages, commands."""
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    app = Flask(
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
    from storefront.extensions import babel, csrf, db, limiter, migrate
    from storefront.i18n import select_locale

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(app.root_path), "migrations"))
    csrf.init_app(app)
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=os.path.join(app.root_path, "translations"),
    )
    limiter.init_app(app)
    _import_models()


def _import_models() -> None:
    """Import every domain's models so Alembic and relationships see all tables."""
    import storefront.catalog.models  # noqa: F401


def register_blueprints(app: Flask) -> None:
    from storefront.catalog.views import bp as catalog_bp
    from storefront.site.views import bp as site_bp

    app.register_blueprint(site_bp)
    app.register_blueprint(catalog_bp)


def register_commands(app: Flask) -> None:
    from storefront.demo.commands import demo_cli

    app.cli.add_command(demo_cli)
