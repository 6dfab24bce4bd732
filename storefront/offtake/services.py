"""Offtake agreements: proposing, accepting, declining and changing terms.

Every step is a conditional UPDATE on the agreement (`WHERE pending_version = :n`, `WHERE
state = :old`), so two clicks, two tabs or both sides at once give one outcome; the loser
gets AgreementChanged and the caller rolls back. Services only flush.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import joinedload, selectinload

from storefront.accounts.models import User
from storefront.business.models import BusinessProfile
from storefront.business.services import business_profile_for
from storefront.catalog.models import Product, Variant
from storefront.errors import DomainError, NotFound
from storefront.extensions import Session, rowcount
from storefront.fairs.models import ExhibitorStatus, FairExhibitor
from storefront.i18n import N_
from storefront.numbers import INT_MAX
from storefront.offtake import emails
from storefront.offtake.models import (
    OPEN_DELIVERY_STATES,
    AgreementState,
    DeliveryState,
    OfftakeAgreement,
    OfftakeDelivery,
    OfftakeVersion,
    OfftakeVersionLine,
    PriceMode,
    Side,
    VersionStatus,
)
from storefront.orders.errors import OrderError
from storefront.orders.placement import MAX_QUANTITY_PER_LINE, DeliveryAddress, check_address
from storefront.timeutil import add_months, utcnow

MAX_DELIVERIES = 60  # five years of monthly deliveries
MAX_NOTE = 1000
INTERVALS = {"week": 7, "two_weeks": 14, "month": 0}  # 0: calendar months


class OfftakeError(DomainError):
    """A step the agreement's rules refuse; `field` names the form field at fault."""

    def __init__(self, message: str, field: str | None = None, **params: object) -> None:
        super().__init__(message, **params)
        self.field = field


class AgreementChanged(OfftakeError):
    """Someone else moved the agreement first (accepted, declined, proposed a change)."""


@dataclass(frozen=True)
class LineTerms:
    due_on: date | None
    quantity: int | None
    unit_price_vnd: int | None = None  # per-delivery prices only


@dataclass(frozen=True)
class Terms:
    """What a side proposes. Views pass what was typed (None when it was not a number
    or a date); `check_terms` refuses what is wrong with a message."""

    price_mode: str
    unit_price_vnd: int | None
    lines: Sequence[LineTerms]
    province_code: int
    ward_code: int
    address_line: str
    note: str = ""


@dataclass(frozen=True)
class Progress:
    """Delivered vs committed, on time vs late, value so far: what both sides see."""

    committed_units: int = 0
    committed_vnd: int = 0
    ordered_units: int = 0
    delivered_units: int = 0
    value_so_far_vnd: int = 0  # deliveries that became orders, at the agreed prices
    on_time: int = 0  # ordered on or before their date
    late: int = 0  # ordered after their date, or still open after it
    shortfalls: int = 0  # waiting for stock now
    deliveries: int = 0

    @property
    def percent(self) -> int:
        if not self.committed_units:
            return 0
        return min(100, round(100 * self.ordered_units / self.committed_units))


@dataclass
class AgreementView:
    agreement: OfftakeAgreement
    progress: Progress
    pending: OfftakeVersion | None = None
    orders: dict[int, DeliveryOrder] = field(default_factory=dict)  # by order id


def generate_schedule(
    start: date | None,
    end: date | None,
    interval: str,
    quantity: int | None,
    unit_price_vnd: int | None = None,
) -> list[LineTerms]:
    """Deliveries of `quantity` from `start` to `end` (inclusive) every week, two weeks
    or calendar month (31 Jan, 28 Feb, 31 Mar…: counted from the start, so no drift)."""
    if start is None:
        raise OfftakeError(N_("Vui lòng nhập ngày giao đầu tiên (YYYY-MM-DD)."), field="start")
    if end is None:
        raise OfftakeError(N_("Vui lòng nhập ngày giao cuối cùng (YYYY-MM-DD)."), field="end")
    if end < start:
        raise OfftakeError(N_("Ngày giao cuối cùng phải sau ngày giao đầu tiên."), field="end")
    if interval not in INTERVALS:
        raise OfftakeError(N_("Vui lòng chọn chu kỳ giao hàng."), field="interval")
    _check_quantity(quantity, "quantity")
    lines: list[LineTerms] = []
    step = INTERVALS[interval]
    day = start
    while day <= end:
        if len(lines) >= MAX_DELIVERIES:
            raise OfftakeError(
                N_("Một hợp đồng có tối đa %(n)s lần giao."), field="end", n=MAX_DELIVERIES
            )
        lines.append(LineTerms(day, quantity, unit_price_vnd))
        day = start + timedelta(days=step * len(lines)) if step else add_months(start, len(lines))
    return lines


