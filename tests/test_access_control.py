"""Every route in the URL map is either public or protected, and protected ones hold.

A new route fails `test_every_route_is_classified` until it is listed here:
  - in PUBLIC, if anyone may use it; or
  - in PROTECTED, with the account that may use it (`allowed`), the signed-in
    accounts that must be turned away with 403 or 404 (`refused`), and sample URL
    arguments built from the World (create what your routes need in build_world).

For each protected route the tests check: an anonymous GET is sent to the login
page with `next` pointing back; an anonymous POST (with a valid CSRF token, so the
view itself must refuse) goes to the login page or gets 400/403; every refused
account gets 403 or 404 for GET and POST; the allowed account gets 200 on GET.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient

from storefront.accounts import addresses
from storefront.accounts import services as account_services
from storefront.accounts.models import Role, User
from storefront.catalog.models import Producer
from storefront.producers import services as producer_services
from storefront.producers.models import ProducerApplication
from tests.accounts.helpers import log_in, make_member, make_user
from tests.business.helpers import make_business_buyer
from tests.conftest import csrf_token_from
from tests.factories import DIEN_BIEN, DIEN_BIEN_WARD, make_producer
from tests.producers.helpers import workspace_objects

PUBLIC = {
    "site.healthz",
    "readyz",
    "metrics",  # loopback or METRICS_ALLOW only: tests/production/test_observe.py
    "site.set_language",
    "site.media",
    "catalog.home",
    "catalog.product_list",
    "catalog.product_detail",
    "catalog.producer_detail",
    "accounts.login",
    "accounts.logout",
    "accounts.register",
    "accounts.forgot_password",
    "accounts.reset_password",
    # cart and checkout, for guests too
    "cart.show",
    "cart.add",
    "cart.update",
    "cart.remove",
    "checkout.checkout",
    "checkout.submit",
    # an order: its account, or this browser after placing it or answering with the
    # order's email or phone (tests/orders/test_pages.py); anyone else gets the lookup form
    "orders.detail",
    "orders.lookup",
    "orders.confirmation",
    "orders.cancel_part",
    # the trace page a stamp's QR code opens, and typing a code from a stamp
    "traceability.trace",
    "traceability.lookup",
    # a card order's payment page: the same browsers as the order (404 for anyone else,
    # tests/payments/test_stripe_checkout.py); Stripe's webhook, refused unless signed
    # with the endpoint secret (tests/payments/test_stripe_webhooks.py)
    "payments.card_payment",
    "payments.pay",
    "payments.switch_to_cash",
    "payments.stripe_webhook",
    # fairs: the list and a published fair (a draft answers 404, tests/fairs/test_views.py)
    "fairs.index",
    "fairs.detail",
    # a guest's review through the single-use link of their "delivered" email: refused
    # unless the signed token's hash is stored and unused (tests/reviews)
    "reviews.invite",
    # the JSON API: public reads, its document and docs page; the producer's endpoints
    # take a personal access token, never a session (401/403/404 checked per token kind
    # and account in tests/api/test_access.py)
    "api-docs.openapi_json",
    "api_docs",
    "api_public.products",
    "api_public.product",
    "api_public.producer",
    "api_public.provinces",
    "api_public.wards",
    "api_public.fairs",
    "api_public.fair",
    "api_public.trace",
    "api_public.delivery",
    "api_producer.own_products",
    "api_producer.change_stock",
    "api_producer.own_orders",
    "api_producer.own_order",
    "api_producer.confirm",
    "api_producer.ship",
    "api_producer.deliver",
    "api_producer.cancel",
    # a producer's batches (token, 404 for another producer's) and a buyer's cart,
    # checkout, orders and reviews (a buyer token or a guest cart token; another buyer's
    # order 404): checked per operation and token kind in tests/api/test_buyer_access.py
    "api_batches.batches",
    "api_batches.create_batch",
    "api_batches.batch",
    "api_buyer.create_cart",
    "api_buyer.cart",
    "api_buyer.add_line",
    "api_buyer.set_line",
    "api_buyer.remove_line",
    "api_buyer.cart_quote",
    "api_buyer.checkout",
    "api_buyer.orders",
    "api_buyer.order",
    "api_buyer.cancel_part",
    "api_buyer.review",
    # for search engines: robots.txt and the sitemaps of public listings
    "seo.robots",
    "seo.sitemap_index",
    "seo.sitemap_chunk",
    # for marketplaces and ads: the product feed of packs in stock (tests/seo/test_feed.py)
    "seo.product_feed",
}

# Who is signed in, by name (see build_world).
BUYER, OTHER_BUYER = "buyer", "other_buyer"
PRODUCER, MEMBER, OTHER_PRODUCER = "producer", "member", "other_producer"
ORGANISER, ADMIN = "organiser", "admin"
OFFICER, OTHER_OFFICER = "officer", "other_officer"  # of Điện Biên, of Gia Lai
# Buyers with a business profile (storefront/business), made the first time needed.
BUSINESS, OTHER_BUSINESS = "business", "other_business"
NOT_PRODUCERS = (BUYER, ORGANISER, ADMIN)
NOT_ADMINS = (BUYER, PRODUCER, ORGANISER)


@dataclass
class World:
    """What the sample URLs point at; add your domain's objects to `extra`."""

    users: dict[str, User]
    producer: Producer  # owned by PRODUCER, MEMBER is a plain member
    other_producer: Producer  # owned by OTHER_PRODUCER
    address_id: int  # BUYER's
    application: ProducerApplication  # pending, filed by OTHER_BUYER
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Protected:
    allowed: str
    refused: tuple[str, ...] = ()
    args: Callable[[World], dict[str, Any]] = lambda world: {}


