"""Views only business buyers may open (quotes, offtake agreements, fair meetings).

    @bp.get("/quotes/new")
    @business_buyer_required
    def new_quote(): ...

Anonymous visitors go to the login page with a `next` back here; a signed-in account
without a business profile goes to the profile form (`business.profile`) with a flash
and a `next`, so it comes back once the profile is saved.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user

from storefront.business.services import is_business_buyer
from storefront.extensions import login_manager

F = TypeVar("F", bound=Callable[..., Any])


def business_buyer_required(view: F) -> F:
    """Only accounts holding a business profile; others are sent to make one."""

    @wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        if not is_business_buyer(current_user.id):
            flash(
                gettext("Vui lòng khai báo thông tin doanh nghiệp để dùng chức năng này."),
                "info",
            )
            # a POST cannot be replayed by a redirect: come back to the page it came from
            next_path = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
            return redirect(url_for("business.profile", next=next_path))
        return view(*args, **kwargs)

    return cast(F, wrapped)
