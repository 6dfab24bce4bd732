"""The demo quotes of `flask demo load`: one answered, one waiting, made once."""

from __future__ import annotations

from sqlalchemy import select

from storefront.accounts.demo import DEMO_PASSWORD
from storefront.business.demo import DEMO_BUSINESS_EMAIL
from storefront.quotes.models import Quote, QuoteState
from tests.accounts.helpers import log_in


def test_demo_load_makes_two_quotes_for_the_business_buyer_once(runner, client, session):
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "Quotes: 2 added" in first.output
    assert "Quotes: 0 added" in runner.invoke(args=["demo", "load"]).output
    quotes = list(session.execute(select(Quote).order_by(Quote.id)).scalars())
    assert [q.state for q in quotes] == [QuoteState.QUOTED, QuoteState.REQUESTED]
    assert log_in(client, DEMO_BUSINESS_EMAIL, DEMO_PASSWORD).status_code == 302
    mine = client.get("/account/quotes").text
    assert all(q.number in mine for q in quotes)
    answered = client.get(f"/account/quotes/{quotes[0].id}").text
    assert "Chấp nhận báo giá, đặt hàng" in answered
