"""Generate ``storefront/places/data/places.json`` from the ``vietnam-provinces`` package.

The provinces (34) and wards (3321) of Vietnam after the 1 July 2025 reform come from
the PyPI package ``vietnam-provinces`` (GPL-3.0, https://github.com/sunshine-tech/VietnamProvinces),
so the generated file is derived from GPL-3.0 data. The old (pre-2025) province names
are not in the package; they are listed below from Resolution 202/2025/QH15.

Run it (with the project installed, ``pip install -e .[dev]``) after upgrading the
package, and commit the result::

    python scripts/build_places.py            # write the file
    python scripts/build_places.py --check    # exit 1 if the file is out of date
"""

import argparse
import json
import sys
from importlib.metadata import version
from pathlib import Path

from vietnam_provinces import Province, VietNamDivisionType, Ward

from storefront.text import slugify

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "storefront" / "places" / "data" / "places.json"

# Resolution 202/2025/QH15: each of the 34 provinces (by short name) and the 63 old
# provinces it was formed from. The 11 unchanged ones list only themselves; Huế had
# been Thừa Thiên Huế until January 2025.
OLD_PROVINCES: dict[str, tuple[str, ...]] = {
    "Hà Nội": ("Hà Nội",),
    "Huế": ("Thừa Thiên Huế",),
    "Lai Châu": ("Lai Châu",),
    "Điện Biên": ("Điện Biên",),
    "Sơn La": ("Sơn La",),
    "Lạng Sơn": ("Lạng Sơn",),
    "Quảng Ninh": ("Quảng Ninh",),
    "Thanh Hóa": ("Thanh Hóa",),
    "Nghệ An": ("Nghệ An",),
    "Hà Tĩnh": ("Hà Tĩnh",),
    "Cao Bằng": ("Cao Bằng",),
    "Tuyên Quang": ("Tuyên Quang", "Hà Giang"),
    "Lào Cai": ("Lào Cai", "Yên Bái"),
    "Thái Nguyên": ("Thái Nguyên", "Bắc Kạn"),
    "Phú Thọ": ("Phú Thọ", "Vĩnh Phúc", "Hòa Bình"),
    "Bắc Ninh": ("Bắc Ninh", "Bắc Giang"),
    "Hưng Yên": ("Hưng Yên", "Thái Bình"),
    "Hải Phòng": ("Hải Phòng", "Hải Dương"),
    "Ninh Bình": ("Ninh Bình", "Hà Nam", "Nam Định"),
    "Quảng Trị": ("Quảng Trị", "Quảng Bình"),
    "Đà Nẵng": ("Đà Nẵng", "Quảng Nam"),
    "Quảng Ngãi": ("Quảng Ngãi", "Kon Tum"),
    "Gia Lai": ("Gia Lai", "Bình Định"),
    "Khánh Hòa": ("Khánh Hòa", "Ninh Thuận"),
    "Lâm Đồng": ("Lâm Đồng", "Đắk Nông", "Bình Thuận"),
    "Đắk Lắk": ("Đắk Lắk", "Phú Yên"),
    "Hồ Chí Minh": ("Hồ Chí Minh", "Bình Dương", "Bà Rịa - Vũng Tàu"),
    "Đồng Nai": ("Đồng Nai", "Bình Phước"),
    "Tây Ninh": ("Tây Ninh", "Long An"),
    "Cần Thơ": ("Cần Thơ", "Sóc Trăng", "Hậu Giang"),
    "Vĩnh Long": ("Vĩnh Long", "Bến Tre", "Trà Vinh"),
    "Đồng Tháp": ("Đồng Tháp", "Tiền Giang"),
    "Cà Mau": ("Cà Mau", "Bạc Liêu"),
    "An Giang": ("An Giang", "Kiên Giang"),
}

_PREFIXES = ("Thành phố ", "Tỉnh ")


def short_name(name: str) -> str:
    """Drop the "Thành phố "/"Tỉnh " prefix: "Thành phố Hà Nội" -> "Hà Nội"."""
    for prefix in _PREFIXES:
        if name.startswith(prefix):
            return name.removeprefix(prefix)
    return name


def build() -> str:
    """Return the JSON text of places.json (deterministic for a given package version)."""
    provinces: list[dict[str, int | str]] = []
    for p in sorted(Province.iter_all(), key=lambda p: int(p.code)):
        short = short_name(p.name)
        city = p.division_type == VietNamDivisionType.THANH_PHO_TRUNG_UONG
        provinces.append(
            {
                "code": int(p.code),
                "name": p.name,
                "short_name": short,
                "kind": "city" if city else "province",
                "slug": slugify(short),
            }
        )
    wards = [
        {"code": int(w.code), "name": w.name, "province_code": int(w.province_code)}
        for w in sorted(Ward.iter_all(), key=lambda w: int(w.code))
    ]
    code_by_short = {short_name(p.name): int(p.code) for p in Province.iter_all()}
    old_names = [old for olds in OLD_PROVINCES.values() for old in olds]
    if sorted(OLD_PROVINCES) != sorted(code_by_short) or len(set(old_names)) != 63:
        raise SystemExit("OLD_PROVINCES does not match the 34 new and 63 old provinces")
    aliases = [
        {"old_name": old, "province_code": code}
        for code, old in sorted(
            (code_by_short[new], old)
            for new, olds in OLD_PROVINCES.items()
            for old in olds
            if old != new
        )
    ]
    data = {
        "source": f"vietnam-provinces {version('vietnam-provinces')} (GPL-3.0)",
        "provinces": provinces,
        "wards": wards,
        "aliases": aliases,
    }
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write places.json, or with --check report whether it is up to date."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare, do not write")
    args = parser.parse_args(argv)
    text = build()
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date: run scripts/build_places.py")
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
