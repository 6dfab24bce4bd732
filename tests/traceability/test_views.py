"""The producer's batch pages and the public trace page, through HTTP."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from storefront.catalog import services as catalog
from storefront.timeutil import today_in_vietnam
from storefront.traceability import codes
from storefront.traceability.models import Batch, BatchScanDay
from tests.accounts.helpers import log_in, make_member
from tests.conftest import csrf_token_from
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD, make_producer, make_product
from tests.traceability.helpers import first_variant, make_batch

PRODUCT = "Mật ong hoa Ban Mường Phăng"


@pytest.fixture
def world(app, session):  # type: ignore[no-untyped-def]
    """A producer with a member account and a 4★ product, and another producer."""
    mine = make_producer(session, name="HTX Ong mật Mường Phăng")
    theirs = make_producer(session, name="HTX Lạc đỏ Na Son")
    product = make_product(session, mine, name=PRODUCT, stars=4)
    their_product = make_product(session, theirs, name="Lạc đỏ Na Son")
    user = make_member(session, mine, email="ong@example.vn")
    make_member(session, theirs, email="lac@example.vn")
    session.commit()
    client = app.test_client()
    assert log_in(client, user.email).status_code == 302
    return {"client": client, "product": product, "their_product": their_product, "mine": mine}


def _form(session, world, **changes):  # type: ignore[no-untyped-def]
    today = today_in_vietnam()
    data = {
        "variant_id": first_variant(session, world["product"]).id,
        "produced_on": (today - timedelta(days=3)).isoformat(),
        "expires_on": (today + timedelta(days=700)).isoformat(),
        "quantity": "240",
        "province_code": DIEN_BIEN,
        "ward_code": DIEN_BIEN_WARD,
        "place_detail": "Bản Kéo, xã Mường Phăng",
        "steps-0-kind": "growing",
        "steps-0-happened_on": (today - timedelta(days=10)).isoformat(),
        "steps-0-place": "Rừng hoa Ban Mường Phăng",
        "steps-0-note": "Quay mật từ cầu ong",
        "steps-1-kind": "packing",
        "steps-1-happened_on": (today - timedelta(days=3)).isoformat(),
        "steps-1-place": "Xưởng HTX",
        "steps-2-kind": "",
        "steps-3-kind": "",
    }
    data.update(changes)
    return data


def _post_new(client, data):  # type: ignore[no-untyped-def]
    page = client.get("/producer/batches/new")
    assert page.status_code == 200
    return client.post(
        "/producer/batches/new", data={**data, "csrf_token": csrf_token_from(page.text)}
    )


def _batch_count(session) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.execute(select(func.count()).select_from(Batch)).scalar_one()


def test_a_producer_records_a_batch_and_sees_it(session, world) -> None:
    client = world["client"]
    form = client.get("/producer/batches/new").text
    assert PRODUCT in form
    assert "Lạc đỏ Na Son" not in form  # only the producer's own variants are offered
    response = _post_new(client, _form(session, world))
    assert response.status_code == 302
    batch = session.execute(select(Batch)).scalar_one()
    assert response.headers["Location"] == f"/producer/batches/{batch.id}"
    page = client.get(response.headers["Location"]).text
    assert codes.display(batch.code) in page
    assert "Rừng hoa Ban Mường Phăng" in page and "Quay mật từ cầu ong" in page
    assert "Thêm công đoạn" in page
    listing = client.get("/producer/batches").text
    assert codes.display(batch.code) in listing


def test_a_variant_of_another_producer_is_not_found(session, world) -> None:
    their_variant = first_variant(session, world["their_product"]).id
    response = _post_new(world["client"], _form(session, world, variant_id=their_variant))
    assert response.status_code == 404
    assert _batch_count(session) == 0


def test_another_producers_batch_pages_are_not_found(session, world) -> None:
    theirs = make_batch(session, product=world["their_product"])
    session.commit()
    client = world["client"]
    for suffix in ("", "/qr.svg", "/qr.png", "/stamps.pdf?count=3"):
        assert client.get(f"/producer/batches/{theirs.id}{suffix}").status_code == 404, suffix
    page = client.get("/producer/batches/new")
    response = client.post(
        f"/producer/batches/{theirs.id}/steps",
        data={
            "kind": "other",
            "happened_on": today_in_vietnam().isoformat(),
            "csrf_token": csrf_token_from(page.text),
        },
    )
    assert response.status_code == 404
    assert codes.display(theirs.code) not in client.get("/producer/batches").text


def test_bad_dates_are_shown_beside_the_field(session, world) -> None:
    today = today_in_vietnam()
    response = _post_new(
        world["client"], _form(session, world, expires_on=(today - timedelta(days=5)).isoformat())
    )
    assert response.status_code == 200
    assert "Hạn sử dụng phải sau ngày sản xuất." in response.text
    response = _post_new(world["client"], _form(session, world, produced_on="31/02/2026"))
    assert "Ngày không hợp lệ." in response.text
    response = _post_new(
        world["client"],
        _form(session, world, **{"steps-1-happened_on": (today + timedelta(days=2)).isoformat()}),
    )
    assert "Ngày của công đoạn không được sau hôm nay." in response.text
    response = _post_new(world["client"], _form(session, world, **{"steps-1-happened_on": ""}))
    assert "Vui lòng điền mục này." in response.text
    assert _batch_count(session) == 0


def test_choosing_a_province_lists_its_wards_without_recording(session, world) -> None:
    data = _form(session, world, province_code="86", ward_code="0", choose_province="1")
    response = _post_new(world["client"], data)
    assert response.status_code == 200
    assert "Phường Trà Vinh" in response.text
    assert _batch_count(session) == 0


def test_a_step_is_added_from_the_batch_page(session, world) -> None:
    batch = make_batch(session, product=world["product"], step_count=0)
    session.commit()
    client = world["client"]
    page = client.get(f"/producer/batches/{batch.id}")
    response = client.post(
        f"/producer/batches/{batch.id}/steps",
        data={
            "kind": "processing",
            "happened_on": today_in_vietnam().isoformat(),
            "place": "Xưởng lọc mật",
            "note": "Lọc và tách nước",
            "csrf_token": csrf_token_from(page.text),
        },
    )
    assert response.status_code == 302
    assert "Xưởng lọc mật" in client.get(f"/producer/batches/{batch.id}").text
    refused = client.post(
        f"/producer/batches/{batch.id}/steps",
        data={"kind": "", "happened_on": "", "csrf_token": csrf_token_from(page.text)},
    )
    assert refused.status_code == 422
    assert "Vui lòng chọn loại công đoạn." in refused.text


# --- the public trace page --------------------------------------------------------------


def test_the_trace_page_shows_the_batch_to_anyone(app, session, world) -> None:
    batch = make_batch(session, product=world["product"], step_count=3)
    session.commit()
    response = app.test_client().get(f"/t/{batch.code}")
    assert response.status_code == 200
    page = response.text
    for expected in (
        PRODUCT,
        "HTX Ong mật Mường Phăng",
        "Phường Điện Biên Phủ",
        "Điện Biên",
        "Bản Kéo",
        codes.display(batch.code),
        "OCOP 4 sao",
        "Còn hiệu lực đến hết ngày",
        "Trồng trọt, chăn nuôi, thu hoạch",
        "Chế biến",
        "Đóng gói",
        "Nương ong số 3",
        "Thu hoạch mật sau mùa hoa Ban",
        f'href="/products/{world["product"].slug}"',
        "Mua sản phẩm này",
    ):
        assert expected in page, expected
    assert "đã hết hạn" not in page


def test_an_expired_certificate_is_flagged(app, session, world) -> None:
    product = make_product(session, world["mine"], name="Thịt lợn khô", expired=True)
    batch = make_batch(session, product=product, produced_days_ago=400)
    session.commit()
    page = app.test_client().get(f"/t/{batch.code}").text
    assert "Giấy chứng nhận này đã hết hạn ngày" in page
    assert "Còn hiệu lực" not in page


def test_an_unpublished_product_has_no_buy_link(app, session, world) -> None:
    product = make_product(session, world["mine"], name="Khoai sọ Phì Nhừ", published=False)
    batch = make_batch(session, product=product)
    session.commit()
    page = app.test_client().get(f"/t/{batch.code}").text
    assert "Khoai sọ Phì Nhừ" in page
    assert "Mua sản phẩm này" not in page


def test_codes_are_found_however_they_are_typed(app, session, world) -> None:
    batch = make_batch(session, product=world["product"])
    session.commit()
    client = app.test_client()
    typed = codes.display(batch.code).lower().replace("0", "o").replace("1", "l")
    assert client.get(f"/t/{typed}").status_code == 200
    response = client.get("/t/", query_string={"code": f" {typed} "})
    assert response.status_code == 302
    assert response.headers["Location"] == f"/t/{batch.code}"
    assert "Tra cứu nguồn gốc sản phẩm" in client.get("/t/").text


def test_scans_are_counted_per_day_without_visitor_data(app, session, world) -> None:
    batch = make_batch(session, product=world["product"])
    session.commit()
    client = app.test_client()
    for _ in range(3):
        client.get(f"/t/{batch.code}")
    session.expire_all()
    rows = session.execute(select(BatchScanDay)).scalars().all()
    assert [(r.batch_id, r.day, r.scans) for r in rows] == [(batch.id, today_in_vietnam(), 3)]
    columns = set(BatchScanDay.__table__.columns.keys())
    assert columns == {"batch_id", "day", "scans"}
    assert "3" in world["client"].get(f"/producer/batches/{batch.id}").text


def test_the_trace_page_takes_a_fixed_number_of_queries(app, session, world, count_queries) -> None:
    small = make_batch(session, product=world["product"], step_count=1)
    product = make_product(session, world["mine"], name="Lạc đỏ rang")
    for n in range(3):
        catalog.add_photo(session, product, f"photos/lac-{n}.jpg", 800, 600)
    large = make_batch(session, product=product, step_count=8)
    session.commit()
    client = app.test_client()
    counts = []
    for code in (small.code, large.code):
        with count_queries() as counter:
            assert client.get(f"/t/{code}").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1] <= 4, counts


def test_an_unknown_code_may_be_counterfeit(app, session, world) -> None:
    app.config["SUPPORT_EMAIL"] = "truyxuat@ocop.example.vn"
    try:
        code = codes.new_code()
        response = app.test_client().get(f"/t/{code}")
    finally:
        app.config.pop("SUPPORT_EMAIL")
    assert response.status_code == 404
    assert "Không tìm thấy mã truy xuất" in response.text
    assert "có thể là hàng giả" in response.text
    assert "mailto:truyxuat@ocop.example.vn" in response.text
    assert session.execute(select(func.count()).select_from(BatchScanDay)).scalar_one() == 0


def test_a_mistyped_code_is_told_so(app, session, world) -> None:
    batch = make_batch(session, product=world["product"])
    session.commit()
    wrong = "Z" if batch.code[3] != "Z" else "Y"
    typo = batch.code[:3] + wrong + batch.code[4:]
    client = app.test_client()
    for attempt in (typo, batch.code[:-1], "/t/?code=" + typo):
        url = attempt if attempt.startswith("/") else f"/t/{attempt}"
        response = client.get(url)
        assert response.status_code == 404, url
        assert "Mã truy xuất có vẻ bị gõ nhầm" in response.text
        assert "hàng giả" not in response.text.split("<h1")[1].split("</h1>")[0]


@pytest.mark.parametrize(
    "path",
    [
        "/t/" + "7" * 5000,
        "/t/%F0%9F%98%80%F0%9F%98%80",
        "/t/M%E1%BA%ADt%20ong",
        "/t/%00%00",
        "/t/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/t/..%2F..%2Fetc",
        "/t/?code=" + "x" * 3000,
        "/t/?code=%FF%FE",
    ],
    ids=["long", "emoji", "vietnamese", "nul", "script", "dots", "long-query", "bad-bytes"],
)
def test_no_input_breaks_the_trace_page(app, path) -> None:
    response = app.test_client().get(path)
    assert response.status_code == 404
    assert "<script>alert" not in response.text
