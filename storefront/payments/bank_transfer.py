"""Bank transfer by VietQR: the shop's account from config, and what the buyer scans."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from storefront.orders.models import Order, PaymentStatus
from storefront.payments import vietqr

CODE = "bank_transfer"

# NAPAS BINs of banks buyers use most, to name the bank beside the account number.
BANK_NAMES = {
    "970436": "Vietcombank",
    "970415": "VietinBank",
    "970418": "BIDV",
    "970405": "Agribank",
    "970422": "MB Bank",
    "970407": "Techcombank",
    "970416": "ACB",
    "970432": "VPBank",
    "970423": "TPBank",
    "970403": "Sacombank",
}


@dataclass(frozen=True)
class BankAccount:
    bin: str
    number: str
    name: str
    is_demo: bool

    @property
    def bank_name(self) -> str:
        return BANK_NAMES.get(self.bin, f"BIN {self.bin}")


@dataclass(frozen=True)
class TransferDetails:
    """What the order page shows: the account in text, the amount, the note and the QR."""

    account: BankAccount
    amount_vnd: int
    note: str
    payload: str
    qr_svg: Markup


def bank_account(config: Mapping[str, Any]) -> BankAccount:
    return BankAccount(
        bin=config["BANK_BIN"],
        number=config["BANK_ACCOUNT_NUMBER"],
        name=config["BANK_ACCOUNT_NAME"],
        is_demo=config["BANK_ACCOUNT_IS_DEMO"],
    )


def is_available(config: Mapping[str, Any]) -> bool:
    """Offered everywhere except in production with the demo account still configured."""
    return not (config["STOREFRONT_ENV"] == "production" and config["BANK_ACCOUNT_IS_DEMO"])


def transfer_details(order: Order, config: Mapping[str, Any]) -> TransferDetails | None:
    """The transfer to make for an order still awaiting it (None otherwise). The amount is
    what is still due: parts the buyer cancelled are not charged."""
    if order.payment_method != CODE or order.payment_status != PaymentStatus.AWAITING:
        return None
    account = bank_account(config)
    amount = order.amount_due_vnd
    note = vietqr.transfer_purpose(order.number)
    payload = vietqr.build_payload(account.bin, account.number, amount, note)
    title = f"VietQR {account.bank_name} {account.number} {amount} VND {note}"
    return TransferDetails(account, amount, note, payload, vietqr.qr_svg(payload, title=title))