def _address(world: World) -> dict[str, Any]:
    return {"address_id": world.address_id}


def _own_producer(world: World) -> dict[str, Any]:
    return {"producer_id": world.producer.id}


def _member_of_own_producer(world: World) -> dict[str, Any]:
    return {"producer_id": world.producer.id, "user_id": world.users[MEMBER].id}


def _own(key: str, with_producer: bool = True) -> Callable[[World], dict[str, Any]]:
    """URL arguments naming one of the producer's objects (tests/producers/helpers.py)."""

    def args(world: World) -> dict[str, Any]:
        values = {key: world.extra[key]}
        return {"producer_id": world.producer.id, **values} if with_producer else values

    return args


def _own_token(world: World) -> dict[str, Any]:
    """A personal access token of PRODUCER's, made the first time a test needs one."""
    if "token_id" not in world.extra:
        from storefront.api import tokens
        from storefront.extensions import db
        from storefront.timeutil import utcnow

        made = tokens.create_token(db.session, world.users[PRODUCER], "kho", "read", 30, utcnow())
        db.session.commit()
        world.extra["token_id"] = made.token.id
    return {"token_id": world.extra["token_id"]}


def _own_batch(world: World) -> dict[str, Any]:
    """A batch of the producer's, recorded the first time a test needs one."""
    if "batch_id" not in world.extra:
        from storefront.extensions import db
        from tests.traceability.helpers import make_batch

        world.extra["batch_id"] = make_batch(db.session, world.producer).id
        db.session.commit()
    return {"batch_id": world.extra["batch_id"]}


def _application(world: World) -> dict[str, Any]:
    return {"application_id": world.application.id}


def _a_user(world: World) -> dict[str, Any]:
    return {"user_id": world.users[BUYER].id}


def _order_number(world: World) -> dict[str, Any]:
    """The number of the producer's order (tests/producers/helpers.py)."""
    from sqlalchemy import select

    from storefront.extensions import db
    from storefront.orders.models import Order, OrderPart

    number = db.session.execute(
        select(Order.number).join(OrderPart).where(OrderPart.id == world.extra["part_id"])
    ).scalar_one()
    return {"number": number}


def _own_settlement(world: World) -> dict[str, Any]:
    """A settlement paid to the producer, recorded the first time a test needs one."""
    if "settlement_id" not in world.extra:
        from storefront.extensions import db
        from storefront.settlements.models import Settlement
        from storefront.timeutil import today_in_vietnam

        today = today_in_vietnam()
        settlement = Settlement(
            producer_id=world.producer.id,
            period_start=today,
            period_end=today,
            digest="0" * 64,
            collected_vnd=0,
            refunds_vnd=0,
            commission_vnd=0,
            payout_vnd=0,
            bank_reference="FT-WORLD",
            paid_on=today,
        )
        db.session.add(settlement)
        db.session.commit()
        world.extra["settlement_id"] = settlement.id
    return {"producer_id": world.producer.id, "settlement_id": world.extra["settlement_id"]}


