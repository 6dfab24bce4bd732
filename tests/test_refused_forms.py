"""Every refused form keeps what the person typed (issue 11, item 4).

Walks every POST form on every page each role reaches (tests/page_walk.py), types a
value no field accepts (a short marker, unique per field) into each text, number, date,
email, phone and text area field, and posts the form as a browser would. A refusal must
show the form again with every marker in it: re-rendered at once, or after a redirect
(post/redirect/get keeping a draft). A redirect to a page saying it refused, without the
markers, is the bug: the person retypes everything. Passwords are never shown again.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin

from flask import Flask

from tests.accounts.helpers import log_in
from tests.orders.helpers import add_to_cart
from tests.page_walk import ANONYMOUS, ROLES, walk

# Forms whose refusal rightly shows the stored value instead of the typed one.
EXEMPT = {
    # a quantity stepper shows what the cart holds; the refusal says what it could hold
    "/cart/add": "quantity",
    "/cart/update": "quantity",
}
TYPED = {"text", "search", "number", "date", "datetime-local", "email", "tel", "url", ""}
NOT_TYPED = {"hidden", "password", "checkbox", "radio", "submit", "button", "file", "image"}


@dataclass
class Form:
    action: str
    data: dict[str, list[str]] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)  # field name -> marker


class Forms(HTMLParser):
    """The POST forms of a page with the values a browser would send, the typed fields
    filled with markers."""

    def __init__(self, page_url: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None

    def _mark(self, name: str) -> str:
        assert self._form is not None
        marker = f"zq{len(self.forms)}x{len(self._form.typed)}q"
        self._form.typed[name] = marker
        return marker

    def handle_starttag(self, tag, attrs):  # type: ignore[no-untyped-def]
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            if a.get("method", "get").lower() == "post":
                self._form = Form(urljoin(self.page_url, a.get("action") or self.page_url))
            return
        form, name = self._form, a.get("name")
        if form is not None and tag == "option" and self._select:
            value = a.get("value", "")
            if self._select_first is None and value:
                self._select_first = value
            if "selected" in a:
                form.data[self._select] = [value]
                self._select_chosen = True
            return
        if form is None or not name:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.data.setdefault(name, []).append(a.get("value", "on"))
            elif kind == "hidden":
                form.data.setdefault(name, []).append(a.get("value", ""))
            elif kind in TYPED and "readonly" not in a and "disabled" not in a:
                form.data[name] = [self._mark(name)]
        elif tag == "textarea":
            self._textarea = name
            form.data[name] = [self._mark(name)]
        elif tag == "select":
            self._select, self._select_first, self._select_chosen = name, None, False

    def handle_endtag(self, tag):  # type: ignore[no-untyped-def]
        if tag == "select" and self._form is not None and self._select:
            if not self._select_chosen and self._select_first is not None:
                self._form.data[self._select] = [self._select_first]
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._form is not None:
            if self._form.typed:
                self.forms.append(self._form)
            self._form = None


def _forms(url: str, page: str) -> list[Form]:
    parser = Forms(url)
    parser.feed(page)
    return parser.forms


def _kept(page: str, form: Form) -> list[str]:
    """The fields whose marker is missing from the page shown after the refusal."""
    text = html.unescape(page)
    return [name for name, marker in form.typed.items() if marker not in text]


def test_every_refused_form_shows_again_what_was_typed(app: Flask, session) -> None:  # type: ignore[no-untyped-def]
    world, values, pages = walk(app, session)
    from storefront.catalog.models import Product
    from storefront.extensions import db

    product = db.session.get(Product, world.extra["product_id"])
    lost: list[str] = []
    walked = 0
    for role in ROLES:
        client = app.test_client()
        if role != ANONYMOUS:
            log_in(client, world.users[role].email)
        add_to_cart(client, product, world.extra["variant_id"])
        for url in pages[role]:
            posted: set[str] = set()
            while True:  # the page afresh before each form: an accepted one changes it
                page = client.get(url)
                if page.status_code != 200:
                    break  # an earlier post removed what this page showed
                waiting = [
                    f
                    for f in _forms(url, page.text)
                    if f.action not in posted and not f.action.rstrip("/").endswith("/logout")
                ]
                if not waiting:
                    break
                form = waiting[0]
                posted.add(form.action)
                walked += 1
                response = client.post(form.action, data=form.data)
                if response.status_code in (301, 302, 303):
                    shown = client.get(response.headers["Location"])
                    if "flash-error" not in shown.text and "field-error" not in shown.text:
                        continue  # accepted: nothing was refused
                    missing = _kept(shown.text, form)
                else:
                    missing = _kept(response.text, form)
                if missing and form.action.split("?")[0] not in EXEMPT:
                    lost.append(f"{form.action} from {url} as {role}: {missing}")
    assert walked >= 40, walked
    assert not lost, "refused forms that forget what was typed:\n" + "\n".join(sorted(set(lost)))
