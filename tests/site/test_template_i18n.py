"""Constant texts folded into each language's templates (storefront/site/template_i18n.py)
render exactly what gettext rendered at each call."""

from __future__ import annotations

from babel.support import NullTranslations
from flask import render_template_string
from flask_babel import force_locale
from jinja2 import Environment
from markupsafe import Markup

from storefront.site.template_i18n import language_environment, translated

SOURCE = (
    '{{ _("Tìm") }}|{{ _("Giỏ hàng") ~ name }}|{{ _("Trang %(n)s", n=n) }}|'
    '{{ _("Từ %(n)s sao", n=tag) }}|{{ _(word) }}|{{ _("100%%") }}'
)


def test_folded_texts_render_what_gettext_renders(app):
    values = {"name": "<b>", "n": 3, "tag": "<i>", "word": "Tìm"}
    for language in ("vi", "en"):
        with app.test_request_context("/"), force_locale(language):
            env = app.jinja_env
            assert getattr(env, "folding_translations", None) is not None
            folded = env.from_string(SOURCE).render(**values)
            plain = env.linked_to.from_string(SOURCE).render(**values)  # not folded
        assert folded == plain
        assert "&lt;b&gt;" in folded and "&lt;i&gt;" in folded and "|100%" in folded
    with app.test_request_context("/"), force_locale("en"):
        assert render_template_string('{{ _("Tìm") }}') == "Search"


def test_pages_show_the_language_asked_for(client):
    english = client.get("/products?lang=en").get_data(as_text=True)
    assert ">Search</button>" in english and "Tìm</button>" not in english
    vietnamese = client.get("/products?lang=vi").get_data(as_text=True)
    assert ">Tìm</button>" in vietnamese


def test_each_language_compiles_its_own_templates(app):
    with app.test_request_context("/"), force_locale("en"):
        english = app.jinja_env
        with force_locale("vi"):  # as emails in the buyer's language do
            assert app.jinja_env is not english
            assert render_template_string('{{ _("Tìm") }}') == "Tìm"
        assert render_template_string('{{ _("Tìm") }}') == "Search"
    with app.app_context():  # no request, no forced locale: the app's own environment
        assert getattr(app.jinja_env, "folding_translations", None) is None


def test_unfoldable_calls_are_left_to_gettext():
    base = Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    base.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    base.globals["_translated"] = translated
    with_variable = language_environment(base, NullTranslations())
    # "50%" % {} raises: the call stays a call, and raises when rendered, as before.
    source = '{{ _("đủ 50% sao") if broken else _("Tìm") }}'
    assert with_variable.from_string(source).render(broken=False) == "Tìm"
    text_only = Environment(autoescape=False, extensions=["jinja2.ext.i18n"])  # noqa: S701
    text_only.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    folded_text = language_environment(text_only, NullTranslations())
    # Without autoescaping a folded text is a plain string: joining it escapes nothing.
    assert folded_text.from_string('{{ _("Tìm") ~ "<b>" }}').render() == "Tìm<b>"
    assert not isinstance(folded_text.from_string('{{ _("Tìm") }}').render(), Markup)
