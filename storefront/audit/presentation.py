"""The audit log in words: what was done, to which order, fair or account, and what
changed, instead of raw codes (`order.mark_paid`, `customer_order #1`, JSON).

Entries name their target by table and id; the page's targets and the rows their values
point at (a producer, a fair, a pack) are looked up by table in one query per table
present, through the shared metadata, so the audit log imports no other domain.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import format_decimal, gettext
from sqlalchemy import select

from storefront.audit.models import AuditEntry
from storefront.extensions import Session, db
from storefront.i18n import N_
from storefront.money import vnd
from storefront.site.templating import local_date, local_datetime

ACTION_LABELS = {
    "application.approve": N_("Duyệt đơn đăng ký chủ thể"),
    "application.reject": N_("Từ chối đơn đăng ký chủ thể"),
    "certificate.verify": N_("Xác minh giấy chứng nhận OCOP"),
    "certificate.reject": N_("Từ chối giấy chứng nhận OCOP"),
    "commission.set": N_("Đặt tỷ lệ hoa hồng"),
    "exhibitor.invite": N_("Mời chủ thể tham gia hội chợ"),
    "exhibitor.accept": N_("Duyệt gian hàng hội chợ"),
    "exhibitor.remove": N_("Gỡ chủ thể khỏi hội chợ"),
    "fair.create": N_("Tạo hội chợ"),
    "fair.update": N_("Sửa hội chợ"),
    "fair.banner": N_("Đổi ảnh bìa hội chợ"),
    "fair.state": N_("Đổi trạng thái hội chợ"),
    "feature.set": N_("Đặt sản phẩm nổi bật của hội chợ"),
    "feature.remove": N_("Bỏ sản phẩm nổi bật của hội chợ"),
    "home_feature.add": N_("Thêm sản phẩm nổi bật trên trang chủ"),
    "home_feature.remove": N_("Bỏ sản phẩm nổi bật trên trang chủ"),
    "order.mark_paid": N_("Ghi nhận đã nhận tiền chuyển khoản"),
    "refund.create": N_("Hoàn tiền"),
    "settlement.paid": N_("Ghi nhận đã thanh toán cho chủ thể"),
    "shipping.rates": N_("Sửa biểu phí vận chuyển"),
    "user.role": N_("Đổi vai trò tài khoản"),
}
TARGET_LABELS = {
    "customer_order": N_("Đơn hàng"),
    "fair": N_("Hội chợ"),
    "fair_exhibitor": N_("Gian hàng hội chợ"),
    "fair_feature": N_("Sản phẩm nổi bật của hội chợ"),
    "home_feature": N_("Sản phẩm nổi bật trên trang chủ"),
    "user_account": N_("Tài khoản"),
    "producer_application": N_("Đơn đăng ký chủ thể"),
    "ocop_certificate": N_("Giấy chứng nhận OCOP"),
    "commission_rate": N_("Tỷ lệ hoa hồng"),
    "settlement": N_("Đối soát"),
    "refund": N_("Khoản hoàn tiền"),
    "shipping_rate": N_("Biểu phí vận chuyển"),
}
FIELD_LABELS = {
    "payment_status": N_("Thanh toán"),
    "total_vnd": N_("Tổng tiền"),
    "amount_vnd": N_("Số tiền"),
    "status": N_("Tình trạng"),
    "state": N_("Trạng thái"),
    "reason": N_("Lý do"),
    "role": N_("Vai trò"),
    "name": N_("Tên"),
    "venue": N_("Địa điểm"),
    "province_code": N_("Tỉnh, thành phố"),
    "starts_on": N_("Ngày khai mạc"),
    "ends_on": N_("Ngày bế mạc"),
    "opens_at": N_("Mở cửa trực tuyến"),
    "closes_at": N_("Đóng cửa trực tuyến"),
    "banner_path": N_("Ảnh bìa"),
    "fair_id": N_("Hội chợ"),
    "producer_id": N_("Chủ thể"),
    "variant_id": N_("Sản phẩm"),
    "product_id": N_("Sản phẩm"),
    "part_id": N_("Phần đơn hàng"),
    "position": N_("Thứ tự"),
    "fair_price_vnd": N_("Giá hội chợ"),
    "order": N_("Đơn hàng"),
    "rate_bp": N_("Tỷ lệ"),
    "effective_from": N_("Áp dụng từ"),
    "bank_reference": N_("Mã giao dịch"),
    "same_province": N_("Trong tỉnh"),
    "other_province": N_("Ngoài tỉnh"),
    "base_fee_vnd": N_("Phí cơ bản"),
    "included_grams": N_("Khối lượng trong phí cơ bản (gam)"),
    "extra_kg_fee_vnd": N_("Phí mỗi kg tiếp theo"),
}
VALUE_LABELS = {
    "awaiting": N_("Chờ thanh toán"),
    "paid": N_("Đã thanh toán"),
    "pending": N_("Chờ xử lý"),
    "verified": N_("Đã xác minh"),
    "approved": N_("Đã duyệt"),
    "rejected": N_("Đã từ chối"),
    "invited": N_("Được mời"),
    "requested": N_("Chờ duyệt"),
    "accepted": N_("Đã tham gia"),
    "draft": N_("Bản nháp"),
    "published": N_("Đã công bố"),
    "closed": N_("Đã đóng"),
    "buyer": N_("Người mua"),
    "producer": N_("Chủ thể"),
    "organiser": N_("Ban tổ chức"),
    "admin": N_("Quản trị viên"),
}
# Where an id points, and which column names the row: (table, columns joined by " · ").
NAMED_BY = {
    "customer_order": ("customer_order", ("number",)),
    "fair": ("fair", ("name",)),
    "user_account": ("user_account", ("email",)),
    "producer_application": ("producer_application", ("business_name",)),
    "ocop_certificate": ("ocop_certificate", ("decision_number",)),
    "producer_id": ("producer", ("name",)),
    "fair_id": ("fair", ("name",)),
    "product_id": ("product", ("name",)),
    "variant_id": ("variant", ("sku", "label")),
}


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass(frozen=True)
class EntryView:
    """One row of the log as the page shows it."""

    entry: AuditEntry
    action: str
    target: str
    changes: list[Change]


def action_label(action: str) -> str:
    return gettext(ACTION_LABELS[action]) if action in ACTION_LABELS else action


def target_type_label(kind: str) -> str:
    return gettext(TARGET_LABELS[kind]) if kind in TARGET_LABELS else kind


def _ids(values: Any, field: str) -> Iterable[int]:
    if isinstance(values, dict):
        for key, value in values.items():
            if key == field and isinstance(value, int):
                yield value
            elif isinstance(value, dict):
                yield from _ids(value, field)


def _names(session: Session, entries: list[AuditEntry]) -> dict[tuple[str, int], str]:
    """{(table, id): name} for every target and id-valued field of these entries."""
    wanted: dict[str, set[int]] = {}
    for entry in entries:
        if entry.target_type in NAMED_BY and entry.target_id.isdigit():
            wanted.setdefault(NAMED_BY[entry.target_type][0], set()).add(int(entry.target_id))
        for field, (table, _) in NAMED_BY.items():
            for values in (entry.before, entry.after):
                wanted.setdefault(table, set()).update(_ids(values, field))
    names: dict[tuple[str, int], str] = {}
    columns = {table: cols for table, cols in NAMED_BY.values()}
    for table, ids in wanted.items():
        rows = db.metadata.tables.get(table)
        if not ids or rows is None:
            continue
        selected = [rows.c[name] for name in columns[table]]
        for row in session.execute(select(rows.c.id, *selected).where(rows.c.id.in_(ids))):
            names[(table, row[0])] = " · ".join(str(v) for v in row[1:] if v)
    return names


def _text(field: str, value: Any, names: Mapping[tuple[str, int], str]) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return gettext("Có") if value else gettext("Không")
    if field in NAMED_BY and isinstance(value, int):
        return names.get((NAMED_BY[field][0], value), f"#{value}")
    if isinstance(value, int) and field.endswith("_vnd"):
        return vnd(value)
    if field == "rate_bp" and isinstance(value, int):
        return f"{format_decimal(value / 100)} %"
    if isinstance(value, str):
        if value in VALUE_LABELS:
            return gettext(VALUE_LABELS[value])
        return _moment(value)
    if isinstance(value, list):
        return ", ".join(_text(field, v, names) for v in value)
    return str(value)


def _moment(text: str) -> str:
    """ISO dates and times (how the log stores them) shown the Vietnamese way."""
    try:
        if "T" in text:
            return local_datetime(datetime.fromisoformat(text))
        if len(text) == 10:
            return local_date(date.fromisoformat(text))
    except ValueError:
        pass
    return text


def _label(field: str) -> str:
    return gettext(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def _changes(
    before: Any, after: Any, names: Mapping[tuple[str, int], str], prefix: str = ""
) -> list[Change]:
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    changes = []
    for field in dict.fromkeys([*before, *after]):
        old, new = before.get(field), after.get(field)
        label = f"{prefix}{_label(field)}"
        if isinstance(old, dict) or isinstance(new, dict):
            changes += _changes(old, new, names, f"{label} · ")
        elif old != new:
            changes.append(Change(label, _text(field, old, names), _text(field, new, names)))
    return changes


def _target(entry: AuditEntry, names: Mapping[tuple[str, int], str]) -> str:
    kind = target_type_label(entry.target_type)
    table = NAMED_BY.get(entry.target_type, ("", ()))[0]
    if entry.target_id.isdigit() and (table, int(entry.target_id)) in names:
        return f"{kind} {names[(table, int(entry.target_id))]}"
    if entry.target_id.isdigit():
        return f"{kind} #{entry.target_id}"
    return f"{kind} {_moment(entry.target_id)}" if entry.target_id != "all" else kind


def present(session: Session, entries: list[AuditEntry]) -> list[EntryView]:
    """The entries in words, with a fixed number of queries (one per table named)."""
    names = _names(session, entries)
    return [
        EntryView(
            entry,
            action_label(entry.action),
            _target(entry, names),
            _changes(entry.before, entry.after, names),
        )
        for entry in entries
    ]
