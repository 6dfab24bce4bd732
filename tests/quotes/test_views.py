"""The quote pages through the test client: a business buyer asks from a fair booth, the
producer answers, the buyer accepts and the order shows on both sides; refused forms
keep what was typed and change nothing; every page is closed to everyone else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storefront.fairs import services as fair_services
from storefront.orders.models import Order, OrderPart
from storefront.quotes import services
from storefront.quotes.models import Quote, QuoteState
from storefront.timeutil import today_in_vietnam
from tests.accounts.helpers import log_in, make_member, make_user
from tests.conftest import csrf_token_from
from tests.factories import make_producer
from tests.fairs.helpers import make_fair
from tests.orders.helpers import HA_NOI, HA_NOI_WARD
from tests.quotes.helpers import answer, ask, make_business_buyer, quoted, scene

TOKEN = re.compile(r'name="token"[^>]*value="([^"]+)"')


def _signed_in(app, user):
    client = app.test_client()
    assert log_in(client, user.email).status_code == 302
    return client


def _ask_form(client, url: str) -> dict[str, str]:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return {
        "csrf_token": csrf_token_from(page.text),
        "token": TOKEN.search(page.text).group(1),
        "delivery_province_code": str(HA_NOI),
        "wanted_on": (today_in_vietnam() + timedelta(days=7)).isoformat(),
        "notes": "Cần hoá đơn VAT",
    }


def test_the_journey_from_a_fair_booth_to_an_order_on_both_sides(app, session):
    s = scene(session)
    organiser = make_user(session, role="organiser")
    fair = make_fair(session, organiser)
    exhibitor = fair_services.invite_exhibitor(session, fair, s.producer.id)
    fair_services.accept_invitation(session, exhibitor)
    session.commit()
    fair_page = app.test_client().get(f"/fairs/{fair.slug}")
    ask_url = f"/quotes/ask/{s.producer.slug}?fair={fair.slug}"
    assert ask_url.replace("?", "?").split("?")[0] in fair_page.text

    buyer = _signed_in(app, s.buyer)
    data = _ask_form(buyer, ask_url)
    data.update({f"qty-{s.honey}": "20", f"qty-{s.peanuts}": ""})
    sent = buyer.post(ask_url, data=data)
    assert sent.status_code == 303
    quote = services.quote_by_id(session, session.execute(select(Quote.id)).scalar_one())
    assert quote.fair_id == fair.id and quote.state == QuoteState.REQUESTED
    assert len(quote.current_lines) == 1
    again = buyer.post(ask_url, data=data)  # the same form twice: one quote
    assert again.status_code == 303
    assert session.execute(select(func.count()).select_from(Quote)).scalar() == 1
    assert quote.number in buyer.get("/account/quotes").text

    producer = _signed_in(app, s.member)
    listing = producer.get(f"/producer/{s.producer.id}/quotes")
    assert quote.number in listing.text
    detail_url = f"/producer/{s.producer.id}/quotes/{quote.id}"
    page = producer.get(detail_url)
    assert "Cần hoá đơn VAT" in page.text
    line = quote.current_lines[0]
    answered = producer.post(
        f"{detail_url}/answer",
        data={
            "csrf_token": csrf_token_from(page.text),
            "round": "1",
            f"price-{line.id}": "130.000",
            "shipping_fee": "40.000 ₫",
            "lead_time_days": "2",
            "valid_until": (today_in_vietnam() + timedelta(days=5)).isoformat(),
            "conditions": "Giao trong giờ hành chính",
        },
    )
    assert answered.status_code == 303
    session.expire_all()
    assert session.get(Quote, quote.id).state == QuoteState.QUOTED

    page = buyer.get(f"/account/quotes/{quote.id}")
    assert "130.000" in page.text and "Giao trong giờ hành chính" in page.text
    accepted = buyer.post(
        f"/account/quotes/{quote.id}/accept",
        data={
            "csrf_token": csrf_token_from(page.text),
            "round": "1",
            "contact_name": "Trần Văn Bình",
            "phone": "0912345678",
            "ward_code": str(HA_NOI_WARD),
            "street": "12 Phố Huế",
            "payment_method": "bank_transfer",
        },
    )
    assert accepted.status_code == 303
    order = session.execute(select(Order)).scalar_one()
    assert accepted.headers["Location"].endswith(f"/orders/{order.number}/placed")
    assert order.total_vnd == 130_000 * 20 + 40_000
    part = session.execute(select(OrderPart)).scalar_one()
    assert order.number in buyer.get("/account/quotes").text
    assert order.number in producer.get(f"/producer/{s.producer.id}/orders").text
    assert order.number in producer.get(detail_url).text
    assert producer.get(f"/producer/{s.producer.id}/orders/{part.id}").status_code == 200
    # A second tab accepts again: told so, still one order.
    twice = buyer.post(
        f"/account/quotes/{quote.id}/accept",
        data={
            "csrf_token": csrf_token_from(page.text),
            "round": "1",
            "contact_name": "Trần Văn Bình",
            "phone": "0912345678",
            "ward_code": str(HA_NOI_WARD),
            "street": "12 Phố Huế",
            "payment_method": "cod",
        },
    )
    assert twice.status_code == 303
    assert "đã được chấp nhận" in buyer.get(twice.headers["Location"]).text
    assert session.execute(select(func.count()).select_from(Order)).scalar() == 1


def test_a_refused_ask_shows_what_was_typed_and_makes_nothing(app, session):
    s = scene(session)
    session.commit()
    buyer = _signed_in(app, s.buyer)
    url = f"/quotes/ask/{s.producer.slug}"
    data = _ask_form(buyer, url)
    data.update({f"qty-{s.honey}": "nhiều", "notes": "ghi chú đã gõ"})
    refused = buyer.post(url, data=data)
    assert refused.status_code == 400
    assert "nhiều" in refused.text and "ghi chú đã gõ" in refused.text
    data[f"qty-{s.honey}"] = ""
    empty = buyer.post(url, data=data)  # nothing asked
    assert empty.status_code == 400 and "ít nhất một quy cách" in empty.text
    assert session.execute(select(func.count()).select_from(Quote)).scalar() == 0


def test_a_refused_answer_keeps_the_typed_prices(app, session):
    s = scene(session)
    quote = ask(session, s)
    session.commit()
    producer = _signed_in(app, s.member)
    url = f"/producer/{s.producer.id}/quotes/{quote.id}"
    page = producer.get(url)
    first, second = quote.current_lines
    refused = producer.post(
        f"{url}/answer",
        data={
            "csrf_token": csrf_token_from(page.text),
            "round": "1",
            f"price-{first.id}": "125.000",
            f"price-{second.id}": "",
            "shipping_fee": "0",
            "lead_time_days": "1",
            "valid_until": today_in_vietnam().isoformat(),
        },
    )
    assert refused.status_code == 400
    assert "125.000" in refused.text and "Vui lòng nhập đơn giá" in refused.text
    session.expire_all()
    assert session.get(Quote, quote.id).state == QuoteState.REQUESTED


def test_a_retail_buyer_is_sent_to_make_a_business_profile(app, session):
    s = scene(session)
    retail = make_user(session)
    session.commit()
    client = _signed_in(app, retail)
    for url in (f"/quotes/ask/{s.producer.slug}", "/account/quotes"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.headers["Location"].startswith("/account/business")


def test_pages_of_one_quote_are_closed_to_everyone_else(app, session):
    s = scene(session)
    quote = quoted(session, s)
    stranger = make_business_buyer(session)
    retail = make_user(session)
    admin = make_user(session, role="admin")
    other_member = make_member(session, make_producer(session))
    session.commit()
    buyer_urls = [f"/account/quotes/{quote.id}"]
    buyer_posts = [f"/account/quotes/{quote.id}/{a}" for a in ("accept", "ask-again", "messages")]
    producer_urls = [f"/producer/{s.producer.id}/quotes/{quote.id}"]
    producer_posts = [
        f"/producer/{s.producer.id}/quotes/{quote.id}/{a}"
        for a in ("answer", "decline", "messages")
    ]
    for user in (stranger, retail, admin, other_member, s.member):
        client = _signed_in(app, user)
        token = csrf_token_from(client.get("/account/").text)
        for url in buyer_urls:
            assert client.get(url).status_code == 404, (user.email, url)
        for url in buyer_posts:
            assert client.post(url, data={"csrf_token": token}).status_code == 404, url
    for user in (stranger, retail, admin, other_member, s.buyer):
        client = _signed_in(app, user)
        token = csrf_token_from(client.get("/account/").text)
        for url in producer_urls + [f"/producer/{s.producer.id}/quotes"]:
            assert client.get(url).status_code in (403, 404), (user.email, url)
        for url in producer_posts:
            assert client.post(url, data={"csrf_token": token}).status_code in (403, 404), url
    # The other producer's own id in the URL with this quote: still not theirs.
    client = _signed_in(app, other_member)
    own_id = other_member_producer_id(session, other_member)
    assert client.get(f"/producer/{own_id}/quotes/{quote.id}").status_code == 404
    # Admins read it (and the buyer's messages) on the admin pages.
    assert _signed_in(app, admin).get(f"/admin/quotes/{quote.id}").status_code == 200
    assert _signed_in(app, s.buyer).get(f"/admin/quotes/{quote.id}").status_code == 403
    assert session.get(Quote, quote.id).state == QuoteState.QUOTED


def other_member_producer_id(session, user) -> int:
    from storefront.accounts.models import ProducerMember

    return session.execute(
        select(ProducerMember.producer_id).where(ProducerMember.user_id == user.id)
    ).scalar_one()


def test_messages_are_shown_only_on_the_quote(app, session):
    s = scene(session)
    quote = ask(session, s)
    session.commit()
    buyer = _signed_in(app, s.buyer)
    page = buyer.get(f"/account/quotes/{quote.id}")
    token = TOKEN.search(page.text.split('action="/account/quotes/')[-1]).group(1)
    sent = buyer.post(
        f"/account/quotes/{quote.id}/messages",
        data={"csrf_token": csrf_token_from(page.text), "token": token, "body": "Bí mật giá sỉ"},
    )
    assert sent.status_code == 303
    producer = _signed_in(app, s.member)
    assert "Bí mật giá sỉ" in producer.get(f"/producer/{s.producer.id}/quotes/{quote.id}").text
    stranger = _signed_in(app, make_business_buyer(session))
    session.commit()
    assert "Bí mật giá sỉ" not in stranger.get("/account/quotes").text


@pytest.mark.parametrize("status", ["requested", "quoted", "nonsense"])
def test_the_producer_list_filters_by_state(app, session, status):
    s = scene(session)
    answer(session, s, ask(session, s))
    ask(session, s)
    session.commit()
    page = _signed_in(app, s.member).get(f"/producer/{s.producer.id}/quotes?status={status}")
    assert page.status_code == 200
    assert page.text.count("/quotes/") >= 1


def test_the_lists_take_a_fixed_number_of_statements(app, session, count_queries):
    s = scene(session)
    for _ in range(2):
        answer(session, s, ask(session, s))
    session.commit()
    buyer = _signed_in(app, s.buyer)
    producer = _signed_in(app, s.member)
    with count_queries() as few:
        buyer.get("/account/quotes")
        producer.get(f"/producer/{s.producer.id}/quotes")
    for _ in range(5):
        answer(session, s, ask(session, s))
    session.commit()
    with count_queries() as many:
        buyer.get("/account/quotes")
        producer.get(f"/producer/{s.producer.id}/quotes")
    assert many.count == few.count


def test_a_fair_where_the_producer_has_no_booth_is_neither_shown_nor_recorded(app, session):
    s = scene(session)
    from storefront.fairs.models import FairState

    draft = make_fair(session, make_user(session, role="organiser"), state=FairState.DRAFT)
    exhibitor = fair_services.invite_exhibitor(session, draft, s.producer.id)
    fair_services.accept_invitation(session, exhibitor)
    session.commit()
    buyer = _signed_in(app, s.buyer)
    url = f"/quotes/ask/{s.producer.slug}?fair={draft.slug}"
    data = _ask_form(buyer, url)
    assert draft.name not in buyer.get(url).text
    data[f"qty-{s.honey}"] = "3"
    assert buyer.post(url, data=data).status_code == 303
    assert session.execute(select(Quote.fair_id)).scalar_one() is None
