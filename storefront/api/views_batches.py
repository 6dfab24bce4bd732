"""A producer's traceability batches through a personal access token: list, record and
read, through the services of the workspace's batch pages (traceability.services), with
their checks and messages. Another producer's batch or pack answers 404."""

from __future__ import annotations

from typing import Any

from flask import abort, current_app
from flask_smorest import Blueprint

from storefront.api import auth
from storefront.api import schemas_buyer as schemas
from storefront.api.models import TokenScope
from storefront.api.problems import PROBLEM_MIMETYPE, problem
from storefront.api.schemas import Problem
from storefront.api.views_public import _place
from storefront.errors import NotFound
from storefront.extensions import db
from storefront.places.services import get_province, get_ward
from storefront.timeutil import today_in_vietnam
from storefront.traceability import codes, qr, services
from storefront.traceability.models import Batch

bp = Blueprint(
    "api_batches",
    __name__,
    url_prefix="/api/v1/producer",
    description="A producer's traceability batches (personal access token)",
)
auth.api_blueprint_hooks(bp)
READ, WRITE = TokenScope.READ, TokenScope.WRITE
PROBLEM = {"schema": Problem, "content_type": PROBLEM_MIMETYPE}
SECURITY: list[dict[str, list[str]]] = [{"bearerAuth": []}]
# The workspace form's field names for the service's, where they differ.
API_FIELDS = {"variant_id": "pack_id"}


def _summary(batch: Batch) -> dict[str, Any]:
    return {
        "id": batch.id,
        "code": codes.display(batch.code),
        "product_id": batch.product_id,
        "product_name": batch.product.name,
        "pack_id": batch.variant_id,
        "pack_label": batch.variant.label,
        "produced_on": batch.produced_on,
        "expires_on": batch.expires_on,
        "quantity": batch.quantity,
        "trace_url": qr.trace_url(current_app.config["PUBLIC_BASE_URL"], batch.code),
    }


def _batch(batch: Batch) -> dict[str, Any]:
    ward = get_ward(batch.ward_code)
    return {
        **_summary(batch),
        "province": _place(get_province(batch.province_code)),
        "ward": ward.name if ward else None,
        "place_detail": batch.place_detail,
        "certificate_id": batch.certificate_id,
        "steps": [
            {
                "kind": str(step.kind),
                "happened_on": step.happened_on,
                "place": step.place,
                "note": step.note,
            }
            for step in batch.steps
        ],
    }


@bp.route("/<id:producer_id>/batches")
@auth.rate_limited(auth.token_limit)
@auth.token_required(READ)
@bp.response(200, schemas.BatchList)
@bp.alt_response(401, **PROBLEM)
@bp.alt_response(403, **PROBLEM)
@bp.alt_response(404, **PROBLEM)
@bp.doc(security=SECURITY)
def batches(producer_id: int) -> Any:
    """The producer's latest 200 batches, newest first (the workspace's batch list)."""
    return {"items": [_summary(b) for b in services.batches_of(db.session, [producer_id])]}


@bp.route("/<id:producer_id>/batches", methods=["POST"])
@auth.rate_limited(auth.token_limit)
@auth.token_required(WRITE)
@bp.arguments(schemas.NewBatch)
@bp.response(201, schemas.Batch)
@bp.alt_response(401, **PROBLEM)
@bp.alt_response(403, **PROBLEM)
@bp.alt_response(404, **PROBLEM)
@bp.alt_response(422, **PROBLEM)
@bp.doc(security=SECURITY)
def create_batch(body: dict[str, Any], producer_id: int) -> Any:
    """Record a batch of one of the producer's packs with its chain of steps, a fresh
    public code and the certificate in force (traceability.services.create_batch: the
    dates, quantity, place and steps checked as on the workspace page)."""
    data = services.BatchData(
        variant_id=body["pack_id"],
        produced_on=body["produced_on"],
        expires_on=body["expires_on"],
        quantity=body["quantity"],
        province_code=body["province_code"],
        ward_code=body["ward_code"],
        place_detail=body["place_detail"],
        steps=[
            services.StepData(
                kind=step["kind"],
                happened_on=step["happened_on"],
                place=step["place"],
                note=step["note"],
            )
            for step in body["steps"]
        ],
    )
    try:
        made = services.create_batch(db.session, [producer_id], data, today_in_vietnam())
    except NotFound:
        db.session.rollback()
        abort(404)
    except services.BatchError as error:
        db.session.rollback()
        field = API_FIELDS.get(error.field or "", error.field)
        if error.step_index is not None and field:
            field = f"steps.{error.step_index}.{field}"
        return problem(422, str(error), field=field)
    db.session.commit()
    return _batch(services.get_batch(db.session, made.id, [producer_id])), 201


@bp.route("/<id:producer_id>/batches/<id:batch_id>")
@auth.rate_limited(auth.token_limit)
@auth.token_required(READ)
@bp.response(200, schemas.Batch)
@bp.alt_response(401, **PROBLEM)
@bp.alt_response(403, **PROBLEM)
@bp.alt_response(404, **PROBLEM)
@bp.doc(security=SECURITY)
def batch(producer_id: int, batch_id: int) -> Any:
    """One of the producer's batches with its chain of steps."""
    try:
        found = services.get_batch(db.session, batch_id, [producer_id])
    except NotFound:
        abort(404)
    return _batch(found)
