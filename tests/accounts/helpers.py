"""Accounts for tests, made through the services, and signing in as a visitor does."""

from __future__ import annotations

import itertools

from flask.testing import FlaskClient
from sqlalchemy.orm import Session
from werkzeug.test import TestResponse

from storefront.accounts import services
from storefront.accounts.models import ProducerMember, Role, User
from storefront.catalog.models import Producer
from tests.conftest import csrf_token_from

PASSWORD = "mật ong hoa ban"
_sequence = itertools.count(1)


def make_user(
    session: Session,
    email: str | None = None,
    role: Role | str = Role.BUYER,
    password: str = PASSWORD,
    full_name: str = "",
    language: str = "vi",
) -> User:
    n = next(_sequence)
    return services.register_user(
        session,
        services.Registration(
            email=email or f"user{n}@example.vn",
            password=password,
            full_name=full_name or f"Người dùng {n}",
            language=language,
        ),
        role=Role(role),
    )


def make_member(
    session: Session, producer: Producer, role: Role = Role.PRODUCER, owner: bool = True, **kw
) -> User:
    """A producer-role account acting for `producer`."""
    user = make_user(session, role=role, **kw)
    session.add(ProducerMember(producer_id=producer.id, user_id=user.id, is_owner=owner))
    session.flush()
    return user


def log_in(
    client: FlaskClient,
    email: str,
    password: str = PASSWORD,
    remember: bool = False,
    next_path: str | None = None,
) -> TestResponse:
    """Sign in through the login form (CSRF token included)."""
    page = client.get("/account/login")
    data = {"email": email, "password": password, "csrf_token": csrf_token_from(page.text)}
    if remember:
        data["remember"] = "y"
    if next_path is not None:
        data["next"] = next_path
    return client.post("/account/login", data=data)


def post_form(client: FlaskClient, page_path: str, action: str, data: dict) -> TestResponse:
    """Open `page_path`, take its CSRF token and post `data` to `action`."""
    token = csrf_token_from(client.get(page_path).text)
    return client.post(action, data={**data, "csrf_token": token})
