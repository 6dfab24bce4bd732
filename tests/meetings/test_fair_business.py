"""The fair report's business section with every domain wired in (storefront/fair_business.py):
a quote asked and accepted at a booth and a meeting held appear as rows, in the report's
order, on the page and in its CSV."""

from __future__ import annotations

from storefront.fairs import services as fair_services
from storefront.fairs.report import business_section
from storefront.meetings import services as meetings
from storefront.quotes import services as quotes
from storefront.timeutil import utcnow
from tests.accounts.helpers import log_in, make_user
from tests.fairs.helpers import make_fair
from tests.meetings.helpers import open_slot
from tests.quotes.helpers import acceptance, answer, ask, scene


def test_quotes_and_meetings_make_the_business_rows(app, session):
    s = scene(session)
    organiser = make_user(session, role="organiser", email="btc@example.vn")
    fair = make_fair(session, organiser)
    exhibitor = fair_services.invite_exhibitor(session, fair, s.producer.id)
    fair_services.accept_invitation(session, exhibitor)
    session.commit()
    at_fair = ask(session, s, fair_id=fair.id)
    answer(session, s, at_fair, price=100_000, shipping=10_000)
    quotes.accept_quote(session, s.buyer.id, at_fair.id, 1, acceptance(), utcnow())
    ask(session, s, fair_id=fair.id)  # asked, not answered
    slot = open_slot(session, exhibitor, hours_ahead=2)
    meeting = meetings.book_slot(session, slot.id, s.buyer, "", utcnow())
    meetings.accept_meeting(session, meeting, utcnow())
    session.commit()

    rows = {row.key: row for row in business_section(session, fair.id)}
    assert list(rows)[:4] == ["meetings_held", "meetings_ahead", "quotes_asked", "quotes_accepted"]
    assert (rows["quotes_asked"].count, rows["quotes_asked"].outside_share) == (2, 100)
    accepted = rows["quotes_accepted"]
    assert (accepted.count, accepted.value_vnd) == (1, 100_000 * 70)
    assert rows["meetings_ahead"].count == 1

    client = app.test_client()
    assert log_in(client, "btc@example.vn").status_code == 302
    page = client.get(f"/fairs/manage/{fair.id}/report").text
    assert "Yêu cầu báo giá từ gian hàng" in page and "Báo giá được chấp nhận" in page
    csv = client.get(f"/fairs/manage/{fair.id}/report.csv").data.decode("utf-8-sig")
    assert "quotes_asked,2,100," in csv
    assert f"quotes_accepted,1,100,{100_000 * 70}" in csv
