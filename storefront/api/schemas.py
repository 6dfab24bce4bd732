"""The API's request and response shapes (marshmallow), from which the OpenAPI document
describes every operation. Money is integer VND; times are ISO 8601 in UTC."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from marshmallow import EXCLUDE, Schema, fields, validate


class Strict(Schema):
    class Meta:
        unknown = EXCLUDE  # stray query parameters are ignored, as on the pages


class UtcDateTime(fields.DateTime):
    """A moment as RFC 3339 with its offset: SQLite hands back naive UTC, which would
    otherwise go out without one (not a `date-time` by the document's own format)."""

    def _serialize(self, value: datetime | None, attr: str | None, obj: Any, **kwargs: Any) -> Any:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super()._serialize(value, attr, obj, **kwargs)


class WholeNumber(fields.Integer):
    """A JSON integer in a body, as the document's `integer` means it: 3 and 3.0, never
    2.5 (which fields.Integer would cut to 2) nor true."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _validated(self, value: Any) -> Any:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return super()._validated(value)


class Problem(Schema):
    """RFC 9457 problem details."""

    type = fields.String(required=True, metadata={"description": "stable URI of the kind"})
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    field = fields.String(metadata={"description": "the field at fault"})
    errors = fields.Dict(keys=fields.String(), metadata={"description": "messages by field"})


# -- public catalogue -------------------------------------------------------------------


class ProductQuery(Strict):
    """The /products query string; bad values are ignored exactly as on the page."""

    q = fields.String(metadata={"description": "search words (diacritics ignored)"})
    group = fields.String(metadata={"description": "OCOP product group code"})
    stars = fields.String(metadata={"description": "3, 4 or 5: that many stars or more"})
    province = fields.String(metadata={"description": "slug, name or pre-2025 name"})
    min_price = fields.String(metadata={"description": "VND"})
    max_price = fields.String(metadata={"description": "VND"})
    sort = fields.String(
        metadata={"description": "relevance, newest, price_asc, price_desc, stars, rating"}
    )
    cursor = fields.String(metadata={"description": "`next_cursor` of the previous page"})


class Place(Schema):
    code = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)


class ProducerRef(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)


class Rating(Schema):
    average = fields.Float(required=True, allow_none=True)
    count = fields.Integer(required=True)


class Photo(Schema):
    url = fields.String(required=True)
    thumbnail_url = fields.String(required=True)
    alt = fields.String(required=True)
    width = fields.Integer(required=True)
    height = fields.Integer(required=True)


class ProductSummary(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    name_en = fields.String(required=True)
    group = fields.String(required=True)
    stars = fields.Integer(required=True, allow_none=True)
    price_from_vnd = fields.Integer(required=True, allow_none=True)
    producer = fields.Nested(ProducerRef, required=True)
    province = fields.Nested(Place, required=True, allow_none=True)
    photo = fields.Nested(Photo, required=True, allow_none=True)
    rating = fields.Nested(Rating, required=True)
    url = fields.String(required=True, metadata={"description": "the product page"})


class ProductPage(Schema):
    items = fields.List(fields.Nested(ProductSummary), required=True)
    total = fields.Integer(required=True)
    total_is_capped = fields.Boolean(required=True)
    next_cursor = fields.String(required=True, allow_none=True)


class PricedPack(Schema):
    """A pack and what it costs now (storefront.pricing)."""

    id = fields.Integer(required=True)
    sku = fields.String(required=True)
    label = fields.String(required=True)
    weight_grams = fields.Integer(required=True)
    price_vnd = fields.Integer(required=True, metadata={"description": "what it costs now"})
    retail_vnd = fields.Integer(required=True)
    is_reduced = fields.Boolean(required=True, metadata={"description": "a fair price"})
    discount_percent = fields.Integer(required=True)


class Pack(PricedPack):
    stock_state = fields.String(
        required=True, validate=validate.OneOf(["in_stock", "low_stock", "out_of_stock"])
    )


class Certificate(Schema):
    stars = fields.Integer(required=True)
    level = fields.String(required=True)
    decision_number = fields.String(required=True)
    decision_date = fields.Date(required=True)
    issuing_body = fields.String(required=True)
    expires_on = fields.Date(required=True)


class ProductDetail(ProductSummary):
    description = fields.String(required=True)
    description_en = fields.String(required=True)
    packs = fields.List(fields.Nested(Pack), required=True)
    certificate = fields.Nested(Certificate, required=True, allow_none=True)
    photos = fields.List(fields.Nested(Photo), required=True)


class ProducerDetail(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    story = fields.String(required=True)
    province = fields.Nested(Place, required=True, allow_none=True)
    ward = fields.Nested(Place, required=True, allow_none=True)
    products = fields.List(fields.Nested(ProductSummary), required=True)
    url = fields.String(required=True)


class Province(Place):
    kind = fields.String(required=True)
    old_names = fields.List(
        fields.String(), required=True, metadata={"description": "names before July 2025"}
    )


class ProvinceList(Schema):
    items = fields.List(fields.Nested(Province), required=True)


class Ward(Schema):
    code = fields.Integer(required=True)
    name = fields.String(required=True)


class WardList(Schema):
    province = fields.Nested(Province, required=True)
    items = fields.List(fields.Nested(Ward), required=True)


# -- producers' own data ------------------------------------------------------------------


class OwnPack(Schema):
    id = fields.Integer(required=True)
    sku = fields.String(required=True)
    label = fields.String(required=True)
    price_vnd = fields.Integer(required=True)
    weight_grams = fields.Integer(required=True)
    stock = fields.Integer(required=True)
    low_stock_threshold = fields.Integer(required=True)
    is_active = fields.Boolean(required=True)


class OwnProduct(Schema):
    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    is_published = fields.Boolean(required=True)
    packs = fields.List(fields.Nested(OwnPack), required=True)


class OwnProductList(Schema):
    items = fields.List(fields.Nested(OwnProduct), required=True)


class StockChange(Strict):
    delta = WholeNumber(
        required=True,
        validate=validate.Range(-1_000_000, 1_000_000),
        metadata={"description": "signed change; breakage may be given positive"},
    )
    reason = fields.String(
        required=True, validate=validate.OneOf(["delivery", "correction", "breakage"])
    )
    note = fields.String(load_default="", validate=validate.Length(max=300))


class StockResult(Schema):
    pack_id = fields.Integer(required=True)
    stock = fields.Integer(required=True)


class Line(Schema):
    sku = fields.String(required=True)
    product_name = fields.String(required=True)
    pack_label = fields.String(required=True)
    quantity = fields.Integer(required=True)
    unit_price_vnd = fields.Integer(required=True)


class OrderPart(Schema):
    id = fields.Integer(required=True)
    order_number = fields.String(required=True)
    status = fields.String(required=True)
    placed_at = UtcDateTime(required=True)
    items_total_vnd = fields.Integer(required=True)
    shipping_fee_vnd = fields.Integer(required=True)
    carrier = fields.String(required=True)
    tracking_number = fields.String(required=True)
    payment_method = fields.String(required=True)
    payment_status = fields.String(required=True)
    lines = fields.List(fields.Nested(Line), required=True)


class OrderPartList(Schema):
    items = fields.List(fields.Nested(OrderPart), required=True)
    total = fields.Integer(required=True)
    page = fields.Integer(required=True)
    pages = fields.Integer(required=True)


class PartQuery(Strict):
    status = fields.String(metadata={"description": "placed, confirmed, shipped, ..."})
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100_000))


class Shipment(Strict):
    carrier = fields.String(required=True, validate=validate.Length(min=1, max=80))
    tracking_number = fields.String(required=True, validate=validate.Length(min=1, max=80))


class Cancellation(Strict):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=300))


# -- fairs and traceability -----------------------------------------------------------------


class FairSummary(Schema):
    slug = fields.String(required=True)
    name = fields.String(required=True)
    venue = fields.String(required=True)
    province = fields.Nested(Place, required=True, allow_none=True)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    opens_at = UtcDateTime(required=True)
    closes_at = UtcDateTime(required=True)
    phase = fields.String(required=True, validate=validate.OneOf(["open", "upcoming", "past"]))
    url = fields.String(required=True)


class FairList(Schema):
    current = fields.List(fields.Nested(FairSummary), required=True)
    upcoming = fields.List(fields.Nested(FairSummary), required=True)
    past = fields.List(fields.Nested(FairSummary), required=True)


class FeaturedPack(Schema):
    product = fields.Nested(ProductSummary, required=True)
    pack = fields.Nested(PricedPack, required=True)


class FairDetail(FairSummary):
    description = fields.String(required=True)
    is_open = fields.Boolean(required=True)
    featured = fields.List(fields.Nested(FeaturedPack), required=True)
    exhibitors = fields.List(fields.Nested(ProducerRef), required=True)


class TraceStep(Schema):
    kind = fields.String(required=True)
    happened_on = fields.Date(required=True)
    place = fields.String(required=True)
    note = fields.String(required=True)


class Trace(Schema):
    code = fields.String(required=True)
    product = fields.Nested(ProducerRef, required=True)
    pack_label = fields.String(required=True)
    producer = fields.Nested(ProducerRef, required=True)
    producer_address = fields.String(required=True)
    producer_province = fields.Nested(Place, required=True, allow_none=True)
    produced_on = fields.Date(required=True)
    expires_on = fields.Date(required=True)
    place_province = fields.Nested(Place, required=True, allow_none=True)
    certificate = fields.Nested(Certificate, required=True, allow_none=True)
    certificate_state = fields.String(required=True, allow_none=True)
    steps = fields.List(fields.Nested(TraceStep), required=True)


class DeliveryQuery(Strict):
    province = fields.String(required=True, metadata={"description": "slug, name or pre-2025 name"})
    quantity = fields.Integer(load_default=1, validate=validate.Range(1, 1000))


class PackDelivery(Schema):
    pack_id = fields.Integer(required=True)
    weight_grams = fields.Integer(required=True, metadata={"description": "the parcel"})
    fee_vnd = fields.Integer(required=True)
    days_min = fields.Integer(required=True)
    days_max = fields.Integer(required=True)


class DeliveryQuote(Schema):
    province = fields.Nested(Place, required=True)
    distance = fields.String(required=True)
    quantity = fields.Integer(required=True)
    packs = fields.List(fields.Nested(PackDelivery), required=True)
