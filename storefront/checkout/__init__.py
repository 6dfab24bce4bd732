"""Checkout: from a cart to a placed order, with delivery details, shipping and payment."""
