"""An organization's webhook endpoints, managed by its admins (the /settings/api section and the API's
"webhooks" scope), and their delivery log.

The secret that signs deliveries is shown once, when the endpoint is created or its secret rotated.
Every URL is checked against the SSRF guard (domain/net_guard.py) here and again at each delivery.
Events are queued by services/webhook_events.py (:func:`enqueue`, re-exported here) and delivered by
crm_app/jobs/webhook_delivery.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from crm_app.domain.net_guard import UnsafeTarget, check
from crm_app.domain.webhook_signing import new_secret
from crm_app.i18n import t
from crm_app.models import User
from crm_app.models.integrations import WEBHOOK_EVENTS, WebhookDelivery, WebhookEndpoint
from crm_app.models.types import utcnow
from crm_app.services import messaging
from crm_app.services.tenancy import staff_organization, valid_id
from crm_app.services.webhook_events import enqueue  # the outbox's entry point, re-exported
from crm_app.settings import get_settings

MAX_ENDPOINTS = 20  # per organization
MAX_DESCRIPTION = 200
DELIVERY_PAGE = 25
DISABLED_FOR_FAILURES = "failures"  # disabled_reason: an i18n key suffix (webhook_reason_failures)
DISABLED_BY_ADMIN = "admin"


@dataclass(frozen=True)
class EndpointDTO:
    id: int
    url: str
    description: str
    events: tuple[str, ...]
    created_at: datetime
    consecutive_failures: int
    disabled_at: datetime | None
    disabled_reason: str  # "" | "failures" | "admin"

    @property
    def active(self) -> bool:
        return self.disabled_at is None


@dataclass(frozen=True)
class DeliveryDTO:
    id: int
    endpoint_id: int
    event_id: str
    event_type: str
    status: str  # models.integrations.DELIVERY_STATUSES
    attempts: int
    response_code: int | None
    duration_ms: int | None
    last_error: str
    created_at: datetime
    next_attempt_at: datetime
    delivered_at: datetime | None


@dataclass(frozen=True)
class DeliveryPage:
    items: tuple[DeliveryDTO, ...]
    next_before: int | None  # pass as ``before`` for the next (older) page; None at the end


def _to_dto(row: WebhookEndpoint) -> EndpointDTO:
    return EndpointDTO(
        id=row.id, url=row.url, description=row.description, events=tuple(row.events.split()),
        created_at=row.created_at, consecutive_failures=row.consecutive_failures,
        disabled_at=row.disabled_at, disabled_reason=row.disabled_reason,
    )


def _admin(session: Session, actor: Actor) -> None:
    staff_organization(session, actor)
    if not actor.is_admin:
        raise Forbidden()


def _endpoint(session: Session, actor: Actor, endpoint_id: object) -> WebhookEndpoint:
    """The actor's organization's endpoint (not deleted), else NotFound (other organizations' too)."""
    _admin(session, actor)
    row = session.get(WebhookEndpoint, endpoint_id) if valid_id(endpoint_id) else None
    if row is None or row.organization_id != actor.organization_id or row.deleted_at is not None:
        raise NotFound("webhook_endpoint")
    return row


def check_url(url: str) -> str:
    """The URL when a webhook may go there (see domain/net_guard.py), else ValidationFailed on "url"."""
    settings = get_settings().webhooks
    try:
        return check(url, allow_http=settings.allow_http, allow_private=settings.allow_private).url
    except UnsafeTarget as refused:
        raise ValidationFailed({"url": FieldError(refused.code, **refused.params)}) from None


def _clean(url: str, events: object, description: str) -> tuple[str, str, str]:
    errors: dict[str, FieldError] = {}
    try:
        url = check_url(url)
    except ValidationFailed as failed:
        errors.update(failed.errors)
    chosen = [e for e in WEBHOOK_EVENTS if e in set(events or ())] if isinstance(events, list | tuple) else []
    if not isinstance(events, list | tuple) or not events:
        errors["events"] = FieldError("webhook_events_required")
    elif len(chosen) != len(set(events)):
        errors["events"] = FieldError("invalid_choice")
    description = (description or "").strip()
    if len(description) > MAX_DESCRIPTION:
        errors["description"] = FieldError("too_long", max=MAX_DESCRIPTION)
    if errors:
        raise ValidationFailed(errors)
    return url, " ".join(chosen), description


def create_endpoint(
    session: Session, actor: Actor, url: str, events: list[str] | tuple[str, ...], description: str = ""
) -> tuple[EndpointDTO, str]:
    """Register an endpoint (admins). Returns it and its signing secret, shown this once."""
    _admin(session, actor)
    url, chosen, description = _clean(url, events, description)
    count = session.execute(
        select(WebhookEndpoint.id).where(
            WebhookEndpoint.organization_id == actor.organization_id, WebhookEndpoint.deleted_at.is_(None)
        ).limit(MAX_ENDPOINTS)
    ).all()
    if len(count) >= MAX_ENDPOINTS:
        raise ValidationFailed({"url": FieldError("webhook_too_many", max=MAX_ENDPOINTS)})
    secret = new_secret()
    row = WebhookEndpoint(organization_id=actor.organization_id, url=url, events=chosen, secret=secret,
                          description=description, created_by=actor.user_id)
    session.add(row)
    session.flush()
    return _to_dto(row), secret


def list_endpoints(session: Session, actor: Actor) -> list[EndpointDTO]:
    """The organization's endpoints (at most MAX_ENDPOINTS exist), oldest first."""
    _admin(session, actor)
    rows = session.execute(
        select(WebhookEndpoint).where(
            WebhookEndpoint.organization_id == actor.organization_id, WebhookEndpoint.deleted_at.is_(None)
        ).order_by(WebhookEndpoint.id).limit(MAX_ENDPOINTS)
    ).scalars()
    return [_to_dto(r) for r in rows]


def get_endpoint(session: Session, actor: Actor, endpoint_id: int) -> EndpointDTO:
    return _to_dto(_endpoint(session, actor, endpoint_id))


def update_endpoint(
    session: Session, actor: Actor, endpoint_id: int, *, url: str | None = None,
    events: list[str] | tuple[str, ...] | None = None, description: str | None = None,
) -> EndpointDTO:
    """Change what is given of the endpoint's URL, events and description (checked as at creation)."""
    row = _endpoint(session, actor, endpoint_id)
    url, chosen, description = _clean(
        row.url if url is None else url, row.events.split() if events is None else events,
        row.description if description is None else description,
    )
    row.url, row.events, row.description = url, chosen, description
    session.add(row)
    session.flush()
    return _to_dto(row)


def _stop_queued(session: Session, endpoint_id: int, reason: str) -> None:
    """Deliveries still waiting for an endpoint that stopped receiving end as failed, with the reason."""
    session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id, WebhookDelivery.status == "queued")
        .values(status="failed", last_error=reason)
        .execution_options(synchronize_session=False)
    )


