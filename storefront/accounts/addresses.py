"""Saved delivery addresses: a province and ward of the 2025 list, a street, a phone."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select, update

from storefront.accounts.models import Address, User
from storefront.accounts.services import AccountError
from storefront.errors import NotFound
from storefront.extensions import Session
from storefront.i18n import N_
from storefront.places import get_province, normalize_vn_phone, ward_in_province

MAX_ADDRESSES = 20


@dataclass(frozen=True)
class AddressData:
    recipient_name: str
    phone: str
    province_code: int
    ward_code: int
    street: str
    is_default: bool = False


def list_addresses(session: Session, user: User) -> list[Address]:
    """The account's addresses, the default one first."""
    return list(
        session.execute(
            select(Address)
            .where(Address.user_id == user.id)
            .order_by(Address.is_default.desc(), Address.id)
        ).scalars()
    )


def get_address(session: Session, user: User, address_id: int) -> Address:
    """One of the account's own addresses; NotFound for anyone else's."""
    address = session.get(Address, address_id)
    if address is None or address.user_id != user.id:
        raise NotFound(N_("Không tìm thấy địa chỉ."))
    return address


def _checked(data: AddressData) -> dict[str, object]:
    name, street = data.recipient_name.strip(), data.street.strip()
    if not name:
        raise AccountError(N_("Vui lòng nhập tên người nhận."))
    if not street:
        raise AccountError(N_("Vui lòng nhập số nhà, đường, thôn, bản."))
    phone = normalize_vn_phone(data.phone)
    if phone is None:
        raise AccountError(N_("Số điện thoại không hợp lệ."))
    if get_province(data.province_code) is None:
        raise AccountError(N_("Tỉnh, thành phố không hợp lệ."))
    if not ward_in_province(data.ward_code, data.province_code):
        raise AccountError(N_("Phường, xã không thuộc tỉnh, thành phố đã chọn."))
    return {
        "recipient_name": name[:120],
        "phone": phone,
        "province_code": data.province_code,
        "ward_code": data.ward_code,
        "street": street[:300],
    }


def _make_default(session: Session, user: User, address: Address) -> None:
    session.execute(
        update(Address)
        .where(Address.user_id == user.id, Address.id != address.id)
        .values(is_default=False)
    )
    address.is_default = True


def add_address(session: Session, user: User, data: AddressData) -> Address:
    """Save a new address; the first one (or one marked so) becomes the default."""
    count = session.execute(
        select(func.count()).select_from(Address).where(Address.user_id == user.id)
    ).scalar_one()
    if count >= MAX_ADDRESSES:
        raise AccountError(N_("Bạn đã lưu tối đa %(n)s địa chỉ."), n=MAX_ADDRESSES)
    address = Address(user_id=user.id, **_checked(data))
    session.add(address)
    session.flush()
    if data.is_default or count == 0:
        _make_default(session, user, address)
    session.flush()
    return address


def update_address(session: Session, user: User, address_id: int, data: AddressData) -> Address:
    """Change one of the account's addresses."""
    address = get_address(session, user, address_id)
    for key, value in _checked(data).items():
        setattr(address, key, value)
    if data.is_default:
        _make_default(session, user, address)
    session.flush()
    return address


def set_default_address(session: Session, user: User, address_id: int) -> None:
    """Deliver to this address unless the buyer picks another at checkout."""
    _make_default(session, user, get_address(session, user, address_id))
    session.flush()


def delete_address(session: Session, user: User, address_id: int) -> None:
    """Forget an address; if it was the default, the oldest remaining one takes over."""
    address = get_address(session, user, address_id)
    was_default = address.is_default
    session.delete(address)
    session.flush()
    if was_default:
        replacement = session.execute(
            select(Address).where(Address.user_id == user.id).order_by(Address.id).limit(1)
        ).scalar_one_or_none()
        if replacement is not None:
            replacement.is_default = True
            session.flush()
