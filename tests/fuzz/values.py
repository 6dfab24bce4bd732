"""The values the fuzz walk sends: what a careless or hostile client types.

Every strategy here answers a `str` (or a file for file inputs): HTTP carries only text,
so "wrong types" means text where a number is expected, a number where a date is, a
file where text is, a repeated key where one value is, and the other way round.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from hypothesis import strategies as st
from PIL import Image

# Characters that str.isdigit() accepts and int() refuses (², ①, ⁵), or that int() turns
# into a number although they are not ASCII digits (١٢, １２).
UNICODE_DIGITS = ["²", "①", "⁵", "²³", "١٢", "１２", "৩", "߂", "𝟗", "٣٤٥", "Ⅻ", "½"]

# Whole numbers at and past the edges of a 32-bit and a 64-bit column, and things that
# look like numbers to someone but not to int().
NUMBERS = [
    "0",
    "1",
    "-1",
    "007",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "4294967296",
    "9223372036854775807",
    "9223372036854775808",
    "-9223372036854775809",
    "1" + "0" * 12,
    "1" + "0" * 30,
    "9" * 400,
    "1e9",
    "1_000",
    " 7 ",
    "+3",
    "0x1f",
    "NaN",
    "inf",
    "1.5",
    "1,5",
    "150.000",
    "1 000 000",
    "−5",
]

DATES = [
    "2025-02-29",
    "2025-13-01",
    "2025-00-10",
    "0000-01-01",
    "0001-01-01",
    "9999-12-31",
    "99999-01-01",
    "2025-06-01T25:61",
    "2025-06-01T10:00",
    "31/12/2025",
]

# NUL first: PostgreSQL text cannot hold it. The rest are C0 and C1 controls, DEL, and
# a few code points that are not controls but surprise text handling.
CONTROLS = ["\x00", "\x01", "\x07", "\x08", "\x0b", "\x0c", "\x1b", "\x1f", "\x7f", "\x85"]
ODD_TEXT = [
    "\u2028",
    "\ufeff",
    "\u202e",
    "\ufffd",
    "\U0001f36f",
    "Đ",
    "e\u0301",
    "%00",
    "../../etc/passwd",
    "<script>",
    "' OR 1=1 --",
]

# Just past the limits the shop's columns and forms have (String(120), (200), (300),
# notes of 1000, descriptions of 5000), and far past them.
LENGTHS = [65, 81, 121, 201, 255, 301, 1_001, 2_001, 5_001, 12_000]
FILLERS = ["x", "Đ", "9", "mật ong ", "\x00"]

_ALPHABET = st.characters(codec="utf-8", exclude_categories=["Cs"])


@st.composite
def _with_controls(draw: st.DrawFn) -> str:
    """Readable text with control characters spliced in."""
    text = draw(st.text(_ALPHABET, max_size=12))
    position = draw(st.integers(0, len(text)))
    control = draw(st.sampled_from(CONTROLS))
    return text[:position] + control + text[position:]


@st.composite
def _long(draw: st.DrawFn) -> str:
    length, filler = draw(st.sampled_from(LENGTHS)), draw(st.sampled_from(FILLERS))
    return (filler * length)[:length]


NUMERIC: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(UNICODE_DIGITS), st.sampled_from(NUMBERS), st.integers().map(str)
)
TEXTUAL: st.SearchStrategy[str] = st.one_of(
    _with_controls(), st.sampled_from(CONTROLS + ODD_TEXT), _long()
)
NASTY: st.SearchStrategy[str] = st.one_of(
    NUMERIC,
    TEXTUAL,
    st.sampled_from(DATES),
    st.text(_ALPHABET, max_size=20),
    st.just(""),
)
_LOOKS_NUMERIC = re.compile(r"[+-]?[0-9][0-9., ]*")
_LOOKS_LIKE_A_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}.*")


def spoiled(good: str) -> st.SearchStrategy[str]:
    """Something wrong in place of `good`: mostly trouble of its own kind (a bad number
    where a number goes, control characters or length where text goes), sometimes any."""
    if _LOOKS_LIKE_A_DATE.fullmatch(good):
        return st.one_of(st.sampled_from(DATES), NUMERIC, NASTY)
    if _LOOKS_NUMERIC.fullmatch(good):  # an id, a quantity, a price: or another one
        return st.one_of(NUMERIC, st.integers(1, 10**6).map(str), NASTY)
    return st.one_of(TEXTUAL, TEXTUAL, NASTY)


def value(candidates: list[str] | tuple[str, ...] = ()) -> st.SearchStrategy[str]:
    """One of `candidates` (an id that exists, an option the page offers) half of the
    time, and otherwise something spoiled of the same kind."""
    if not candidates:
        return NASTY
    return st.sampled_from(list(candidates)).flatmap(
        lambda good: st.one_of(st.just(good), spoiled(good))
    )


def _tiny_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "orange").save(buffer, "PNG")
    return buffer.getvalue()


TINY_PNG = _tiny_png()


@dataclass(frozen=True)
class Upload:
    """A file to send in a form (made into a stream for each request)."""

    data: bytes
    filename: str
    content_type: str

    def for_request(self) -> tuple[io.BytesIO, str, str]:
        return io.BytesIO(self.data), self.filename, self.content_type


GOOD_UPLOAD = Upload(b"", "", "application/octet-stream")  # no file chosen


def upload() -> st.SearchStrategy[Upload]:
    """A file for a file input: empty, junk, a truncated image or a tiny real one."""
    contents = st.one_of(
        st.just(b""),
        st.binary(max_size=64),
        st.just(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00"),  # a JPEG that stops after its header
        st.just(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"),
        st.just(TINY_PNG),
    )
    names = st.sampled_from(["photo.jpg", "scan.pdf", "a.csv", "", "\x00.png", "x" * 300])
    types = st.sampled_from(["image/jpeg", "image/png", "application/pdf", "text/csv"])
    return st.builds(Upload, contents, names, types)


def representatives(good: str) -> list[str]:
    """One value of each kind of trouble for a part whose good value is `good`: the
    systematic sweep tries each in each part of a request, the rest kept good."""
    if _LOOKS_LIKE_A_DATE.fullmatch(good):
        return ["2025-02-30", "9999-12-31", "99999-01-01"]
    if _LOOKS_NUMERIC.fullmatch(good):  # 2³¹ for PostgreSQL's integer, 10²⁰ for SQLite's
        return ["²", "-1", "2147483648", "1" + "0" * 20, "987654"]
    return ["Mật\x00ong\x07", "x" * 5_001, "²"]


# Raw bytes added to a query string as they are, past urlencode: broken percent escapes
# and UTF-8 that does not decode.
RAW_QUERY_TAILS = ["%ff%fe", "%c3%28", "%00=%00", "&&==&", "a=%", "%e2%82", "page=%ef%bc%91"]
