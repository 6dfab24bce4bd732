"""A buyer on a phone finds Điện Biên's hoa Ban honey without typing accents,
narrows the results with the filter form, opens the product and reads it in English."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from storefront.places import find_province, wards_of
from tests.factories import VINH_LONG, VINH_LONG_WARD, make_producer, make_product


def _catalogue(session) -> None:  # type: ignore[no-untyped-def]
    dien_bien = make_producer(session, "HTX Nông sản Mường Phăng")
    make_product(
        session,
        dien_bien,
        "Mật ong hoa Ban",
        price=350_000,
        stars=4,
        description="Mật ong nguyên chất từ rừng hoa Ban Điện Biên.",
    )
    make_product(session, dien_bien, "Lạc đỏ Na Son", price=90_000, stars=4)
    vinh_long = make_producer(
        session, "HTX Ong Trà Vinh", province_code=VINH_LONG, ward_code=VINH_LONG_WARD
    )
    make_product(session, vinh_long, "Mật ong hoa dừa", price=180_000, stars=3)
    gia_lai = find_province("Gia Lai")
    assert gia_lai is not None
    chu_se = make_producer(
        session,
        "HTX Yến Chư Sê",
        province_code=gia_lai.code,
        ward_code=wards_of(gia_lai.code)[0].code,
    )
    make_product(session, chu_se, "Mật ong cà phê Chư Sê", price=250_000, stars=5)
    session.commit()


def _result_names(page: Page) -> list[str]:
    """Names of the product cards listed in the page's main content."""
    return page.get_by_role("main").get_by_role("listitem").get_by_role("link").all_inner_texts()


def _open_filters(page: Page) -> None:
    """Open the collapsed filter form by its <summary>, as a visitor on a phone would."""
    stars = page.get_by_label("Hạng sao")
    expect(stars).to_be_hidden()
    page.get_by_text("Bộ lọc và sắp xếp", exact=True).click()
    expect(stars).to_be_visible()


def test_search_filter_open_and_read_in_english(page: Page, session) -> None:  # type: ignore[no-untyped-def]
    _catalogue(session)

    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.get_by_role("searchbox", name="Tìm sản phẩm").fill("mat ong")
    page.get_by_role("button", name="Tìm", exact=True).click()

    expect(page).to_have_url(re.compile(r"/products\?q=mat\+ong"))
    results = page.get_by_role("main")
    expect(results.get_by_role("link", name="Mật ong hoa Ban")).to_be_visible()
    assert sorted(_result_names(page)) == [
        "Mật ong cà phê Chư Sê",
        "Mật ong hoa Ban",
        "Mật ong hoa dừa",
    ]

    _open_filters(page)
    page.get_by_label("Hạng sao").select_option(label="Từ 4 sao")
    page.get_by_label("Tỉnh, thành phố").select_option(label="Điện Biên")
    page.get_by_role("button", name="Áp dụng").click()

    expect(page).to_have_url(re.compile(r"stars=4"))
    expect(page).to_have_url(re.compile(r"province=dien-bien"))
    expect(page.get_by_text("1 sản phẩm", exact=True)).to_be_visible()
    assert _result_names(page) == ["Mật ong hoa Ban"]
    expect(page.get_by_role("searchbox", name="Tìm sản phẩm")).to_have_value("mat ong")

    results.get_by_role("link", name="Mật ong hoa Ban").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mật ong hoa Ban")
    expect(page.get_by_role("heading", name="Mô tả sản phẩm")).to_be_visible()
    expect(page.get_by_text("rừng hoa Ban Điện Biên")).to_be_visible()
    product_url = page.url

    page.get_by_role("link", name="English").click()
    expect(page).to_have_url(product_url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", name="Product description")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mật ong hoa Ban")
    expect(page.get_by_role("link", name="Tiếng Việt")).to_be_visible()