def _fair(world: World) -> dict[str, Any]:
    """A fair run by ORGANISER where the producer exhibits, made the first time it is needed."""
    if "fair_id" not in world.extra:
        from storefront.extensions import db
        from storefront.fairs import services as fair_services
        from tests.fairs.helpers import make_fair

        fair = make_fair(db.session, world.users[ORGANISER])
        exhibitor = fair_services.invite_exhibitor(db.session, fair, world.producer.id)
        db.session.commit()
        world.extra["fair_id"] = fair.id
        world.extra["exhibitor_id"] = exhibitor.id
    return {"fair_id": world.extra["fair_id"]}


def _meeting(world: World) -> dict[str, Any]:
    """An accepted meeting of BUSINESS's in an online slot of the producer's booth at the
    fair, and an open slot beside it, made the first time a test needs them."""
    if "meeting_id" not in world.extra:
        from storefront.extensions import db
        from storefront.fairs import services as fair_services
        from storefront.fairs.models import ExhibitorStatus
        from storefront.meetings import services as meetings
        from storefront.timeutil import utcnow
        from tests.meetings.helpers import open_slot

        _fair(world)
        exhibitor = fair_services.get_exhibitor(db.session, world.extra["exhibitor_id"])
        if exhibitor.status == ExhibitorStatus.INVITED:
            fair_services.accept_invitation(db.session, exhibitor)
        booked = open_slot(db.session, exhibitor, 30, mode="online", link="https://meet.vn/a")
        meeting = meetings.book_slot(db.session, booked.id, world.users[BUSINESS], "", utcnow())
        meetings.accept_meeting(db.session, meeting, utcnow())
        world.extra["slot_id"] = open_slot(db.session, exhibitor, 32).id
        world.extra["meeting_id"] = meeting.id
        db.session.commit()
    return {"slot_id": world.extra["slot_id"], "meeting_id": world.extra["meeting_id"]}


def _meeting_args(*keys: str, producer: bool = False) -> Callable[[World], dict[str, Any]]:
    def args(world: World) -> dict[str, Any]:
        values = {key: _meeting(world)[key] for key in keys}
        return {"producer_id": world.producer.id, **values} if producer else values

    return args


def _fair_and(**more: int) -> Callable[[World], dict[str, Any]]:
    return lambda world: {**_fair(world), **more}


def _own_booth(world: World) -> dict[str, Any]:
    _fair(world)
    return {"producer_id": world.producer.id, "exhibitor_id": world.extra["exhibitor_id"]}


def _reviews(world: World) -> None:
    """BUYER's delivered, unreviewed part of the producer's product, and OTHER_BUYER's
    review of it, made the first time a test needs them."""
    if "review_id" in world.extra:
        return
    from storefront.catalog.models import Product
    from storefront.extensions import db
    from storefront.reviews import services as reviews
    from tests.reviews.helpers import bought

    product = db.session.get(Product, world.extra["product_id"])
    assert product is not None
    mine = bought(db.session, product, world.users[BUYER].id)
    theirs = bought(db.session, product, world.users[OTHER_BUYER].id)
    reviewable = reviews.reviewable_for_buyer(
        db.session, world.users[OTHER_BUYER].id, theirs.id, product.id
    )
    review = reviews.write_review(
        db.session, "/nonexistent", reviewable, reviews.ReviewDraft(4, "Ngon"), "Người Khác"
    )
    db.session.commit()
    world.extra["review_id"] = review.id
    world.extra["review_part"] = {"part_id": mine.id, "product_id": product.id}


def _review(with_producer: bool = False) -> Callable[[World], dict[str, Any]]:
    def args(world: World) -> dict[str, Any]:
        _reviews(world)
        values = {"review_id": world.extra["review_id"]}
        return {"producer_id": world.producer.id, **values} if with_producer else values

    return args


def _agreement(world: World) -> dict[str, Any]:
    """An offtake agreement between BUSINESS and the producer, signed, its deliveries in
    the future, made the first time a test needs it."""
    if "agreement_id" not in world.extra:
        from datetime import timedelta

        from storefront.extensions import db
        from storefront.offtake import services as offtake
        from storefront.offtake.models import Side
        from storefront.timeutil import today_in_vietnam
        from tests.offtake.helpers import terms

        today = today_in_vietnam()
        lines = [(today + timedelta(days=10), 2), (today + timedelta(days=40), 2)]
        agreement = offtake.ask_for_agreement(
            db.session, world.users[BUSINESS].id, world.extra["variant_id"], terms(lines), today
        )
        offtake.accept(db.session, agreement, Side.PRODUCER, 1)
        db.session.commit()
        world.extra["agreement_id"] = agreement.id
    return {"agreement_id": world.extra["agreement_id"]}


