"""Fairs with their featured packs (fair prices while open, the product page's price
too), and a stamp's trace data, through the public API."""

from __future__ import annotations

from storefront.accounts.models import Role
from storefront.fairs import services as fairs
from storefront.fairs.models import FairState
from tests.accounts.helpers import make_user
from tests.api.helpers import conforms, spec_of
from tests.factories import make_producer, make_product
from tests.fairs.helpers import make_fair
from tests.orders.helpers import variant_of
from tests.traceability.helpers import make_batch


def get(client, spec, path):
    response = client.get(path)
    conforms(spec, "GET", path, response)
    return response


def test_an_open_fair_sells_its_featured_packs_at_the_fair_price(client, session):
    organiser = make_user(session, role=Role.ORGANISER)
    producer = make_producer(session, name="HTX Mường Phăng")
    product = make_product(session, producer, name="Mật ong hoa Ban", price=150_000)
    variant = variant_of(session, product)
    fair = make_fair(session, organiser, name="Hội chợ OCOP Điện Biên")
    fairs.accept_invitation(session, fairs.invite_exhibitor(session, fair, producer.id))
    fairs.feature_variant(session, fair, variant.id, 0, 120_000)
    draft = make_fair(session, organiser, name="Nháp", state=FairState.DRAFT)
    session.commit()
    spec = spec_of(client)
    listed = get(client, spec, "/api/v1/fairs").get_json()
    assert [f["slug"] for f in listed["current"]] == [fair.slug]
    body = get(client, spec, f"/api/v1/fairs/{fair.slug}").get_json()
    assert body["is_open"] is True
    [featured] = body["featured"]
    assert featured["pack"]["price_vnd"] == 120_000 and featured["pack"]["retail_vnd"] == 150_000
    assert featured["pack"]["discount_percent"] == 20
    # the product itself costs the same through the API while the fair is open
    detail = get(client, spec, f"/api/v1/products/{product.slug}").get_json()
    assert detail["packs"][0]["price_vnd"] == 120_000
    assert get(client, spec, f"/api/v1/fairs/{draft.slug}").status_code == 404


def test_a_trace_code_gives_the_trace_page_data(client, session):
    batch = make_batch(session)
    session.commit()
    spec = spec_of(client)
    body = get(client, spec, f"/api/v1/trace/{batch.code}").get_json()
    assert body["product"]["name"] == "Mật ong hoa Ban Mường Phăng"
    assert body["certificate_state"] == "valid" and len(body["steps"]) == 2
    assert get(client, spec, "/api/v1/trace/XXXX-0000").status_code == 404
