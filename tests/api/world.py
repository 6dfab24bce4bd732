"""One small shop for the tests that walk every API operation (schemathesis, the access
matrix): two producers with their accounts and tokens of every kind, products in and out
of stock, an open fair with a fair price, a stamp's batch and an order part, made
through the shop's own services."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from storefront.accounts.models import Role, User
from storefront.api import tokens
from storefront.catalog.models import Producer, Product
from storefront.fairs import services as fairs
from storefront.fairs.models import Fair
from storefront.orders.models import OrderPart
from storefront.orders.placement import place_order
from storefront.producers import fulfilment
from storefront.timeutil import utcnow
from tests.accounts.helpers import make_member, make_user
from tests.factories import make_producer, make_product
from tests.fairs.helpers import make_fair
from tests.orders.helpers import order_request, variant_of
from tests.traceability.helpers import make_batch


@dataclass
class ApiWorld:
    producer: Producer
    other_producer: Producer
    owner: User
    stranger: User  # acts for other_producer
    buyer: User
    other_buyer: User
    product: Product  # the producer's, in stock, featured at the fair
    fair: Fair  # open now
    pack_id: int
    other_pack_id: int  # other_producer's
    part_id: int  # the producer's part of an order, placed
    cancel_part_id: int  # another, placed: cancelling it is not undone by the steps
    other_part_id: int  # other_producer's part
    trace_code: str
    order_number: str  # the buyer's order (of other_producer's pack), placed
    order_part_id: int
    delivered_number: str  # the buyer's order, delivered: reviews may be written
    delivered_part_id: int
    # personal access tokens by kind: write, read, expired, revoked (the owner's),
    # stranger (other_producer's owner, write); buyer, buyer_read, buyer_expired,
    # buyer_revoked (the buyer's), other_buyer
    secrets: dict[str, str] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)

    def path_values(self, template: str) -> dict[str, list[Any]]:
        """Real values for the path parameters of the operation at `template` (such as
        /api/v1/products/{slug}): the shop's own objects, so the operation finds them."""
        slugs = {
            "/api/v1/products/": [self.product.slug],
            "/api/v1/producers/": [self.producer.slug],
            "/api/v1/fairs/": [self.fair.slug],
            "/api/v1/provinces/": ["dien-bien"],
        }
        values: dict[str, list[Any]] = {
            "producer_id": [self.producer.id],
            "pack_id": [self.pack_id],
            "part_id": [self.cancel_part_id if template.endswith("/cancel") else self.part_id],
            "code": [self.trace_code],
            "slug": next((v for p, v in slugs.items() if template.startswith(p)), []),
            "batch_id": [self.extra.get("batch_id")] if "batch_id" in self.extra else [],
        }
        if template.startswith("/api/v1/orders/"):  # the buyer's own orders
            reviewing = template.endswith("/reviews")
            values["number"] = [self.delivered_number if reviewing else self.order_number]
            values["part_id"] = [self.delivered_part_id if reviewing else self.order_part_id]
        for prefix, extra in self.extra.get("path_values", {}).items():
            if template.startswith(prefix):
                values.update(extra)
        return {name: found for name, found in values.items() if found}


def _token(session: Session, user: User, scope: str, made_days_ago: int = 0) -> tokens.NewToken:
    return tokens.create_token(
        session, user, "kho", scope, 30, utcnow() - timedelta(days=made_days_ago)
    )


def build_api_world(session: Session) -> ApiWorld:
    organiser = make_user(session, role=Role.ORGANISER)
    producer = make_producer(session, name="HTX Ong mật Mường Phăng")
    other = make_producer(session, name="HTX Chè Shan Tuyết")
    owner = make_member(session, producer)
    stranger = make_member(session, other)
    product = make_product(session, producer, name="Mật ong hoa Ban", price=150_000, stock=40)
    make_product(session, producer, name="Mận hậu sấy", price=90_000, stock=0)
    make_product(session, producer, name="Gạo Séng Cù", price=60_000, published=False)
    other_product = make_product(session, other, name="Chè Shan Tuyết", price=200_000, stock=30)
    variant = variant_of(session, product)
    other_variant = variant_of(session, other_product)
    fair = make_fair(session, organiser, name="Hội chợ OCOP Điện Biên")
    fairs.accept_invitation(session, fairs.invite_exhibitor(session, fair, producer.id))
    fairs.feature_variant(session, fair, variant.id, 0, 120_000)
    batch = make_batch(session, producer, product)
    batch_id = batch.id

    def part_of(variant_id: int) -> int:
        order = place_order(session, order_request([(variant_id, 1)])).order
        return session.execute(
            select(OrderPart.id).where(OrderPart.order_id == order.id)
        ).scalar_one()

    part_id, cancel_part_id = part_of(variant.id), part_of(variant.id)
    other_part_id = part_of(other_variant.id)
    buyer, other_buyer = make_user(session), make_user(session)
    # The buyer's orders are of the other producer's pack, so that the producer's steps
    # (which schemathesis drives with drawn ids) never move them.
    order = place_order(session, order_request([(other_variant.id, 1)], user_id=buyer.id)).order
    delivered = place_order(session, order_request([(other_variant.id, 1)], user_id=buyer.id)).order
    order_part_id, delivered_part_id = (
        session.execute(select(OrderPart.id).where(OrderPart.order_id == o.id)).scalar_one()
        for o in (order, delivered)
    )
    fulfilment.confirm(session, other.id, delivered_part_id)
    fulfilment.ship(session, other.id, delivered_part_id, "VNPost", "EV1VN")
    fulfilment.deliver(session, other.id, delivered_part_id)
    secrets = {
        "write": _token(session, owner, "write").secret,
        "read": _token(session, owner, "read").secret,
        "expired": _token(session, owner, "write", made_days_ago=31).secret,
        "stranger": _token(session, stranger, "write").secret,
    }
    revoked = _token(session, owner, "write")
    tokens.revoke_token(session, owner.id, revoked.token.id, utcnow())
    secrets["revoked"] = revoked.secret
    secrets["buyer"] = _token(session, buyer, "write").secret
    secrets["buyer_read"] = _token(session, buyer, "read").secret
    secrets["buyer_expired"] = _token(session, buyer, "write", made_days_ago=31).secret
    secrets["other_buyer"] = _token(session, other_buyer, "write").secret
    buyer_revoked = _token(session, buyer, "write")
    tokens.revoke_token(session, buyer.id, buyer_revoked.token.id, utcnow())
    secrets["buyer_revoked"] = buyer_revoked.secret
    world = ApiWorld(
        producer=producer,
        other_producer=other,
        owner=owner,
        stranger=stranger,
        buyer=buyer,
        other_buyer=other_buyer,
        product=product,
        fair=fair,
        pack_id=variant.id,
        other_pack_id=other_variant.id,
        part_id=part_id,
        cancel_part_id=cancel_part_id,
        other_part_id=other_part_id,
        trace_code=batch.code,
        order_number=order.number,
        order_part_id=order_part_id,
        delivered_number=delivered.number,
        delivered_part_id=delivered_part_id,
        secrets=secrets,
    )
    world.extra["batch_id"] = batch_id
    world.extra["review_product_id"] = other_product.id  # what the delivered part held
    session.commit()
    return world
