"""Who may open what: helpers every domain's views use.

    @bp.get("/fairs/manage")
    @role_required(Role.ORGANISER, Role.ADMIN)
    def manage(): ...

    @bp.get("/producer/<id:producer_id>/orders")
    @role_required(Role.PRODUCER)
    def orders(producer_id):
        require_producer_member(producer_id)   # 404 unless a member
        ...

Anonymous visitors are sent to the login page (with a safe `next`); signed-in
accounts without the role get 403; resources of a producer the account does not
belong to answer 404, so ids of other producers cannot be probed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select

from storefront.accounts.models import ProducerMember, Role
from storefront.extensions import db, login_manager

F = TypeVar("F", bound=Callable[..., Any])


def login_required(view: F) -> F:
    """Any signed-in account; anonymous visitors go to the login page."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        return view(*args, **kwargs)

    return cast(F, wrapped)


def role_required(*roles: Role | str) -> Callable[[F], F]:
    """Only accounts holding one of `roles` (listed explicitly: admin is not implied)."""
    allowed = {Role(role) for role in roles}

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return cast(F, wrapped)

    return decorator


def current_producer_ids() -> list[int]:
    """Ids of the producers the signed-in account acts for (producer role only)."""
    if not current_user.is_authenticated or current_user.role != Role.PRODUCER:
        return []
    if "producer_ids" not in g:
        g.producer_ids = list(
            db.session.execute(
                select(ProducerMember.producer_id)
                .where(ProducerMember.user_id == current_user.id)
                .order_by(ProducerMember.producer_id)
            ).scalars()
        )
    return cast(list[int], g.producer_ids)


def require_producer_member(producer_id: int) -> None:
    """Abort with 404 unless the signed-in account acts for this producer."""
    if producer_id not in current_producer_ids():
        abort(404)


def is_producer_owner(producer_id: int) -> bool:
    """Whether the signed-in account is the owner of this producer profile."""
    if producer_id not in current_producer_ids():
        return False
    return bool(
        db.session.execute(
            select(ProducerMember.is_owner).where(
                ProducerMember.producer_id == producer_id,
                ProducerMember.user_id == current_user.id,
            )
        ).scalar_one_or_none()
    )


def require_producer_owner(producer_id: int) -> None:
    """404 for non-members, 403 for members who are not the owner."""
    require_producer_member(producer_id)
    if not is_producer_owner(producer_id):
        abort(403)
