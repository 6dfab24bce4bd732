"""OCOP product groups and sub-groups of Decision 148/QĐ-TTg (2023).

The 2019 list (Decision 1048) is superseded; only these codes are valid.
Names are Vietnamese msgids marked with N_ for extraction; pages translate them
with gettext at display time, search documents use them as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from storefront.i18n import N_


@dataclass(frozen=True)
class ProductGroup:
    code: str
    name: str
    subgroups: dict[str, str]


PRODUCT_GROUPS: tuple[ProductGroup, ...] = (
    ProductGroup(
        "thuc-pham",
        N_("Thực phẩm"),
        {
            "nong-san-tuoi": N_("Nông sản tươi sống"),
            "nong-san-so-che": N_("Nông sản sơ chế"),
            "thuc-pham-che-bien": N_("Thực phẩm chế biến"),
            "gia-vi": N_("Gia vị"),
            "che-tra": N_("Chè và sản phẩm từ chè"),
            "ca-phe-ca-cao": N_("Cà phê, ca cao"),
        },
    ),
    ProductGroup(
        "do-uong",
        N_("Đồ uống"),
        {
            "do-uong-co-con": N_("Đồ uống có cồn"),
            "do-uong-khong-con": N_("Đồ uống không cồn"),
        },
    ),
    ProductGroup(
        "duoc-lieu",
        N_("Dược liệu và sản phẩm từ dược liệu"),
        {
            "thuc-pham-chuc-nang": N_("Thực phẩm chức năng, thuốc từ dược liệu"),
            "my-pham": N_("Mỹ phẩm có thành phần từ dược liệu"),
            "duoc-lieu-khac": N_("Tinh dầu và dược liệu khác"),
        },
    ),
    ProductGroup(
        "thu-cong-my-nghe",
        N_("Hàng thủ công mỹ nghệ"),
        {
            "thu-cong-my-nghe": N_("Đồ thủ công mỹ nghệ, gia dụng"),
            "det-may": N_("Vải, thổ cẩm và may mặc"),
        },
    ),
    ProductGroup(
        "sinh-vat-canh",
        N_("Sinh vật cảnh"),
        {
            "hoa": N_("Hoa"),
            "cay-canh": N_("Cây cảnh"),
            "dong-vat-canh": N_("Động vật cảnh"),
        },
    ),
    ProductGroup(
        "du-lich",
        N_("Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch"),
        {"du-lich-cong-dong": N_("Du lịch cộng đồng, sinh thái và điểm du lịch")},
    ),
)

GROUPS_BY_CODE = {group.code: group for group in PRODUCT_GROUPS}


def is_valid_subgroup(group_code: str, subgroup_code: str) -> bool:
    """Whether `subgroup_code` belongs to the product group `group_code`."""
    group = GROUPS_BY_CODE.get(group_code)
    return group is not None and subgroup_code in group.subgroups
