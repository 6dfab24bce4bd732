"""The fair report's business section, put together: the quote domain's fair figures as
rows of `fairs.report.BUSINESS_FIGURES` (meetings register their own in
storefront.meetings.init_app; offtake agreements join here once they are merged).

A module above those domains, so that fairs imports none of them (tests/test_layering.py)
and the quote domain need not know the report's row shape.
"""

from __future__ import annotations

from flask import Flask

from storefront.extensions import Session
from storefront.fairs.report import BUSINESS_FIGURES, BusinessRow
from storefront.i18n import N_


def quote_rows(session: Session, fair_id: int) -> list[BusinessRow]:
    """Quotes asked from the fair's booths, and those accepted with their value."""
    from storefront.quotes.report import fair_quote_figures

    figures = fair_quote_figures(session, fair_id)
    return [
        BusinessRow(
            "quotes_asked", N_("Yêu cầu báo giá từ gian hàng"), figures.asked, figures.asked_outside
        ),
        BusinessRow(
            "quotes_accepted",
            N_("Báo giá được chấp nhận"),
            figures.accepted,
            figures.accepted_outside,
            figures.accepted_value_vnd,
        ),
    ]


def init_app(app: Flask) -> None:
    """Register the quote rows of the fair report."""
    BUSINESS_FIGURES["quotes"] = quote_rows
