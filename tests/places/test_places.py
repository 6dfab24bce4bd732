import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from storefront.places import (
    alias_names,
    all_provinces,
    find_province,
    format_vn_phone,
    get_province,
    get_ward,
    normalize_vn_phone,
    province_by_slug,
    ward_in_province,
    wards_of,
)
from storefront.text import fold, slugify

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "storefront" / "places" / "data" / "places.json"

# The 63 provinces before 1 July 2025 and the province each is part of now.
OLD_TO_NEW = {
    "Hà Nội": "Hà Nội", "Hà Giang": "Tuyên Quang", "Cao Bằng": "Cao Bằng",
    "Bắc Kạn": "Thái Nguyên", "Tuyên Quang": "Tuyên Quang", "Lào Cai": "Lào Cai",
    "Điện Biên": "Điện Biên", "Lai Châu": "Lai Châu", "Sơn La": "Sơn La",
    "Yên Bái": "Lào Cai", "Hòa Bình": "Phú Thọ", "Thái Nguyên": "Thái Nguyên",
    "Lạng Sơn": "Lạng Sơn", "Quảng Ninh": "Quảng Ninh", "Bắc Giang": "Bắc Ninh",
    "Phú Thọ": "Phú Thọ", "Vĩnh Phúc": "Phú Thọ", "Bắc Ninh": "Bắc Ninh",
    "Hải Dương": "Hải Phòng", "Hải Phòng": "Hải Phòng", "Hưng Yên": "Hưng Yên",
    "Thái Bình": "Hưng Yên", "Hà Nam": "Ninh Bình", "Nam Định": "Ninh Bình",
    "Ninh Bình": "Ninh Bình", "Thanh Hóa": "Thanh Hóa", "Nghệ An": "Nghệ An",
    "Hà Tĩnh": "Hà Tĩnh", "Quảng Bình": "Quảng Trị", "Quảng Trị": "Quảng Trị",
    "Thừa Thiên Huế": "Huế", "Đà Nẵng": "Đà Nẵng", "Quảng Nam": "Đà Nẵng",
    "Quảng Ngãi": "Quảng Ngãi", "Bình Định": "Gia Lai", "Phú Yên": "Đắk Lắk",
    "Khánh Hòa": "Khánh Hòa", "Ninh Thuận": "Khánh Hòa", "Bình Thuận": "Lâm Đồng",
    "Kon Tum": "Quảng Ngãi", "Gia Lai": "Gia Lai", "Đắk Lắk": "Đắk Lắk",
    "Đắk Nông": "Lâm Đồng", "Lâm Đồng": "Lâm Đồng", "Bình Phước": "Đồng Nai",
    "Tây Ninh": "Tây Ninh", "Bình Dương": "Hồ Chí Minh", "Đồng Nai": "Đồng Nai",
    "Bà Rịa - Vũng Tàu": "Hồ Chí Minh", "Hồ Chí Minh": "Hồ Chí Minh",
    "Long An": "Tây Ninh", "Tiền Giang": "Đồng Tháp", "Bến Tre": "Vĩnh Long",
    "Trà Vinh": "Vĩnh Long", "Vĩnh Long": "Vĩnh Long", "Đồng Tháp": "Đồng Tháp",
    "An Giang": "An Giang", "Kiên Giang": "An Giang", "Cần Thơ": "Cần Thơ",
    "Hậu Giang": "Cần Thơ", "Sóc Trăng": "Cần Thơ", "Bạc Liêu": "Cà Mau",
    "Cà Mau": "Cà Mau",
}  # fmt: skip


def test_there_are_34_provinces_with_unique_codes_and_slugs() -> None:
    provinces = all_provinces()
    assert len(provinces) == 34
    assert len({p.code for p in provinces}) == 34
    assert all(p.slug == slugify(p.short_name) for p in provinces)
    assert [fold(p.short_name) for p in provinces] == sorted(fold(p.short_name) for p in provinces)


def test_province_names_kinds_and_slugs() -> None:
    hanoi = get_province(1)
    assert hanoi is not None
    assert (hanoi.name, hanoi.short_name, hanoi.kind, hanoi.slug) == (
        "Thành phố Hà Nội",
        "Hà Nội",
        "city",
        "ha-noi",
    )
    assert province_by_slug("dien-bien") == find_province("Điện Biên")
    assert province_by_slug("ho-chi-minh") == get_province(79)
    cao_bang = province_by_slug("cao-bang")
    assert cao_bang is not None and cao_bang.short_name == cao_bang.name == "Cao Bằng"
    assert cao_bang.kind == "province"
    assert get_province(2) is None  # Hà Giang's old code
    assert province_by_slug("ha-giang") is None


