"""A meeting as an iCalendar file (RFC 5545), for the buyer's and the exhibitor's calendars.

Written by hand: one VEVENT needs a few properties, and each rule that matters is here:
lines end in CRLF (3.1), are folded at 75 octets without splitting a UTF-8 character
(3.1), TEXT values escape backslash, semicolon, comma and newlines (3.3.11), and times
are UTC with a trailing Z (3.3.5, form #2), so no VTIMEZONE is needed. No METHOD: the
file is something to import, not an iTIP invitation (RFC 5546 would require an ORGANIZER
and ATTENDEEs with addresses we do not share). A cancelled meeting is the same UID with
a higher SEQUENCE and STATUS:CANCELLED, which calendars apply to the event they hold.
tests/meetings/test_ics.py parses the output with the `icalendar` library.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

PRODID = "-//OCOP Storefront//Gap go giao thuong//VI"
MAX_OCTETS = 75


@dataclass(frozen=True)
class CalendarEvent:
    uid: str
    sequence: int
    starts_at: datetime  # aware
    ends_at: datetime  # aware
    summary: str
    location: str
    description: str
    url: str = ""
    cancelled: bool = False


def escape_text(value: str) -> str:
    """A TEXT value: backslash, semicolon and comma escaped, newlines as \\n."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def utc_stamp(moment: datetime) -> str:
    """A DATE-TIME in UTC: 20261203T020000Z (naive means UTC, as SQLite returns it)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def fold(line: str) -> str:
    """A content line folded into pieces of at most 75 octets joined by CRLF + space,
    each break between whole UTF-8 characters."""
    pieces: list[str] = []
    current, size = "", 0
    limit = MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            pieces.append(current)
            current, size = "", 0
            limit = MAX_OCTETS - 1  # continuation lines start with the folding space
        current += char
        size += width
    pieces.append(current)
    return "\r\n ".join(pieces)


def calendar_file(event: CalendarEvent, now: datetime) -> bytes:
    """The .ics bytes (UTF-8) of one event."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"SEQUENCE:{event.sequence}",
        f"DTSTAMP:{utc_stamp(now)}",
        f"DTSTART:{utc_stamp(event.starts_at)}",
        f"DTEND:{utc_stamp(event.ends_at)}",
        f"SUMMARY:{escape_text(event.summary)}",
        f"LOCATION:{escape_text(event.location)}",
        f"DESCRIPTION:{escape_text(event.description)}",
    ]
    if event.url:
        lines.append(f"URL:{event.url}")  # a URI value: not TEXT-escaped
    lines += [
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        "TRANSP:OPAQUE",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return ("".join(fold(line) + "\r\n" for line in lines)).encode("utf-8")