def _own_agreement(world: World) -> dict[str, Any]:
    return {"producer_id": world.producer.id, **_agreement(world)}


def _review_part(world: World) -> dict[str, Any]:
    _reviews(world)
    return dict(world.extra["review_part"])


NOT_ORGANISERS = (BUYER, PRODUCER)


def _quotes(world: World) -> None:
    """BUSINESS's quotes to the producer, made the first time a test needs them: one the
    producer answered (the buyer may accept it), one waiting for the producer's answer."""
    if "quoted_id" in world.extra:
        return
    from datetime import timedelta

    from storefront.extensions import db
    from storefront.quotes import services as quotes
    from storefront.timeutil import today_in_vietnam, utcnow

    buyer_id, producer_id = world.users[BUSINESS].id, world.producer.id
    variant_id = world.extra["variant_id"]

    def ask(quantity: int) -> Any:
        request = quotes.QuoteRequest([quotes.AskedLine(variant_id, quantity)], 1)
        token = quotes.new_quote_token()
        return quotes.ask_quote(db.session, buyer_id, producer_id, request, token, utcnow())

    answered = ask(5)
    quotes.answer_quote(
        db.session,
        producer_id,
        answered.id,
        1,
        quotes.QuoteAnswer(
            {line.id: 100_000 for line in answered.current_lines},
            30_000,
            2,
            today_in_vietnam() + timedelta(days=7),
        ),
        world.users[PRODUCER].id,
        utcnow(),
    )
    waiting = ask(8)
    db.session.commit()
    world.extra["quoted_id"] = answered.id
    world.extra["requested_id"] = waiting.id


def _buyer_quote(world: World) -> dict[str, Any]:
    _quotes(world)
    return {"quote_id": world.extra["quoted_id"]}


def _producer_quote(world: World) -> dict[str, Any]:
    _quotes(world)
    return {"producer_id": world.producer.id, "quote_id": world.extra["requested_id"]}


def _producer_slug(world: World) -> dict[str, Any]:
    return {"slug": world.producer.slug}


# a quote: its business buyer, the producer's members and admins (404 for anyone else;
# a signed-in account without a business profile is sent to make one: tests/quotes)
NOT_THE_BUYER = (OTHER_BUSINESS, BUYER, PRODUCER, ADMIN)
NOT_THE_PRODUCER = (OTHER_PRODUCER, BUSINESS, BUYER, ADMIN)
QUOTES: dict[str, Protected] = {
    "quotes.ask": Protected(BUSINESS, (), _producer_slug),
    "quotes.mine": Protected(BUSINESS),
    "quotes.buyer_detail": Protected(BUSINESS, NOT_THE_BUYER, _buyer_quote),
    "quotes.accept": Protected(BUSINESS, NOT_THE_BUYER, _buyer_quote),
    "quotes.ask_again": Protected(BUSINESS, NOT_THE_BUYER, _buyer_quote),
    "quotes.buyer_message": Protected(BUSINESS, NOT_THE_BUYER, _buyer_quote),
    "quotes.producer_quotes": Protected(
        PRODUCER, (OTHER_PRODUCER, BUSINESS, *NOT_PRODUCERS), _own_producer
    ),
    "quotes.producer_detail": Protected(PRODUCER, NOT_THE_PRODUCER, _producer_quote),
    "quotes.answer": Protected(PRODUCER, NOT_THE_PRODUCER, _producer_quote),
    "quotes.decline": Protected(PRODUCER, NOT_THE_PRODUCER, _producer_quote),
    "quotes.producer_message": Protected(PRODUCER, NOT_THE_PRODUCER, _producer_quote),
    "quotes.admin_quotes": Protected(ADMIN, (*NOT_ADMINS, BUSINESS)),
    "quotes.admin_detail": Protected(ADMIN, (*NOT_ADMINS, BUSINESS), _buyer_quote),
}

