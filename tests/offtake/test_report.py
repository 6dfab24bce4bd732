"""The fair report's offtake figures: signed agreements started through the fair."""

from __future__ import annotations

from storefront.fairs import services as fair_services
from storefront.offtake import services
from storefront.offtake.models import Side
from storefront.offtake.report import fair_agreement_figures
from storefront.timeutil import today_in_vietnam as today
from tests.accounts.helpers import make_user
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD, make_producer
from tests.fairs.helpers import make_fair
from tests.offtake.helpers import a_variant, make_business, terms


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
            today(),
            fair_id=fair.id,
        )
        if sign:
            services.accept(session, made, Side.PRODUCER, 1)

    agreement(86, 29242)  # to Vĩnh Long: outside
    agreement(DIEN_BIEN, DIEN_BIEN_WARD)  # inside
    agreement(86, 29242, sign=False)  # not signed: not counted
    services.ask_for_agreement(session, buyer.id, variant.id, terms(), today())  # no fair
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


def test_the_fair_report_shows_the_agreement_row_on_the_page_and_in_the_csv(app, session):
    from storefront.fairs.report import business_section
    from tests.accounts.helpers import log_in

    producer = make_producer(session)
    variant = a_variant(session, producer)
    fair = make_fair(session, make_user(session, role="organiser", email="btc@example.vn"))
    exhibitor = fair_services.invite_exhibitor(session, fair, producer.id)
    fair_services.accept_invitation(session, exhibitor)
    buyer = make_business(session)
    made = services.ask_for_agreement(
        session, buyer.id, variant.id, terms(), today(), fair_id=fair.id
    )
    services.accept(session, made, Side.PRODUCER, 1)
    session.commit()
    fair_id = fair.id
    rows = {row.key: row for row in business_section(session, fair_id)}
    signed = rows["agreements_signed"]
    assert (signed.count, signed.outside_share, signed.value_vnd) == (1, 100, 60 * 120_000)
    assert list(rows)[-1] == "agreements_signed"  # after meetings and quotes
    client = app.test_client()
    assert log_in(client, "btc@example.vn").status_code == 302
    page = client.get(f"/fairs/manage/{fair_id}/report").text
    assert "Hợp đồng bao tiêu đã ký qua hội chợ" in page
    csv = client.get(f"/fairs/manage/{fair_id}/report.csv").data.decode("utf-8-sig")
    assert f"agreements_signed,1,100,{60 * 120_000}" in csv
