"""Templates read the environment's globals directly (storefront/site/template_env.py),
in the app's environment and in each language's, and still render as Jinja renders."""

from __future__ import annotations

import pytest
from flask import Flask, render_template_string
from flask_babel import force_locale


@pytest.mark.parametrize("language", [None, "vi", "en"])
def test_a_page_template_reads_the_environment_globals_without_a_layer(app: Flask, language):
    with app.test_request_context("/"):
        if language is None:
            env = app.jinja_env
        else:
            with force_locale(language):
                env = app.jinja_env
                assert getattr(env, "folding_translations", None) is not None
        for name in ("catalog/product.html", "_prices.html", "base.html"):
            assert env.get_template(name).globals is env.globals


def test_a_global_registered_later_is_seen_and_macros_still_import(
    app: Flask, monkeypatch: pytest.MonkeyPatch
):
    source = '{% from "_macros.html" import star_badge %}{{ late }}|{{ star_badge(4) }}'
    with app.test_request_context("/"):
        render_template_string(source, late="")  # compiled and cached before the global
        monkeypatch.setitem(app.jinja_env.globals, "late", "registered later")
        rendered = render_template_string(source)
    assert rendered.startswith("registered later|") and "4" in rendered


def test_a_template_given_globals_of_its_own_keeps_them_to_itself(app: Flask):
    with app.test_request_context("/"):
        env = app.jinja_env
        own = env.from_string("{{ only_here }}|{{ url_for('catalog.home') }}", {"only_here": 1})
        assert own.render() == "1|/"
        assert "only_here" not in env.globals
        assert env.from_string("{{ only_here is defined }}").render() == "False"