PROTECTED: dict[str, Protected] = {
    # fairs: organisers for the fairs they run (404 for others', tests/fairs), admins for all
    "fairs.manage": Protected(ORGANISER, NOT_ORGANISERS),
    "fairs.new": Protected(ORGANISER, NOT_ORGANISERS),
    "fairs.edit": Protected(ORGANISER, NOT_ORGANISERS, _fair),
    "fairs.set_state": Protected(ORGANISER, NOT_ORGANISERS, _fair),
    "fairs.invite": Protected(ORGANISER, NOT_ORGANISERS, _fair),
    "fairs.accept_exhibitor": Protected(ORGANISER, NOT_ORGANISERS, _fair_and(exhibitor_id=1)),
    "fairs.remove_exhibitor": Protected(ORGANISER, NOT_ORGANISERS, _fair_and(exhibitor_id=1)),
    "fairs.add_feature": Protected(ORGANISER, NOT_ORGANISERS, _fair),
    "fairs.remove_feature": Protected(ORGANISER, NOT_ORGANISERS, _fair_and(feature_id=1)),
    "fairs.report_page": Protected(ORGANISER, NOT_ORGANISERS, _fair),
    "fairs.report_csv": Protected(ORGANISER, NOT_ORGANISERS, _fair),
    "fairs.home_features": Protected(ORGANISER, NOT_ORGANISERS),
    "fairs.remove_home_feature": Protected(ORGANISER, NOT_ORGANISERS, lambda w: {"feature_id": 1}),
    # a producer's fairs and booth: its members only (404 for another producer's)
    "producer_fairs.index": Protected(PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), _own_producer),
    "producer_fairs.ask": Protected(PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), _own_producer),
    "producer_fairs.accept": Protected(PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), _own_booth),
    "producer_fairs.booth": Protected(PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), _own_booth),
    "audit.log": Protected(ADMIN, NOT_ADMINS),
    # fair meetings: business buyers (a retail account is sent to make a business
    # profile, tests/meetings/test_views.py), another's meeting 404; the exhibitor's
    # members (404 for another producer's booth)
    "meetings.mine": Protected(BUSINESS),
    "meetings.book": Protected(BUSINESS, (), _meeting_args("slot_id")),
    "meetings.cancel": Protected(BUSINESS, (OTHER_BUSINESS,), _meeting_args("meeting_id")),
    "meetings.calendar": Protected(BUSINESS, (OTHER_BUSINESS,), _meeting_args("meeting_id")),
    **{
        f"producer_meetings.{name}": Protected(PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), args)
        for name, args in [
            ("index", _own_producer),
            ("open_slot", _own_producer),
            ("close_slot", _meeting_args("slot_id", producer=True)),
            ("accept", _meeting_args("meeting_id", producer=True)),
            ("decline", _meeting_args("meeting_id", producer=True)),
            ("cancel", _meeting_args("meeting_id", producer=True)),
            ("calendar", _meeting_args("meeting_id", producer=True)),
        ]
    },
    # reviews: the buyer of a delivered part (404 for anyone else's order); any account
    # votes and reports; the producer's members reply (404 for another producer's);
    # admins moderate
    "reviews.write": Protected(BUYER, (OTHER_BUYER, PRODUCER, ADMIN), _review_part),
    "reviews.mine": Protected(BUYER),
    # a producer's or a buyer's personal access tokens (another account's token: 404)
    "api_tokens.index": Protected(PRODUCER, (ORGANISER, ADMIN)),
    "api_tokens.create": Protected(PRODUCER, (ORGANISER, ADMIN)),
    "api_tokens.revoke": Protected(PRODUCER, (BUYER, ORGANISER, ADMIN, OTHER_PRODUCER), _own_token),
    "reviews.helpful": Protected(BUYER, (), _review()),
    "reviews.report": Protected(BUYER, (), _review()),
    "reviews.producer_reviews": Protected(
        PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), _own_producer
    ),
    "reviews.reply": Protected(PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), _review(True)),
    "reviews.queue": Protected(ADMIN, NOT_ADMINS),
    "reviews.hide": Protected(ADMIN, NOT_ADMINS, _review()),
    "reviews.restore": Protected(ADMIN, NOT_ADMINS, _review()),
    "reviews.keep": Protected(ADMIN, NOT_ADMINS, _review()),
    # any signed-in account
    "accounts.account": Protected(BUYER),
    "accounts.update_profile": Protected(BUYER),
    "accounts.change_password": Protected(BUYER),
    "accounts.sign_out_everywhere": Protected(BUYER),
    "accounts.new_address": Protected(BUYER),
    "business.profile": Protected(BUYER),  # the account's own business profile
    # a pack's wholesale tiers: its producer's members only (another producer's: 404)
    "business_wholesale.tiers": Protected(
        PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), _own("variant_id")
    ),
    # offtake agreements: the business buyer's own (another business buyer's: 404; an
    # account without a business profile is sent to make one, tests/offtake/test_pages.py)
    "offtake_buyer.index": Protected(BUSINESS),
    "offtake_buyer.new": Protected(BUSINESS, (), lambda w: {"variant": w.extra["variant_id"]}),
    **{
        f"offtake_buyer.{name}": Protected(BUSINESS, (OTHER_BUSINESS,), _agreement)
        for name in ("detail", "change", "accept", "decline", "withdraw", "csv", "pdf")
    },
    # and the producer's: its members only (404 for another producer's)
    "offtake_producer.producer_index": Protected(
        PRODUCER, (OTHER_PRODUCER, BUSINESS, *NOT_PRODUCERS), _own_producer
    ),
    "offtake_producer.producer_new": Protected(
        PRODUCER, (OTHER_PRODUCER, BUSINESS, *NOT_PRODUCERS), _own_producer
    ),
    **{
        f"offtake_producer.{name}": Protected(
            PRODUCER, (OTHER_PRODUCER, BUSINESS, *NOT_PRODUCERS), _own_agreement
        )
        for name in ("detail", "change", "accept", "decline", "withdraw", "csv", "pdf")
    },
    "producers.apply": Protected(BUYER),
    "orders.history": Protected(BUYER),
    # only the address's owner
    "accounts.edit_address": Protected(BUYER, (OTHER_BUYER, ADMIN), _address),
    "accounts.default_address": Protected(BUYER, (OTHER_BUYER, ADMIN), _address),
    "accounts.delete_address": Protected(BUYER, (OTHER_BUYER, ADMIN), _address),
    # producers, and only for their own producer (the owner for changes)
    "producers.area": Protected(PRODUCER, NOT_PRODUCERS),
    "producers.members": Protected(PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), _own_producer),
    "producers.add_member": Protected(
        PRODUCER, (MEMBER, OTHER_PRODUCER, *NOT_PRODUCERS), _own_producer
    ),
    "producers.remove_member": Protected(
        PRODUCER, (MEMBER, OTHER_PRODUCER, *NOT_PRODUCERS), _member_of_own_producer
    ),
    # the producer's workspace: any member of the producer, 404 for anyone else's
    **{
        f"producer_listings.{name}": Protected(PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), args)
        for name, args in [
            ("products", _own_producer),
            ("new_product", _own_producer),
            ("edit_product", _own("product_id")),
            ("publish", _own("product_id")),
            ("add_variant", _own("product_id")),
            ("update_variant", _own("variant_id")),
            ("import_products", _own_producer),
            ("export_products", _own_producer),
        ]
    },
    **{
        f"producer_stock.{name}": Protected(PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), args)
        for name, args in [
            ("adjust_stock", _own_producer),
            ("stock_history", _own("variant_id")),
            ("upload_photo", _own("product_id")),
            ("photo_alt", _own("photo_id")),
            ("move_photo", _own("photo_id")),
            ("delete_photo", _own("photo_id")),
        ]
    },
    **{
        f"producer_orders.{name}": Protected(PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), args)
        for name, args in [
            ("orders", _own_producer),
            ("export_orders", _own_producer),
            ("order_part", _own("part_id")),
            ("packing_slip", _own("part_id")),
            ("confirm", _own("part_id")),
            ("ship", _own("part_id")),
            ("deliver", _own("part_id")),
            ("cancel", _own("part_id")),
        ]
    },
    **{
        f"producer_insights.{name}": Protected(PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), args)
        for name, args in [
            ("certificate_list", _own_producer),
            ("new_certificate", _own_producer),
            ("sales_page", _own_producer),
        ]
    },
    # batches and stamps: any member of the batch's producer, 404 for anyone else's
    "traceability.batches": Protected(PRODUCER, NOT_PRODUCERS),
    "traceability.new_batch": Protected(PRODUCER, NOT_PRODUCERS),
    **{
        f"traceability.{name}": Protected(PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), _own_batch)
        for name in ("batch", "add_step", "qr_svg", "qr_png", "stamp_sheet")
    },
    "admin_certificates.queue": Protected(ADMIN, NOT_ADMINS),
    "admin_certificates.verify": Protected(ADMIN, NOT_ADMINS, _own("certificate_id", False)),
    "admin_certificates.reject": Protected(ADMIN, NOT_ADMINS, _own("certificate_id", False)),
    # admins
    "admin.index": Protected(ADMIN, NOT_ADMINS),
    "admin.applications": Protected(ADMIN, NOT_ADMINS),
    "admin.application": Protected(ADMIN, NOT_ADMINS, _application),
    "admin.approve": Protected(ADMIN, NOT_ADMINS, _application),
    "admin.reject": Protected(ADMIN, NOT_ADMINS, _application),
    "admin.users": Protected(ADMIN, NOT_ADMINS),
    "admin.set_role": Protected(ADMIN, NOT_ADMINS, _a_user),
    "orders.awaiting_payment": Protected(ADMIN, NOT_ADMINS),
    "orders.mark_paid": Protected(ADMIN, NOT_ADMINS, lambda world: {"number": "OC-2611-AAAAAA"}),
    "shipping.rates": Protected(ADMIN, NOT_ADMINS),
    # refunds and payment issues: admins only
    "payments_admin.index": Protected(ADMIN, NOT_ADMINS),
    "payments_admin.order": Protected(ADMIN, NOT_ADMINS, _order_number),
    "payments_admin.refund": Protected(ADMIN, NOT_ADMINS, _order_number),
    "payments_admin.send_refund": Protected(ADMIN, NOT_ADMINS, lambda world: {"refund_id": 1}),
    "payments_admin.resolve": Protected(ADMIN, NOT_ADMINS, lambda world: {"issue_id": 1}),
    # settlements: admins for every producer; a producer's members for their own (404 else)
    "settlements.index": Protected(ADMIN, NOT_ADMINS),
    "settlements.set_commission": Protected(ADMIN, NOT_ADMINS),
    "settlements.statement": Protected(ADMIN, NOT_ADMINS, _own_producer),
    "settlements.statement_csv": Protected(ADMIN, NOT_ADMINS, _own_producer),
    "settlements.record_paid": Protected(ADMIN, NOT_ADMINS, _own_producer),
    "settlements.detail": Protected(
        ADMIN, NOT_ADMINS, lambda world: {"settlement_id": _own_settlement(world)["settlement_id"]}
    ),
    "settlements.producer_statement": Protected(
        PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), _own_producer
    ),
    "settlements.producer_statement_csv": Protected(
        PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), _own_producer
    ),
    "settlements.producer_detail": Protected(
        PRODUCER, (OTHER_PRODUCER, *NOT_PRODUCERS), _own_settlement
    ),
    # province dashboards: officers for their provinces (404 for others), admins for all;
    # /programme sends an officer to its own province, so officers are not refused there
    "programme.index": Protected(ADMIN, NOT_ADMINS),
    "programme.ranking_csv": Protected(ADMIN, (*NOT_ADMINS, OFFICER)),
    "programme.province": Protected(
        OFFICER, (*NOT_ADMINS, OTHER_OFFICER), lambda world: {"slug": "dien-bien"}
    ),
    "programme.province_csv": Protected(
        OFFICER,
        (*NOT_ADMINS, OTHER_OFFICER),
        lambda world: {"slug": "dien-bien", "table": "producers"},
    ),
}

