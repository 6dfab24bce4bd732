"""The base of every form in the shop: FlaskForm, with what a request posts made safe.

Flask-WTF gives a form `request.files` and `request.form` together, files first, and a
JSON body as it was parsed: a file posted under a text field's name reached the field
(and `.strip()`) as a FileStorage, and a JSON list or number failed inside Flask-WTF,
both as 500s. Here a file reaches only a file field, a JSON body is no form post, and
every value is cleaned as request.form is (storefront/site/inputs.py).
tests/site/test_inputs.py checks that every form of the shop derives from ShopForm.
"""

from __future__ import annotations

from typing import Any

from flask import request
from flask_wtf import FlaskForm
from flask_wtf.form import _Auto  # Flask-WTF's "read the request" marker (pinned 1.2.2)
from werkzeug.datastructures import FileStorage
from wtforms import FileField, MultipleFileField

from storefront.site.inputs import CleanMultiDict


class ShopForm(FlaskForm):
    class Meta(FlaskForm.Meta):
        def wrap_formdata(self, form: Any, formdata: Any) -> Any:
            if formdata is _Auto and request.is_json:
                return None  # the shop's forms are HTML forms: nothing was filled in
            data = super().wrap_formdata(form, formdata)
            if data is None:
                return None
            files = {f.name for f in form if isinstance(f, FileField | MultipleFileField)}
            return CleanMultiDict(
                [
                    (name, value)
                    for name, value in data.items(multi=True)
                    if not isinstance(value, FileStorage) or name in files
                ]
            )
