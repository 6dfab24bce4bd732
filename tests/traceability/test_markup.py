"""The trace and batch pages are built for screen readers, phones and a strict CSP, in
both languages."""

from __future__ import annotations

import pytest

from storefront.catalog import services as catalog
from storefront.traceability import codes
from tests.accounts.helpers import log_in, make_member
from tests.factories import make_producer, make_product
from tests.site.helpers import switch_language
from tests.site.test_page_markup import audit
from tests.traceability.helpers import make_batch


@pytest.mark.parametrize("language", ["vi", "en"])
def test_trace_and_batch_pages_are_well_formed(client, session, language) -> None:
    producer = make_producer(session, name="HTX Ong mật Mường Phăng")
    product = make_product(session, producer, name="Mật ong hoa Ban", stars=4)
    catalog.add_photo(session, product, "photos/mat-ong.jpg", 800, 600, alt="Hũ mật ong")
    batch = make_batch(session, product=product, step_count=3)
    user = make_member(session, producer, email="ong@example.vn")
    session.commit()
    typo = batch.code[:-1] + ("0" if batch.code[-1] != "0" else "1")
    public = [f"/t/{batch.code}", f"/t/{codes.new_code()}", f"/t/{typo}", "/t/"]
    own = ["/producer/batches", "/producer/batches/new", f"/producer/batches/{batch.id}"]
    assert log_in(client, user.email).status_code == 302
    switch_language(client, language)
    for path in public + own:
        response = client.get(path)
        assert response.status_code in (200, 404), path
        page = audit(response.get_data(as_text=True))
        assert page.html_lang == language, path
        assert page.h1_count == 1, path
        assert page.has_main, path
        assert page.inline_scripts == 0, path
        assert page.style_attributes == [], path
        assert page.event_handlers == [], path
        assert page.images_without_alt == [], path
