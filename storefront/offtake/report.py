"""What offtake agreements signed through a fair add to its report (the fair's
business section): how many, what they commit, and how far the buyers are."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from storefront.extensions import Session
from storefront.offtake.models import AgreementState, OfftakeAgreement
from storefront.orders.reach import is_outside

SIGNED = (AgreementState.ACTIVE, AgreementState.COMPLETED)


@dataclass(frozen=True)
class FairAgreementFigures:
    signed: int  # agreements started from the fair's pages and signed
    committed_vnd: int  # their committed value (deliveries at the agreed prices)
    outside: int  # of them, delivering outside the producer's province
    outside_committed_vnd: int

    @property
    def outside_share(self) -> int:
        """Percent of the signed agreements going outside the producer's province."""
        return round(100 * self.outside / self.signed) if self.signed else 0


def fair_agreement_figures(session: Session, fair_id: int) -> FairAgreementFigures:
    """The fair's signed agreements (attributed when started from its pages to an
    accepted exhibitor), in one query. "Outside" is the shop's one rule
    (storefront/orders/reach.py): delivery province ≠ the producer's at signing."""
    far = is_outside(
        OfftakeAgreement.__table__.c.origin_province_code,
        OfftakeAgreement.__table__.c.province_code,
    )
    signed, committed, outside, outside_value = session.execute(
        select(
            func.count(OfftakeAgreement.id),
            func.coalesce(func.sum(OfftakeAgreement.committed_vnd), 0),
            func.coalesce(func.sum(case((far, 1), else_=0)), 0),
            func.coalesce(func.sum(case((far, OfftakeAgreement.committed_vnd), else_=0)), 0),
        ).where(OfftakeAgreement.fair_id == fair_id, OfftakeAgreement.state.in_(SIGNED))
    ).one()
    return FairAgreementFigures(int(signed), int(committed), int(outside), int(outside_value))