PROTECTED.update(QUOTES)

IGNORED_METHODS = {"HEAD", "OPTIONS"}


def build_world(session) -> World:  # type: ignore[no-untyped-def]
    producer = make_producer(session, name="HTX Của Mình")
    other_producer = make_producer(session, name="HTX Của Người Khác")
    users = {
        BUYER: make_user(session, email="buyer@example.vn"),
        OTHER_BUYER: make_user(session, email="other-buyer@example.vn"),
        PRODUCER: make_member(session, producer, email="producer@example.vn"),
        MEMBER: make_member(session, producer, owner=False, email="member@example.vn"),
        OTHER_PRODUCER: make_member(session, other_producer, email="other-producer@example.vn"),
        ORGANISER: make_user(session, email="organiser@example.vn", role=Role.ORGANISER),
        ADMIN: make_user(session, email="admin@example.vn", role=Role.ADMIN),
        OFFICER: make_user(session, email="officer@example.vn"),
        OTHER_OFFICER: make_user(session, email="other-officer@example.vn"),
        BUSINESS: make_business_buyer(session, email="business@example.vn")[0],
        OTHER_BUSINESS: make_business_buyer(session, email="other-business@example.vn")[0],
    }
    account_services.set_role(session, users[OFFICER], Role.OFFICER, provinces=[DIEN_BIEN])
    account_services.set_role(session, users[OTHER_OFFICER], Role.OFFICER, provinces=[52])
    address = addresses.add_address(
        session,
        users[BUYER],
        addresses.AddressData("Người Mua", "0912345678", DIEN_BIEN, DIEN_BIEN_WARD, "Số 1"),
    )
    application = producer_services.apply_as_producer(
        session,
        users[OTHER_BUYER],
        producer_services.ApplicationData(
            "HTX Mới", "cooperative", DIEN_BIEN, DIEN_BIEN_WARD, "Bản Mới", "0987654321"
        ),
    )
    extra = workspace_objects(session, producer)  # the producer's product, order, photo…
    session.commit()
    return World(users, producer, other_producer, address.id, application, extra)


