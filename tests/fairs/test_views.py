"""Fair pages: organisers manage only their fairs, buyers see fair prices only while open,
producers edit only their own booth, the home page shows current fairs and features."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from storefront.accounts.models import Role
from storefront.fairs import services
from storefront.fairs.attribution import record_fair_order
from storefront.fairs.models import Fair, FairState, HomeFeature
from storefront.pricing.channel import SESSION_KEY
from storefront.timeutil import today_in_vietnam
from tests.accounts.helpers import log_in, make_member, make_user
from tests.conftest import csrf_token_from
from tests.factories import DIEN_BIEN, make_producer, make_product
from tests.fairs.helpers import make_fair, vietnam_now
from tests.orders.helpers import place, variant_of
from tests.producers.helpers import jpeg_bytes

VINH_LONG, VINH_LONG_WARD = 86, 29242


def _fair_form(token: str, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "csrf_token": token,
        "name": "Hội chợ Nông sản Tây Bắc",
        "description": "Giới thiệu sản phẩm OCOP.",
        "venue": "Quảng trường 7/5",
        "province_code": str(DIEN_BIEN),
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-05",
        "opens_local": "2026-12-01T08:00",
        "closes_local": "2026-12-05T20:00",
    }
    data.update(overrides)
    return data


def test_an_organiser_creates_a_fair_in_vietnam_time_with_a_banner(client, session, organiser):
    log_in(client, organiser.email)
    token = csrf_token_from(client.get("/fairs/manage/new").text)
    form = _fair_form(token, banner=(io.BytesIO(jpeg_bytes()), "bia.jpg"))
    response = client.post("/fairs/manage/new", data=form, content_type="multipart/form-data")
    assert response.status_code == 302
    fair = session.execute(select(Fair)).scalar_one()
    assert fair.slug == "hoi-cho-nong-san-tay-bac"
    assert fair.state == FairState.DRAFT and fair.organiser_id == organiser.id
    assert fair.opens_at.replace(tzinfo=UTC) == datetime(2026, 12, 1, 1, 0, tzinfo=UTC)
    assert fair.banner_path and fair.banner_path.startswith("fairs/")
    # the edit form shows the times back in Vietnam time
    assert 'value="2026-12-01T08:00"' in client.get(f"/fairs/manage/{fair.id}").text


def test_bad_fair_input_is_a_form_error_not_a_crash(client, session, organiser):
    log_in(client, organiser.email)
    token = csrf_token_from(client.get("/fairs/manage/new").text)
    for bad in (
        {"closes_local": "2026-11-30T08:00"},
        {"opens_local": "not a time"},
        {"province_code": "abc"},
        {"province_code": "999"},
    ):
        response = client.post("/fairs/manage/new", data=_fair_form(token, **bad))
        assert response.status_code == 400, bad
    response = client.post(
        "/fairs/manage/new",
        data=_fair_form(token, banner=(io.BytesIO(b"not an image"), "x.jpg")),
        content_type="multipart/form-data",
    )
    assert response.status_code == 400
    assert session.execute(select(Fair)).first() is None


def test_an_organiser_manages_only_their_own_fairs(client, session, organiser):
    other = make_user(session, email="btc2@example.vn", role=Role.ORGANISER)
    theirs = make_fair(session, other)
    admin = make_user(session, email="qt@example.vn", role=Role.ADMIN)
    session.commit()
    log_in(client, organiser.email)
    token = csrf_token_from(client.get("/fairs/manage/new").text)
    assert client.get(f"/fairs/manage/{theirs.id}").status_code == 404
    assert client.get(f"/fairs/manage/{theirs.id}/report").status_code == 404
    posted = client.post(f"/fairs/manage/{theirs.id}", data=_fair_form(token, name="Chiếm"))
    assert posted.status_code == 404
    state = client.post(
        f"/fairs/manage/{theirs.id}/state", data={"csrf_token": token, "state": "closed"}
    )
    assert state.status_code == 404
    assert theirs.name != "Chiếm"
    assert theirs.name not in client.get("/fairs/manage").text
    client.post("/account/logout", data={"csrf_token": token})
    admin_client = client.application.test_client()
    log_in(admin_client, admin.email)
    assert admin_client.get(f"/fairs/manage/{theirs.id}").status_code == 200


def test_a_draft_fair_is_hidden_from_the_public(client, session, organiser):
    draft = make_fair(session, organiser, state=FairState.DRAFT)
    session.commit()
    assert client.get(f"/fairs/{draft.slug}").status_code == 404
    assert draft.name not in client.get("/fairs").text
    log_in(client, organiser.email)
    assert client.get(f"/fairs/{draft.slug}").status_code == 200


def _feature(session, fair_world, price=120_000):  # type: ignore[no-untyped-def]
    services.feature_variant(session, fair_world["fair"], fair_world["variant"].id, 0, price)
    services.update_booth(
        session, fair_world["exhibitor"], "Gian mật ong", [fair_world["product"].id]
    )
    session.commit()


def test_the_fair_page_shows_the_fair_price_only_while_open(client, session, fair_world):
    _feature(session, fair_world)
    fair = fair_world["fair"]
    page = client.get(f"/fairs/{fair.slug}").text
    assert "120.000" in page and "<del" in page and "150.000" in page
    assert "Gian mật ong" in page and "HTX Ong mật Mường Phăng" in page
    fair.closes_at = datetime.now(UTC) - timedelta(minutes=1)
    fair.opens_at = fair.closes_at - timedelta(days=1)
    session.commit()
    page = client.get(f"/fairs/{fair.slug}").text
    assert "120.000" not in page and "<del" not in page
    assert "Hội chợ trực tuyến đã kết thúc." in page


def test_the_fair_page_takes_a_fixed_number_of_queries(
    client, session, organiser, fair_world, count_queries
):
    _feature(session, fair_world)
    fair = fair_world["fair"]
    slug = fair.slug
    client.get(f"/fairs/{slug}")
    with count_queries() as small:
        assert client.get(f"/fairs/{slug}").status_code == 200
    for n in range(3):
        producer = make_producer(session)
        member = make_product(session, producer, price=90_000)
        exhibitor = services.invite_exhibitor(session, fair, producer.id)
        services.accept_invitation(session, exhibitor)
        services.update_booth(session, exhibitor, f"Gian {n}", [member.id])
        services.feature_variant(session, fair, variant_of(session, member).id, n + 1, 80_000)
    session.commit()
    slug = fair.slug
    with count_queries() as large:
        page = client.get(f"/fairs/{slug}")
    assert page.status_code == 200 and "Gian 2" in page.text
    assert large.count == small.count, "\n".join(
        s[:120] for s in small.statements + ["--"] + large.statements
    )


def test_visiting_an_open_fair_attributes_the_buyer(client, session, fair_world):
    fair = fair_world["fair"]
    client.get(f"/fairs/{fair.slug}")
    with client.session_transaction() as cookie:
        assert cookie[SESSION_KEY]["kind"] == "fair" and cookie[SESSION_KEY]["id"] == fair.id


def test_lists_and_home_page(client, session, organiser, fair_world):
    fair = fair_world["fair"]
    upcoming = make_fair(
        session,
        organiser,
        name="Hội chợ Xuân sắp tới",
        opens_local=vietnam_now() + timedelta(days=10),
        closes_local=vietnam_now() + timedelta(days=12),
    )
    past = make_fair(
        session,
        organiser,
        name="Hội chợ năm ngoái",
        opens_local=vietnam_now() - timedelta(days=400),
        closes_local=vietnam_now() - timedelta(days=390),
    )
    today = today_in_vietnam()
    user = fair_world["owner"]
    current = services.add_home_feature(
        session, user, fair_world["product"].id, 0, today, today + timedelta(days=1)
    )
    later = make_product(session, name="Lạc đỏ Na Son")
    services.add_home_feature(
        session, user, later.id, 1, today + timedelta(days=2), today + timedelta(days=3)
    )
    session.commit()
    listing = client.get("/fairs").text
    assert listing.index(fair.name) < listing.index(upcoming.name) < listing.index(past.name)
    home = client.get("/").text
    assert fair.name in home and upcoming.name not in home and past.name not in home
    assert "Sản phẩm nổi bật" in home and "Mật ong hoa Ban" in home
    assert "Lạc đỏ Na Son" not in home.split("Sản phẩm nổi bật")[1]
    assert session.get(HomeFeature, current.id) is not None


def test_a_producer_edits_only_its_own_booth(client, session, fair_world):
    fair, owner = fair_world["fair"], fair_world["owner"]
    rival = make_producer(session, name="HTX Đối thủ")
    rival_owner = make_member(session, rival, email="doithu@example.vn")
    rival_exhibitor = services.invite_exhibitor(session, fair, rival.id)
    session.commit()
    producer_id, own_id = fair_world["producer"].id, fair_world["exhibitor"].id
    log_in(client, owner.email)
    page = client.get(f"/producer/{producer_id}/fairs/{own_id}")
    token = csrf_token_from(page.text)
    saved = client.post(
        f"/producer/{producer_id}/fairs/{own_id}",
        data={
            "csrf_token": token,
            "description": "Mời ghé gian mật ong",
            "products": [str(fair_world["product"].id)],
        },
    )
    assert saved.status_code == 302
    assert "Mời ghé gian mật ong" in client.get(f"/fairs/{fair.slug}").text
    # another producer's booth, through the owner's own producer id or the rival's
    assert client.get(f"/producer/{producer_id}/fairs/{rival_exhibitor.id}").status_code == 404
    assert client.get(f"/producer/{rival.id}/fairs/{rival_exhibitor.id}").status_code == 404
    refused = client.post(
        f"/producer/{producer_id}/fairs/{rival_exhibitor.id}",
        data={"csrf_token": token, "description": "x"},
    )
    assert refused.status_code == 404
    # and a product of someone else is refused in one's own booth
    foreign = make_product(session, rival)
    session.commit()
    client.post(
        f"/producer/{producer_id}/fairs/{own_id}",
        data={"csrf_token": token, "products": [str(foreign.id)]},
    )
    assert foreign.name not in client.get(f"/fairs/{fair.slug}").text
    assert rival_owner.id


def test_the_producer_accepts_an_invitation(client, session, organiser, fair_world):
    fair = make_fair(session, organiser, name="Hội chợ mời")
    exhibitor = services.invite_exhibitor(session, fair, fair_world["producer"].id)
    session.commit()
    producer_id = fair_world["producer"].id
    log_in(client, fair_world["owner"].email)
    page = client.get(f"/producer/{producer_id}/fairs")
    assert "Hội chợ mời" in page.text
    client.post(
        f"/producer/{producer_id}/fairs/{exhibitor.id}/accept",
        data={"csrf_token": csrf_token_from(page.text)},
    )
    session.expire_all()
    assert exhibitor.status == "accepted"


def test_a_producer_sees_and_accepts_an_invitation_to_a_draft_fair(
    client, session, organiser, fair_world
):
    """An organiser gathers exhibitors before publishing: the producer sees the draft
    invitation, marked as not public yet, and accepts it; the public still sees nothing."""
    draft = make_fair(session, organiser, name="Hội chợ Xuân (nháp)", state=FairState.DRAFT)
    exhibitor = services.invite_exhibitor(session, draft, fair_world["producer"].id)
    session.commit()
    producer_id = fair_world["producer"].id
    log_in(client, fair_world["owner"].email)
    page = client.get(f"/producer/{producer_id}/fairs").text
    assert "Hội chợ Xuân (nháp)" in page and "Chưa công bố" in page
    assert f'href="/fairs/{draft.slug}"' not in page  # its page is not public
    client.post(
        f"/producer/{producer_id}/fairs/{exhibitor.id}/accept",
        data={"csrf_token": csrf_token_from(page)},
    )
    session.expire_all()
    assert exhibitor.status == "accepted"
    booth = client.get(f"/producer/{producer_id}/fairs/{exhibitor.id}")
    assert booth.status_code == 200  # the booth can be prepared before the fair opens
    with client.application.test_client() as visitor:
        assert visitor.get(f"/fairs/{draft.slug}").status_code == 404


def test_the_fair_report_counts_attributed_orders(client, session, organiser, fair_world):
    fair, variant = fair_world["fair"], fair_world["variant"]
    inside = place(session, [(variant.id, 2)])  # Hà Nội: outside Điện Biên
    local = place(session, [(variant.id, 1)], province=DIEN_BIEN, ward=3127)
    place(session, [(variant.id, 5)])  # not through the fair
    record_fair_order(session, inside.id, fair.id)
    record_fair_order(session, local.id, fair.id)
    session.commit()
    log_in(client, organiser.email)
    page = client.get(f"/fairs/manage/{fair.id}/report").text
    assert 'class="bar-list"' in page and 'class="bar-track"' in page  # the chart
    assert "Mật ong hoa Ban" in page
    assert "50%" in page  # one of the producer's two orders went outside its province
    assert "450.000" in page  # 3 × 150.000
    csv = client.get(f"/fairs/manage/{fair.id}/report.csv")
    assert csv.mimetype == "text/csv"
    lines = csv.text.lstrip("\ufeff").splitlines()
    assert lines[1].startswith("HTX Ong mật Mường Phăng,Mật ong hoa Ban,2,3,450000")


def test_the_report_csv_does_not_carry_formulas():
    from storefront.fairs.report import FairReport, ProductRow, report_csv

    report = FairReport(1, 1, 10, [], [ProductRow("=HYPERLINK(1)", "+SUM(A1)", 1, 1, 10)], [])
    assert "'=HYPERLINK(1),'+SUM(A1),1,1,10" in report_csv(report)
