"""The demo's running agreement: signed, six monthly deliveries, loaded once."""

from __future__ import annotations

from storefront.offtake.demo import load_demo_agreement
from storefront.offtake.due import run_due
from storefront.offtake.models import AgreementState
from storefront.timeutil import today_in_vietnam
from tests.offtake.helpers import a_variant, deliveries, make_business


def test_the_demo_agreement_runs_and_loads_once(session):
    today = today_in_vietnam()
    assert load_demo_agreement(session, today) is None  # no business buyer yet
    variant = a_variant(session, stock=500)
    make_business(session)
    agreement = load_demo_agreement(session, today)
    assert agreement is not None
    session.commit()
    assert agreement.state == AgreementState.ACTIVE
    assert agreement.unit_price_vnd == variant.price_vnd * 9 // 10
    assert len(deliveries(session, agreement.id)) == 6
    assert run_due(session, today).ordered == 1  # the first one is due today
    assert load_demo_agreement(session, today).id == agreement.id
