"""Shapes of the buyer's operations (cart, quote, checkout, orders, reviews) and of a
producer's batches. Money is integer VND; times are ISO 8601 in UTC, dates are days.

The checkout body declares no field required and no format: what is missing or wrong is
answered by the checkout form's own checks, with the messages the page shows."""

from __future__ import annotations

from marshmallow import fields, validate

from storefront.api.schemas import Place, ProducerRef, Strict, WholeNumber
from storefront.traceability.services import (
    MAX_NOTE_LENGTH,
    MAX_PLACE_LENGTH,
    MAX_QUANTITY,
    MAX_STEPS,
)

# -- cart ----------------------------------------------------------------------------------


class CartLine(Strict):
    pack_id = fields.Integer(required=True)
    sku = fields.String(required=True)
    product_slug = fields.String(required=True)
    product_name = fields.String(required=True)
    pack_label = fields.String(required=True)
    quantity = fields.Integer(required=True)
    unit_price_vnd = fields.Integer(required=True, metadata={"description": "what it costs now"})
    retail_vnd = fields.Integer(required=True)
    is_reduced = fields.Boolean(required=True, metadata={"description": "a fair price"})
    line_total_vnd = fields.Integer(required=True)
    weight_grams = fields.Integer(required=True)
    problem = fields.String(
        required=True,
        allow_none=True,
        validate=validate.OneOf(["not_sold", "short"]),
        metadata={"description": "no longer sold, or more than the stock (null: fine)"},
    )


class CartGroup(Strict):
    """One producer's parcel."""

    producer = fields.Nested(ProducerRef, required=True)
    province = fields.Nested(Place, required=True, allow_none=True)
    items_total_vnd = fields.Integer(required=True)
    weight_grams = fields.Integer(required=True)
    lines = fields.List(fields.Nested(CartLine), required=True)


class Cart(Strict):
    item_count = fields.Integer(required=True)
    items_total_vnd = fields.Integer(required=True)
    groups = fields.List(fields.Nested(CartGroup), required=True)


class NewCart(Strict):
    cart_token = fields.String(
        required=True, metadata={"description": "send it as X-Cart-Token; shown this once"}
    )
    cart = fields.Nested(Cart, required=True)


class CartChange(Strict):
    """What an add or a change did: the quantity now, and whether the stock cut it down."""

    pack_id = fields.Integer(required=True)
    quantity = fields.Integer(required=True)
    requested = fields.Integer(required=True)
    capped = fields.Boolean(required=True)
    message = fields.String(required=True, allow_none=True)
    cart = fields.Nested(Cart, required=True)


class AddLine(Strict):
    pack_id = WholeNumber(required=True, validate=validate.Range(1, 2_147_483_647))
    quantity = WholeNumber(load_default=1, validate=validate.Range(1, 9_999))


class SetLine(Strict):
    quantity = WholeNumber(
        required=True,
        validate=validate.Range(0, 9_999),
        metadata={"description": "0 takes the line out"},
    )


class QuoteQuery(Strict):
    province = fields.String(
        required=True, metadata={"description": "slug, name, pre-2025 name or code"}
    )


class QuotedGroup(Strict):
    producer = fields.Nested(ProducerRef, required=True)
    items_total_vnd = fields.Integer(required=True)
    weight_grams = fields.Integer(required=True)
    shipping_fee_vnd = fields.Integer(required=True)
    total_vnd = fields.Integer(required=True)


class Quote(Strict):
    province = fields.Nested(Place, required=True)
    groups = fields.List(fields.Nested(QuotedGroup), required=True)
    items_total_vnd = fields.Integer(required=True)
    shipping_total_vnd = fields.Integer(required=True)
    total_vnd = fields.Integer(required=True)


# -- checkout and orders ---------------------------------------------------------------------


class Checkout(Strict):
    """The checkout form's fields; each is checked as the form checks it."""

    contact_name = fields.String(metadata={"description": "required, at most 120 characters"})
    phone = fields.String(metadata={"description": "required: 03/05/07/08/09… or +84…"})
    email = fields.String(metadata={"description": "required"})
    province_code = WholeNumber(
        metadata={"description": "required: a province code (GET /api/v1/provinces)"}
    )
    ward_code = WholeNumber(metadata={"description": "required: a ward of that province"})
    street = fields.String(metadata={"description": "required, at most 300 characters"})
    note = fields.String(metadata={"description": "at most 500 characters"})
    payment_method = fields.String(
        metadata={"description": "required", "enum": ["cod", "bank_transfer"]}
    )
    invoice = fields.Boolean(
        metadata={
            "description": "a business buyer's VAT invoice (xuất hóa đơn), from their profile"
        }
    )


class OrderLine(Strict):
    pack_id = fields.Integer(required=True)
    product_id = fields.Integer(required=True)
    sku = fields.String(required=True)
    product_name = fields.String(required=True)
    pack_label = fields.String(required=True)
    quantity = fields.Integer(required=True)
    unit_price_vnd = fields.Integer(required=True)
    line_total_vnd = fields.Integer(required=True)


class StatusStep(Strict):
    status = fields.String(required=True)
    at = fields.DateTime(required=True)
    note = fields.String(required=True)


