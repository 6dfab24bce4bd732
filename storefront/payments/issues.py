"""Payment issues flagged for admins: listing them and recording how each was settled."""

from __future__ import annotations

from sqlalchemy import select, update

from storefront.errors import DomainError, NotFound
from storefront.extensions import Session, rowcount
from storefront.i18n import N_
from storefront.payments.models import IssueKind, PaymentIssue
from storefront.timeutil import utcnow

KIND_LABELS: dict[IssueKind, str] = {
    IssueKind.AMOUNT_MISMATCH: N_("Số tiền hoặc loại tiền không khớp với đơn hàng"),
    IssueKind.PAID_AFTER_CANCEL: N_("Nhận tiền cho đơn đã huỷ hoặc đã đổi cách thanh toán"),
    IssueKind.DUPLICATE_PAYMENT: N_("Đơn hàng được thanh toán hai lần"),
    IssueKind.UNKNOWN_ORDER: N_("Khoản thanh toán không gắn với đơn hàng nào"),
    IssueKind.EXTERNAL_REFUND: N_("Hoàn tiền trực tiếp trên Stripe, chưa gắn với phần đơn"),
    IssueKind.SESSION_MISMATCH: N_("Nhận tiền qua một phiên thanh toán khác với phiên của đơn"),
}


def open_issues(session: Session, limit: int = 200) -> list[PaymentIssue]:
    """Issues no admin has resolved yet, oldest first."""
    return list(
        session.execute(
            select(PaymentIssue)
            .where(PaymentIssue.resolved_at.is_(None))
            .order_by(PaymentIssue.id)
            .limit(limit)
        ).scalars()
    )


def issues_of(session: Session, order_id: int) -> list[PaymentIssue]:
    """All issues flagged on one order, oldest first."""
    return list(
        session.execute(
            select(PaymentIssue).where(PaymentIssue.order_id == order_id).order_by(PaymentIssue.id)
        ).scalars()
    )


def resolve_issue(session: Session, issue_id: int, note: str, actor_id: int) -> PaymentIssue:
    """Record what the admin did about an issue (refunded, confirmed with the buyer...).
    Resolving twice is refused, so the first note stands."""
    note = " ".join(note.split())[:300]
    if not note:
        raise DomainError(N_("Vui lòng ghi lại cách đã xử lý."))
    done = session.execute(
        update(PaymentIssue)
        .where(PaymentIssue.id == issue_id, PaymentIssue.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolved_by_id=actor_id, resolution=note)
        .execution_options(synchronize_session=False)
    )
    issue = session.get(PaymentIssue, issue_id)
    if issue is None:
        raise NotFound(N_("Không tìm thấy vấn đề thanh toán."))
    if rowcount(done) != 1:
        raise DomainError(N_("Vấn đề này đã được xử lý."))
    session.refresh(issue)
    return issue
