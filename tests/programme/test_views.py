"""The dashboard pages: who may open which, what they show (never a buyer's details), the
period selector, CSV, and a statement count that does not grow with the orders."""

from __future__ import annotations

import pytest

from storefront.accounts.models import Role
from storefront.spreadsheets import SpreadsheetCsv
from tests.accounts.helpers import log_in, make_member, make_user
from tests.factories import DIEN_BIEN, make_product
from tests.orders.helpers import GIA_LAI, GIA_LAI_WARD, place, variant_of
from tests.programme.helpers import build_province, make_officer

PAGES = [
    "/programme/dien-bien",
    "/programme/dien-bien?period=52w&sort=outside&dir=asc",
    "/programme/dien-bien/producers.csv",
    "/programme/dien-bien/months.csv?period=2025",
]
NATIONAL = ["/programme/", "/programme/ranking.csv"]


def _people(session):  # type: ignore[no-untyped-def]
    shop = build_province(session)
    make_user(session, email="mua@example.vn")
    make_member(session, shop.honey, email="ong@example.vn")
    make_user(session, email="btc@example.vn", role=Role.ORGANISER)
    make_user(session, email="qt@example.vn", role=Role.ADMIN)
    make_officer(session, "gialai@example.vn", [GIA_LAI])
    make_officer(session, "dienbien@example.vn", [DIEN_BIEN])
    session.commit()
    return shop


@pytest.mark.parametrize("path", PAGES + NATIONAL)
def test_anonymous_visitors_are_sent_to_log_in(client, session, path):
    _people(session)
    response = client.get(path)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


@pytest.mark.parametrize("email", ["mua@example.vn", "ong@example.vn", "btc@example.vn"])
@pytest.mark.parametrize("path", PAGES + NATIONAL)
def test_buyers_producers_and_organisers_are_refused(client, session, email, path):
    _people(session)
    log_in(client, email)
    assert client.get(path).status_code == 403


@pytest.mark.parametrize("path", PAGES)
def test_an_officer_of_another_province_finds_nothing(client, session, path):
    _people(session)
    log_in(client, "gialai@example.vn")
    assert client.get(path).status_code == 404
    assert client.get(path.replace("dien-bien", "gia-lai")).status_code == 200


@pytest.mark.parametrize("path", NATIONAL)
def test_officers_have_no_national_view(client, session, path):
    _people(session)
    log_in(client, "dienbien@example.vn")
    response = client.get(path)
    if path == "/programme/":  # their own province instead
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/programme/dien-bien")
    else:
        assert response.status_code == 403


@pytest.mark.parametrize("email", ["dienbien@example.vn", "qt@example.vn"])
@pytest.mark.parametrize("path", PAGES)
def test_the_officer_and_admins_read_the_dashboard(client, session, email, path):
    _people(session)
    log_in(client, email)
    response = client.get(path)
    assert response.status_code == 200
    assert "Nguyễn Thị Lan" not in response.text  # the buyers' name, phone, street
    assert "0912345678" not in response.text and "Phố Huế" not in response.text


def test_admins_open_any_province_and_the_national_ranking(client, session):
    _people(session)
    log_in(client, "qt@example.vn")
    assert client.get("/programme/gia-lai").status_code == 200
    assert client.get("/programme/atlantis").status_code == 404
    page = client.get("/programme/?period=2025")
    assert page.status_code == 200 and "Điện Biên" in page.text
    rows = page.text.split('id="by-share"')[1].split("</table>")[0]
    # Gia Lai sent its one part of 2025 outside (to Điện Biên); Điện Biên 3 of its 4.
    assert rows.index("Gia Lai") < rows.index("Điện Biên") < rows.index("Hà Nội")
    assert "100.0%" in rows and "75.0%" in rows


def test_the_dashboard_shows_the_province_numbers(client, session):
    _people(session)
    log_in(client, "dienbien@example.vn")
    page = client.get("/programme/dien-bien?period=2025").text
    assert "75.0%" in page  # 3 of 4 parts outside in 2025
    assert page.count("<svg") >= 1 and 'class="tile-map"' in page
    assert page.count('<rect class="tile') == 34
    assert "HTX Mật ong Mường Phăng" in page and "Hộ kinh doanh" in page
    assert "HTX Yến Chư Sê" not in page  # Gia Lai's producer
    assert "style=" not in page


def test_a_bad_period_says_so_and_shows_the_default(client, session):
    _people(session)
    log_in(client, "dienbien@example.vn")
    for bad in ("1999", "5w", "%00", "2025-01", "x" * 500):
        response = client.get("/programme/dien-bien", query_string={"period": bad})
        assert response.status_code == 400
        assert "Khoảng thời gian không hợp lệ" in response.text
    assert client.get("/programme/dien-bien/nothing.csv").status_code == 404


def test_csv_holds_the_table_with_formulas_neutralised(client, session):
    shop = _people(session)
    shop.honey.name = "=HYPERLINK(1)"
    session.commit()
    log_in(client, "dienbien@example.vn")
    response = client.get("/programme/dien-bien/producers.csv?period=2025&sort=name&dir=asc")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeffchu_the,loai_hinh")
    assert "'=HYPERLINK(1)" in text and "Hộ Lò Văn Lạc" in text
    months = client.get("/programme/dien-bien/months.csv?period=2025").get_data(as_text=True)
    assert "2025-11,2,3,400000,2,3,400000,100.0" in months
    assert isinstance(SpreadsheetCsv().text(), str)


def test_the_page_costs_the_same_whatever_the_orders(client, session, count_queries):
    shop = _people(session)
    log_in(client, "dienbien@example.vn")
    url = "/programme/dien-bien?period=52w"
    client.get(url)
    session.expire_all()
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(5):
        product = make_product(session, shop.household, name=f"Thêm {n}", stock=50)
        place(
            session, [(variant_of(session, product).id, n + 1)], province=GIA_LAI, ward=GIA_LAI_WARD
        )
    session.commit()
    session.expire_all()
    with count_queries() as many:
        assert client.get(url).status_code == 200
    assert many.count == few.count
    assert few.count <= 20
