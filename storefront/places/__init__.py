"""Places: Vietnam's provinces and wards after the 2025 reform, and phone numbers."""

from storefront.places.phone import format_vn_phone, normalize_vn_phone
from storefront.places.services import (
    Province,
    Ward,
    alias_names,
    all_provinces,
    find_province,
    get_province,
    get_ward,
    province_by_slug,
    ward_in_province,
    wards_of,
)

__all__ = [
    "Province",
    "Ward",
    "alias_names",
    "all_provinces",
    "find_province",
    "format_vn_phone",
    "get_province",
    "get_ward",
    "normalize_vn_phone",
    "province_by_slug",
    "ward_in_province",
    "wards_of",
]
