"""The agreement's state machine: ask or propose, accept, decline, withdraw, change."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from storefront.fairs import services as fair_services
from storefront.offtake import services
from storefront.offtake.models import (
    AgreementState,
    DeliveryState,
    OfftakeDelivery,
    OfftakeEmail,
    OfftakeVersion,
    Side,
    VersionStatus,
)
from storefront.offtake.services import AgreementChanged, OfftakeError
from storefront.timeutil import today_in_vietnam as today
from tests.accounts.helpers import make_member, make_user
from tests.factories import make_producer
from tests.fairs.helpers import make_fair
from tests.offtake.helpers import a_variant, deliveries, make_business, signed_agreement, terms


def _world(session):  # type: ignore[no-untyped-def]
    producer = make_producer(session)
    make_member(session, producer, email="htx@example.vn")
    variant = a_variant(session, producer)
    buyer = make_business(session, email="sieuthi@example.vn")
    return producer, variant, buyer


def _member(session, producer) -> int:  # type: ignore[no-untyped-def]
    from storefront.accounts.models import ProducerMember

    return session.execute(
        select(ProducerMember.user_id).where(ProducerMember.producer_id == producer.id)
    ).scalar_one()


def _emails(session) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(session.execute(select(OfftakeEmail.key)).scalars())


def test_a_buyer_asks_and_the_producer_accepts(session):
    producer, variant, buyer = _world(session)
    agreement = services.ask_for_agreement(session, buyer.id, variant.id, terms(), today())
    assert agreement.state == AgreementState.PROPOSED and agreement.pending_version == 1
    assert agreement.buyer_name == "Siêu thị Xanh"
    with pytest.raises(OfftakeError):
        services.accept(session, agreement, Side.BUYER, 1)  # not one's own proposal
    services.accept(session, agreement, Side.PRODUCER, 1)
    session.refresh(agreement)
    assert agreement.state == AgreementState.ACTIVE
    assert (agreement.version, agreement.pending_version) == (1, None)
    assert agreement.total_quantity == 60 and agreement.committed_vnd == 60 * 120_000
    assert [d.quantity for d in deliveries(session, agreement.id)] == [20, 20, 20]
    assert _emails(session) == [
        f"accepted:agreement:{agreement.id}:v1",
        f"proposed:agreement:{agreement.id}:v1",
    ]


def test_accepting_twice_gives_one_outcome(session):
    _, variant, buyer = _world(session)
    agreement = services.ask_for_agreement(session, buyer.id, variant.id, terms(), today())
    services.accept(session, agreement, Side.PRODUCER, 1)
    session.commit()
    with pytest.raises(AgreementChanged):
        services.accept(session, agreement, Side.PRODUCER, 1)  # a second tab
    session.rollback()
    assert len(deliveries(session, agreement.id)) == 3


def test_the_conditional_update_refuses_what_another_request_moved(session):
    """The row in memory still says "pending 1"; another request answered meanwhile."""
    from storefront.offtake.models import OfftakeAgreement

    _, variant, buyer = _world(session)
    agreement = services.ask_for_agreement(session, buyer.id, variant.id, terms(), today())
    session.commit()
    assert agreement.pending_version == 1  # loaded
    session.execute(
        update(OfftakeAgreement)
        .where(OfftakeAgreement.id == agreement.id)
        .values(pending_version=None, state=AgreementState.WITHDRAWN)
        .execution_options(synchronize_session=False)
    )
    with pytest.raises(AgreementChanged):
        services.accept(session, agreement, Side.PRODUCER, 1)
    session.rollback()
    assert deliveries(session, agreement.id) == []


def test_the_producer_proposes_and_the_buyer_accepts(session):
    producer, variant, buyer = _world(session)
    agreement = services.propose_to_buyer(
        session,
        producer.id,
        _member(session, producer),
        "SIEUTHI@example.vn",
        variant.id,
        terms(),
        today(),
    )
    assert agreement.started_by == Side.PRODUCER and agreement.buyer_id == buyer.id
    services.accept(session, agreement, Side.BUYER, 1)
    session.refresh(agreement)
    assert agreement.state == AgreementState.ACTIVE


def test_a_producer_only_proposes_its_own_packs_to_business_buyers(session):
    producer, variant, _ = _world(session)
    retail = make_user(session, email="le@example.vn")
    with pytest.raises(OfftakeError) as refused:
        services.propose_to_buyer(
            session,
            producer.id,
            _member(session, producer),
            retail.email,
            variant.id,
            terms(),
            today(),
        )
    assert refused.value.field == "buyer_email"
    other = a_variant(session, make_producer(session))
    with pytest.raises(OfftakeError) as refused:
        services.propose_to_buyer(
            session,
            producer.id,
            _member(session, producer),
            "sieuthi@example.vn",
            other.id,
            terms(),
            today(),
        )
    assert refused.value.field == "variant"


def test_a_retail_buyer_cannot_ask(session):
    _, variant, _ = _world(session)
    retail = make_user(session)
    with pytest.raises(OfftakeError):
        services.ask_for_agreement(session, retail.id, variant.id, terms(), today())


def test_declining_or_withdrawing_a_first_version_ends_the_agreement(session):
    _, variant, buyer = _world(session)
    first = services.ask_for_agreement(session, buyer.id, variant.id, terms(), today())
    with pytest.raises(OfftakeError):
        services.decline(session, first, Side.BUYER, 1)  # one's own: withdraw it instead
    services.decline(session, first, Side.PRODUCER, 1)
    session.refresh(first)
    assert first.state == AgreementState.DECLINED and first.pending_version is None
    second = services.ask_for_agreement(session, buyer.id, variant.id, terms(), today())
    with pytest.raises(OfftakeError):
        services.withdraw(session, second, Side.PRODUCER, 1)  # only its author
    services.withdraw(session, second, Side.BUYER, 1)
    session.refresh(second)
    assert second.state == AgreementState.WITHDRAWN
    with pytest.raises(OfftakeError):
        services.propose_change(session, second, Side.BUYER, buyer.id, terms(), today())


def test_a_counter_proposal_replaces_the_pending_version(session):
    producer, variant, buyer = _world(session)
    agreement = services.ask_for_agreement(session, buyer.id, variant.id, terms(), today())
    services.propose_change(
        session, agreement, Side.PRODUCER, _member(session, producer), terms(price=130_000), today()
    )
    session.commit()
    session.refresh(agreement)
    assert agreement.pending_version == 2 and agreement.state == AgreementState.PROPOSED
    statuses = dict(
        session.execute(
            select(OfftakeVersion.number, OfftakeVersion.status).where(
                OfftakeVersion.agreement_id == agreement.id
            )
        ).all()
    )
    assert statuses == {1: VersionStatus.SUPERSEDED, 2: VersionStatus.PENDING}
    with pytest.raises(AgreementChanged):
        services.accept(session, agreement, Side.PRODUCER, 1)  # the old one
    session.rollback()
    agreement = services.agreement_for_buyer(session, buyer.id, agreement.id)
    services.accept(session, agreement, Side.BUYER, 2)
    session.refresh(agreement)
    assert agreement.unit_price_vnd == 130_000 and agreement.version == 2


def test_an_accepted_change_replaces_the_open_deliveries_only(session):
    _, variant, buyer = _world(session)
    agreement = signed_agreement(session, buyer, variant)
    first = deliveries(session, agreement.id)[0]
    session.execute(
        update(OfftakeDelivery)
        .where(OfftakeDelivery.id == first.id)
        .values(state=DeliveryState.ORDERED, ordered_on=today())
    )
    later = [(today() + timedelta(days=40), 50), (today() + timedelta(days=70), 50)]
    services.propose_change(session, agreement, Side.BUYER, buyer.id, terms(later), today())
    session.refresh(agreement)
    assert agreement.state == AgreementState.ACTIVE and agreement.version == 1  # still in force
    services.accept(session, agreement, Side.PRODUCER, 2)
    session.refresh(agreement)
    rows = deliveries(session, agreement.id)
    assert [(d.state, d.quantity) for d in rows if d.state != DeliveryState.SUPERSEDED] == [
        (DeliveryState.ORDERED, 20),
        (DeliveryState.SCHEDULED, 50),
        (DeliveryState.SCHEDULED, 50),
    ]
    assert agreement.total_quantity == 120 and agreement.committed_vnd == 120 * 120_000


def test_a_change_written_before_a_delivery_became_an_order_is_refused(session):
    _, variant, buyer = _world(session)
    agreement = signed_agreement(session, buyer, variant)
    services.propose_change(session, agreement, Side.BUYER, buyer.id, terms(), today())
    session.commit()
    first = deliveries(session, agreement.id)[0]
    session.execute(
        update(OfftakeDelivery)
        .where(OfftakeDelivery.id == first.id)
        .values(state=DeliveryState.ORDERED, ordered_on=today())
    )
    session.commit()
    agreement = services.agreement_for_producer(session, agreement.producer_id, agreement.id)
    with pytest.raises(AgreementChanged):
        services.accept(session, agreement, Side.PRODUCER, 2)
    session.rollback()
    assert deliveries(session, agreement.id)[1].state == DeliveryState.SCHEDULED


def test_agreements_are_found_only_by_their_parties(session):
    producer, variant, buyer = _world(session)
    agreement = signed_agreement(session, buyer, variant)
    other = make_business(session, name="Nhà hàng Khác")
    from storefront.errors import NotFound

    with pytest.raises(NotFound):
        services.agreement_for_buyer(session, other.id, agreement.id)
    with pytest.raises(NotFound):
        services.agreement_for_producer(session, make_producer(session).id, agreement.id)
    assert services.agreement_for_producer(session, producer.id, agreement.id).id == agreement.id


def test_a_fair_is_credited_only_when_the_producer_exhibits_there(session):
    producer, variant, buyer = _world(session)
    organiser = make_user(session, role="organiser")
    fair = make_fair(session, organiser)
    elsewhere = make_fair(session, organiser, name="Hội chợ khác")
    exhibitor = fair_services.invite_exhibitor(session, fair, producer.id)
    fair_services.accept_invitation(session, exhibitor)
    credited = services.ask_for_agreement(
        session, buyer.id, variant.id, terms(), today(), fair_id=fair.id
    )
    not_credited = services.ask_for_agreement(
        session, buyer.id, variant.id, terms(), today(), fair_id=elsewhere.id
    )
    assert credited.fair_id == fair.id and not_credited.fair_id is None


def test_listing_with_progress_takes_a_fixed_number_of_queries(session, count_queries):
    _, variant, buyer = _world(session)
    signed_agreement(session, buyer, variant)
    session.commit()
    with count_queries() as one:
        services.buyer_agreements(session, buyer.id, today())
    for _ in range(3):
        signed_agreement(session, buyer, variant)
    session.commit()
    with count_queries() as four:
        views = services.buyer_agreements(session, buyer.id, today())
    assert len(views) == 4 and four.count == one.count
    assert views[0].progress.committed_units == 60
