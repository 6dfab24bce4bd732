"""An agreement's deliveries as CSV, and its printable summary as an A4 PDF.

The PDF uses the fonts the traceability stamps embed (DejaVu Sans Condensed, in
storefront/fonts/: it covers Vietnamese), as a subset, so it prints the same everywhere.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import date

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas

from storefront.dates import format_day
from storefront.money import vnd
from storefront.offtake.models import DeliveryState, OfftakeAgreement, PriceMode
from storefront.offtake.services import Progress
from storefront.places import get_province, get_ward
from storefront.spreadsheets import SpreadsheetCsv
from storefront.traceability.stamps import BOLD, REGULAR, _register_fonts

CSV_COLUMNS = (
    "agreement",
    "due_on",
    "quantity",
    "unit_price_vnd",
    "value_vnd",
    "state",
    "ordered_on",
    "order_id",
    "part_status",
    "on_time",
    "shortfall_note",
)
STATE_LABELS = {
    DeliveryState.SCHEDULED: "Đã lên lịch",
    DeliveryState.ORDERED: "Đã thành đơn hàng",
    DeliveryState.SHORTFALL: "Thiếu hàng",
    DeliveryState.SUPERSEDED: "Đã thay thế",
}


def agreement_number(agreement: OfftakeAgreement) -> str:
    return f"HĐ-{agreement.id:05d}"


def deliveries_csv(agreement: OfftakeAgreement, part_status: Mapping[int, str]) -> str:
    """One row per delivery in force (superseded ones left out), with a BOM."""
    writer = SpreadsheetCsv()
    writer.writerow(CSV_COLUMNS)
    for delivery in agreement.deliveries:
        if delivery.state == DeliveryState.SUPERSEDED:
            continue
        on_time = ""
        if delivery.ordered_on is not None:
            on_time = "yes" if delivery.ordered_on <= delivery.due_on else "no"
        writer.writerow(
            (
                agreement_number(agreement),
                delivery.due_on.isoformat(),
                delivery.quantity,
                delivery.unit_price_vnd,
                delivery.value_vnd,
                delivery.state,
                delivery.ordered_on.isoformat() if delivery.ordered_on else "",
                delivery.order_id or "",
                part_status.get(delivery.order_id, "") if delivery.order_id else "",
                on_time,
                delivery.shortfall_note,
            )
        )
    return writer.text()


def address_text(agreement: OfftakeAgreement) -> str:
    ward, province = get_ward(agreement.ward_code), get_province(agreement.province_code)
    parts = [agreement.address_line, ward.name if ward else "", province.name if province else ""]
    return ", ".join(part for part in parts if part)


def summary_pdf(agreement: OfftakeAgreement, progress: Progress, today: date) -> bytes:
    """A4 summary: the parties, the pack, the price, the schedule and the progress."""
    _register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    width, height = A4
    margin = 18 * mm
    canvas.setTitle(f"Hợp đồng bao tiêu {agreement_number(agreement)}")
    canvas.setAuthor("OCOP Storefront")
    y = height - margin

    def line(text: str, font: str = REGULAR, size: float = 10, gap: float = 4) -> None:
        nonlocal y
        for piece in simpleSplit(text, font, size, width - 2 * margin) or [""]:
            if y < margin + size:
                canvas.showPage()
                y = height - margin
            canvas.setFont(font, size)
            canvas.drawString(margin, y - size, piece)
            y -= size + gap

    line(f"HỢP ĐỒNG BAO TIÊU SẢN PHẨM {agreement_number(agreement)}", BOLD, 14, 8)
    line(f"Bên mua: {agreement.buyer_name}", BOLD)
    line(f"Bên bán (chủ thể OCOP): {agreement.producer_name}", BOLD)
    line(f"Sản phẩm: {agreement.product_name} ({agreement.variant_label})")
    if agreement.price_mode == PriceMode.FIXED and agreement.unit_price_vnd:
        line(f"Đơn giá cố định: {vnd(agreement.unit_price_vnd)} cho mọi lần giao")
    else:
        line("Đơn giá: theo từng lần giao (xem lịch giao)")
    committed = vnd(agreement.committed_vnd)
    line(f"Tổng số lượng: {agreement.total_quantity}; giá trị cam kết: {committed}")
    line(f"Địa chỉ giao hàng: {address_text(agreement)}")
    if agreement.signed_at is not None:
        line(f"Ngày ký: {format_day(agreement.signed_at.date())} (phiên bản {agreement.version})")
    line(f"Thanh toán: khi nhận hàng (COD) cho mỗi lần giao. In ngày {format_day(today)}.", gap=10)
    line("Tiến độ", BOLD, 12, 6)
    line(
        f"Đã thành đơn hàng {progress.ordered_units}/{progress.committed_units} "
        f"({progress.percent}%), đã giao {progress.delivered_units}; đúng hạn {progress.on_time}, "
        f"trễ {progress.late}, thiếu hàng {progress.shortfalls}; giá trị đến nay "
        f"{vnd(progress.value_so_far_vnd)}.",
        gap=10,
    )
    line("Lịch giao", BOLD, 12, 6)
    for delivery in agreement.deliveries:
        if delivery.state == DeliveryState.SUPERSEDED:
            continue
        line(
            f"{format_day(delivery.due_on)}: {delivery.quantity} × {vnd(delivery.unit_price_vnd)}"
            f" = {vnd(delivery.value_vnd)} · {STATE_LABELS[DeliveryState(delivery.state)]}"
        )
    y -= 20
    line("Đại diện bên mua                                   Đại diện bên bán", BOLD, 10, 40)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
