"""WSGI entry point for gunicorn and `flask --app wsgi`."""

from storefront import create_app

app = create_app()
