"""Shipping fees: which zone a parcel is in and what it costs. Callers commit."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from storefront.errors import DomainError
from storefront.extensions import Session
from storefront.i18n import N_
from storefront.money import vnd
from storefront.shipping.models import ShippingRate, ShippingZone

MAX_FEE_VND = 10_000_000
MAX_INCLUDED_GRAMS = 100_000


class ShippingError(DomainError):
    """A shipping rule the shop refuses."""


@dataclass(frozen=True)
class Rate:
    """A zone's fee: `base_fee_vnd` up to `included_grams`, then `extra_kg_fee_vnd` for
    each started kilogram over it."""

    base_fee_vnd: int
    included_grams: int
    extra_kg_fee_vnd: int

    def fee_for(self, weight_grams: int) -> int:
        """The fee for a parcel of this weight (a started kilogram counts as a whole one)."""
        over = max(0, weight_grams - self.included_grams)
        started_kilograms = -(-over // 1000)
        return self.base_fee_vnd + started_kilograms * self.extra_kg_fee_vnd


DEFAULT_RATES: dict[ShippingZone, Rate] = {
    ShippingZone.SAME_PROVINCE: Rate(
        base_fee_vnd=20_000, included_grams=1000, extra_kg_fee_vnd=5_000
    ),
    ShippingZone.OTHER_PROVINCE: Rate(
        base_fee_vnd=35_000, included_grams=1000, extra_kg_fee_vnd=5_000
    ),
}


def zone_for(origin_province_code: int, destination_province_code: int) -> ShippingZone:
    """Same province or elsewhere, by the 2025 province codes."""
    if origin_province_code == destination_province_code:
        return ShippingZone.SAME_PROVINCE
    return ShippingZone.OTHER_PROVINCE


def current_rates(session: Session) -> dict[ShippingZone, Rate]:
    """The rate of every zone: the admin's rule where one is saved, else the default."""
    rates = dict(DEFAULT_RATES)
    for row in session.execute(select(ShippingRate)).scalars():
        rates[row.zone] = Rate(row.base_fee_vnd, row.included_grams, row.extra_kg_fee_vnd)
    return rates


def shipping_fee(
    rates: dict[ShippingZone, Rate],
    origin_province_code: int,
    destination_province_code: int,
    weight_grams: int,
) -> int:
    """The fee in VND for one producer's parcel sent to the destination province."""
    zone = zone_for(origin_province_code, destination_province_code)
    return rates[zone].fee_for(weight_grams)


def set_rate(session: Session, zone: ShippingZone | str, rate: Rate) -> ShippingRate:
    """Save the admin's rule for a zone (whole VND and grams, none negative)."""
    try:
        zone = ShippingZone(zone)
    except ValueError as exc:
        raise ShippingError(N_("Vùng giao hàng không hợp lệ.")) from exc
    if not (0 <= rate.base_fee_vnd <= MAX_FEE_VND and 0 <= rate.extra_kg_fee_vnd <= MAX_FEE_VND):
        raise ShippingError(
            N_("Phí phải là số nguyên từ 0 đến %(max)s."),
            max=vnd(MAX_FEE_VND),
        )
    if not 0 <= rate.included_grams <= MAX_INCLUDED_GRAMS:
        raise ShippingError(N_("Khối lượng tính trong phí cơ bản không hợp lệ."))
    row = session.execute(
        select(ShippingRate).where(ShippingRate.zone == zone)
    ).scalar_one_or_none()
    if row is None:
        row = ShippingRate(zone=zone)
        session.add(row)
    row.base_fee_vnd = int(rate.base_fee_vnd)
    row.included_grams = int(rate.included_grams)
    row.extra_kg_fee_vnd = int(rate.extra_kg_fee_vnd)
    session.flush()
    return row
