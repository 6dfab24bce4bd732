"""The fair report's business section, put together: the quote domain's fair figures as
rows of `fairs.report.BUSINESS_FIGURES`, and the offtake agreements signed through the
fair (meetings register their own in storefront.meetings.init_app).

A module above those domains, so that fairs imports none of them (tests/test_layering.py)
and none of them needs to know the report's row shape.
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


def agreement_rows(session: Session, fair_id: int) -> list[BusinessRow]:
    """Offtake agreements started from the fair's pages and signed, with their committed
    value and how many deliver outside the producer's province."""
    from storefront.offtake.report import fair_agreement_figures

    figures = fair_agreement_figures(session, fair_id)
    return [
        BusinessRow(
            "agreements_signed",
            N_("Hợp đồng bao tiêu đã ký qua hội chợ"),
            figures.signed,
            figures.outside,
            figures.committed_vnd,
        )
    ]


def init_app(app: Flask) -> None:
    """Register the quote and agreement rows of the fair report."""
    BUSINESS_FIGURES["quotes"] = quote_rows
    BUSINESS_FIGURES["agreements"] = agreement_rows
