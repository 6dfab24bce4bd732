"""The request boundary (storefront/site/inputs.py, fields.py, numbers.py, money.py).

Walks the URL map and every form class: a route argument is an `<id:...>` or is listed
below with the reason it is text; no form holds a number through WTForms' own
IntegerField or coerce=int. Then the boundary itself: what the converters, the cleaned
request values and the number fields accept and refuse.
"""

from __future__ import annotations

import io

import pytest
from flask import request
from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter
from wtforms import FileField, IntegerField, SelectFieldBase, StringField
from wtforms.fields.core import UnboundField

from storefront.money import NOT_AN_AMOUNT, VndField, WholeNumberField
from storefront.numbers import INT_MAX, whole_number
from storefront.site.fields import NumberSelectField
from storefront.site.forms import ShopForm
from storefront.site.inputs import FilePathConverter, IdConverter, TextConverter

ORDER_NUMBER = "an order number such as OC-2611-7K3F9Q, looked up as text"
TEXT_ARGUMENTS = {
    ("catalog.product_detail", "slug"): "a product's slug, a stable public URL",
    ("catalog.producer_detail", "slug"): "a producer's slug, a stable public URL",
    ("fairs.detail", "slug"): "a fair's slug, a stable public URL",
    ("quotes.ask", "slug"): "the producer's slug, as in its public URL (/producers/<slug>)",
    ("traceability.trace", "code"): "the code printed on a stamp (QR target), normalised",
    ("site.set_language", "code"): "a language code, checked against LANGUAGES",
    (
        "site.media",
        "filename",
    ): "a file in the media store (storefront/storage.py), which refuses paths leaving it",
    ("accounts.reset_password", "token"): "a signed reset token (itsdangerous)",
    ("reviews.invite", "token"): "a signed single-use review link token (itsdangerous)",
    ("seo.sitemap_chunk", "chunk"): "<kind>-<n> of the sitemap index; anything else is a 404",
    ("programme.province", "slug"): "a province's slug, looked up in storefront.places",
    ("programme.province_csv", "slug"): "a province's slug, looked up in storefront.places",
    ("programme.province_csv", "table"): "a table's name, checked against export.TABLES",
    ("api_public.product", "slug"): "a product's slug, as on its page",
    ("api_public.producer", "slug"): "a producer's slug, as on its page",
    ("api_public.wards", "slug"): "a province's slug, looked up in storefront.places",
    ("api_public.fair", "slug"): "a fair's slug, as on its page",
    ("api_public.delivery", "slug"): "a product's slug, as on its page",
    ("api_public.trace", "code"): "the code printed on a stamp, parsed as /t/<code> does",
    **{
        (endpoint, "number"): ORDER_NUMBER
        for endpoint in (
            "orders.detail",
            "orders.lookup",
            "orders.confirmation",
            "orders.cancel_part",
            "orders.mark_paid",
            "payments.card_payment",
            "payments.pay",
            "payments.switch_to_cash",
            "payments_admin.order",
            "payments_admin.refund",
            "api_buyer.order",
            "api_buyer.cancel_part",
            "api_buyer.review",
        )
    },
}


def test_every_route_argument_is_an_id_or_listed_text(app):
    unlisted, wrong = [], []
    seen = set()
    for rule in app.url_map.iter_rules():
        for name, converter in rule._converters.items():
            key = (rule.endpoint, name)
            seen.add(key)
            if isinstance(converter, IdConverter):
                continue
            if key not in TEXT_ARGUMENTS:
                unlisted.append(f"{rule.rule} ({rule.endpoint}): <{name}>")
            elif not isinstance(converter, TextConverter | FilePathConverter):
                wrong.append(f"{rule.rule}: <{name}> uses {type(converter).__name__}")
    assert not unlisted, (
        "use <id:...> for a row id, or list the argument in TEXT_ARGUMENTS with the reason "
        "it is text:\n" + "\n".join(unlisted)
    )
    assert not wrong, "text arguments must use the cleaning converters:\n" + "\n".join(wrong)
    assert not set(TEXT_ARGUMENTS) - seen, "listed arguments no longer exist"


def test_no_route_uses_werkzeugs_int_converter(app):
    assert not [
        rule.rule
        for rule in app.url_map.iter_rules()
        if any(type(c) is IntegerConverter for c in rule._converters.values())
    ]


def _form_classes() -> list[type]:
    found, pending = [], list(FlaskForm.__subclasses__())
    while pending:
        form_class = pending.pop()
        found.append(form_class)
        pending.extend(form_class.__subclasses__())
    return found


def test_no_form_holds_a_number_with_wtforms_own_types(app):
    wrong = []
    for form_class in _form_classes():
        for name in dir(form_class):
            unbound = getattr(form_class, name, None)
            if not isinstance(unbound, UnboundField):
                continue
            field_class = unbound.field_class
            if issubclass(field_class, IntegerField):
                wrong.append(f"{form_class.__name__}.{name}: IntegerField")
            if issubclass(field_class, SelectFieldBase) and unbound.kwargs.get("coerce") is int:
                wrong.append(f"{form_class.__name__}.{name}: coerce=int")
    assert len(_form_classes()) > 20
    assert not wrong, (
        "use storefront.money's WholeNumberField or VndField, or NumberSelectField or "
        "NumberSelectMultipleField (storefront/site/fields.py):\n" + "\n".join(wrong)
    )


