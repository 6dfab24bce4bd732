import pytest

from storefront.text import fold, slugify


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Điện Biên", "dien bien"),
        ("Mật ong hoa Ban", "mat ong hoa ban"),
        ("  THỊT   lợn\tkhô ", "thit lon kho"),
        ("Đắk Lắk", "dak lak"),
        ("Khánh Hoà", "khanh hoa"),
        ("", ""),
    ],
)
def test_fold_strips_diacritics_case_and_extra_spaces(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_fold_matches_precomposed_and_decomposed_input() -> None:
    assert fold("Mật ong") == fold("Ma\u0323\u0302t ong") == "mat ong"


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Lạc đỏ Na Son", "lac-do-na-son"),
        ("Thành phố Hồ Chí Minh", "thanh-pho-ho-chi-minh"),
        ("Yến sào Chư Sê (hộp 100g) -- 5★", "yen-sao-chu-se-hop-100g-5"),
        ("  --  ", ""),
    ],
)
def test_slugify_gives_ascii_hyphenated_slug(text: str, slug: str) -> None:
    assert slugify(text) == slug
