"""`flask users create` and `flask users set-role`."""

from __future__ import annotations

from sqlalchemy import select

from storefront.accounts import services
from storefront.accounts.models import Role, User


def test_create_reads_the_password_from_the_environment(runner, session, monkeypatch):
    monkeypatch.setenv("STOREFRONT_USER_PASSWORD", "hội chợ OCOP Điện Biên")
    result = runner.invoke(
        args=["users", "create", "--email", "Admin@Example.vn", "--role", "admin"]
    )
    assert result.exit_code == 0, result.output
    assert "admin@example.vn" in result.output
    assert "hội chợ" not in result.output
    user = services.authenticate(session, "admin@example.vn", "hội chợ OCOP Điện Biên")
    assert user is not None and user.role == Role.ADMIN


def test_create_prompts_for_a_hidden_confirmed_password(runner, session, monkeypatch):
    monkeypatch.delenv("STOREFRONT_USER_PASSWORD", raising=False)
    password = "ban tổ chức hội chợ"
    result = runner.invoke(
        args=["users", "create", "--email", "org@example.vn", "--role", "organiser"],
        input=f"{password}\n{password}\n",
    )
    assert result.exit_code == 0, result.output
    assert password not in result.output  # hidden input is not echoed
    user = services.authenticate(session, "org@example.vn", password)
    assert user is not None and user.role == Role.ORGANISER


def test_there_is_no_password_option(runner, session):
    result = runner.invoke(
        args=["users", "create", "--email", "a@example.vn", "--password", "hội chợ OCOP"]
    )
    assert result.exit_code != 0
    assert session.execute(select(User)).first() is None


def test_weak_password_or_taken_email_fails_cleanly(runner, session, monkeypatch):
    monkeypatch.setenv("STOREFRONT_USER_PASSWORD", "123456789")
    result = runner.invoke(args=["users", "create", "--email", "a@example.vn"])
    assert result.exit_code == 1
    assert "phổ biến" in result.output
    monkeypatch.setenv("STOREFRONT_USER_PASSWORD", "hội chợ OCOP Điện Biên")
    assert runner.invoke(args=["users", "create", "--email", "a@example.vn"]).exit_code == 0
    again = runner.invoke(args=["users", "create", "--email", "A@example.vn"])
    assert again.exit_code == 1
    assert len(session.execute(select(User)).all()) == 1


def test_set_role(runner, session, monkeypatch):
    monkeypatch.setenv("STOREFRONT_USER_PASSWORD", "hội chợ OCOP Điện Biên")
    runner.invoke(args=["users", "create", "--email", "a@example.vn"])
    result = runner.invoke(
        args=["users", "set-role", "--email", "a@example.vn", "--role", "organiser"]
    )
    assert result.exit_code == 0, result.output
    session.expire_all()
    assert session.execute(select(User.role)).scalar_one() == Role.ORGANISER
    missing = runner.invoke(
        args=["users", "set-role", "--email", "x@example.vn", "--role", "admin"]
    )
    assert missing.exit_code == 1
