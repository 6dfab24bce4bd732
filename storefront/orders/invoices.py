"""Invoice details (hóa đơn) of an order placed by a business buyer: company name, tax
code and invoice address, copied onto the order at placement so a later change of the
buyer's profile never rewrites an invoice already asked for.

Orders do not know where business profiles live: the business domain registers the
function that reads them (storefront/business/__init__.py), as fairs feed prices in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from storefront.extensions import Session


@dataclass(frozen=True)
class InvoiceDetails:
    """What the invoice is made out to."""

    company_name: str
    tax_code: str
    address: str


InvoiceSource = Callable[[Session, int], InvoiceDetails | None]
_SOURCE: list[InvoiceSource] = []


def register_invoice_source(source: InvoiceSource) -> None:
    """Read invoice details of an account with `source` (registering again replaces it)."""
    _SOURCE[:] = [source]


def invoice_details_for(session: Session, user_id: int | None) -> InvoiceDetails | None:
    """The invoice details the account could ask for, or None (no account, no profile)."""
    if user_id is None or not _SOURCE:
        return None
    return _SOURCE[0](session, user_id)
