"""The agreement pages, both sides: ask, accept, progress, CSV and the PDF; and who is
turned away from every route (anonymous, retail buyer, another business buyer, another
producer)."""

from __future__ import annotations

import io
import unicodedata
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from storefront.offtake.due import run_due
from storefront.offtake.models import AgreementState, OfftakeAgreement
from storefront.timeutil import today_in_vietnam as today
from tests.accounts.helpers import log_in, make_member, make_user
from tests.conftest import csrf_token_from
from tests.factories import VINH_LONG, VINH_LONG_WARD, make_producer
from tests.offtake.helpers import a_variant, make_business, signed_agreement


@pytest.fixture
def world(session):  # type: ignore[no-untyped-def]
    producer = make_producer(session, name="HTX Mật ong Tủa Chùa")
    make_member(session, producer, email="htx@example.vn")
    other_producer = make_producer(session)
    make_member(session, other_producer, email="htx-khac@example.vn")
    variant = a_variant(session, producer, stock=100)
    buyer = make_business(session, email="sieuthi@example.vn")
    make_business(session, email="nhahang@example.vn", name="Nhà hàng Khác")
    make_user(session, email="le@example.vn")
    agreement = signed_agreement(
        session, buyer, variant, [(today(), 20), (today() + timedelta(30), 20)]
    )
    session.commit()
    return {"producer": producer, "variant": variant, "agreement": agreement}


def _client(app, email):  # type: ignore[no-untyped-def]
    client = app.test_client()
    if email:
        assert log_in(client, email).status_code == 302
    return client


def _form(variant_id: int, token: str, **extra: object) -> dict[str, object]:
    data: dict[str, object] = {
        "csrf_token": token,
        "variant_id": variant_id,
        "price_mode": "fixed",
        "unit_price": "125.000",
        "start": (today() + timedelta(days=1)).isoformat(),
        "end": (today() + timedelta(days=95)).isoformat(),
        "interval": "month",
        "per_delivery": "200",
        "province_code": VINH_LONG,
        "ward_code": VINH_LONG_WARD,
        "address_line": "Kho số 2",
        "note": "Giao buổi sáng",
    }
    data.update(extra)
    return data


def test_a_business_buyer_asks_and_the_producer_accepts_on_the_pages(app, session, world):
    buyer = _client(app, "sieuthi@example.vn")
    variant_id = world["variant"].id
    page = buyer.get(f"/account/agreements/new?variant={variant_id}")
    assert page.status_code == 200 and "Mật ong hoa Ban" in page.text
    token = csrf_token_from(page.text)
    generated = buyer.post(
        f"/account/agreements/new?variant={variant_id}", data=_form(variant_id, token, generate="1")
    )
    assert generated.status_code == 200
    assert generated.text.count('name="lines-') >= 4 * 3  # 4 deliveries (+ blank rows)
    lines = {
        f"lines-{i}-{name}": value
        for i in range(4)
        for name, value in (
            ("due_on", (today() + timedelta(days=1 + 31 * i)).isoformat()),
            ("quantity", "200"),
        )
    }
    sent = buyer.post(
        f"/account/agreements/new?variant={variant_id}", data=_form(variant_id, token, **lines)
    )
    assert sent.status_code == 302, sent.text
    agreement = (
        session.execute(select(OfftakeAgreement).order_by(OfftakeAgreement.id.desc()))
        .scalars()
        .first()
    )
    assert agreement.state == AgreementState.PROPOSED and agreement.pending_version == 1

    producer = _client(app, "htx@example.vn")
    url = f"/producer/{world['producer'].id}/agreements/{agreement.id}"
    page = producer.get(url)
    assert page.status_code == 200 and "Chấp nhận đề xuất" in page.text
    token = csrf_token_from(page.text)
    assert (
        producer.post(f"{url}/accept", data={"csrf_token": token, "version": "1"}).status_code
        == 302
    )
    again = producer.post(f"{url}/accept", data={"csrf_token": token, "version": "1"})
    assert "đã được trả lời" in producer.get(again.headers["Location"]).text  # one outcome
    session.refresh(agreement)
    assert agreement.state == AgreementState.ACTIVE and agreement.total_quantity == 800
    assert agreement.committed_vnd == 800 * 125_000
    listing = producer.get(f"/producer/{world['producer'].id}/agreements")
    assert "Bao tiêu" in listing.text and "Siêu thị Xanh" in listing.text