def test_all_3321_wards_belong_to_existing_provinces() -> None:
    codes = {p.code for p in all_provinces()}
    per_province = {code: wards_of(code) for code in codes}
    assert sum(len(wards) for wards in per_province.values()) == 3321
    assert all(per_province.values())
    for code, wards in per_province.items():
        assert all(w.province_code == code for w in wards)
    assert wards_of(2) == []


def test_wards_are_sorted_by_folded_name_without_type() -> None:
    names = [fold(w.name).split(" ", 1)[1] for w in wards_of(11) if not w.name.startswith("Đặc")]
    assert names == sorted(names)


def test_get_ward_and_ward_in_province() -> None:
    ward = get_ward(70)
    assert ward is not None and ward.name == "Phường Hoàn Kiếm" and ward.province_code == 1
    assert ward_in_province(70, 1)
    assert not ward_in_province(70, 79)
    assert not ward_in_province(999_999, 1)
    assert get_ward(999_999) is None


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Trà Vinh", "Vĩnh Long"),
        ("Long An", "Tây Ninh"),
        ("Bạc Liêu", "Cà Mau"),
        ("Bình Định", "Gia Lai"),
    ],
)
def test_old_names_find_the_new_province(old: str, new: str) -> None:
    province = find_province(old)
    assert province is not None and province.short_name == new
    assert old in alias_names(province.code)


def test_all_63_old_provinces_are_found() -> None:
    assert len(OLD_TO_NEW) == 63
    for old, new in OLD_TO_NEW.items():
        province = find_province(old)
        assert province is not None, old
        assert province.short_name == new, old
        assert find_province(fold(old)) == province, old


def test_alias_names_list_only_merged_old_names() -> None:
    vinh_long = find_province("Vĩnh Long")
    assert vinh_long is not None
    assert alias_names(vinh_long.code) == ["Bến Tre", "Trà Vinh"]
    assert alias_names(11) == []  # Điện Biên was not merged
    aliased = sum(len(alias_names(p.code)) for p in all_provinces())
    assert aliased == 63 - 33  # every old name but the 33 that are still in use


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("tra vinh", 86),
        ("TRÀ VINH", 86),
        ("Thành phố Hồ Chí Minh", 79),
        ("TP HCM", 79),
        ("TP. Hồ Chí Minh", 79),
        ("Sài Gòn", 79),
        ("Bà Rịa – Vũng Tàu", 79),
        ("ha-noi", 1),
        ("Tỉnh Điện Biên", 11),
        ("Daklak", 66),
        ("Thừa Thiên - Huế", 46),
    ],
)
def test_find_province_ignores_case_diacritics_and_prefixes(text: str, code: int) -> None:
    province = find_province(text)
    assert province is not None and province.code == code


@pytest.mark.parametrize("text", ["", "   ", "Atlantis", "Phường Hoàn Kiếm"])
def test_find_province_returns_none_for_unknown_text(text: str) -> None:
    assert find_province(text) is None


@pytest.mark.parametrize(
    "raw",
    [
        "0912345678",
        "0912 345 678",
        "0912.345.678",
        "0912-345-678",
        "+84 912 345 678",
        "84912345678",
        "+84912345678",
        "(+84) 912 345 678",
        "0084 912 345 678",
        " +84 0912 345 678 ",
    ],
)
def test_valid_phone_numbers_normalize_to_national_form(raw: str) -> None:
    assert normalize_vn_phone(raw) == "0912345678"


@pytest.mark.parametrize("raw", ["0312345678", "0512345678", "0712345678", "0812345678"])
def test_all_mobile_prefixes_are_accepted(raw: str) -> None:
    assert normalize_vn_phone(raw) == raw


@pytest.mark.parametrize(
    "raw",
    [
        "091234567",
        "912345678",
        "0112345678",
        "0212345678",
        "0412345678",
        "0612345678",
        "09123456789",
        "0912abc678",
        "O912345678",
        "",
        "+84 112 345 678",
        "8491234567",
        "+1 912 345 678",
        "０９１２３４５６７８",
    ],
)
def test_invalid_phone_numbers_are_rejected(raw: str) -> None:
    assert normalize_vn_phone(raw) is None


def test_format_vn_phone() -> None:
    assert format_vn_phone("0912345678") == "0912 345 678"
    assert format_vn_phone("+84912345678") == "0912 345 678"
    assert format_vn_phone(" 12345 ") == "12345"


def _load_builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_places", ROOT / "scripts/build_places.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_generated_file_is_up_to_date_and_reproducible() -> None:
    pytest.importorskip("vietnam_provinces")
    builder = _load_builder()
    text = builder.build()
    assert text == builder.build()
    assert DATA.read_text(encoding="utf-8") == text


def test_generated_file_is_compact_json() -> None:
    text = DATA.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert set(data) == {"source", "provinces", "wards", "aliases"}
    assert "GPL-3.0" in data["source"]
