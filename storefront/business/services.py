"""Business profiles: read and save the company behind an account, validated."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from storefront.business.models import BusinessProfile
from storefront.business.taxcode import normalize_tax_code
from storefront.errors import DomainError
from storefront.extensions import Session, db
from storefront.i18n import N_
from storefront.orders.invoices import InvoiceDetails
from storefront.places import get_province, get_ward, normalize_vn_phone, ward_in_province


class BusinessError(DomainError):
    """A business profile the shop refuses to save."""


class InvalidTaxCode(BusinessError):
    """The tax code is not 10 digits (or 10 + branch) with a right check digit."""


@dataclass(frozen=True)
class BusinessProfileData:
    """What the profile form submits, as plain values."""

    name: str
    tax_code: str
    province_code: int
    ward_code: int
    address_line: str
    contact_name: str
    contact_phone: str
    buys: str = ""


def business_profile_for(user_id: int, session: Session | None = None) -> BusinessProfile | None:
    """The account's business profile, or None for a retail-only account."""
    return (
        (session or db.session)
        .execute(select(BusinessProfile).where(BusinessProfile.user_id == user_id))
        .scalar_one_or_none()
    )


def is_business_buyer(user_id: int | None, session: Session | None = None) -> bool:
    """Whether the account holds a business profile (anonymous visitors never do)."""
    if user_id is None:
        return False
    found = (
        (session or db.session)
        .execute(select(BusinessProfile.id).where(BusinessProfile.user_id == user_id))
        .first()
    )
    return found is not None


def _checked(data: BusinessProfileData) -> dict[str, object]:
    name = " ".join(data.name.split())
    address_line = " ".join(data.address_line.split())
    contact_name = " ".join(data.contact_name.split())
    buys = " ".join(data.buys.split())
    if not name:
        raise BusinessError(N_("Vui lòng nhập tên doanh nghiệp hoặc hộ kinh doanh."))
    if len(name) > 200:
        raise BusinessError(N_("Tên doanh nghiệp dài tối đa %(n)s ký tự."), n=200)
    tax_code = normalize_tax_code(data.tax_code)
    if tax_code is None:
        raise InvalidTaxCode(
            N_(
                "Mã số thuế không hợp lệ: cần 10 chữ số (chi nhánh thêm dấu gạch ngang "
                "và 3 chữ số, ví dụ 0100233488-001), và chữ số kiểm tra phải đúng."
            )
        )
    if get_province(data.province_code) is None:
        raise BusinessError(N_("Tỉnh, thành phố không hợp lệ."))
    if not ward_in_province(data.ward_code, data.province_code):
        raise BusinessError(N_("Phường, xã không thuộc tỉnh, thành phố đã chọn."))
    if not address_line:
        raise BusinessError(N_("Vui lòng nhập số nhà, đường, thôn, bản."))
    if len(address_line) > 300:
        raise BusinessError(N_("Địa chỉ dài tối đa %(n)s ký tự."), n=300)
    if not contact_name:
        raise BusinessError(N_("Vui lòng nhập tên người liên hệ."))
    if len(contact_name) > 120:
        raise BusinessError(N_("Tên người liên hệ dài tối đa %(n)s ký tự."), n=120)
    phone = normalize_vn_phone(data.contact_phone)
    if phone is None:
        raise BusinessError(N_("Số điện thoại không hợp lệ."))
    if len(buys) > 300:
        raise BusinessError(N_("Mặt hàng cần mua dài tối đa %(n)s ký tự."), n=300)
    return {
        "name": name,
        "tax_code": tax_code,
        "province_code": data.province_code,
        "ward_code": data.ward_code,
        "address_line": address_line,
        "contact_name": contact_name,
        "contact_phone": phone,
        "buys": buys,
    }


def save_business_profile(
    session: Session, user_id: int, data: BusinessProfileData
) -> BusinessProfile:
    """Create or replace the account's business profile; BusinessError changes nothing.

    Two tabs saving at once: the unique user_id lets only one insert win, and the other
    request's commit fails rather than creating a second profile."""
    values = _checked(data)
    profile = business_profile_for(user_id, session)
    if profile is None:
        profile = BusinessProfile(user_id=user_id, **values)
        session.add(profile)
    else:
        for key, value in values.items():
            setattr(profile, key, value)
    session.flush()
    return profile


def invoice_address(profile: BusinessProfile) -> str:
    """The profile's address as an invoice prints it: street, ward, province."""
    ward, province = get_ward(profile.ward_code), get_province(profile.province_code)
    pieces = (profile.address_line, ward.name if ward else "", province.name if province else "")
    return ", ".join(piece for piece in pieces if piece)


def invoice_details(session: Session, user_id: int) -> InvoiceDetails | None:
    """What an invoice to this account is made out to (None without a business profile);
    order placement copies it onto the order (storefront/orders/invoices.py)."""
    profile = business_profile_for(user_id, session)
    if profile is None:
        return None
    return InvoiceDetails(profile.name, profile.tax_code, invoice_address(profile))
