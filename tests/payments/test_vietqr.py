"""VietQR payloads: CRC-16/CCITT-FALSE, the NAPAS fields, and published example payloads."""

from __future__ import annotations

import random
import re

import pytest

from storefront.payments.vietqr import (
    build_payload,
    crc16_ccitt_false,
    field,
    qr_svg,
    transfer_purpose,
)


@pytest.mark.parametrize(
    ("data", "crc"),
    [
        (b"123456789", 0x29B1),  # the catalogued check value of CRC-16/CCITT-FALSE
        (b"", 0xFFFF),  # nothing fed in: the initial value, no final XOR
        (b"A", 0xB915),
    ],
)
def test_crc16_ccitt_false_check_values(data, crc):
    assert crc16_ccitt_false(data) == crc


def bitwise_crc16_ccitt_false(data: bytes) -> int:
    """The CRC as the shop first wrote it, bit by bit: the reference for binascii's."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
            crc &= 0xFFFF
    return crc


def test_the_standard_library_crc_equals_the_bitwise_one_on_many_inputs():
    rng = random.Random(20251)
    inputs = [bytes([b]) for b in range(256)]
    inputs += [rng.randbytes(rng.randrange(1, 300)) for _ in range(500)]
    inputs += [
        build_payload("970436", "0011001234567", n, f"OC-{n}")[:-4].encode() for n in range(1, 200)
    ]
    for data in inputs:
        assert crc16_ccitt_false(data) == bitwise_crc16_ccitt_false(data), data


def tlv(tag: str, value: str) -> str:
    return tag + f"{len(value):02d}" + value


def test_the_payload_is_built_field_by_field_as_napas_specifies():
    account = tlv("00", "970436") + tlv("01", "0011001234567")
    merchant = tlv("00", "A000000727") + tlv("01", account) + tlv("02", "QRIBFTTA")
    body = (
        tlv("00", "01")
        + tlv("01", "12")
        + tlv("38", merchant)
        + tlv("53", "704")
        + tlv("54", "815000")
        + tlv("58", "VN")
        + tlv("62", tlv("08", "OC-2611-7K3F9Q"))
        + "6304"
    )
    expected = body + format(crc16_ccitt_false(body.encode()), "04X")
    assert build_payload("970436", "0011001234567", 815_000, "OC-2611-7K3F9Q") == expected
    assert expected.startswith("000201010212385")
    assert "0010A000000727" in expected and "0208QRIBFTTA" in expected
    assert "5303704" in expected and "5406815000" in expected and "5802VN" in expected
    assert "62180814OC-2611-7K3F9Q6304" in expected


# Payloads published by other VietQR implementations (README examples and test suites),
# each with its CRC computed by that implementation.
PUBLISHED = [
    (
        "970415",
        "0011001932418",
        120_000,
        "ung ho lu lut",
        "00020101021238570010A00000072701270006970415011300110019324180208QRIBFTTA5303704"
        "54061200005802VN62170813ung ho lu lut6304C15C",
    ),
    (
        "970416",
        "257678859",
        10_000,
        "Chuyen tien",
        "00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA5303704"
        "5405100005802VN62150811Chuyen tien630453E6",
    ),
    (
        "970422",
        "0023457923442",
        40_123,
        "test text string",
        "00020101021238570010A00000072701270006970422011300234579234420208QRIBFTTA5303704"
        "5405401235802VN62200816test text string6304D9C6",
    ),
    (
        "970422",
        "0337541878",
        20_000,
        "Buy me a coffee",
        "00020101021238540010A00000072701240006970422011003375418780208QRIBFTTA5303704"
        "5405200005802VN62190815Buy me a coffee6304EC1E",
    ),
    (  # static: no amount, no purpose
        "970423",
        "0099999999",
        None,
        "",
        "00020101021138540010A00000072701240006970423011000999999990208QRIBFTTA53037045802VN"
        "6304CBB4",
    ),
]


@pytest.mark.parametrize(("bin_", "account", "amount", "purpose", "payload"), PUBLISHED)
def test_published_example_payloads(bin_, account, amount, purpose, payload):
    assert build_payload(bin_, account, amount, purpose) == payload


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [
        (("97043", "0011"), {}),
        (("970436", ""), {}),
        (("970436", "12345678901234567890"), {}),
        (("970436", "0011"), {"amount": 0}),
        (("970436", "0011"), {"amount": -5}),
        (("970436", "0011"), {"purpose": "x" * 26}),
        (("970436", "0011"), {"purpose": "Đơn hàng"}),
    ],
)
def test_bad_inputs_are_refused(args, kwargs):
    with pytest.raises(ValueError):
        build_payload(*args, **kwargs)


def test_fields_longer_than_99_characters_cannot_be_encoded():
    with pytest.raises(ValueError):
        field("62", "x" * 100)


def test_the_transfer_note_is_plain_ascii_banks_accept():
    assert transfer_purpose("OC-2611-7K3F9Q") == "OC-2611-7K3F9Q"
    assert transfer_purpose("Đơn hàng OC-2611-7K3F9Q!") == "Don hang OC-2611-7K3F9Q"
    assert len(transfer_purpose("a" * 40)) == 25


def test_the_qr_is_an_inline_svg_without_style_attributes():
    svg = str(qr_svg(build_payload("970436", "0011", 1000, "OC-2611-7K3F9Q"), title="VietQR <x>"))
    assert svg.startswith("<svg") and svg.endswith("</svg>")
    assert "style" not in svg and "<script" not in svg
    assert "<title>VietQR &lt;x&gt;</title>" in svg


def test_the_qr_scales_as_a_whole_with_its_box():
    """A fixed-size drawing in a box CSS shrinks is cut off at the right and bottom:
    the code has a viewBox and leaves width and height to the page."""
    svg = str(qr_svg(build_payload("970436", "0011", 1000, "OC-2611-7K3F9Q")))
    opening = svg[: svg.index(">")]
    assert re.search(r'viewBox="0 0 (\d+) \1"', opening)
    assert " width=" not in opening and " height=" not in opening