def delete_endpoint(session: Session, actor: Actor, endpoint_id: int) -> None:
    """Stop sending to the endpoint (soft: its delivery log stays); its queued deliveries fail."""
    row = _endpoint(session, actor, endpoint_id)
    row.deleted_at = utcnow()
    session.add(row)
    _stop_queued(session, row.id, "endpoint deleted")
    session.flush()


def disable_endpoint(session: Session, actor: Actor, endpoint_id: int) -> EndpointDTO:
    """Pause the endpoint (the admin's choice); its queued deliveries fail."""
    row = _endpoint(session, actor, endpoint_id)
    if row.disabled_at is None:
        row.disabled_at, row.disabled_reason = utcnow(), DISABLED_BY_ADMIN
        session.add(row)
        _stop_queued(session, row.id, "endpoint disabled")
        session.flush()
    return _to_dto(row)


def enable_endpoint(session: Session, actor: Actor, endpoint_id: int) -> EndpointDTO:
    """Send to the endpoint again, its failure count back to zero (after the receiver was fixed)."""
    row = _endpoint(session, actor, endpoint_id)
    row.disabled_at, row.disabled_reason, row.consecutive_failures = None, "", 0
    session.add(row)
    session.flush()
    return _to_dto(row)


def rotate_secret(session: Session, actor: Actor, endpoint_id: int) -> tuple[EndpointDTO, str]:
    """A new signing secret, shown this once; deliveries are signed with it from now on."""
    row = _endpoint(session, actor, endpoint_id)
    row.secret = new_secret()
    session.add(row)
    session.flush()
    return _to_dto(row), row.secret


