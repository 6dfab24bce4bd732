"""The calendar file parses as RFC 5545 (with the `icalendar` library), keeps Vietnamese
text and its punctuation, folds long lines at 75 octets and states times in UTC."""

from __future__ import annotations

from datetime import UTC, datetime

import icalendar

from storefront.meetings.ics import CalendarEvent, calendar_file, escape_text, fold

NOW = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


def _event(**changes: object) -> CalendarEvent:
    values: dict[str, object] = {
        "uid": "meeting-7@ocop.example.vn",
        "sequence": 1,
        "starts_at": datetime(2026, 12, 3, 2, 0, tzinfo=UTC),  # 09:00 in Việt Nam
        "ends_at": datetime(2026, 12, 3, 2, 30, tzinfo=UTC),
        "summary": "Gặp gỡ giao thương: HTX Ong mật Mường Phăng – Siêu thị Xanh",
        "location": "Gian hàng HTX Ong mật, Hội chợ OCOP; Quảng trường 7/5, Điện Biên",
        "description": "Hội chợ: OCOP\nLời nhắn: cần 200 hộp, giao 3 đợt; hỏi giá sỉ \\ lẻ",
        "url": "",
    }
    values.update(changes)
    return CalendarEvent(**values)  # type: ignore[arg-type]


def test_the_file_parses_with_its_text_and_utc_times():
    event = _event()
    body = calendar_file(event, NOW)
    calendar = icalendar.Calendar.from_ical(body)
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == event.summary
    assert str(vevent["LOCATION"]) == event.location
    assert str(vevent["DESCRIPTION"]) == event.description
    assert vevent.decoded("DTSTART") == event.starts_at
    assert vevent.decoded("DTEND") == event.ends_at
    assert str(vevent["UID"]) == "meeting-7@ocop.example.vn"
    assert int(vevent["SEQUENCE"]) == 1
    assert str(vevent["STATUS"]) == "CONFIRMED"
    assert b"DTSTART:20261203T020000Z\r\n" in body


def test_lines_end_in_crlf_and_fold_at_75_octets_between_characters():
    body = calendar_file(_event(description="Mật ong hoa Ban " * 20), NOW)
    assert body.endswith(b"END:VCALENDAR\r\n")
    lines = body.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)
    assert b"\n" not in body.replace(b"\r\n", b"")
    for line in lines:
        line.decode("utf-8")  # no line splits a UTF-8 character
    assert any(line.startswith(b" ") for line in lines)


def test_an_online_meeting_has_its_link_and_a_cancelled_one_says_so():
    link = "https://meet.example.vn/ocop?room=12;x=1,2"
    body = calendar_file(_event(url=link, location=link, cancelled=True, sequence=2), NOW)
    [vevent] = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(vevent["URL"]) == link
    assert str(vevent["LOCATION"]) == link
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == 2


def test_text_escaping_and_folding_rules():
    assert escape_text("a,b;c\\d\r\ne") == "a\\,b\\;c\\\\d\\ne"
    folded = fold("X" * 80)
    assert folded == "X" * 75 + "\r\n " + "X" * 5
