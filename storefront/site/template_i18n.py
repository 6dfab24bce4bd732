"""Templates with their constant texts translated once, when they are compiled.

Every `{{ _("Tìm") }}` in a template used to cost about 11 µs when rendered: Jinja's
i18n call, then Flask-Babel finding the request's locale and its catalogue. A listing
page makes some sixty such calls and a page of uncached cards over a hundred, a larger
share of a cold page than its SQL. The texts never change while the process runs, so
the app keeps one Jinja environment per language (overlays sharing the filters and
globals of the app's own), and in each a compile-time step replaces `_("literal")` by
its translation: a constant with no variables, a plain `%` formatting with them.
Everything else (`ngettext`, `_(variable)`, `tr`, `{% trans %}`) still translates when
rendered, through Flask-Babel, which follows `force_locale` (emails in the buyer's
language) because the environment is chosen by the locale in force at each render.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from babel.support import NullTranslations
from jinja2 import Environment, pass_eval_context
from jinja2.ext import Extension
from jinja2.lexer import Token, TokenStream
from jinja2.nodes import EvalContext
from markupsafe import Markup

TRANSLATED = "_translated"  # the global a folded call with variables becomes


@pass_eval_context
def translated(eval_ctx: EvalContext, text: str, **variables: Any) -> str:
    """What Jinja's newstyle gettext does with a translation it looked up: marked safe
    when autoescaping (translations may hold markup), then formatted with `variables`
    (their values escaped)."""
    rv: str = Markup(text) if eval_ctx.autoescape else text  # noqa: S704 - our catalogue
    return rv % variables


class FoldTranslations(Extension):
    """Replaces `_("literal"…)` by its translation in an environment that has
    `folding_translations` (the per-language overlays); leaves others alone."""

    def filter_stream(self, stream: TokenStream) -> Iterator[Token]:
        translations: NullTranslations | None = getattr(
            self.environment, "folding_translations", None
        )
        if translations is None:
            yield from stream
            return
        autoescape = self.environment.autoescape
        escaping = autoescape(stream.name) if callable(autoescape) else bool(autoescape)
        held: list[Token] = []
        for token in stream:
            held.append(token)
            if not _could_be_call(held):
                yield from held
                held = []
                continue
            if len(held) < 4:
                continue
            name, _paren, literal, after = held
            held = []
            message = translations.ugettext(literal.value)
            if after.type == "rparen":
                folded = _constant(message)
                if folded is not None:
                    yield from _constant_tokens(literal.lineno, folded, escaping)
                    continue
            elif after.type == "comma":
                yield Token(name.lineno, "name", TRANSLATED)
                yield _paren
                yield Token(literal.lineno, "string", message)
                yield after
                continue
            yield from (name, _paren, literal, after)
        yield from held


def _could_be_call(held: list[Token]) -> bool:
    """Whether the tokens held so far may still start `_("literal")` or `_("literal",`."""
    shapes = (("name", "_"), ("lparen", None), ("string", None))
    for token, (kind, value) in zip(held, shapes, strict=False):
        if token.type != kind or (value is not None and token.value != value):
            return False
    return len(held) <= 3 or held[3].type in ("rparen", "comma")


def _constant(message: str) -> str | None:
    """The text newstyle gettext renders for a call without variables (`% {}` turns
    "%%" into "%"), or None when it would raise, so that the call stays as it was."""
    try:
        return message % {}
    except (TypeError, ValueError, KeyError):
        return None


def _constant_tokens(lineno: int, text: str, escaping: bool) -> Iterator[Token]:
    """What gettext returned, as a constant: in an autoescaped template `("text"|safe)`,
    which Jinja folds at compile time into a Markup constant (rendered as is); else
    the plain string."""
    if not escaping:
        yield Token(lineno, "string", text)
        return
    yield Token(lineno, "lparen", "(")
    yield Token(lineno, "string", text)
    yield Token(lineno, "pipe", "|")
    yield Token(lineno, "name", "safe")
    yield Token(lineno, "rparen", ")")


def language_environment(
    base: Environment, translations: NullTranslations, cache_size: int = 400
) -> Environment:
    """An overlay of `base` whose templates have `translations`' texts folded in; its
    own template cache (base's compiled templates hold no folded texts)."""
    overlay = base.overlay(extensions=[FoldTranslations], cache_size=cache_size)
    overlay.folding_translations = translations  # type: ignore[attr-defined]
    return overlay