def _check_quantity(quantity: int | None, field_name: str) -> int:
    if quantity is None or not 1 <= quantity <= MAX_QUANTITY_PER_LINE:
        raise OfftakeError(
            N_("Số lượng mỗi lần giao là số nguyên từ 1 đến %(n)s."),
            field=field_name,
            n=MAX_QUANTITY_PER_LINE,
        )
    return quantity


def _check_price(price: int | None, field_name: str) -> int:
    if price is None or not 1 <= price <= INT_MAX:
        raise OfftakeError(N_("Đơn giá là số nguyên đồng, từ 1 ₫ trở lên."), field=field_name)
    return price


def check_terms(terms: Terms, today: date) -> Terms:
    """The terms cleaned (lines sorted by date, prices filled in for a fixed price), or
    OfftakeError naming the field at fault. Deliveries are from today on."""
    if terms.price_mode not in (PriceMode.FIXED, PriceMode.PER_DELIVERY):
        raise OfftakeError(N_("Vui lòng chọn cách tính giá."), field="price_mode")
    fixed = terms.price_mode == PriceMode.FIXED
    unit = _check_price(terms.unit_price_vnd, "unit_price") if fixed else None
    if not terms.lines:
        raise OfftakeError(N_("Vui lòng thêm ít nhất một lần giao."), field="lines")
    if len(terms.lines) > MAX_DELIVERIES:
        raise OfftakeError(N_("Một hợp đồng có tối đa %(n)s lần giao."), n=MAX_DELIVERIES)
    lines = []
    for index, line in enumerate(terms.lines):
        where = f"lines-{index}"
        if line.due_on is None:
            raise OfftakeError(N_("Ngày giao không hợp lệ (YYYY-MM-DD)."), field=where)
        if line.due_on < today:
            raise OfftakeError(N_("Ngày giao không được ở quá khứ."), field=where)
        if line.due_on > today + timedelta(days=366 * 5):
            raise OfftakeError(N_("Ngày giao tối đa 5 năm kể từ hôm nay."), field=where)
        quantity = _check_quantity(line.quantity, where)
        price = unit if unit is not None else _check_price(line.unit_price_vnd, where)
        lines.append(LineTerms(line.due_on, quantity, price))
    lines.sort(key=lambda line: line.due_on or today)
    value = sum((line.quantity or 0) * (line.unit_price_vnd or 0) for line in lines)
    if value > INT_MAX:
        raise OfftakeError(
            N_("Giá trị hợp đồng quá lớn (tối đa 2.147.483.647 ₫): hãy chia thành nhiều hợp đồng.")
        )
    try:
        address = check_address(
            DeliveryAddress(terms.province_code, terms.ward_code, terms.address_line)
        )
    except OrderError as error:
        raise OfftakeError(error.message, field=error.field or "address_line") from error
    note = terms.note.strip()
    if len(note) > MAX_NOTE:
        raise OfftakeError(N_("Ghi chú tối đa %(n)s ký tự."), field="note", n=MAX_NOTE)
    return replace(
        terms,
        unit_price_vnd=unit,
        lines=lines,
        address_line=address.street,
        note=note,
    )


def business_profile(session: Session, user_id: int) -> BusinessProfile | None:
    """The account's business profile, if it has one (only business buyers sign)."""
    return business_profile_for(user_id, session)


