"""The checkout draft: what the buyer last typed at checkout and what was refused, kept on
the cart between a POST and the GET it redirects to.

Every checkout POST (choosing a province, using a saved address, placing the order)
ends in a redirect, so the browser's history holds only GET pages: Back or refresh
never asks to resubmit a form. Values are kept as typed (text), never trusted: the GET
runs them through the form again, and placing the order checks everything anew.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

FIELDS = (
    "checkout_token",
    "saved_address",
    "contact_name",
    "phone",
    "email",
    "province_code",
    "ward_code",
    "street",
    "note",
    "payment_method",
    "invoice",
)
MAX_VALUE = 600  # longer than any field accepts, so a refusal still shows what was typed
MAX_MESSAGES = 5


def _text(value: object) -> str:
    return value[:MAX_VALUE] if isinstance(value, str) else ""


@dataclass(frozen=True)
class CheckoutDraft:
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)  # field name → messages
    message: str = ""  # a refusal about the whole order (a line sold out meanwhile)

    @classmethod
    def from_form(cls, form: Mapping[str, str]) -> CheckoutDraft:
        """The known fields of a submitted checkout form, as typed."""
        return cls({name: _text(form.get(name)) for name in FIELDS if name in form})

    @classmethod
    def from_json(cls, data: Any) -> CheckoutDraft | None:
        """Read back what to_json stored; None for anything else."""
        if not isinstance(data, dict) or not isinstance(data.get("values"), dict):
            return None
        values = {name: _text(data["values"].get(name)) for name in FIELDS}
        errors: dict[str, list[str]] = {}
        raw_errors = data.get("errors")
        if isinstance(raw_errors, dict):
            for name in FIELDS:
                messages = raw_errors.get(name)
                if isinstance(messages, list):
                    errors[name] = [_text(m) for m in messages[:MAX_MESSAGES] if _text(m)]
        return cls(values, {k: v for k, v in errors.items() if v}, _text(data.get("message")))

    def to_json(self) -> dict[str, Any]:
        return {"values": self.values, "errors": self.errors, "message": self.message}

    def refused(
        self, errors: Mapping[str, list[str]] | None = None, message: str = ""
    ) -> CheckoutDraft:
        """The same values with what was refused."""
        kept = {
            name: [str(m)[:MAX_VALUE] for m in list(messages)[:MAX_MESSAGES]]
            for name, messages in (errors or {}).items()
            if name in FIELDS and messages
        }
        return CheckoutDraft(dict(self.values), kept, message[:MAX_VALUE])

    @property
    def province_code(self) -> int | None:
        code = self.values.get("province_code", "")
        return int(code) if code.isdigit() and len(code) < 6 else None