def _methods(app: Flask, endpoint: str) -> set[str]:
    methods: set[str] = set()
    for rule in app.url_map.iter_rules(endpoint):
        methods |= (rule.methods or set()) - IGNORED_METHODS
    return methods


def _url(app: Flask, endpoint: str, values: dict[str, Any]) -> str:
    return app.url_map.bind("localhost").build(endpoint, values)


def _client_for(app: Flask, world: World, who: str) -> FlaskClient:
    client = app.test_client()
    response = log_in(client, world.users[who].email)
    assert response.status_code == 302, f"could not sign in as {who}"
    return client


def _token(client: FlaskClient) -> str:
    """A valid CSRF token for this client's session, so that views, not CSRF, refuse."""
    with client.session_transaction() as session:
        signed_in = "_user_id" in session
    return csrf_token_from(client.get("/account/" if signed_in else "/account/login").text)


def test_every_route_is_classified(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    unclassified = sorted(endpoints - PUBLIC - set(PROTECTED))
    assert not unclassified, (
        "classify this new route in tests/test_access_control.py (PUBLIC or PROTECTED): "
        + ", ".join(unclassified)
    )
    assert not PUBLIC & set(PROTECTED)
    stale = sorted((PUBLIC | set(PROTECTED)) - endpoints)
    assert not stale, "these routes no longer exist; remove them: " + ", ".join(stale)


@pytest.mark.parametrize("endpoint", sorted(PROTECTED))
def test_anonymous_visitors_are_sent_to_login(app, session, endpoint):
    world = build_world(session)
    url = _url(app, endpoint, PROTECTED[endpoint].args(world))
    client = app.test_client()
    methods = _methods(app, endpoint)
    if "GET" in methods:
        response = client.get(url)
        assert response.status_code == 302, url
        location = urlsplit(response.headers["Location"])
        assert location.path == "/account/login"
        assert parse_qs(location.query)["next"] == [url]
    token = _token(client)
    for method in methods - {"GET"}:
        response = client.open(url, method=method, data={"csrf_token": token})
        if response.status_code == 302:
            assert urlsplit(response.headers["Location"]).path == "/account/login", url
        else:
            assert response.status_code in (400, 401, 403), (method, url, response.status_code)


@pytest.mark.parametrize("endpoint", sorted(PROTECTED))
def test_accounts_without_the_role_or_ownership_are_refused(app, session, endpoint):
    rule = PROTECTED[endpoint]
    world = build_world(session)
    url = _url(app, endpoint, rule.args(world))
    methods = _methods(app, endpoint)
    for who in rule.refused:
        client = _client_for(app, world, who)
        token = _token(client)
        for method in sorted(methods):
            data = None if method == "GET" else {"csrf_token": token}
            response = client.open(url, method=method, data=data)
            assert response.status_code in (403, 404), (who, method, url, response.status_code)


def test_the_allowed_accounts_get_the_protected_pages(app, session):
    world = build_world(session)
    clients: dict[str, FlaskClient] = {}
    failures = []
    for endpoint, rule in sorted(PROTECTED.items()):
        if "GET" not in _methods(app, endpoint):
            continue  # POST-only routes are exercised by their domain's own tests
        if rule.allowed not in clients:
            clients[rule.allowed] = _client_for(app, world, rule.allowed)
        response = clients[rule.allowed].get(_url(app, endpoint, rule.args(world)))
        if response.status_code != 200:
            failures.append(f"{endpoint} as {rule.allowed}: {response.status_code}")
    assert not failures, failures
