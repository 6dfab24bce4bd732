"""The shop's Flask extensions, created unbound here and bound in create_app()."""

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, TypeAlias

from flask import Flask, Response
from flask.globals import request_ctx
from flask_babel import Babel
from flask_caching import Cache
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_sqlalchemy.session import Session as FlaskSession
from flask_wtf import CSRFProtect
from sqlalchemy import CursorResult, Executable, MetaData, Result, orm
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names let Alembic diff and drop constraints on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)

# The base class of every model. Flask-SQLAlchemy builds db.Model at run time from Base's
# body (same metadata and registry) plus its own mixins; mypy cannot take a base class
# from an attribute (python/mypy#8603), so it checks the models against Base itself.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model

# What services take as `session`: `db.session` (the request's scoped proxy, which views
# and commands pass) or a plain Session (a test's or a worker thread's own). Both offer
# the same methods; annotating with this instead of sqlalchemy.orm.Session says so.
Session: TypeAlias = orm.Session | orm.scoped_session[FlaskSession]

cache = Cache()
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(key_func=get_remote_address, default_limits=[])


def init_db(app: Flask) -> None:
    """Bind Flask-SQLAlchemy. Its end-of-request hook removes the request's session, and
    scoped_session.remove() raises and catches a KeyError when the request never opened
    one (a static check, a health probe, a cached page): it now runs only when there is
    one to remove."""
    db.init_app(app)
    teardowns = app.teardown_appcontext_funcs
    teardowns[:] = [_if_session_open(f) if f == db._teardown_session else f for f in teardowns]


def _if_session_open(hook: Any) -> Any:
    def teardown(exc: BaseException | None) -> None:
        if db.session.registry.has():
            hook(exc)

    return teardown


def init_limiter(app: Flask) -> None:
    """Bind the limiter for the routes decorated with `@limiter.limit`, and only those.

    The shop sets no default or application-wide limit, so the check Flask-Limiter runs
    before every request has nothing to evaluate: each decorated route checks its own
    limits in its decorator. That hook is dropped, and the limiter's after-request hook
    runs only for a request that reached the limiter. Together they were
    about a third of what the shop adds to a bare request."""
    limiter.init_app(app)
    if limiter not in app.extensions.get("limiter", ()):
        return  # RATELIMIT_ENABLED is off: no hooks at all
    manager = limiter.limit_manager
    if manager.default_limits or manager.application_limits:
        return  # limits on every route: keep Flask-Limiter's own hooks
    app.before_request_funcs[None].remove(limiter._check_request_limit)
    after = app.after_request_funcs[None]
    after[:] = [_only_if_limited(f) if _is_limiter_hook(f) else f for f in after]
    # Its teardown only clears the state it keeps on the request context, which goes
    # with the request anyway.
    teardown = app.teardown_request_funcs[None]
    teardown[:] = [f for f in teardown if not _is_limiter_hook(f)]


def _is_limiter_hook(hook: Any) -> bool:
    target = hook.func if isinstance(hook, partial) else hook
    return getattr(target, "__self__", None) is limiter or (
        isinstance(hook, partial) and hook.args[:1] == (limiter,)
    )


def _only_if_limited(hook: Any) -> Any:
    """The hook, run only when the limiter kept state for this request (a decorated
    route checked its limits: the state Flask-Limiter keeps on the request context)."""

    def guarded(value: Any) -> Any:
        # vars(), not hasattr(): a miss raises no AttributeError through the proxy.
        if "_limiter_request_context" in vars(request_ctx._get_current_object()):  # type: ignore[attr-defined]
            return hook(value)
        return value if isinstance(value, Response) else None

    return guarded


def rowcount(result: Result[Any]) -> int:
    """The rows an UPDATE or DELETE matched: how a conditional update tells whether it won.

    Session.execute() is typed as answering a Result for every statement; for these it
    answers a CursorResult, the one that counts rows."""
    if not isinstance(result, CursorResult):
        raise TypeError(f"{type(result).__name__} has no row count: not an UPDATE or DELETE")
    return result.rowcount


def read_columns(
    session: Session, statement: Executable, params: Mapping[str, Any] | None = None
) -> Result[Any]:
    """Run a statement that selects columns, not mapped objects, past the ORM's execute
    path (about 30 µs a statement, a tenth of a cached catalogue query on SQLite): on the
    session's connection, after flushing what the session holds, as Session.execute
    would have."""
    if session.new or session.dirty or session.deleted:
        session.flush()
    return session.connection().execute(statement, dict(params or {}))
