"""The quotes' rows of a fair report: quotes asked from the fair's booths and accepted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select

from storefront.catalog.models import Producer
from storefront.extensions import Session
from storefront.orders.reach import outside
from storefront.quotes.models import Quote, QuoteLine, QuoteState


@dataclass(frozen=True)
class FairQuoteFigures:
    asked: int  # quotes asked from the fair's booths
    asked_outside: int  # of which delivered to another province than the producer's
    accepted: int  # of those, accepted (each became an order)
    accepted_value_vnd: int  # goods at the quoted prices, without shipping
    accepted_outside: int

    @property
    def outside_share(self) -> int:
        """Percent of the quotes asked by buyers outside the producer's province."""
        return round(100 * self.asked_outside / self.asked) if self.asked else 0

    @property
    def accepted_outside_share(self) -> int:
        """Percent of the accepted quotes delivered outside the producer's province."""
        return round(100 * self.accepted_outside / self.accepted) if self.accepted else 0


def fair_quote_figures(session: Session, fair_id: int) -> FairQuoteFigures:
    """Quotes asked from the fair's booths and what was accepted (one query)."""
    value = (
        select(
            QuoteLine.quote_id,
            func.sum(QuoteLine.unit_price_vnd * QuoteLine.quantity).label("value"),
        )
        .join(Quote, and_(Quote.id == QuoteLine.quote_id, Quote.round == QuoteLine.round))
        .where(Quote.fair_id == fair_id, Quote.state == QuoteState.ACCEPTED)
        .group_by(QuoteLine.quote_id)
        .subquery()
    )
    rows = session.execute(
        select(Quote.state, Quote.delivery_province_code, Producer.province_code, value.c.value)
        .join(Producer, Producer.id == Quote.producer_id)
        .outerjoin(value, value.c.quote_id == Quote.id)
        .where(Quote.fair_id == fair_id)
    ).all()
    asked = asked_outside = accepted = accepted_outside = accepted_value = 0
    for state, destination, origin, amount in rows:
        away = outside(origin, destination)
        asked += 1
        asked_outside += away
        if state == QuoteState.ACCEPTED:
            accepted += 1
            accepted_outside += away
            accepted_value += int(amount or 0)
    return FairQuoteFigures(asked, asked_outside, accepted, accepted_value, accepted_outside)