class BuyerPart(Strict):
    id = fields.Integer(required=True)
    producer_name = fields.String(required=True)
    status = fields.String(required=True)
    status_label = fields.String(required=True)
    items_total_vnd = fields.Integer(required=True)
    shipping_fee_vnd = fields.Integer(required=True)
    total_vnd = fields.Integer(required=True)
    carrier = fields.String(required=True)
    tracking_number = fields.String(required=True)
    can_cancel = fields.Boolean(required=True)
    lines = fields.List(fields.Nested(OrderLine), required=True)
    history = fields.List(fields.Nested(StatusStep), required=True)


class BankTransfer(Strict):
    """The VietQR transfer to make while the order awaits it."""

    bank_name = fields.String(required=True)
    bank_bin = fields.String(required=True)
    account_number = fields.String(required=True)
    account_name = fields.String(required=True)
    amount_vnd = fields.Integer(required=True)
    note = fields.String(required=True, metadata={"description": "the transfer note"})
    payload = fields.String(required=True, metadata={"description": "the VietQR (EMVCo) text"})


class BuyerOrderSummary(Strict):
    number = fields.String(required=True)
    placed_at = fields.DateTime(required=True)
    payment_method = fields.String(required=True)
    payment_status = fields.String(required=True)
    items_total_vnd = fields.Integer(required=True)
    shipping_total_vnd = fields.Integer(required=True)
    total_vnd = fields.Integer(required=True)
    amount_due_vnd = fields.Integer(required=True)
    url = fields.String(required=True, metadata={"description": "the order page"})


class BuyerOrder(BuyerOrderSummary):
    contact_name = fields.String(required=True)
    phone = fields.String(required=True)
    email = fields.String(required=True)
    province = fields.Nested(Place, required=True, allow_none=True)
    ward = fields.String(required=True, allow_none=True)
    street = fields.String(required=True)
    note = fields.String(required=True)
    parts = fields.List(fields.Nested(BuyerPart), required=True)
    bank_transfer = fields.Nested(BankTransfer, required=True, allow_none=True)


class BuyerOrderList(Strict):
    items = fields.List(fields.Nested(BuyerOrderSummary), required=True)


class NewReview(Strict):
    product_id = WholeNumber(required=True, validate=validate.Range(1, 2_147_483_647))
    stars = WholeNumber(required=True, metadata={"description": "1 to 5"})
    body = fields.String(load_default="", metadata={"description": "at most 2,000 characters"})
    pack = fields.String(load_default="", metadata={"description": "the pack label bought"})


class Review(Strict):
    id = fields.Integer(required=True)
    product_id = fields.Integer(required=True)
    stars = fields.Integer(required=True)
    body = fields.String(required=True)
    pack = fields.String(required=True)
    author_name = fields.String(required=True)
    created_at = fields.DateTime(required=True)
    url = fields.String(required=True)


# -- a producer's batches ----------------------------------------------------------------------


class BatchStepIn(Strict):
    kind = fields.String(
        required=True, metadata={"enum": ["growing", "processing", "packing", "other"]}
    )
    happened_on = fields.Date(required=True)
    place = fields.String(load_default="", validate=validate.Length(max=MAX_PLACE_LENGTH))
    note = fields.String(load_default="", validate=validate.Length(max=MAX_NOTE_LENGTH))


class NewBatch(Strict):
    pack_id = WholeNumber(required=True, validate=validate.Range(1, 2_147_483_647))
    produced_on = fields.Date(required=True)
    expires_on = fields.Date(required=True)
    quantity = WholeNumber(
        required=True, validate=validate.Range(1, MAX_QUANTITY), metadata={"description": "packs"}
    )
    province_code = WholeNumber(required=True, validate=validate.Range(1, 2_147_483_647))
    ward_code = WholeNumber(
        required=True,
        validate=validate.Range(1, 2_147_483_647),
        metadata={"description": "a ward of that province"},
    )
    place_detail = fields.String(load_default="", validate=validate.Length(max=MAX_PLACE_LENGTH))
    steps = fields.List(
        fields.Nested(BatchStepIn), load_default=list, validate=validate.Length(max=MAX_STEPS)
    )


class BatchStep(Strict):
    kind = fields.String(required=True)
    happened_on = fields.Date(required=True)
    place = fields.String(required=True)
    note = fields.String(required=True)


class BatchSummary(Strict):
    id = fields.Integer(required=True)
    code = fields.String(required=True, metadata={"description": "as printed: 7K3F-9QXM-2AB"})
    product_id = fields.Integer(required=True)
    product_name = fields.String(required=True)
    pack_id = fields.Integer(required=True)
    pack_label = fields.String(required=True)
    produced_on = fields.Date(required=True)
    expires_on = fields.Date(required=True)
    quantity = fields.Integer(required=True)
    trace_url = fields.String(required=True, metadata={"description": "the stamp's QR target"})


class Batch(BatchSummary):
    province = fields.Nested(Place, required=True, allow_none=True)
    ward = fields.String(required=True, allow_none=True)
    place_detail = fields.String(required=True)
    certificate_id = fields.Integer(required=True, allow_none=True)
    steps = fields.List(fields.Nested(BatchStep), required=True)


class BatchList(Strict):
    items = fields.List(fields.Nested(BatchSummary), required=True)