def test_a_refused_request_shows_what_was_typed(app, world):
    buyer = _client(app, "sieuthi@example.vn")
    variant_id = world["variant"].id
    page = buyer.get(f"/account/agreements/new?variant={variant_id}")
    token = csrf_token_from(page.text)
    refused = buyer.post(
        f"/account/agreements/new?variant={variant_id}",
        data=_form(variant_id, token, **{"lines-0-due_on": "2020-01-01", "lines-0-quantity": "7"}),
    )
    assert refused.status_code == 422
    assert "Ngày giao không được ở quá khứ." in refused.text and "2020-01-01" in refused.text


def test_both_sides_see_progress_csv_and_the_pdf(app, session, world):
    run_due(session, today())
    agreement = world["agreement"]
    buyer = _client(app, "sieuthi@example.vn")
    listing = buyer.get("/account/agreements")
    assert "Đã thành đơn 20/40 (50%)" in listing.text
    detail = buyer.get(f"/account/agreements/{agreement.id}")
    assert "Đúng hạn: 1" in detail.text and "Đã thành đơn hàng" in detail.text
    csv = buyer.get(f"/account/agreements/{agreement.id}/deliveries.csv")
    assert csv.mimetype == "text/csv"
    rows = csv.text.lstrip("\ufeff").splitlines()
    assert rows[0].startswith("agreement,due_on") and len(rows) == 3
    assert ",ordered," in rows[1] and ",yes," in rows[1]
    pdf = _client(app, "htx@example.vn").get(
        f"/producer/{world['producer'].id}/agreements/{agreement.id}/summary.pdf"
    )
    assert pdf.mimetype == "application/pdf" and pdf.data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(pdf.data))
    text = unicodedata.normalize("NFC", reader.pages[0].extract_text())
    assert "HỢP ĐỒNG BAO TIÊU" in text and "Siêu thị Xanh" in text
    embedded = set()
    for font in reader.pages[0]["/Resources"]["/Font"].get_object().values():
        font = font.get_object()
        if "/FontDescriptor" in font and "/FontFile2" in font["/FontDescriptor"].get_object():
            embedded.add(str(font["/BaseFont"]).split("+")[-1])
    # the stamps' font travels inside the PDF, so the Vietnamese prints everywhere
    assert embedded == {"DejaVuSansCondensed", "DejaVuSansCondensed-Bold"}


def test_a_change_proposed_by_the_producer_is_accepted_by_the_buyer(app, session, world):
    agreement = world["agreement"]
    producer = _client(app, "htx@example.vn")
    url = f"/producer/{world['producer'].id}/agreements/{agreement.id}/change"
    page = producer.get(url)
    assert page.status_code == 200
    token = csrf_token_from(page.text)
    data = _form(
        0,
        token,
        **{"lines-0-due_on": (today() + timedelta(days=10)).isoformat(), "lines-0-quantity": "30"},
    )
    data.pop("variant_id")
    assert producer.post(url, data=data).status_code == 302
    buyer = _client(app, "sieuthi@example.vn")
    page = buyer.get(f"/account/agreements/{agreement.id}")
    assert "Đề xuất số 2" in page.text
    buyer.post(
        f"/account/agreements/{agreement.id}/accept",
        data={"csrf_token": csrf_token_from(page.text), "version": "2"},
    )
    session.refresh(agreement)
    assert agreement.version == 2 and agreement.total_quantity == 30


BUYER_ROUTES = [
    ("GET", "/account/agreements"),
    ("GET", "/account/agreements/new?variant={variant}"),
    ("POST", "/account/agreements/new?variant={variant}"),
    ("GET", "/account/agreements/{agreement}"),
    ("GET", "/account/agreements/{agreement}/change"),
    ("POST", "/account/agreements/{agreement}/change"),
    ("POST", "/account/agreements/{agreement}/accept"),
    ("POST", "/account/agreements/{agreement}/decline"),
    ("POST", "/account/agreements/{agreement}/withdraw"),
    ("GET", "/account/agreements/{agreement}/deliveries.csv"),
    ("GET", "/account/agreements/{agreement}/summary.pdf"),
]
PRODUCER_ROUTES = [
    ("GET", "/producer/{producer}/agreements"),
    ("GET", "/producer/{producer}/agreements/new"),
    ("POST", "/producer/{producer}/agreements/new"),
    ("GET", "/producer/{producer}/agreements/{agreement}"),
    ("GET", "/producer/{producer}/agreements/{agreement}/change"),
    ("POST", "/producer/{producer}/agreements/{agreement}/change"),
    ("POST", "/producer/{producer}/agreements/{agreement}/accept"),
    ("POST", "/producer/{producer}/agreements/{agreement}/decline"),
    ("POST", "/producer/{producer}/agreements/{agreement}/withdraw"),
    ("GET", "/producer/{producer}/agreements/{agreement}/deliveries.csv"),
    ("GET", "/producer/{producer}/agreements/{agreement}/summary.pdf"),
]


