"""A small shop for the buyer and batch operations: two producers, two buyers, and the
tokens each of them (and a revoked, an expired and a read-only one) sends."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import update

from storefront.api.models import ApiToken
from storefront.api.tokens import hash_secret
from storefront.timeutil import utcnow
from tests.accounts.helpers import make_member, make_user
from tests.api.helpers import bearer, conforms, token_for
from tests.factories import make_producer, make_product
from tests.orders.helpers import HA_NOI, HA_NOI_WARD, variant_of

CHECKOUT_BODY: dict[str, Any] = {
    "contact_name": "Trần Văn Minh",
    "phone": "0987 654 321",
    "email": "minh@example.vn",
    "province_code": HA_NOI,
    "ward_code": HA_NOI_WARD,
    "street": "5 Ngõ Huế",
    "note": "",
    "payment_method": "cod",
}


@dataclass
class Shop:
    producer_id: int
    other_producer_id: int
    product_slug: str
    pack_id: int
    other_pack_id: int  # the other producer's
    buyer_id: int
    other_buyer_id: int
    tokens: dict[str, str]  # who → bearer secret


def make_shop(session: Any) -> Shop:
    producer = make_producer(session, name="HTX Mường Phăng")
    other = make_producer(session, name="HTX Na Son")
    product = make_product(session, producer=producer, name="Mật ong hoa Ban", stock=20)
    other_product = make_product(session, producer=other, name="Lạc đỏ Na Son", stock=20)
    owner = make_member(session, producer)
    stranger = make_member(session, other)
    buyer = make_user(session, full_name="Trần Văn Minh")
    other_buyer = make_user(session, full_name="Lê Thị Hoa")
    session.flush()
    shop = Shop(
        producer_id=producer.id,
        other_producer_id=other.id,
        product_slug=product.slug,
        pack_id=variant_of(session, product).id,
        other_pack_id=variant_of(session, other_product).id,
        buyer_id=buyer.id,
        other_buyer_id=other_buyer.id,
        tokens={},
    )
    shop.tokens["buyer"] = token_for(session, buyer, "write")
    shop.tokens["other_buyer"] = token_for(session, other_buyer, "write")
    shop.tokens["buyer_read"] = token_for(session, buyer, "read")
    shop.tokens["producer"] = token_for(session, owner, "write")
    shop.tokens["producer_read"] = token_for(session, owner, "read")
    shop.tokens["other_producer"] = token_for(session, stranger, "write")
    revoked = token_for(session, buyer, "write")
    expired = token_for(session, buyer, "write")
    producer_revoked = token_for(session, owner, "write")
    producer_expired = token_for(session, owner, "write")
    now = utcnow()
    for secret in (revoked, producer_revoked):
        session.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == hash_secret(secret))
            .values(revoked_at=now)
        )
    for secret in (expired, producer_expired):
        session.execute(
            update(ApiToken)
            .where(ApiToken.token_hash == hash_secret(secret))
            .values(expires_at=now - timedelta(seconds=1))
        )
    session.commit()
    shop.tokens.update(
        revoked=revoked,
        expired=expired,
        producer_revoked=producer_revoked,
        producer_expired=producer_expired,
    )
    return shop


def api(
    client: FlaskClient,
    spec: dict[str, Any],
    method: str,
    path: str,
    secret: str | None = None,
    cart: str | None = None,
    **kwargs: Any,
) -> Any:
    """Send a request with a bearer token and/or a cart token; the answer must be as the
    document says (status documented, body matching its schema)."""
    headers = dict(kwargs.pop("headers", {}))
    if secret:
        headers.update(bearer(secret))
    if cart:
        headers["X-Cart-Token"] = cart
    response = client.open(path, method=method, headers=headers, **kwargs)
    conforms(spec, method, path, response)
    return response