def _variant(session: Session, variant_id: int | None, producer_id: int | None = None) -> Variant:
    variant = None
    if variant_id is not None:
        variant = session.execute(
            select(Variant)
            .options(joinedload(Variant.product).joinedload(Product.producer))
            .where(Variant.id == variant_id)
        ).scalar_one_or_none()
    if (
        variant is None
        or not (variant.is_active and variant.product.is_published)
        or not variant.product.producer.is_active
        or (producer_id is not None and variant.product.producer_id != producer_id)
    ):
        raise OfftakeError(N_("Vui lòng chọn một sản phẩm đang bán."), field="variant")
    return variant


def fair_for_agreement(session: Session, fair_id: int | None, producer_id: int) -> int | None:
    """The fair to credit, if the producer exhibits at it (accepted); otherwise none:
    a link from a fair page is a hint, never trusted as is."""
    if fair_id is None:
        return None
    found = session.execute(
        select(FairExhibitor.fair_id).where(
            FairExhibitor.fair_id == fair_id,
            FairExhibitor.producer_id == producer_id,
            FairExhibitor.status == ExhibitorStatus.ACCEPTED,
        )
    ).scalar_one_or_none()
    return found


def _add_version(
    session: Session,
    agreement: OfftakeAgreement,
    number: int,
    side: Side,
    user_id: int,
    terms: Terms,
    ordered: tuple[int, int],
) -> OfftakeVersion:
    ordered_count, ordered_units = ordered
    version = OfftakeVersion(
        agreement_id=agreement.id,
        number=number,
        proposed_by=side,
        proposed_by_user_id=user_id,
        status=VersionStatus.PENDING,
        total_quantity=ordered_units + sum(line.quantity or 0 for line in terms.lines),
        price_mode=PriceMode(terms.price_mode),
        unit_price_vnd=terms.unit_price_vnd,
        province_code=terms.province_code,
        ward_code=terms.ward_code,
        address_line=terms.address_line,
        note=terms.note,
        ordered_before=ordered_count,
    )
    session.add(version)
    session.flush()
    for position, line in enumerate(terms.lines):
        session.add(
            OfftakeVersionLine(
                version_id=version.id,
                position=position,
                due_on=line.due_on,
                quantity=line.quantity or 0,  # checked: check_terms refused None
                unit_price_vnd=line.unit_price_vnd or 0,
            )
        )
    session.flush()
    return version


def _start(
    session: Session,
    side: Side,
    user_id: int,
    buyer_id: int,
    variant: Variant,
    terms: Terms,
    today: date,
    fair_id: int | None,
) -> OfftakeAgreement:
    profile = business_profile(session, buyer_id)
    if profile is None:
        raise OfftakeError(
            N_("Chỉ tài khoản doanh nghiệp (có hồ sơ doanh nghiệp) mới ký hợp đồng bao tiêu."),
            field="buyer",
        )
    terms = check_terms(terms, today)
    producer = variant.product.producer
    agreement = OfftakeAgreement(
        buyer_id=buyer_id,
        producer_id=producer.id,
        variant_id=variant.id,
        product_id=variant.product_id,
        fair_id=fair_for_agreement(session, fair_id, producer.id),
        started_by=side,
        state=AgreementState.PROPOSED,
        version=0,
        pending_version=1,
        product_name=variant.product.name,
        variant_label=variant.label,
        producer_name=producer.name,
        buyer_name=profile.name,
        origin_province_code=producer.province_code,
    )
    session.add(agreement)
    session.flush()
    version = _add_version(session, agreement, 1, side, user_id, terms, (0, 0))
    emails.queue_step(session, agreement, version, emails.PROPOSED, to=side.other)
    return agreement


def ask_for_agreement(
    session: Session,
    buyer_id: int,
    variant_id: int | None,
    terms: Terms,
    today: date,
    fair_id: int | None = None,
) -> OfftakeAgreement:
    """A business buyer asks a producer for an agreement on one of its packs; the
    producer accepts, declines or answers with other terms."""
    variant = _variant(session, variant_id)
    return _start(session, Side.BUYER, buyer_id, buyer_id, variant, terms, today, fair_id)


