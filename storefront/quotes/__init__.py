"""Quotes (yêu cầu báo giá): business buyers ask producers for prices, producers answer,
an accepted quote becomes an order through the one placement service."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """The quote pages, `flask quotes expire`, and the quote's name in order emails."""
    from storefront.orders import emails
    from storefront.quotes.commands import quotes_cli
    from storefront.quotes.emails import order_email_paragraphs
    from storefront.quotes.views import bp

    app.register_blueprint(bp)
    app.cli.add_command(quotes_cli)
    if order_email_paragraphs not in emails.EXTRA_PARAGRAPHS:
        emails.EXTRA_PARAGRAPHS.append(order_email_paragraphs)
