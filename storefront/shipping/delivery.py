"""How long a parcel takes: an estimated delivery window by distance, beside the fee.

The rule, in days after the producer hands the parcel over (working days, as carriers
quote them):

| where the buyer is | window |
| --- | --- |
| the producer's own province | 1–2 days |
| another province of the same region ("vùng lân cận") | 2–4 days |
| another region (far: Hà Nội ↔ Cà Mau, Điện Biên ↔ Hồ Chí Minh) | 4–6 days |

Regions are the three the carriers price by: the North (miền Bắc), the Centre with the
Central Highlands (miền Trung, Tây Nguyên) and the South (miền Nam), over the 34
provinces of 2025. An estimate, never a promise: the page says so.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from storefront.shipping.models import ShippingZone
from storefront.shipping.services import Rate, zone_for


class Distance(enum.StrEnum):
    SAME_PROVINCE = "same_province"
    SAME_REGION = "same_region"
    FAR = "far"


NORTH = frozenset({1, 4, 8, 11, 12, 14, 15, 19, 20, 22, 24, 25, 31, 33, 37})
CENTRE = frozenset({38, 40, 42, 44, 46, 48, 51, 52, 56, 66, 68})
SOUTH = frozenset({75, 79, 80, 82, 86, 91, 92, 96})
REGIONS = (NORTH, CENTRE, SOUTH)

DELIVERY_DAYS: dict[Distance, tuple[int, int]] = {
    Distance.SAME_PROVINCE: (1, 2),
    Distance.SAME_REGION: (2, 4),
    Distance.FAR: (4, 6),
}


def region_of(province_code: int) -> int | None:
    """The index of the province's region in REGIONS, None for an unknown code."""
    return next((n for n, region in enumerate(REGIONS) if province_code in region), None)


def distance(origin_province_code: int, destination_province_code: int) -> Distance:
    if origin_province_code == destination_province_code:
        return Distance.SAME_PROVINCE
    origin = region_of(origin_province_code)
    if origin is not None and origin == region_of(destination_province_code):
        return Distance.SAME_REGION
    return Distance.FAR


@dataclass(frozen=True)
class DeliveryEstimate:
    """The fee for one pack and the window in days, to one province."""

    fee_vnd: int
    extra_kg_fee_vnd: int
    included_grams: int
    days: tuple[int, int]
    distance: Distance


def estimate(
    rates: dict[ShippingZone, Rate],
    origin_province_code: int,
    destination_province_code: int,
    weight_grams: int,
) -> DeliveryEstimate:
    """The fee of a parcel of this weight (the shop's fee rules: shipping.services) and
    the delivery window by distance."""
    rate = rates[zone_for(origin_province_code, destination_province_code)]
    how_far = distance(origin_province_code, destination_province_code)
    return DeliveryEstimate(
        fee_vnd=rate.fee_for(weight_grams),
        extra_kg_fee_vnd=rate.extra_kg_fee_vnd,
        included_grams=rate.included_grams,
        days=DELIVERY_DAYS[how_far],
        distance=how_far,
    )