def propose_to_buyer(
    session: Session,
    producer_id: int,
    user_id: int,
    buyer_email: str,
    variant_id: int | None,
    terms: Terms,
    today: date,
    fair_id: int | None = None,
) -> OfftakeAgreement:
    """A producer proposes an agreement to a business buyer named by the account's email."""
    variant = _variant(session, variant_id, producer_id)
    email = (buyer_email or "").strip().lower()
    buyer = None
    if email and len(email) <= 254:
        buyer = session.execute(
            select(User).where(func.lower(User.email) == email, User.is_active.is_(True))
        ).scalar_one_or_none()
    if buyer is None or business_profile(session, buyer.id) is None:
        raise OfftakeError(
            N_("Không tìm thấy tài khoản doanh nghiệp với email này."), field="buyer_email"
        )
    return _start(session, Side.PRODUCER, user_id, buyer.id, variant, terms, today, fair_id)


def _ordered(session: Session, agreement_id: int) -> tuple[int, int]:
    """How many deliveries became orders, and how many units they carry."""
    count, units = session.execute(
        select(
            func.count(OfftakeDelivery.id), func.coalesce(func.sum(OfftakeDelivery.quantity), 0)
        ).where(
            OfftakeDelivery.agreement_id == agreement_id,
            OfftakeDelivery.state == DeliveryState.ORDERED,
        )
    ).one()
    return int(count), int(units)


