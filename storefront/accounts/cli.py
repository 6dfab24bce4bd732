"""`flask users …`: create accounts and grant roles from the command line.

    flask users set-role --email can.bo@dienbien.gov.vn --role officer --province dien-bien

A province officer (role `officer`) needs one or more `--province` (a slug such as
dien-bien, or a name). Role changes are written to the audit log, as from the admin page.

Passwords are never command-line options (they would land in shell history and in
the process list): they are read from STOREFRONT_USER_PASSWORD or a hidden prompt.
"""

from __future__ import annotations

import os

import click

from storefront.accounts import services
from storefront.accounts.models import Role, User
from storefront.audit import services as audit
from storefront.errors import DomainError
from storefront.extensions import db
from storefront.places import find_province

PASSWORD_ENV = "STOREFRONT_USER_PASSWORD"  # noqa: S105 - a variable name, not a secret
ROLE_NAMES = [role.value for role in Role]

users_cli = click.Group("users", help="Create accounts and grant roles.")
PROVINCE_OPTION = click.option(
    "--province",
    "provinces",
    multiple=True,
    help="A province an officer looks after (slug or name); repeat for several.",
)


def _province_codes(names: tuple[str, ...]) -> list[int]:
    codes = []
    for name in names:
        province = find_province(name)
        if province is None:
            raise click.ClickException(f"No province called {name!r}.")
        codes.append(province.code)
    return codes


@users_cli.command("create")
@click.option("--email", required=True, help="Email address of the new account.")
@click.option("--role", type=click.Choice(ROLE_NAMES), default="buyer", show_default=True)
@click.option("--name", "full_name", default="", help="Full name shown in the shop.")
@PROVINCE_OPTION
def create_command(email: str, role: str, full_name: str, provinces: tuple[str, ...]) -> None:
    """Create an account. The password comes from $STOREFRONT_USER_PASSWORD, else a prompt."""
    codes = _province_codes(provinces)
    password = os.environ.get(PASSWORD_ENV) or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True
    )
    try:
        user = services.register_user(
            db.session,
            services.Registration(email=email, password=password, full_name=full_name),
        )
        _grant(user, Role(role), codes)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Created {user.email} with role {user.role.value}.")


@users_cli.command("set-role")
@click.option("--email", required=True)
@click.option("--role", type=click.Choice(ROLE_NAMES), required=True)
@PROVINCE_OPTION
def set_role_command(email: str, role: str, provinces: tuple[str, ...]) -> None:
    """Grant a role to an existing account (an officer's provinces with --province)."""
    codes = _province_codes(provinces)
    user = services.find_user_by_email(db.session, email)
    if user is None:
        raise click.ClickException(f"No account with email {email}.")
    try:
        _grant(user, Role(role), codes)
    except DomainError as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"{user.email} now has role {user.role.value}{_scope(codes, user.role)}.")


def _grant(user: User, role: Role, codes: list[int]) -> None:
    """Set the role and provinces, logged in the audit log with no acting account."""
    before = services.role_snapshot(db.session, user)
    services.set_role(db.session, user, role, provinces=codes)
    after = services.role_snapshot(db.session, user)
    if after != before:
        audit.record(db.session, None, "user.role", user, before, after)


def _scope(codes: list[int], role: Role) -> str:
    return f" for provinces {', '.join(map(str, codes))}" if role == Role.OFFICER else ""
