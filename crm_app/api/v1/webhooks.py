"""``/api/v1/webhooks`` (scope "webhooks"): an integrator registers, lists and deletes the organization's
webhook endpoints and reads their delivery log, through the same service as /settings/api
(crm_app/services/webhooks.py: admin keys only, the URL guard, the secret shown once)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from crm_app.api.v1.deps import ApiSession, Caller, acting, require
from crm_app.api.v1.paging import Cursor, Limit, Page, decode_cursor, encode_cursor
from crm_app.services import webhooks as service
from crm_app.services.webhooks import DeliveryDTO, EndpointDTO

router = APIRouter(prefix="/webhooks", tags=["webhooks"])
WebhooksCaller = Annotated[Caller, Depends(require("webhooks"))]


class EndpointIn(BaseModel):
    url: str = Field(max_length=500, examples=["https://example.com/hooks/clientela"])
    events: list[str] = Field(examples=[["customer.created", "customer.updated"]])
    description: str = Field(default="", max_length=200)


class EndpointOut(BaseModel):
    id: int
    url: str
    description: str
    events: list[str]
    status: str = Field(description="active | disabled")
    disabled_reason: str = Field(description='"" | "failures" (kept failing) | "admin"')
    consecutive_failures: int
    created_at: datetime


class EndpointCreated(EndpointOut):
    secret: str = Field(description="Signs every delivery (Clientela-Signature); shown only in this answer")


class DeliveryOut(BaseModel):
    id: int
    event_id: str
    event_type: str
    status: str = Field(description="queued | sending | delivered | failed")
    attempts: int
    response_code: int | None
    duration_ms: int | None
    error: str
    created_at: datetime
    delivered_at: datetime | None
    next_attempt_at: datetime


def _out(endpoint: EndpointDTO) -> EndpointOut:
    return EndpointOut(
        id=endpoint.id, url=endpoint.url, description=endpoint.description, events=list(endpoint.events),
        status="active" if endpoint.active else "disabled", disabled_reason=endpoint.disabled_reason,
        consecutive_failures=endpoint.consecutive_failures, created_at=endpoint.created_at,
    )


def _delivery(d: DeliveryDTO) -> DeliveryOut:
    return DeliveryOut(
        id=d.id, event_id=d.event_id, event_type=d.event_type, status=d.status, attempts=d.attempts,
        response_code=d.response_code, duration_ms=d.duration_ms, error=d.last_error,
        created_at=d.created_at, delivered_at=d.delivered_at, next_attempt_at=d.next_attempt_at,
    )


@router.get("", response_model=Page[EndpointOut], summary="List the webhook endpoints")
def list_endpoints(caller: WebhooksCaller, session: ApiSession) -> Page[EndpointOut]:
    """Every endpoint of the organization (at most 20 exist, so one page), oldest first."""
    return Page[EndpointOut](items=[_out(e) for e in service.list_endpoints(session, caller.actor)])


@router.post("", response_model=EndpointCreated, status_code=201, summary="Register a webhook endpoint")
def create_endpoint(body: EndpointIn, caller: WebhooksCaller, session: ApiSession) -> EndpointCreated:
    """The URL must be https and public (see docs/webhooks.md). The answer carries the signing secret,
    which is never shown again."""
    with acting(caller):
        endpoint, secret = service.create_endpoint(session, caller.actor, body.url, body.events,
                                                   body.description)
    return EndpointCreated(**_out(endpoint).model_dump(), secret=secret)


@router.get("/{endpoint_id}", response_model=EndpointOut, summary="Get a webhook endpoint")
def get_endpoint(endpoint_id: int, caller: WebhooksCaller, session: ApiSession) -> EndpointOut:
    return _out(service.get_endpoint(session, caller.actor, endpoint_id))


@router.delete("/{endpoint_id}", status_code=204, summary="Delete a webhook endpoint")
def delete_endpoint(endpoint_id: int, caller: WebhooksCaller, session: ApiSession) -> Response:
    """It receives nothing more; its deliveries still waiting end as failed."""
    with acting(caller):
        service.delete_endpoint(session, caller.actor, endpoint_id)
    return Response(status_code=204)


@router.get("/{endpoint_id}/deliveries", response_model=Page[DeliveryOut],
            summary="An endpoint's delivery log")
def list_deliveries(
    endpoint_id: int, caller: WebhooksCaller, session: ApiSession, cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[DeliveryOut]:
    """Newest first; pass ``next_cursor`` as ``cursor`` for older ones."""
    before = decode_cursor(cursor).get("before") if cursor else None
    page = service.list_deliveries(session, caller.actor, endpoint_id,
                                   before=int(before) if isinstance(before, int) else None, limit=limit)
    next_cursor = encode_cursor({"before": page.next_before}) if page.next_before else None
    return Page[DeliveryOut](items=[_delivery(d) for d in page.items], next_cursor=next_cursor)