def propose_change(
    session: Session,
    agreement: OfftakeAgreement,
    side: Side,
    user_id: int,
    terms: Terms,
    today: date,
) -> OfftakeVersion:
    """A new version of the terms for the other side to accept: the open deliveries
    (those not yet orders) as `terms.lines`. It replaces any version still pending."""
    if agreement.state not in (AgreementState.PROPOSED, AgreementState.ACTIVE):
        raise OfftakeError(N_("Hợp đồng này không còn thay đổi được."))
    terms = check_terms(terms, today)
    pending = agreement.pending_version
    number = (
        session.execute(
            select(func.max(OfftakeVersion.number)).where(
                OfftakeVersion.agreement_id == agreement.id
            )
        ).scalar_one()
        or 0
    ) + 1
    pending_clause = (
        OfftakeAgreement.pending_version.is_(None)
        if pending is None
        else OfftakeAgreement.pending_version == pending
    )
    moved = session.execute(
        update(OfftakeAgreement)
        .where(
            OfftakeAgreement.id == agreement.id,
            OfftakeAgreement.state == agreement.state,
            OfftakeAgreement.version == agreement.version,
            pending_clause,
        )
        .values(pending_version=number, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if rowcount(moved) != 1:
        raise AgreementChanged(N_("Hợp đồng vừa được thay đổi; vui lòng xem lại rồi thử lại."))
    if pending is not None:
        session.execute(
            update(OfftakeVersion)
            .where(
                OfftakeVersion.agreement_id == agreement.id,
                OfftakeVersion.number == pending,
                OfftakeVersion.status == VersionStatus.PENDING,
            )
            .values(status=VersionStatus.SUPERSEDED, decided_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    version = _add_version(
        session, agreement, number, side, user_id, terms, _ordered(session, agreement.id)
    )
    session.expire(agreement)
    emails.queue_step(session, agreement, version, emails.PROPOSED, to=side.other)
    return version


def _pending_version(session: Session, agreement: OfftakeAgreement, number: int) -> OfftakeVersion:
    version = session.execute(
        select(OfftakeVersion)
        .options(selectinload(OfftakeVersion.lines))
        .where(OfftakeVersion.agreement_id == agreement.id, OfftakeVersion.number == number)
    ).scalar_one_or_none()
    if (
        version is None
        or version.status != VersionStatus.PENDING
        or agreement.pending_version != number
    ):
        raise AgreementChanged(
            N_("Đề xuất này đã được trả lời hoặc thay thế; vui lòng xem lại hợp đồng.")
        )
    return version


def _close_version(session: Session, version: OfftakeVersion, status: VersionStatus) -> None:
    closed = session.execute(
        update(OfftakeVersion)
        .where(OfftakeVersion.id == version.id, OfftakeVersion.status == VersionStatus.PENDING)
        .values(status=status, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if rowcount(closed) != 1:
        raise AgreementChanged(
            N_("Đề xuất này đã được trả lời hoặc thay thế; vui lòng xem lại hợp đồng.")
        )


def accept(session: Session, agreement: OfftakeAgreement, side: Side, number: int) -> None:
    """The other side accepts version `number`: its terms come into force and replace
    the open deliveries (refused if a delivery became an order since it was written)."""
    version = _pending_version(session, agreement, number)
    if version.proposed_by == side:
        raise OfftakeError(N_("Bên còn lại mới chấp nhận được đề xuất của bạn."))
    now = utcnow()
    signed = session.execute(
        update(OfftakeAgreement)
        .where(
            OfftakeAgreement.id == agreement.id,
            OfftakeAgreement.pending_version == number,
            OfftakeAgreement.state.in_([AgreementState.PROPOSED, AgreementState.ACTIVE]),
        )
        .values(
            state=AgreementState.ACTIVE,
            version=number,
            pending_version=None,
            price_mode=version.price_mode,
            unit_price_vnd=version.unit_price_vnd,
            province_code=version.province_code,
            ward_code=version.ward_code,
            address_line=version.address_line,
            signed_at=func.coalesce(OfftakeAgreement.signed_at, now),
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if rowcount(signed) != 1:
        raise AgreementChanged(
            N_("Đề xuất này đã được trả lời hoặc thay thế; vui lòng xem lại hợp đồng.")
        )
    _close_version(session, version, VersionStatus.ACCEPTED)
    # The open deliveries give way to the new lines; each is moved only if still open,
    # so one that `flask offtake due` is turning into an order right now stays an order.
    session.execute(
        update(OfftakeDelivery)
        .where(
            OfftakeDelivery.agreement_id == agreement.id,
            OfftakeDelivery.state.in_(OPEN_DELIVERY_STATES),
        )
        .values(state=DeliveryState.SUPERSEDED)
        .execution_options(synchronize_session=False)
    )
    ordered_count, _ = _ordered(session, agreement.id)
    if ordered_count != version.ordered_before:
        raise AgreementChanged(
            N_(
                "Một lần giao đã thành đơn hàng sau khi đề xuất này được gửi, nên lịch giao "
                "đã khác; vui lòng đề xuất lại."
            )
        )
    for line in version.lines:
        session.add(
            OfftakeDelivery(
                agreement_id=agreement.id,
                version_number=number,
                due_on=line.due_on,
                quantity=line.quantity,
                unit_price_vnd=line.unit_price_vnd,
                state=DeliveryState.SCHEDULED,
            )
        )
    session.flush()
    _refresh_commitment(session, agreement.id)
    session.expire(agreement)
    emails.queue_step(session, agreement, version, emails.ACCEPTED, to=version.proposed_by)


def _refresh_commitment(session: Session, agreement_id: int) -> None:
    """Total units and value committed: the ordered deliveries plus the scheduled ones."""
    units, value = session.execute(
        select(
            func.coalesce(func.sum(OfftakeDelivery.quantity), 0),
            func.coalesce(func.sum(OfftakeDelivery.quantity * OfftakeDelivery.unit_price_vnd), 0),
        ).where(
            OfftakeDelivery.agreement_id == agreement_id,
            OfftakeDelivery.state != DeliveryState.SUPERSEDED,
        )
    ).one()
    if int(value) > INT_MAX:
        raise OfftakeError(
            N_("Giá trị hợp đồng quá lớn (tối đa 2.147.483.647 ₫): hãy chia thành nhiều hợp đồng.")
        )
    session.execute(
        update(OfftakeAgreement)
        .where(OfftakeAgreement.id == agreement_id)
        .values(total_quantity=int(units), committed_vnd=int(value))
        .execution_options(synchronize_session=False)
    )


def decline(session: Session, agreement: OfftakeAgreement, side: Side, number: int) -> None:
    """The other side says no to version `number`; a first version ends the agreement."""
    version = _pending_version(session, agreement, number)
    if version.proposed_by == side:
        raise OfftakeError(N_("Bạn không thể từ chối đề xuất của chính mình; hãy rút lại."))
    _answer_without_terms(session, agreement, version, AgreementState.DECLINED)
    emails.queue_step(session, agreement, version, emails.DECLINED, to=version.proposed_by)


def withdraw(session: Session, agreement: OfftakeAgreement, side: Side, number: int) -> None:
    """The author takes version `number` back; a first version ends the agreement."""
    version = _pending_version(session, agreement, number)
    if version.proposed_by != side:
        raise OfftakeError(N_("Chỉ bên gửi đề xuất mới rút lại được."))
    _answer_without_terms(session, agreement, version, AgreementState.WITHDRAWN)
    emails.queue_step(session, agreement, version, emails.WITHDRAWN, to=side.other)


def _answer_without_terms(
    session: Session, agreement: OfftakeAgreement, version: OfftakeVersion, end: AgreementState
) -> None:
    # A first version ends the agreement; a change leaves the signed terms in force.
    unsigned = agreement.state == AgreementState.PROPOSED
    values: dict[str, object] = {"pending_version": None, "updated_at": utcnow()}
    if unsigned:
        values["state"] = end
    moved = session.execute(
        update(OfftakeAgreement)
        .where(
            OfftakeAgreement.id == agreement.id,
            OfftakeAgreement.pending_version == version.number,
            OfftakeAgreement.state == agreement.state,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if rowcount(moved) != 1:
        raise AgreementChanged(
            N_("Đề xuất này đã được trả lời hoặc thay thế; vui lòng xem lại hợp đồng.")
        )
    status = VersionStatus.DECLINED if end == AgreementState.DECLINED else VersionStatus.WITHDRAWN
    _close_version(session, version, status)
    session.expire(agreement)


# Reading -------------------------------------------------------------------------


def _load(session: Session, agreement_id: int) -> OfftakeAgreement | None:
    return session.execute(
        select(OfftakeAgreement)
        .options(
            selectinload(OfftakeAgreement.versions).selectinload(OfftakeVersion.lines),
            selectinload(OfftakeAgreement.deliveries),
        )
        .where(OfftakeAgreement.id == agreement_id)
        .execution_options(populate_existing=True)
    ).scalar_one_or_none()


def agreement_for_buyer(session: Session, buyer_id: int, agreement_id: int) -> OfftakeAgreement:
    """The buyer's own agreement with versions and deliveries, or NotFound."""
    agreement = _load(session, agreement_id)
    if agreement is None or agreement.buyer_id != buyer_id:
        raise NotFound(N_("Không tìm thấy hợp đồng."))
    return agreement


def agreement_for_producer(
    session: Session, producer_id: int, agreement_id: int
) -> OfftakeAgreement:
    """The producer's own agreement with versions and deliveries, or NotFound."""
    agreement = _load(session, agreement_id)
    if agreement is None or agreement.producer_id != producer_id:
        raise NotFound(N_("Không tìm thấy hợp đồng."))
    return agreement


def pending_of(agreement: OfftakeAgreement) -> OfftakeVersion | None:
    """The version waiting for an answer (needs `versions` loaded)."""
    return next((v for v in agreement.versions if v.number == agreement.pending_version), None)


def progress(
    deliveries: Sequence[OfftakeDelivery], delivered_orders: set[int], today: date
) -> Progress:
    """Progress of the deliveries in force; `delivered_orders` are the ids of orders
    whose part reached the buyer."""
    counted = [d for d in deliveries if d.state != DeliveryState.SUPERSEDED]
    ordered = [d for d in counted if d.state == DeliveryState.ORDERED]
    on_time = sum(1 for d in ordered if d.ordered_on is not None and d.ordered_on <= d.due_on)
    late_open = sum(1 for d in counted if d.state in OPEN_DELIVERY_STATES and d.due_on < today)
    return Progress(
        committed_units=sum(d.quantity for d in counted),
        committed_vnd=sum(d.value_vnd for d in counted),
        ordered_units=sum(d.quantity for d in ordered),
        delivered_units=sum(d.quantity for d in ordered if d.order_id in delivered_orders),
        value_so_far_vnd=sum(d.value_vnd for d in ordered),
        on_time=on_time,
        late=len(ordered) - on_time + late_open,
        shortfalls=sum(1 for d in counted if d.state == DeliveryState.SHORTFALL),
        deliveries=len(counted),
    )


@dataclass(frozen=True)
class DeliveryOrder:
    """The order a delivery became: its number, its (single) part and the part's status."""

    number: str
    part_id: int
    status: str


def delivery_orders(session: Session, order_ids: Sequence[int]) -> dict[int, DeliveryOrder]:
    """Each delivery order's number, part and status (one part per delivery order), in
    one query."""
    from storefront.orders.models import Order, OrderPart

    if not order_ids:
        return {}
    rows = session.execute(
        select(Order.id, Order.number, OrderPart.id, OrderPart.status)
        .join(OrderPart, OrderPart.order_id == Order.id)
        .where(Order.id.in_(order_ids))
    )
    return {
        order_id: DeliveryOrder(number, part_id, str(status))
        for order_id, number, part_id, status in rows
    }


def part_statuses(session: Session, order_ids: Sequence[int]) -> dict[int, str]:
    """Each delivery order's part status, in one query."""
    return {oid: found.status for oid, found in delivery_orders(session, order_ids).items()}


def _views(
    session: Session, agreements: Sequence[OfftakeAgreement], today: date
) -> list[AgreementView]:
    order_ids = [d.order_id for a in agreements for d in a.deliveries if d.order_id is not None]
    orders = delivery_orders(session, order_ids)
    delivered = {oid for oid, found in orders.items() if found.status == "delivered"}
    return [
        AgreementView(a, progress(a.deliveries, delivered, today), pending_of(a), orders)
        for a in agreements
    ]


def _listing(session: Session, where: object, today: date) -> list[AgreementView]:
    agreements = list(
        session.execute(
            select(OfftakeAgreement)
            .options(
                selectinload(OfftakeAgreement.deliveries),
                selectinload(OfftakeAgreement.versions).selectinload(OfftakeVersion.lines),
            )
            .where(where)  # type: ignore[arg-type]
            .order_by(OfftakeAgreement.created_at.desc(), OfftakeAgreement.id.desc())
            .limit(200)
        ).scalars()
    )
    return _views(session, agreements, today)


def buyer_agreements(session: Session, buyer_id: int, today: date) -> list[AgreementView]:
    """The buyer's agreements, newest first, with progress (a fixed number of queries)."""
    return _listing(session, OfftakeAgreement.buyer_id == buyer_id, today)


def producer_agreements(session: Session, producer_id: int, today: date) -> list[AgreementView]:
    """The producer's agreements, newest first, with progress (a fixed number of queries)."""
    return _listing(session, OfftakeAgreement.producer_id == producer_id, today)


def agreement_view(session: Session, agreement: OfftakeAgreement, today: date) -> AgreementView:
    return _views(session, [agreement], today)[0]


def buyer_variants(session: Session, producer_id: int) -> list[Variant]:
    """The producer's packs on sale, for the producer's proposal form."""
    return list(
        session.execute(
            select(Variant)
            .join(Product)
            .options(joinedload(Variant.product))
            .where(
                Product.producer_id == producer_id,
                Product.is_published.is_(True),
                Variant.is_active.is_(True),
            )
            .order_by(Product.name, Variant.position, Variant.id)
        ).scalars()
    )


def variant_for_request(session: Session, variant_id: int | None) -> Variant | None:
    """The pack a buyer's request form is about, if it is on sale."""
    try:
        return _variant(session, variant_id)
    except OfftakeError:
        return None
