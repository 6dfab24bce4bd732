"""`flask offtake due`: scheduled deliveries whose day has come become orders.

Safe to run often and on several hosts at once. Each delivery is claimed by a
conditional UPDATE (`state IN (scheduled, shortfall) AND due_on <= today`), in the same
transaction that places its order through the shop's one placement service, at the
agreement row's price; on PostgreSQL a second host's claim waits for the first one's
commit and then finds the delivery ordered. The order's checkout token is derived from
the delivery, and unique, so even a claim lost some other way can never make a second
order. Stock is taken atomically by placement; when it is short the delivery goes to
`shortfall` (both sides see it, and are told once) and is tried again on the next run.

The same run warns each producer once, a week ahead, when stock is below a delivery.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import and_, exists, select, update
from sqlalchemy.orm import joinedload

from storefront.accounts.models import User
from storefront.catalog.models import Variant
from storefront.dates import format_day
from storefront.extensions import Session, rowcount
from storefront.i18n import N_
from storefront.offtake import emails
from storefront.offtake.models import (
    OPEN_DELIVERY_STATES,
    AgreementState,
    DeliveryState,
    OfftakeAgreement,
    OfftakeDelivery,
)
from storefront.offtake.services import business_profile
from storefront.orders.errors import OrderError
from storefront.orders.placement import (
    Contact,
    DeliveryAddress,
    LineRequest,
    OrderRequest,
    place_order,
)
from storefront.timeutil import today_in_vietnam, utcnow

logger = logging.getLogger("storefront.offtake")
WARN_DAYS = 7
BATCH = 200


@dataclass(frozen=True)
class DueResult:
    ordered: int = 0
    shortfalls: int = 0
    warned: int = 0
    completed: int = 0


def delivery_token(delivery_id: int) -> str:
    """The checkout token of a delivery's order: one order per delivery, ever."""
    return f"offtake-delivery-{delivery_id:015d}"


def _order_request(
    session: Session, agreement: OfftakeAgreement, delivery: OfftakeDelivery
) -> OrderRequest:
    profile = business_profile(session, agreement.buyer_id)
    user = session.get(User, agreement.buyer_id)
    if profile is None or user is None or not user.is_active:
        raise OrderError(N_("Tài khoản doanh nghiệp của bên mua không còn hoạt động."))
    return OrderRequest(
        checkout_token=delivery_token(delivery.id),
        contact=Contact(name=profile.contact_name, phone=profile.contact_phone, email=user.email),
        address=DeliveryAddress(
            agreement.province_code,
            agreement.ward_code,
            agreement.address_line,
            note=f"Bao tiêu HĐ-{agreement.id:05d}, lần giao ngày {format_day(delivery.due_on)}",
        ),
        lines=[LineRequest(agreement.variant_id, delivery.quantity)],
        payment_method="cod",
        awaiting_payment=False,
        user_id=agreement.buyer_id,
        language=user.language,
        # The price agreed for this delivery, from its row: never the day's catalogue price.
        agreed_prices={agreement.variant_id: delivery.unit_price_vnd},
    )


def _due_ids(session: Session, today: date) -> list[int]:
    ids = list(
        session.execute(
            select(OfftakeDelivery.id)
            .join(OfftakeAgreement)
            .where(
                OfftakeDelivery.state.in_(OPEN_DELIVERY_STATES),
                OfftakeDelivery.due_on <= today,
                OfftakeAgreement.state == AgreementState.ACTIVE,
            )
            .order_by(OfftakeDelivery.due_on, OfftakeDelivery.id)
            .limit(BATCH)
        ).scalars()
    )
    session.commit()
    return ids