@pytest.mark.parametrize(
    "path",
    [
        "/admin/applications/²",
        "/admin/applications/①",
        "/admin/applications/١٢",
        "/admin/applications/-1",
        "/admin/applications/0",
        "/admin/applications/2147483648",
        "/admin/applications/" + "9" * 30,
        "/products/\x00",
        "/products/mat-ong\x00",
        "/fairs/\x1b",
        "/producers/\x7f",
        "/products/" + "x" * 301,
        "/media/products/\x00.jpg",
    ],
)
def test_ids_beyond_the_columns_and_control_characters_match_no_route(app, path):
    adapter = app.url_map.bind("localhost")
    with pytest.raises(NotFound):
        adapter.match(path, method="GET")


def test_ids_within_the_columns_and_plain_text_match_their_routes(app):
    adapter = app.url_map.bind("localhost")
    assert adapter.match("/admin/applications/2147483647") == (
        "admin.application",
        {"application_id": INT_MAX},
    )
    assert adapter.match("/products/mật-ong") == ("catalog.product_detail", {"slug": "mật-ong"})
    assert adapter.match("/media/products/a/b.jpg")[1] == {"filename": "products/a/b.jpg"}


def test_form_and_query_values_lose_control_characters(app):
    with app.test_request_context(
        "/products?q=m%E1%BA%ADt%00ong&x%01=1",
        method="POST",
        data={"name": "Mật\x00 ong\x07 hoa\x85 Ban", "note": "dòng 1\r\n\tdòng 2"},
    ):
        assert request.args["q"] == "mậtong"
        assert "x" in request.args
        assert request.form["name"] == "Mật ong hoa Ban"
        assert request.form["note"] == "dòng 1\r\n\tdòng 2"  # tabs and line breaks stay
        assert request.values["name"] == "Mật ong hoa Ban"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("007", 7),
        ("²", None),
        ("①", None),
        ("١٢", None),
        ("１２", None),
        ("-1", None),
        ("1e3", None),
        ("1_000", None),
        ("2147483647", INT_MAX),
        ("2147483648", None),
        ("9" * 400, None),
        ("", None),
        (None, None),
        (True, None),
    ],
)
def test_whole_numbers_are_ascii_digits_within_the_integer_column(text, expected):
    assert whole_number(text) == expected


def test_signed_whole_numbers(app):
    assert whole_number("-5", -10, 10, signed=True) == -5
    assert whole_number("+5", -10, 10, signed=True) == 5
    assert whole_number("-11", -10, 10, signed=True) is None


def test_every_form_of_the_shop_derives_from_shop_form(app):
    wrong = [
        f"{form_class.__module__}.{form_class.__qualname__}"
        for form_class in _form_classes()
        if form_class.__module__.startswith("storefront.") and not issubclass(form_class, ShopForm)
    ]
    assert not wrong, "derive from storefront.site.forms.ShopForm:\n" + "\n".join(wrong)


class _NoteForm(ShopForm):
    class Meta:
        csrf = False

    note = StringField()
    scan = FileField()


def test_a_file_reaches_only_a_file_field_and_a_json_body_no_field(app):
    files = {"note": (io.BytesIO(b"x"), "a.txt"), "scan": (io.BytesIO(b"%PDF-1.4"), "a.pdf")}
    with app.test_request_context(method="POST", data=files):
        form = _NoteForm()
        assert form.note.data is None
        assert isinstance(form.scan.data, FileStorage)
    for body in ([1, 2], 7, {"note": "Mật\x00 ong"}):
        with app.test_request_context(method="POST", json=body):
            assert _NoteForm().note.data is None


class _NumbersForm(FlaskForm):
    class Meta:
        csrf = False

    count = WholeNumberField()
    price = VndField()
    producer_id = NumberSelectField(choices=[(1, "một")])


@pytest.mark.parametrize("bad", ["²", "١٢", "１２", "2147483648", "9" * 15, "-1", "1e3", "abc"])
def test_number_fields_turn_bad_input_into_a_message(app, bad):
    data = {"count": bad, "price": bad, "producer_id": bad}
    with app.test_request_context(method="POST", data=data):
        form = _NumbersForm()
        assert not form.validate()
        assert form.count.data is None and form.count.errors == ["Vui lòng nhập số nguyên."]
        assert form.price.data is None and form.price.errors == [NOT_AN_AMOUNT]
        assert form.producer_id.errors == ["Vui lòng chọn một mục trong danh sách."]


def test_number_fields_take_good_input(app):
    data = {"count": " 500 ", "price": "2.147.483.647 ₫", "producer_id": "1"}
    with app.test_request_context(method="POST", data=data):
        form = _NumbersForm()
        assert form.validate(), form.errors
        assert (form.count.data, form.price.data, form.producer_id.data) == (500, INT_MAX, 1)
