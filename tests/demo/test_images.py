"""The names printed on demo pictures are never clipped (issue 11, item 9): every line
fits the picture's middle square, which listing cards keep when they crop a photo to a
square, and the whole name is printed, shrunk and wrapped as needed."""

from __future__ import annotations

import pytest

from storefront.catalog.groups import PRODUCT_GROUPS
from storefront.demo import images
from storefront.demo.catalogue import PRODUCTS

pytestmark = pytest.mark.skipif(
    images._font_path() is None, reason="no font with Vietnamese letters on this machine"
)

WIDTH, HEIGHT = images.PHOTO_SIZE
SQUARE_LEFT = (WIDTH - HEIGHT) // 2  # what a card's object-fit: cover keeps
SQUARE_RIGHT = SQUARE_LEFT + HEIGHT
LONG_NAMES = [
    "Mật ong hoa Ban Mường Phăng nguyên chất thu hoạch vụ xuân",
    "Trà Shan tuyết cổ thụ Tủa Chùa hộp quà tặng cao cấp 500 g",
    "Khoai sọ Phì Nhừ",
    "Yến",
]
TITLES = [
    *(p.name for p in PRODUCTS),
    *(title for group in PRODUCT_GROUPS for title in group.subgroups.values()),
    *LONG_NAMES,
]


@pytest.mark.parametrize("title", TITLES)
def test_the_name_fits_the_middle_square_and_is_printed_whole(title):
    boxes = images.picture_text(title, "Bà Rịa - Vũng Tàu")
    for line in boxes:
        left, top, right, bottom = line.box
        assert SQUARE_LEFT + 8 <= left and right <= SQUARE_RIGHT - 8, (title, line)
        assert images.BAND_TOP <= top and bottom <= HEIGHT, (title, line)
    for upper, lower in zip(boxes, boxes[1:], strict=False):
        assert upper.box[3] <= lower.box[1] + 2, ("lines overlap", upper, lower)
    title_lines = [line.text for line in boxes if line.at[1] < images.SUBTITLE_TOP]
    assert " ".join(title_lines) == " ".join(title.split())
    assert min(line.size for line in boxes) >= 18


def test_an_absurdly_long_name_ends_in_an_ellipsis_inside_the_square():
    title = " ".join(["Mật ong hoa Ban Mường Phăng"] * 8)
    boxes = images.picture_text(title, "Điện Biên")
    title_lines = [line for line in boxes if line.at[1] < images.SUBTITLE_TOP]
    assert title_lines[-1].text.endswith("…")
    assert all(SQUARE_LEFT <= b.box[0] and b.box[2] <= SQUARE_RIGHT for b in boxes)
