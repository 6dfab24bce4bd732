"""The meeting pages as people use them: a business buyer books from the fair page, the
exhibitor answers in the workspace, both download the calendar file; and who is refused
on every meeting route."""

from __future__ import annotations

from datetime import timedelta

import icalendar
import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from storefront.meetings import services
from storefront.meetings.models import Meeting, MeetingSlot, MeetingState, SlotState
from storefront.timeutil import utcnow
from tests.accounts.helpers import log_in
from tests.conftest import csrf_token_from
from tests.meetings.helpers import local_in, open_slot


def _client(app, email):  # type: ignore[no-untyped-def]
    client = app.test_client()
    assert log_in(client, email).status_code == 302
    return client


def _token(client: FlaskClient, path: str) -> str:
    return csrf_token_from(client.get(path).text)


def test_a_business_buyer_books_from_the_fair_page_and_the_exhibitor_accepts(app, session, world):
    slot = open_slot(session, world["exhibitor"], hours_ahead=30)
    session.commit()
    fair_page = app.test_client().get(f"/fairs/{world['fair'].slug}").text
    book_path = f"/meetings/slots/{slot.id}/book"
    assert book_path in fair_page
    assert "Lịch gặp giao thương" in fair_page

    buyer = _client(app, "sieuthi@example.vn")
    page = buyer.get(book_path)
    assert page.status_code == 200
    response = buyer.post(
        book_path, data={"note": "Cần 200 hộp mỗi tháng", "csrf_token": csrf_token_from(page.text)}
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/account/meetings")
    mine = buyer.get("/account/meetings").text
    assert "HTX Ong mật Mường Phăng" in mine and "Chờ chủ thể trả lời" in mine
    # The slot is gone from the fair page once booked.
    assert book_path not in app.test_client().get(f"/fairs/{world['fair'].slug}").text

    producer = _client(app, "htx@example.vn")
    workspace = f"/producer/{world['producer'].id}/meetings"
    page = producer.get(workspace).text
    assert "Siêu thị Xanh" in page and "Cần 200 hộp mỗi tháng" in page
    meeting = session.execute(select(Meeting)).scalar_one()
    response = producer.post(
        f"{workspace}/{meeting.id}/accept", data={"csrf_token": csrf_token_from(page)}
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Meeting, meeting.id).state == MeetingState.ACCEPTED

    for client, path in [
        (buyer, f"/account/meetings/{meeting.id}/calendar.ics"),
        (producer, f"{workspace}/{meeting.id}/calendar.ics"),
    ]:
        response = client.get(path)
        assert response.status_code == 200
        assert response.mimetype == "text/calendar"
        [event] = icalendar.Calendar.from_ical(response.data).walk("VEVENT")
        assert "Siêu thị Xanh" in str(event["SUMMARY"])

    # The buyer cancels before the start: the slot is bookable again.
    mine = buyer.get("/account/meetings").text
    response = buyer.post(
        f"/account/meetings/{meeting.id}/cancel", data={"csrf_token": csrf_token_from(mine)}
    )
    assert response.status_code == 302
    session.expire_all()
    assert session.get(Meeting, meeting.id).state == MeetingState.CANCELLED
    assert session.get(MeetingSlot, slot.id).state == SlotState.OPEN


def test_the_exhibitor_opens_a_slot_and_a_refused_form_keeps_what_was_typed(app, session, world):
    producer = _client(app, "htx@example.vn")
    workspace = f"/producer/{world['producer'].id}/meetings"
    token = _token(producer, workspace)
    start = local_in(3).strftime("%Y-%m-%dT%H:%M")
    form = {
        "csrf_token": token,
        "exhibitor_id": str(world["exhibitor"].id),
        "starts_local": start,
        "minutes": "30",
        "mode": "online",
        "link": "ftp://nowhere",
    }
    refused = producer.post(f"{workspace}/slots", data=form)
    assert refused.status_code == 400
    assert "https://" in refused.text and "ftp://nowhere" in refused.text
    form["link"] = "https://meet.example.vn/htx"
    assert producer.post(f"{workspace}/slots", data=form).status_code == 302
    slot = session.execute(select(MeetingSlot)).scalar_one()
    assert slot.link == "https://meet.example.vn/htx"
    # The same time again overlaps; another producer's booth is not a choice.
    assert producer.post(f"{workspace}/slots", data=form).status_code == 400
    form["exhibitor_id"] = str(world["other_exhibitor"].id)
    form["starts_local"] = local_in(8).strftime("%Y-%m-%dT%H:%M")
    assert producer.post(f"{workspace}/slots", data=form).status_code == 400
    assert session.execute(select(MeetingSlot.id)).scalars().all() == [slot.id]


def test_declining_needs_a_reason_on_the_page(app, session, world):
    slot = open_slot(session, world["exhibitor"])
    meeting = services.book_slot(session, slot.id, world["buyer"], "", utcnow())
    session.commit()
    producer = _client(app, "htx@example.vn")
    workspace = f"/producer/{world['producer'].id}/meetings"
    token = _token(producer, workspace)
    producer.post(f"{workspace}/{meeting.id}/decline", data={"csrf_token": token, "reason": ""})
    session.expire_all()
    assert session.get(Meeting, meeting.id).state == MeetingState.REQUESTED
    producer.post(
        f"{workspace}/{meeting.id}/decline", data={"csrf_token": token, "reason": "Kín lịch"}
    )
    session.expire_all()
    assert session.get(Meeting, meeting.id).state == MeetingState.DECLINED
    assert "Kín lịch" in _client(app, "sieuthi@example.vn").get("/account/meetings").text


# Who is refused -----------------------------------------------------------------------------


def _routes(world, slot, meeting):  # type: ignore[no-untyped-def]
    producer = world["producer"].id
    return {
        "buyer": [
            ("GET", "/account/meetings"),
            ("GET", f"/meetings/slots/{slot.id}/book"),
            ("POST", f"/meetings/slots/{slot.id}/book"),
            ("POST", f"/account/meetings/{meeting.id}/cancel"),
            ("GET", f"/account/meetings/{meeting.id}/calendar.ics"),
        ],
        "producer": [
            ("GET", f"/producer/{producer}/meetings"),
            ("POST", f"/producer/{producer}/meetings/slots"),
            ("POST", f"/producer/{producer}/meetings/slots/{slot.id}/close"),
            ("POST", f"/producer/{producer}/meetings/{meeting.id}/accept"),
            ("POST", f"/producer/{producer}/meetings/{meeting.id}/decline"),
            ("POST", f"/producer/{producer}/meetings/{meeting.id}/cancel"),
            ("GET", f"/producer/{producer}/meetings/{meeting.id}/calendar.ics"),
        ],
    }


@pytest.fixture
def booked(session, world):  # type: ignore[no-untyped-def]
    slot = open_slot(session, world["exhibitor"], hours_ahead=30)
    meeting = services.book_slot(session, slot.id, world["buyer"], "", utcnow())
    services.accept_meeting(session, meeting, utcnow())
    session.commit()
    return slot, meeting


def _unchanged(session, slot, meeting):  # type: ignore[no-untyped-def]
    session.expire_all()
    assert session.get(Meeting, meeting.id).state == MeetingState.ACCEPTED
    assert session.get(MeetingSlot, slot.id).state == SlotState.BOOKED
    assert session.execute(select(MeetingSlot.id)).scalars().all() == [slot.id]


def test_anonymous_visitors_are_sent_to_sign_in(app, session, world, booked):
    slot, meeting = booked
    client = app.test_client()
    token = _token(client, "/account/login")
    for method, path in [r for routes in _routes(world, *booked).values() for r in routes]:
        data = None if method == "GET" else {"csrf_token": token}
        response = client.open(path, method=method, data=data)
        assert response.status_code == 302, (method, path)
        assert "/account/login" in response.headers["Location"], (method, path)
    _unchanged(session, slot, meeting)


def test_a_retail_buyer_is_sent_to_make_a_business_profile(app, session, world, booked):
    slot, meeting = booked
    client = _client(app, "le@example.vn")
    token = _token(client, "/account/")
    for method, path in _routes(world, *booked)["buyer"]:
        data = None if method == "GET" else {"csrf_token": token}
        response = client.open(path, method=method, data=data)
        assert response.status_code == 302, (method, path)
        assert "/account/business" in response.headers["Location"], (method, path)
    for method, path in _routes(world, *booked)["producer"]:
        data = None if method == "GET" else {"csrf_token": token}
        assert client.open(path, method=method, data=data).status_code == 403, path
    _unchanged(session, slot, meeting)


def test_another_business_buyer_cannot_touch_someone_elses_meeting(app, session, world, booked):
    slot, meeting = booked
    client = _client(app, "nhahang@example.vn")
    token = _token(client, "/account/")
    assert client.get(f"/account/meetings/{meeting.id}/calendar.ics").status_code == 404
    response = client.post(f"/account/meetings/{meeting.id}/cancel", data={"csrf_token": token})
    assert response.status_code == 404
    assert "Siêu thị Xanh" not in client.get("/account/meetings").text
    # The taken slot's page says it is no longer bookable, and booking it is refused.
    page = client.get(f"/meetings/slots/{slot.id}/book")
    assert "không còn nhận đặt lịch" in page.text
    response = client.post(f"/meetings/slots/{slot.id}/book", data={"csrf_token": token})
    assert response.status_code == 400
    for method, path in _routes(world, *booked)["producer"]:
        data = None if method == "GET" else {"csrf_token": token}
        assert client.open(path, method=method, data=data).status_code == 403, path
    _unchanged(session, slot, meeting)


def test_the_exhibitor_of_another_booth_gets_404(app, session, world, booked):
    slot, meeting = booked
    client = _client(app, "che@example.vn")  # exhibits at the same fair, another booth
    token = _token(client, "/account/")
    own = world["other_producer"].id
    for method, path in _routes(world, *booked)["producer"]:
        data = None if method == "GET" else {"csrf_token": token}
        assert client.open(path, method=method, data=data).status_code == 404, path
        # Under its own producer id, the other booth's slot and meeting are still 404.
        mine = path.replace(f"/producer/{world['producer'].id}/", f"/producer/{own}/")
        if mine.endswith("/meetings") or mine.endswith("/slots"):
            continue
        assert client.open(mine, method=method, data=data).status_code == 404, mine
    for method, path in _routes(world, *booked)["buyer"]:
        data = None if method == "GET" else {"csrf_token": token}
        response = client.open(path, method=method, data=data)
        assert response.status_code in (302, 403, 404), path
        if response.status_code == 302:
            assert "/account/business" in response.headers["Location"]
    _unchanged(session, slot, meeting)


def test_draft_fair_slots_are_not_found(app, session, world):
    from storefront.fairs import services as fair_services
    from storefront.fairs.models import FairState

    slot = open_slot(session, world["exhibitor"])
    fair_services.set_state(session, world["fair"], FairState.DRAFT)
    session.commit()
    client = _client(app, "sieuthi@example.vn")
    assert client.get(f"/meetings/slots/{slot.id}/book").status_code == 404
    assert client.get("/meetings/slots/999999/book").status_code == 404


# Statement counts -----------------------------------------------------------------------------


def test_the_pages_take_a_fixed_number_of_statements(app, session, world, count_queries):
    buyer = _client(app, "sieuthi@example.vn")
    producer = _client(app, "htx@example.vn")
    paths = [
        (buyer, "/account/meetings"),
        (producer, f"/producer/{world['producer'].id}/meetings"),
        (app.test_client(), f"/fairs/{world['fair'].slug}"),
    ]

    def counts() -> list[int]:
        found = []
        for client, path in paths:
            with count_queries() as counter:
                assert client.get(path).status_code == 200
            found.append(counter.count)
        return found

    first = open_slot(session, world["exhibitor"], hours_ahead=3)
    services.book_slot(session, first.id, world["buyer"], "", utcnow())
    open_slot(session, world["other_exhibitor"], hours_ahead=3)
    session.commit()
    small = counts()
    for n in range(4):
        open_slot(session, world["exhibitor"], hours_ahead=5 + n)
        open_slot(session, world["other_exhibitor"], hours_ahead=5 + n)
    later = open_slot(session, world["other_exhibitor"], hours_ahead=12)
    meeting = services.book_slot(session, later.id, world["buyer"], "", utcnow())
    services.decline_meeting(session, meeting, "Kín lịch", utcnow())
    again = services.book_slot(session, later.id, world["other_buyer"], "", utcnow())
    services.accept_meeting(session, again, utcnow() - timedelta(seconds=1))
    session.commit()
    assert counts() == small