def send_test(session: Session, actor: Actor, endpoint_id: int) -> None:
    """Queue a "ping" event for the endpoint (whatever it subscribes to), to try the receiver."""
    row = _endpoint(session, actor, endpoint_id)
    if row.disabled_at is not None:
        raise Conflict("webhook_disabled")
    enqueue(session, row.organization_id, "ping",
            {"object": "ping", "endpoint_id": row.id, "sent_by": actor.name}, endpoint_ids=[row.id])


def list_deliveries(
    session: Session, actor: Actor, endpoint_id: int, *, before: int | None = None, limit: int = DELIVERY_PAGE
) -> DeliveryPage:
    """The endpoint's deliveries, newest first, keyset paged on the id (ix_webhook_delivery_endpoint_id)."""
    row = _endpoint(session, actor, endpoint_id)
    limit = max(1, min(int(limit), 200))
    query = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == row.id)
    if before is not None:
        query = query.where(WebhookDelivery.id < int(before))
    rows = list(session.execute(query.order_by(WebhookDelivery.id.desc()).limit(limit + 1)).scalars())
    more, rows = len(rows) > limit, rows[:limit]
    items = tuple(
        DeliveryDTO(id=r.id, endpoint_id=r.endpoint_id, event_id=r.event_id, event_type=r.event_type,
                    status=r.status, attempts=r.attempts, response_code=r.response_code,
                    duration_ms=r.duration_ms, last_error=r.last_error, created_at=r.created_at,
                    next_attempt_at=r.next_attempt_at, delivered_at=r.delivered_at)
        for r in rows
    )
    return DeliveryPage(items=items, next_before=rows[-1].id if more and rows else None)


# --------------------------------------------------------------------------- the worker's side

def disable_for_failures(session: Session, endpoint_id: int) -> bool:
    """Disable an endpoint that kept failing and e-mail its admin, in his language (through the outbox).

    Returns True when this call disabled it: of several workers seeing the limit, one tells the admin.
    """
    now = utcnow()
    changed = session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.disabled_at.is_(None))
        .values(disabled_at=now, disabled_reason=DISABLED_FOR_FAILURES)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        return False
    endpoint = session.get(WebhookEndpoint, endpoint_id)
    session.refresh(endpoint)
    _stop_queued(session, endpoint_id, "endpoint disabled")
    admin = _admin_to_tell(session, endpoint)
    if admin is not None:
        lang = admin.language or "es"
        link = f"{get_settings().public_url}/settings/api"
        messaging.enqueue(
            session, organization_id=endpoint.organization_id, channel="email", recipient=admin.email,
            subject=t("webhook_disabled_subject", lang, url=endpoint.url),
            body=t("webhook_disabled_body", lang, name=admin.name, url=endpoint.url,
                   failures=endpoint.consecutive_failures, link=link),
        )
    return True


def _admin_to_tell(session: Session, endpoint: WebhookEndpoint) -> User | None:
    """The admin who registered the endpoint, else the organization's first active admin."""
    creator = session.get(User, endpoint.created_by)
    if creator is not None and creator.is_active and creator.role == "admin":
        return creator
    return session.execute(
        select(User).where(User.organization_id == endpoint.organization_id, User.role == "admin",
                           User.is_active.is_(True)).order_by(User.id).limit(1)
    ).scalar_one_or_none()
