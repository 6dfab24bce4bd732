"""The product page on a 390 px phone: the gallery works without JavaScript (each small
photo links to its large one in the swiping strip), and the sticky "Thêm vào giỏ" bar
stays at hand without covering the page's end."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from storefront import media
from storefront.catalog import services
from tests.browser.conftest import PHONE_VIEWPORT
from tests.factories import make_product


@pytest.fixture
def honey(app, session):  # type: ignore[no-untyped-def]
    """Honey with three real photos (red, green, blue) stored as uploads are."""
    product = make_product(session, name="Mật ong hoa Ban", price=350_000, stock=10)
    for colour in ("#b42318", "#166534", "#1d4ed8"):
        buffer = io.BytesIO()
        Image.new("RGB", (800, 600), colour).save(buffer, "JPEG")
        stored = media.store_photo(Path(app.config["MEDIA_ROOT"]), buffer.getvalue())
        services.add_photo(session, product, stored.path, stored.width, stored.height, alt=colour)
    session.commit()
    return product


@pytest.fixture
def no_script_page(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(
        viewport=PHONE_VIEWPORT, locale="vi-VN", base_url=live_server, java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    try:
        yield context.new_page()
    finally:
        context.close()


def photo_in_view(page: Page, n: int) -> bool:
    """Whether photo n fills the gallery strip's visible width."""
    return page.evaluate(
        """n => {
          const track = document.querySelector('.gallery-track').getBoundingClientRect();
          const photo = document.getElementById('photo-' + n).getBoundingClientRect();
          return Math.abs(photo.left - track.left) < 2 && photo.width > 300;
        }""",
        n,
    )


def settle(page: Page, n: int) -> None:
    """Wait (polling from here: the page may run no script) until photo n is in view."""
    for _ in range(50):
        if photo_in_view(page, n):
            return
        page.wait_for_timeout(100)  # the strip scrolls smoothly
    raise AssertionError(f"photo {n} never came into view")


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_gallery_works_without_javascript(no_script_page, honey):
    page = no_script_page
    page.goto(f"/products/{honey.slug}")
    assert photo_in_view(page, 1) and not photo_in_view(page, 2)
    page.get_by_role("link", name="Ảnh 3 / 3").click()
    assert page.url.endswith("#photo-3")
    settle(page, 3)
    page.get_by_role("link", name="Ảnh 1 / 3").click()
    settle(page, 1)
    assert no_sideways_scroll(page)


def test_with_javascript_the_links_scroll_the_strip_and_mark_the_photo(page, honey):
    page.goto(f"/products/{honey.slug}")
    link = page.get_by_role("link", name="Ảnh 2 / 3")
    link.click()
    settle(page, 2)
    expect(link).to_have_attribute("aria-current", "true")
    assert "#photo" not in page.url  # the page did not jump to the anchor


def test_the_buy_bar_sticks_to_the_bottom_and_covers_nothing_at_the_end(no_script_page, honey):
    page = no_script_page
    page.goto(f"/products/{honey.slug}")
    bar = page.get_by_role("form", name="Thêm nhanh vào giỏ")
    box = bar.bounding_box()
    assert box and abs(box["y"] + box["height"] - PHONE_VIEWPORT["height"]) < 1  # at hand
    assert box["width"] <= PHONE_VIEWPORT["width"]
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    origin = page.get_by_role("region", name="Nguồn gốc").bounding_box()
    box = bar.bounding_box()
    assert origin and box and box["y"] >= origin["y"] + origin["height"]  # below the content
    assert no_sideways_scroll(page)

    bar.get_by_role("button", name="Thêm vào giỏ").click()
    expect(page.locator(".cart-count")).to_have_text("1")


def test_the_buy_bar_is_for_phones_only(browser, live_server, honey):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=live_server)
    try:
        page = context.new_page()
        page.goto(f"/products/{honey.slug}")
        expect(page.get_by_role("form", name="Thêm nhanh vào giỏ")).to_be_hidden()
    finally:
        context.close()