def place_delivery(session: Session, delivery_id: int, today: date) -> str:
    """Claim one due delivery and place its order; committed. Returns "ordered",
    "shortfall" or "taken" (another run has it, or it is no longer open)."""
    claimed = session.execute(
        update(OfftakeDelivery)
        .where(
            OfftakeDelivery.id == delivery_id,
            OfftakeDelivery.state.in_(OPEN_DELIVERY_STATES),
            OfftakeDelivery.due_on <= today,
        )
        .values(
            state=DeliveryState.ORDERED, ordered_on=today, attempts=OfftakeDelivery.attempts + 1
        )
        .execution_options(synchronize_session=False)
    )
    if rowcount(claimed) != 1:
        session.rollback()
        return "taken"
    delivery = session.execute(
        select(OfftakeDelivery)
        .options(joinedload(OfftakeDelivery.agreement))
        .where(OfftakeDelivery.id == delivery_id)
        .execution_options(populate_existing=True)
    ).scalar_one()
    agreement = delivery.agreement
    savepoint = session.begin_nested()
    try:
        placed = place_order(session, _order_request(session, agreement, delivery))
    except OrderError as error:
        savepoint.rollback()
        # Too little stock (or the pack no longer on sale): the delivery waits, visible
        # on both sides, and the next run tries again.
        note = str(error)[:300]
        session.execute(
            update(OfftakeDelivery)
            .where(
                OfftakeDelivery.id == delivery_id, OfftakeDelivery.state == DeliveryState.ORDERED
            )
            .values(
                state=DeliveryState.SHORTFALL,
                ordered_on=None,
                shortfall_note=note,
                shortfall_at=utcnow(),
            )
            .execution_options(synchronize_session=False)
        )
        emails.queue_shortfall(session, agreement, delivery)
        session.commit()
        return "shortfall"
    savepoint.commit()
    session.execute(
        update(OfftakeDelivery)
        .where(OfftakeDelivery.id == delivery_id)
        .values(order_id=placed.order.id, shortfall_note="")
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return "ordered"


def _complete_finished(session: Session) -> int:
    """Signed agreements with nothing left to deliver and no change pending end."""
    still_open = exists().where(
        and_(
            OfftakeDelivery.agreement_id == OfftakeAgreement.id,
            OfftakeDelivery.state.in_(OPEN_DELIVERY_STATES),
        )
    )
    done = session.execute(
        update(OfftakeAgreement)
        .where(
            OfftakeAgreement.state == AgreementState.ACTIVE,
            OfftakeAgreement.pending_version.is_(None),
            ~still_open,
        )
        .values(state=AgreementState.COMPLETED, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return rowcount(done)


def warn_low_stock(session: Session, today: date) -> int:
    """Warn each producer once per delivery due within WARN_DAYS whose pack holds less
    stock than the delivery needs; the warning's unique key and `warned_at`, set by a
    conditional update, make it once however many runs there are."""
    rows = session.execute(
        select(OfftakeDelivery, OfftakeAgreement)
        .join(OfftakeAgreement)
        .join(Variant, Variant.id == OfftakeAgreement.variant_id)
        .where(
            OfftakeDelivery.state == DeliveryState.SCHEDULED,
            OfftakeDelivery.warned_at.is_(None),
            OfftakeDelivery.due_on > today,
            OfftakeDelivery.due_on <= today + timedelta(days=WARN_DAYS),
            OfftakeAgreement.state == AgreementState.ACTIVE,
            Variant.stock < OfftakeDelivery.quantity,
        )
        .order_by(OfftakeDelivery.id)
        .limit(BATCH)
    ).all()
    warned = 0
    for delivery, agreement in rows:
        marked = session.execute(
            update(OfftakeDelivery)
            .where(OfftakeDelivery.id == delivery.id, OfftakeDelivery.warned_at.is_(None))
            .values(warned_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        if rowcount(marked) == 1 and emails.queue_stock_warning(session, agreement, delivery):
            warned += 1
        session.commit()
    return warned


def run_due(session: Session, today: date | None = None) -> DueResult:
    """One pass: every due delivery placed (or in shortfall), the week-ahead warnings,
    finished agreements completed. Commits as it goes."""
    today = today or today_in_vietnam()
    ordered = shortfalls = 0
    for delivery_id in _due_ids(session, today):
        try:
            outcome = place_delivery(session, delivery_id, today)
        except Exception:
            session.rollback()
            logger.exception("offtake delivery %s could not be placed", delivery_id)
            continue
        ordered += outcome == "ordered"
        shortfalls += outcome == "shortfall"
    warned = warn_low_stock(session, today)
    completed = _complete_finished(session)
    return DueResult(ordered, shortfalls, warned, completed)
