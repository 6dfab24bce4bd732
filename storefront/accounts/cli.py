"""`flask users …`: create accounts and grant roles from the command line.

Passwords are never command-line options (they would land in shell history and in
the process list): they are read from STOREFRONT_USER_PASSWORD or a hidden prompt.
"""

from __future__ import annotations

import os

import click

from storefront.accounts import services
from storefront.accounts.models import Role
from storefront.errors import DomainError
from storefront.extensions import db

PASSWORD_ENV = "STOREFRONT_USER_PASSWORD"  # noqa: S105 - a variable name, not a secret
ROLE_NAMES = [role.value for role in Role]

users_cli = click.Group("users", help="Create accounts and grant roles.")


@users_cli.command("create")
@click.option("--email", required=True, help="Email address of the new account.")
@click.option("--role", type=click.Choice(ROLE_NAMES), default="buyer", show_default=True)
@click.option("--name", "full_name", default="", help="Full name shown in the shop.")
def create_command(email: str, role: str, full_name: str) -> None:
    """Create an account. The password comes from $STOREFRONT_USER_PASSWORD, else a prompt."""
    password = os.environ.get(PASSWORD_ENV) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        user = services.register_user(
            db.session,
            services.Registration(email=email, password=password, full_name=full_name),
            role=Role(role),
        )
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.email} with role {user.role.value}.")


@users_cli.command("set-role")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(ROLE_NAMES), required=True)
def set_role_command(email: str, role: str) -> None:
    """Grant a role to an existing account."""
    user = services.find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"No account with email {email}.")
    services.set_role(db.session, user, Role(role))
    db.session.commit()
    click.echo(f"{user.email} now has role {user.role.value}.")
