"""The fair report's offtake figures: signed agreements started through the fair."""

from __future__ import annotations

from storefront.fairs import services as fair_services
from storefront.offtake import services
from storefront.offtake.models import Side
from storefront.offtake.report import fair_agreement_figures
from storefront.timeutil import today_in_vietnam
from tests.accounts.helpers import make_user
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD, make_producer
from tests.fairs.helpers import make_fair
from tests.offtake.helpers import a_variant, make_business, terms

TODAY = today_in_vietnam()


def test_signed_agreements_their_value_and_the_share_outside_the_province(session, count_queries):
    producer = make_producer(session)  # in Điện Biên
    variant = a_variant(session, producer)
    fair = make_fair(session, make_user(session, role="organiser"))
    exhibitor = fair_services.invite_exhibitor(session, fair, producer.id)
    fair_services.accept_invitation(session, exhibitor)
    buyer = make_business(session)

    def agreement(province: int, ward: int, sign: bool = True) -> None:
        made = services.ask_for_agreement(
            session,
            buyer.id,
            variant.id,
            terms(province=province, ward=ward),
            TODAY,
            fair_id=fair.id,
        )
        if sign:
            services.accept(session, made, Side.PRODUCER, 1)

    agreement(86, 29242)  # to Vĩnh Long: outside
    agreement(DIEN_BIEN, DIEN_BIEN_WARD)  # inside
    agreement(86, 29242, sign=False)  # not signed: not counted
    services.ask_for_agreement(session, buyer.id, variant.id, terms(), TODAY)  # no fair
    session.commit()
    fair_id = fair.id
    with count_queries() as counted:
        figures = fair_agreement_figures(session, fair_id)
    assert counted.count == 1, counted.statements
    assert (figures.signed, figures.outside) == (2, 1)
    assert figures.committed_vnd == 2 * 60 * 120_000
    assert figures.outside_committed_vnd == 60 * 120_000
    assert figures.outside_share == 50
    assert fair_agreement_figures(session, fair_id + 1).signed == 0