def _open(client, method, template, world):  # type: ignore[no-untyped-def]
    url = template.format(
        variant=world["variant"].id, agreement=world["agreement"].id, producer=world["producer"].id
    )
    with client.session_transaction() as cookie:
        signed_in = "_user_id" in cookie
    token = csrf_token_from(client.get("/account/" if signed_in else "/account/login").text)
    data = None if method == "GET" else {"csrf_token": token, "version": "1"}
    return client.open(url, method=method, data=data)


def _unchanged(session, world) -> None:  # type: ignore[no-untyped-def]
    session.expire_all()
    agreement = session.get(OfftakeAgreement, world["agreement"].id)
    assert (agreement.state, agreement.version, agreement.pending_version) == (
        AgreementState.ACTIVE,
        1,
        None,
    )
    count = session.execute(select(OfftakeAgreement.id)).all()
    assert len(count) == 1


@pytest.mark.parametrize(("method", "route"), BUYER_ROUTES + PRODUCER_ROUTES)
def test_anonymous_visitors_go_to_the_login_page(app, session, world, method, route):
    response = _open(_client(app, None), method, route, world)
    if response.status_code == 302:
        assert urlsplit(response.headers["Location"]).path == "/account/login"
    else:
        assert response.status_code in (400, 401, 403)
    _unchanged(session, world)


@pytest.mark.parametrize(("method", "route"), BUYER_ROUTES)
def test_a_retail_buyer_is_sent_to_make_a_business_profile(app, session, world, method, route):
    response = _open(_client(app, "le@example.vn"), method, route, world)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/account/business"
    _unchanged(session, world)


@pytest.mark.parametrize(("method", "route"), BUYER_ROUTES[3:])
def test_another_business_buyer_gets_404(app, session, world, method, route):
    response = _open(_client(app, "nhahang@example.vn"), method, route, world)
    assert response.status_code == 404
    _unchanged(session, world)


@pytest.mark.parametrize(("method", "route"), PRODUCER_ROUTES)
@pytest.mark.parametrize(
    ("who", "status"),
    [("htx-khac@example.vn", 404), ("sieuthi@example.vn", 403), ("le@example.vn", 403)],
)
def test_another_producer_and_buyers_are_refused_the_workspace(
    app, session, world, method, route, who, status
):
    response = _open(_client(app, who), method, route, world)
    assert response.status_code == status
    _unchanged(session, world)


def test_the_other_producers_agreement_is_404_under_its_own_workspace(app, session, world):
    other = _client(app, "htx-khac@example.vn")
    other_id = session.execute(
        select(OfftakeAgreement.producer_id)
    ).scalar_one()  # the agreement belongs to world's producer
    assert other_id == world["producer"].id
    from storefront.accounts.models import ProducerMember, User

    own_producer = session.execute(
        select(ProducerMember.producer_id)
        .join(User, User.id == ProducerMember.user_id)
        .where(User.email == "htx-khac@example.vn")
    ).scalar_one()
    response = other.get(f"/producer/{own_producer}/agreements/{world['agreement'].id}")
    assert response.status_code == 404


def test_the_producer_makes_a_schedule_before_naming_the_buyer(app, world):
    producer = _client(app, "htx@example.vn")
    url = f"/producer/{world['producer'].id}/agreements/new"
    token = csrf_token_from(producer.get(url).text)
    data = _form(world["variant"].id, token, generate="1", buyer_email="")
    page = producer.post(url, data=data)
    assert page.status_code == 200
    assert 'name="lines-3-due_on"' in page.text and "Vui lòng điền mục này." not in page.text
    proposed = producer.post(
        url,
        data=_form(
            world["variant"].id,
            token,
            buyer_email="sieuthi@example.vn",
            **{"lines-0-due_on": str(today() + timedelta(days=3)), "lines-0-quantity": "9"},
        ),
    )
    assert proposed.status_code == 302
