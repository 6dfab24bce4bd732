"""The fair report's business side: meetings held and ahead, and the share with buyers
whose business is registered outside the exhibiting producer's province."""

from __future__ import annotations

from datetime import timedelta

from storefront.fairs.report import BUSINESS_FIGURES, BusinessRow, business_section
from storefront.meetings import services
from storefront.meetings.report import fair_meeting_figures
from storefront.timeutil import utcnow
from tests.accounts.helpers import log_in
from tests.factories import DIEN_BIEN
from tests.meetings.helpers import make_business_buyer, open_slot


def _meet(session, world, buyer, hours, accept=True):  # type: ignore[no-untyped-def]
    slot = open_slot(session, world["exhibitor"], hours_ahead=hours)
    meeting = services.book_slot(session, slot.id, buyer, "", utcnow())
    if accept:
        services.accept_meeting(session, meeting, utcnow())
    return meeting


def test_meetings_held_and_ahead_with_the_outside_share(session, world):
    local = make_business_buyer(session, "dienbien@example.vn", "Cửa hàng Mường Thanh", DIEN_BIEN)
    _meet(session, world, world["buyer"], 3)  # Hà Nội: outside
    _meet(session, world, local, 4)  # Điện Biên, like the producer: inside
    _meet(session, world, world["other_buyer"], 5, accept=False)  # only asked: not counted
    fourth = make_business_buyer(session, "fourth@example.vn", "Đại lý Bốn")
    far = _meet(session, world, fourth, 5.5, accept=False)
    services.decline_meeting(session, far, "Kín lịch", utcnow())
    session.commit()
    held, ahead = fair_meeting_figures(session, world["fair"].id, utcnow())
    assert (held.count, ahead.count, ahead.outside, ahead.outside_share) == (0, 2, 1, 50)
    held, ahead = fair_meeting_figures(session, world["fair"].id, utcnow() + timedelta(hours=6))
    assert (held.key, held.count, held.outside, held.outside_share) == ("meetings_held", 2, 1, 50)
    assert ahead.count == 0
    # Another fair's report does not count them.
    assert [r.count for r in fair_meeting_figures(session, world["fair"].id + 1)] == [0, 0]


def test_the_section_orders_the_domains_rows(session, world, monkeypatch):
    monkeypatch.setitem(
        BUSINESS_FIGURES,
        "agreements",
        lambda s, f: [BusinessRow("agreements_signed", "Hợp đồng", 1, 1, 5_000_000)],
    )
    monkeypatch.setitem(
        BUSINESS_FIGURES, "quotes", lambda s, f: [BusinessRow("quotes_asked", "Báo giá", 3, 2)]
    )
    keys = [row.key for row in business_section(session, world["fair"].id)]
    assert keys == ["meetings_held", "meetings_ahead", "quotes_asked", "agreements_signed"]


def test_the_report_page_and_csv_show_the_business_side(app, session, world):
    _meet(session, world, world["buyer"], 3)
    session.commit()
    client = app.test_client()
    assert log_in(client, "btc@example.vn").status_code == 302
    page = client.get(f"/fairs/manage/{world['fair'].id}/report").text
    assert "Giao thương với doanh nghiệp" in page
    assert "Lịch gặp đã xác nhận, sắp diễn ra" in page
    csv = client.get(f"/fairs/manage/{world['fair'].id}/report.csv").data.decode("utf-8-sig")
    assert "giao_thuong,so_luong,ty_le_ngoai_tinh_phan_tram,gia_tri_vnd" in csv
    assert "meetings_ahead,1,100," in csv
