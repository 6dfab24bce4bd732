"""The dashboard's tables as CSV (storefront.spreadsheets: UTF-8 with a BOM, formulas
neutralised). Column names are plain ASCII Vietnamese, as in the fair report's CSV."""

from __future__ import annotations

from typing import Any

from storefront.catalog.models import ProducerKind
from storefront.programme.services import ProvinceRank, Reach
from storefront.spreadsheets import SpreadsheetCsv

# table -> the dashboard section it comes from
TABLES = {
    "months": "reach",
    "destinations": "reach",
    "certified": "products",
    "certificates": "products",
    "held-back": "products",
    "producers": "producers",
    "fairs": "fairs",
}


def _percent(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.1f}"


def _reach_cells(reach: Reach) -> list[object]:
    return [
        reach.parts,
        reach.units,
        reach.revenue_vnd,
        reach.outside_parts,
        reach.outside_units,
        reach.outside_revenue_vnd,
        _percent(reach.outside_share),
    ]


REACH_HEADER = [
    "don_hang",
    "so_luong",
    "doanh_thu_vnd",
    "don_ngoai_tinh",
    "so_luong_ngoai_tinh",
    "doanh_thu_ngoai_tinh_vnd",
    "ty_le_don_ngoai_tinh_phan_tram",
]


def table_csv(
    table: str,
    dashboard: dict[str, Any],
    group_names: dict[str, str],
    kind_labels: dict[ProducerKind, str],
) -> str:
    """One table of a province's dashboard (`dashboard` holds its sections)."""
    writer = SpreadsheetCsv()
    if table == "months":
        writer.writerow(["thang", *REACH_HEADER])
        for month in dashboard["reach"].months:
            writer.writerow([month.key, *_reach_cells(month.reach)])
    elif table == "destinations":
        writer.writerow(["tinh_nhan_hang", "don_hang", "so_luong", "doanh_thu_vnd", "trong_tinh"])
        for d in dashboard["reach"].destinations:
            writer.writerow([d.name, d.parts, d.units, d.revenue_vnd, int(d.is_home)])
    elif table == "certified":
        writer.writerow(["nhom_san_pham", "3_sao", "4_sao", "5_sao", "tong"])
        for g in dashboard["products"].certified:
            name = group_names.get(g.group_code, g.group_code)
            writer.writerow([name, g.stars[3], g.stars[4], g.stars[5], g.total])
    elif table == "certificates":
        writer.writerow(
            [
                "tinh_trang",
                "so_quyet_dinh",
                "hang_sao",
                "het_han",
                "con_ngay",
                "san_pham",
                "chu_the",
            ]
        )
        products = dashboard["products"]
        for state, rows in (
            ("het_han_60_ngay", products.expiring_soon),
            ("het_han_180_ngay", products.expiring_later),
            ("da_het_han", products.expired),
        ):
            for r in rows:
                writer.writerow(
                    [
                        state,
                        r.decision_number,
                        r.stars,
                        r.expires_on.isoformat(),
                        r.days_left,
                        r.product_name,
                        r.producer_name,
                    ]
                )
    elif table == "held-back":
        writer.writerow(["san_pham", "chu_the", "co_anh", "con_hang"])
        for h in dashboard["products"].held_back:
            writer.writerow([h.product_name, h.producer_name, int(h.has_photo), int(h.has_stock)])
    elif table == "producers":
        writer.writerow(["chu_the", "loai_hinh", "hoat_dong_90_ngay", *REACH_HEADER])
        for p in dashboard["producers"].rows:
            kind = kind_labels.get(p.kind, p.kind.value)
            writer.writerow([p.name, kind, int(p.is_active), *_reach_cells(p.reach)])
    elif table == "fairs":
        writer.writerow(
            [
                "hoi_cho",
                "tu_ngay",
                "den_ngay",
                "don_hang",
                "doanh_thu_vnd",
                "ty_le_ngoai_tinh_phan_tram",
            ]
        )
        for f in dashboard["fairs"]:
            writer.writerow(
                [
                    f.name,
                    f.starts_on.isoformat(),
                    f.ends_on.isoformat(),
                    f.orders,
                    f.revenue_vnd,
                    f.outside_share,
                ]
            )
    return writer.text()


def ranking_csv(ranking: list[ProvinceRank]) -> str:
    """The national view: every province's reach, by revenue."""
    writer = SpreadsheetCsv()
    writer.writerow(["tinh", *REACH_HEADER])
    for rank in ranking:
        writer.writerow([rank.name, *_reach_cells(rank.reach)])
    return writer.text()
