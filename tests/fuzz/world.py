"""What the fuzz walk stands on: seeded rows, a signed-in client per role, and the forms
and query parameters the pages themselves offer.

The rows are the access-control world (tests/test_access_control.py) plus a fair with
an accepted booth and featured products, a batch, a settlement and a reset link, so
that generated path values can name ids that exist. Ids handed to the walk avoid the
signed-in accounts themselves (an admin fuzzing /admin/users/<id>/role may demote
someone, but never the walkers).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

from flask import Flask
from flask.testing import FlaskClient
from flask_wtf import FlaskForm
from sqlalchemy import event
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect
from wtforms.fields.core import UnboundField

from storefront.accounts.models import Role
from storefront.accounts.tokens import make_reset_token
from storefront.catalog.models import Product
from storefront.fairs import services as fair_services
from storefront.fairs.models import Fair
from storefront.traceability.models import Batch
from tests import test_access_control as access
from tests.accounts.helpers import log_in, make_member, make_user
from tests.business.helpers import make_business_buyer
from tests.fairs.helpers import make_fair

ANONYMOUS = "anonymous"
ROLES = (
    ANONYMOUS,
    access.BUYER,
    access.BUSINESS,
    access.PRODUCER,
    access.ORGANISER,
    access.OFFICER,
    access.ADMIN,
)

# Query parameters the views read (grep request.args); pages add the ones they link to.
KNOWN_QUERY = [
    "q",
    "group",
    "stars",
    "province",
    "min_price",
    "max_price",
    "sort",
    "page",
    "status",
    "start",
    "end",
    "weeks",
    "product",
    "variant",
    "fair",
    "count",
    "code",
    "next",
    "returned",
    "cancelled",
    "action",
    "actor",
    "target",
]


@dataclass
class Field:
    """A field of a page's form: the values the page offers (its options, or what it
    holds now) and, for an empty text input, a value a person would plausibly type."""

    name: str
    candidates: list[str] = field(default_factory=list)
    is_file: bool = False
    kind: str = "text"  # the input's type, or "numeric" for inputmode=numeric

    def good_values(self) -> list[str]:
        offered = list(dict.fromkeys(value for value in self.candidates if value.strip()))
        return offered or [plausible(self.name, self.kind)]


def plausible(name: str, kind: str) -> str:
    """What a person would type into an empty field, judged by its type and name, so that
    a form with one field spoiled gets past the others."""
    today = date.today()
    if kind == "email" or "email" in name:
        return "nguoi-mua@example.vn"
    if kind == "tel" or "phone" in name:
        return "0912345678"
    if kind == "date" or name.endswith(("_on", "_date")):
        return (today + timedelta(days=1 if name.startswith("end") else 0)).isoformat()
    if kind == "datetime-local" or name.endswith("_local"):
        later = timedelta(days=2 if name.startswith("close") else 0)
        return (datetime.combine(today, datetime.min.time()) + later).strftime("%Y-%m-%dT%H:%M")
    if kind == "password":
        return "một mật khẩu mới dài"  # never a walker's, so no password changes
    for hint, number in NUMBER_HINTS.items():
        if hint in name:
            return number
    if kind in ("number", "numeric"):
        return "2"
    return "Mật ong hoa Ban thử"


NUMBER_HINTS = {
    "price": "150000",
    "amount": "1000",
    "fee": "20000",
    "grams": "500",
    "stock": "5",
    "threshold": "5",
    "quantity": "1",
    "delta": "+3",
    "count": "10",
    "position": "1",
    "rate": "5",
}


@dataclass
class PageForm:
    """A form a page offers, as a browser would submit it."""

    fields: dict[str, Field] = field(default_factory=dict)
    multipart: bool = False


@dataclass
class Walk:
    """Everything the generated requests draw from."""

    app: Flask
    clients: dict[str, FlaskClient]
    tokens: dict[str, str]
    path_values: dict[str, list[str]]  # URL argument name → values that exist
    forms: dict[str, list[PageForm]]  # endpoint → forms posting to it
    query_fields: dict[str, dict[str, Field]]  # endpoint → parameters its pages use
    form_vocabulary: list[str]  # every field name of every form in the shop


def build(app: Flask, session, scrape: bool = True) -> Walk:  # type: ignore[no-untyped-def]
    """The seeded rows, a signed-in client per role and (unless `scrape` is False) the
    forms and query parameters of every page."""
    world = access.build_world(session)
    access._fair(world)
    access._own_batch(world)
    access._own_settlement(world)
    access._agreement(world)
    fair = session.get(Fair, world.extra["fair_id"])
    exhibitor = fair_services.get_exhibitor(session, world.extra["exhibitor_id"])
    fair_services.accept_invitation(session, exhibitor)
    access._meeting(world)  # an accepted meeting and an open slot of the producer's booth
    feature = fair_services.feature_variant(session, fair, world.extra["variant_id"], 1, None)
    product = session.get(Product, world.extra["product_id"])
    organiser = world.users[access.ORGANISER]
    home = fair_services.add_home_feature(
        session, organiser, product.id, 0, fair.starts_on, fair.ends_on
    )
    make_fair(session, organiser, name="Hội chợ nông sản Tây Bắc")  # one to ask to join
    batch = session.get(Batch, world.extra["batch_id"])
    # Accounts that sign out during the walk, so the walkers' sessions live on.
    for role in (access.BUYER, access.ORGANISER, access.OFFICER, access.ADMIN):
        make_user(session, email=f"leaving-{role}@example.vn", role=Role(role))
    make_member(session, world.producer, email=f"leaving-{access.PRODUCER}@example.vn")
    make_business_buyer(session, email=f"leaving-{access.BUSINESS}@example.vn")
    session.commit()
    access._quotes(world)  # a quote answered and one waiting, for the quote pages

    reset_token = make_reset_token(app.config["SECRET_KEY"], world.users[access.OTHER_BUYER])
    path_values = {
        "producer_id": [world.producer.id],
        "user_id": [world.users[access.MEMBER].id, world.users[access.OTHER_BUYER].id],
        "address_id": [world.address_id],
        "application_id": [world.application.id],
        "fair_id": [world.extra["fair_id"]],
        "exhibitor_id": [world.extra["exhibitor_id"]],
        "feature_id": [feature.id, home.id],
        "settlement_id": [world.extra["settlement_id"]],
        "number": [access._order_number(world)["number"], "OC-2611-AAAAAA"],
        "slug": [product.slug, world.producer.slug, fair.slug],
        "code": [batch.code, "vi", "en"],
        "token": [reset_token],
        "filename": ["products/world.jpg", "../instance/storefront.db"],
        "quote_id": [world.extra["quoted_id"], world.extra["requested_id"]],
        **{key: [value] for key, value in world.extra.items() if key.endswith("_id")},
    }
    clients, tokens = {}, {}
    for role in ROLES:
        client = app.test_client()
        if role != ANONYMOUS:
            assert log_in(client, world.users[role].email).status_code == 302, role
        clients[role] = client
        tokens[role] = access._token(client)
    walk = Walk(
        app=app,
        clients=clients,
        tokens=tokens,
        path_values={k: [str(v) for v in values] for k, values in path_values.items()},
        forms={},
        query_fields={},
        form_vocabulary=_form_vocabulary(),
    )
    _fill_cart(walk, world.extra["variant_id"])
    if scrape:
        _scrape(walk, world)
    return walk


@contextmanager
def rolled_back_after_each(walk: Walk) -> Iterator[Callable[[], AbstractContextManager[None]]]:
    """A context for each route walked: whatever the route's requests commit is rolled
    back afterwards and the walkers' cookies put back, so every route starts from the
    same seeded world (an organiser removing an exhibitor does not close the booth the
    producer's routes need; registering a new account does not sign the admin out).

    The app's session joins one outer transaction on a single connection and turns its
    commits into savepoints; pysqlite needs its own BEGIN for that (SQLAlchemy's
    "pysqlite savepoints" recipe).
    """
    from storefront.extensions import cache, db

    connection = db.engine.connect()
    if connection.dialect.name == "sqlite":
        connection.connection.driver_connection.isolation_level = None  # type: ignore[union-attr]
        event.listen(connection, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
    engines = db.engines
    engine = engines[None]
    db.session.remove()
    engines[None] = connection  # type: ignore[assignment]
    db.session.configure(join_transaction_mode="create_savepoint")

    @contextmanager
    def one_route() -> Iterator[None]:
        outer = connection.begin()
        cookies = {role: dict(client._cookies) for role, client in walk.clients.items()}
        try:
            yield
        finally:
            db.session.remove()
            outer.rollback()
            cache.clear()
            for role, client in walk.clients.items():
                client._cookies.clear()
                client._cookies.update(cookies[role])

    try:
        yield one_route
    finally:
        db.session.remove()
        db.session.configure(join_transaction_mode="conditional_savepoint")
        engines[None] = engine
        connection.invalidate()  # its DBAPI connection was changed: never back to the pool
        connection.close()


def signed_in_throwaway(walk: Walk, role: str) -> tuple[FlaskClient, str]:
    """A fresh session of an account made to be signed out (see build)."""
    client = walk.app.test_client()
    assert log_in(client, f"leaving-{role}@example.vn").status_code == 302, role
    return client, access._token(client)


def _fill_cart(walk: Walk, variant_id: int) -> None:
    """Every walker has a line in the cart, so the cart and checkout show their forms."""
    for role, client in walk.clients.items():
        client.post(
            "/cart/add",
            data={"variant_id": variant_id, "quantity": 1, "csrf_token": walk.tokens[role]},
        )


def _form_vocabulary() -> list[str]:
    names: set[str] = set()
    pending = list(FlaskForm.__subclasses__())
    while pending:
        form_class = pending.pop()
        pending.extend(form_class.__subclasses__())
        for name in dir(form_class):
            if isinstance(getattr(form_class, name, None), UnboundField):
                names.add(name)
    return sorted(names - {"csrf_token"})


def _scrape(walk: Walk, world: access.World) -> None:
    """Open every GET page as the accounts that may see it; keep their forms and links."""
    adapter = walk.app.url_map.bind("localhost")
    for rule in sorted(walk.app.url_map.iter_rules(), key=lambda r: r.endpoint):
        if "GET" not in (rule.methods or ()):
            continue
        if rule.endpoint in access.PROTECTED:
            protected = access.PROTECTED[rule.endpoint]
            roles, args = [protected.allowed], protected.args(world)
        else:
            roles = [ANONYMOUS, access.BUYER]
            args = {name: walk.path_values.get(name, ["x"])[0] for name in rule.arguments}
        url = adapter.build(rule.endpoint, args)
        for role in roles:
            response = walk.clients[role].get(url)
            body = response.get_data()  # read and closed: a streamed body (PDF, XML)
            response.close()  # left open would end outside its request context
            if response.status_code == 200 and "html" in response.content_type:
                _keep(walk, adapter, url, body.decode())


def _keep(walk: Walk, adapter, page_url: str, html: str) -> None:  # type: ignore[no-untyped-def]
    parser = _FormParser()
    parser.feed(html)
    for link in parser.links:
        parts = urlsplit(link)
        endpoint = _endpoint(adapter, parts.path or page_url, "GET")
        if endpoint and parts.query:
            known = walk.query_fields.setdefault(endpoint, {})
            for name, value in parse_qsl(parts.query):
                known.setdefault(name, Field(name)).candidates.append(value)
    for action, method, form in parser.forms:
        endpoint = _endpoint(adapter, urlsplit(action or page_url).path, method)
        if endpoint is None:
            continue
        form.fields.pop("csrf_token", None)
        if method == "GET":
            known = walk.query_fields.setdefault(endpoint, {})
            for name, found in form.fields.items():
                known.setdefault(name, Field(name, kind=found.kind)).candidates += found.candidates
            continue
        known = walk.forms.setdefault(endpoint, [])
        if all(list(form.fields) != list(other.fields) for other in known):
            known.append(form)


def _endpoint(adapter, path: str, method: str) -> str | None:  # type: ignore[no-untyped-def]
    try:
        endpoint, _ = adapter.match(path, method=method)
    except (HTTPException, RequestRedirect):
        return None
    return str(endpoint)


class _FormParser(HTMLParser):
    """Forms (action, method, fields with the values the page offers) and links."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, PageForm]] = []
        self.links: list[str] = []
        self._select: str | None = None
        self._textarea: str | None = None

    def _field(self, name: str, is_file: bool = False) -> Field | None:
        if not self.forms or not name:
            return None
        fields = self.forms[-1][2].fields
        return fields.setdefault(name, Field(name, is_file=is_file))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "form":
            multipart = a.get("enctype", "") == "multipart/form-data"
            method = a.get("method", "get").upper()
            self.forms.append((a.get("action", ""), method, PageForm(multipart=multipart)))
        elif tag in ("input", "button"):
            kind = a.get("type", "text")
            found = self._field(a.get("name", ""), is_file=kind == "file")
            if found is not None:
                found.kind = "numeric" if a.get("inputmode") == "numeric" else kind
            if found is not None and kind != "file":
                found.candidates.append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select":
            self._select = a.get("name")
            self._field(self._select or "")
        elif tag == "option" and self._select:
            found = self._field(self._select)
            if found is not None:
                found.candidates.append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._field(self._textarea or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea:
            found = self._field(self._textarea)
            if found is not None:
                found.candidates.append(data)
