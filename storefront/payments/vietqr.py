"""VietQR: the NAPAS EMVCo QR payload for a bank transfer, and its image as inline SVG.

The payload is a run of ID-length-value fields:

    00 "01"                       payload format indicator
    01 "12" | "11"                dynamic (with an amount) | static
    38 merchant account info:     00 "A000000727" (NAPAS GUID)
                                  01 beneficiary: 00 bank BIN, 01 account number
                                  02 "QRIBFTTA" (transfer to an account)
    53 "704"                      currency: VND
    54 amount                     whole dong, no separators
    58 "VN"                       country
    62 additional data:           08 purpose of the transfer (the order number)
    63 CRC                        CRC-16/CCITT-FALSE over everything before it, "6304" included
"""

from __future__ import annotations

import binascii
import re

import segno
from markupsafe import Markup

from storefront.text import strip_diacritics

NAPAS_GUID = "A000000727"
TRANSFER_TO_ACCOUNT = "QRIBFTTA"
CURRENCY_VND = "704"
MAX_PURPOSE = 25
_BIN = re.compile(r"[0-9]{6}")
_ACCOUNT = re.compile(r"[0-9A-Za-z]{1,19}")
_UNSAFE_PURPOSE = re.compile(r"[^0-9A-Za-z \-.]")


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: polynomial 0x1021, initial 0xFFFF, no reflection, no final XOR.

    binascii.crc_hqx is that CRC (polynomial 0x1021, MSB first) from the value given."""
    return binascii.crc_hqx(data, 0xFFFF)


def field(tag: str, value: str) -> str:
    """One EMVCo field: two-digit ID, two-digit length, value (at most 99 characters)."""
    if len(tag) != 2 or not tag.isdigit() or len(value) > 99:
        raise ValueError(f"cannot encode field {tag!r} of length {len(value)}")
    return f"{tag}{len(value):02d}{value}"


def transfer_purpose(text: str) -> str:
    """The transfer note as banks accept it: unaccented ASCII letters, digits, spaces,
    dashes and dots, at most 25 characters ("Đơn OC-2611-7K3F9Q" → "Don OC-2611-7K3F9Q")."""
    plain = _UNSAFE_PURPOSE.sub("", strip_diacritics(text))
    return " ".join(plain.split())[:MAX_PURPOSE].strip()


def build_payload(
    bank_bin: str, account_number: str, amount: int | None = None, purpose: str = ""
) -> str:
    """The VietQR payload for a transfer to a bank account; dynamic when it has an amount."""
    if not _BIN.fullmatch(bank_bin):
        raise ValueError("the bank BIN is 6 digits")
    if not _ACCOUNT.fullmatch(account_number):
        raise ValueError("the account number is 1 to 19 letters or digits")
    if amount is not None and not (isinstance(amount, int) and 0 < amount < 10**13):
        raise ValueError("the amount is a positive whole number of dong")
    if len(purpose) > MAX_PURPOSE or not purpose.isascii():
        raise ValueError("the purpose is at most 25 ASCII characters")
    beneficiary = field("00", bank_bin) + field("01", account_number)
    merchant = field("00", NAPAS_GUID) + field("01", beneficiary) + field("02", TRANSFER_TO_ACCOUNT)
    payload = field("00", "01") + field("01", "12" if amount else "11") + field("38", merchant)
    payload += field("53", CURRENCY_VND)
    if amount:
        payload += field("54", str(amount))
    payload += field("58", "VN")
    if purpose:
        payload += field("62", field("08", purpose))
    payload += "6304"
    return payload + f"{crc16_ccitt_false(payload.encode('ascii')):04X}"


def qr_svg(payload: str, title: str = "VietQR") -> Markup:
    """The payload as an inline <svg> QR code (no style attributes: allowed by the CSP).

    It has a viewBox and no width or height, so CSS sizes the whole drawing: with a fixed
    size, a box shrunk to fit a phone would cut off the code's right and bottom edges."""
    code = segno.make(payload, error="m", micro=False)
    svg = code.svg_inline(
        scale=1,
        border=4,
        omitsize=True,
        dark="#000",
        light="#fff",
        title=title,
        svgclass="vietqr",
        lineclass="vietqr-line",
    )
    return Markup(svg)  # noqa: S704 - segno's own markup; the title is escaped by segno
