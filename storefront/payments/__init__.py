"""Payments: the methods checkout offers (cash on delivery, bank transfer by VietQR, card
through Stripe), what an order page shows the buyer about paying, refunds."""

from __future__ import annotations

from flask import Flask, current_app

from storefront.orders.models import Order


def payment_details(order: Order) -> object | None:
    """For templates: how to pay an order still awaiting payment (None if nothing to do)."""
    from storefront.payments import bank_transfer

    return bank_transfer.transfer_details(order, current_app.config)


def card_payment_url(order: Order) -> str | None:
    """For templates: the card payment page of a card order still awaiting payment."""
    from flask import url_for

    from storefront.payments import card

    if order.payment_method != card.CODE or order.payment_status != "awaiting":
        return None
    return url_for("payments.card_payment", number=order.number)


def init_app(app: Flask) -> None:
    """Register the payment methods, the order-page helpers templates call, the card
    payment and admin pages, Stripe's webhook, the payment emails and CLI commands."""
    from storefront.orders import emails
    from storefront.payments import emails as payment_emails
    from storefront.payments import methods  # noqa: F401 - registers the methods
    from storefront.payments.admin_views import bp as admin_bp
    from storefront.payments.commands import payments_cli
    from storefront.payments.registry import method_label
    from storefront.payments.views import bp as payments_bp

    app.jinja_env.globals["payment_details"] = payment_details
    app.jinja_env.globals["payment_method_label"] = method_label
    app.jinja_env.globals["card_payment_url"] = card_payment_url
    app.register_blueprint(payments_bp)
    app.register_blueprint(admin_bp)
    app.cli.add_command(payments_cli)
    if payment_emails.content not in emails.CONTENT_PROVIDERS:
        emails.CONTENT_PROVIDERS.append(payment_emails.content)
