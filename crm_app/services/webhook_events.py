"""What the organization's webhooks are told: events written to the webhook outbox in the caller's
transaction, so an event is delivered exactly when its change commits (and never for a rolled-back one).

:func:`enqueue` writes one WebhookDelivery per active endpoint subscribed to the event. The hooks
(:func:`on_feed_event` from services/feed.py, :func:`customers_created` from a customer batch insert,
:func:`message_failed` from the outbox worker) cost one indexed query when the organization has no
endpoint for the event, and build the event's object only when one has.

The event body is ``{"id": "evt_...", "type", "created", "organization_id", "data": {"object": ...}}``;
customers are sent in a compact public form (:func:`customer_objects`), not the whole record.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlmodel import Session

from crm_app.domain.webhook_signing import new_event_id
from crm_app.models import (
    Customer,
    CustomerEmail,
    CustomerPhone,
    CustomerTag,
    Lead,
    Order,
    OutboxMessage,
    Tag,
)
from crm_app.models.integrations import WEBHOOK_EVENTS, WebhookDelivery, WebhookEndpoint
from crm_app.models.types import utcnow

# Feed kinds (services/feed.py KINDS) that are webhook events. "customer.merged" carries the merge's
# ids besides the survivor: services/merge calls :func:`customer_merged` itself.
FEED_EVENTS = {
    "customer_created": "customer.created",
    "customer_updated": "customer.updated",
    "customer_deleted": "customer.deleted",
    "customer_merge_undone": "customer.updated",  # the survivor is back as he was before the merge
    "unsubscribed": "customer.updated",  # a campaign's unsubscribe link: an e-mail's consent withdrawn
    "lead_created": "lead.created",
    "order_status_changed": "order.status_changed",
}


def subscribed(session: Session, organization_id: int, event_type: str) -> list[int]:
    """The ids of the organization's active endpoints that receive ``event_type`` (one indexed query)."""
    with session.no_autoflush:  # a batch's pending rows are flushed by their writer, not by this look-up
        rows = session.execute(
            select(WebhookEndpoint.id, WebhookEndpoint.events).where(
                WebhookEndpoint.organization_id == organization_id,
                WebhookEndpoint.disabled_at.is_(None),
                WebhookEndpoint.deleted_at.is_(None),
            )
        ).all()
    return [endpoint_id for endpoint_id, events in rows if event_type in events.split()]


def _json_value(value: object) -> str:
    """JSON for what json cannot write: times in ISO 8601 (UTC, "Z"), amounts as exact decimal text."""
    if isinstance(value, datetime):
        value = value.astimezone(UTC)
    if isinstance(value, date):
        return value.isoformat().replace("+00:00", "Z")
    return str(value)


def event_body(event_id: str, event_type: str, organization_id: int, obj: dict[str, Any]) -> str:
    body = {
        "id": event_id,
        "type": event_type,
        "created": utcnow(),
        "organization_id": organization_id,
        "data": {"object": obj},
    }
    return json.dumps(body, ensure_ascii=False, default=_json_value, separators=(",", ":"))


def delivery_rows(
    endpoint_ids: Iterable[int], organization_id: int, event_type: str, obj: dict[str, Any]
) -> list[dict[str, Any]]:
    """One queued delivery per endpoint of one new event (the same event id for all of them)."""
    event_id = new_event_id()
    payload = event_body(event_id, event_type, organization_id, obj)
    now = utcnow()
    return [
        {"organization_id": organization_id, "endpoint_id": endpoint_id, "event_id": event_id,
         "event_type": event_type, "payload": payload, "status": "queued", "attempts": 0,
         "next_attempt_at": now, "created_at": now, "claimed_by": "", "last_error": ""}
        for endpoint_id in endpoint_ids
    ]


def _insert(session: Session, rows: list[dict[str, Any]]) -> int:
    if rows:
        session.execute(insert(WebhookDelivery.__table__), rows)
    return len(rows)


def enqueue(
    session: Session, organization_id: int, event_type: str, payload: dict[str, Any],
    *, endpoint_ids: list[int] | None = None,
) -> int:
    """Queue ``event_type`` with ``payload`` as its object for every subscribed endpoint (or the given
    ones) in the caller's transaction; returns how many deliveries were written."""
    if event_type not in WEBHOOK_EVENTS and event_type != "ping":
        raise ValueError(f"unknown webhook event {event_type!r}: declare it in models/integrations.py")
    targets = subscribed(session, organization_id, event_type) if endpoint_ids is None else endpoint_ids
    return _insert(session, delivery_rows(targets, organization_id, event_type, payload))


# --------------------------------------------------------------------------- the events' objects

def customer_objects(session: Session, ids: list[int]) -> dict[int, dict[str, Any]]:
    """The public form of customers: who they are and how to reach them (five queries for any number)."""
    if not ids:
        return {}
    objects: dict[int, dict[str, Any]] = {}
    for row in session.execute(select(Customer).where(Customer.id.in_(ids))).scalars():
        objects[row.id] = {
            "id": row.id, "object": "customer", "version": row.version, "client_type": row.client_type,
            "display_name": row.display_name, "first_name": row.first_name, "last_name": row.last_name,
            "legal_name": row.legal_name, "trade_name": row.trade_name,
            "tax_id_type": row.tax_id_type, "tax_id": row.tax_id or "",
            "phones": [], "emails": [], "tags": [], "deleted": row.deleted_at is not None,
        }
    phones = select(CustomerPhone).where(CustomerPhone.customer_id.in_(ids)).order_by(CustomerPhone.position)
    for phone in session.execute(phones).scalars():
        objects[phone.customer_id]["phones"].append(
            {"number": phone.e164, "kind": phone.kind, "label": phone.label, "whatsapp": phone.whatsapp,
             "primary": phone.is_primary})
    emails = select(CustomerEmail).where(CustomerEmail.customer_id.in_(ids)).order_by(CustomerEmail.position)
    for email in session.execute(emails).scalars():
        objects[email.customer_id]["emails"].append(
            {"address": email.address, "primary": email.is_primary, "accepts_email": email.accepts_email})
    tags = (select(CustomerTag.customer_id, Tag.name).join(Tag, Tag.id == CustomerTag.tag_id)
            .where(CustomerTag.customer_id.in_(ids)).order_by(Tag.name))
    for customer_id, name in session.execute(tags).all():
        objects[customer_id]["tags"].append(name)
    return objects


def lead_object(session: Session, lead_id: int) -> dict[str, Any]:
    lead = session.get(Lead, lead_id)
    if lead is None:
        return {"id": lead_id, "object": "lead"}
    return {"id": lead.id, "object": "lead", "version": lead.version, "name": lead.name,
            "phone": lead.phone_e164 or lead.phone_raw, "email": lead.email, "status": lead.status,
            "customer_id": lead.customer_id, "channel_id": lead.channel_id, "owner_id": lead.owner_id}


def order_object(session: Session, order_id: int, data: dict[str, Any]) -> dict[str, Any]:
    order = session.get(Order, order_id)
    obj: dict[str, Any] = {"id": order_id, "object": "order", "previous_status": data.get("before")}
    if order is not None:
        obj.update(number=order.number, status=order.status, version=order.version,
                   customer_id=order.customer_id, order_type_id=order.order_type_id,
                   total=order.total, status_changed_at=order.status_changed_at)
    return obj


def message_object(message: OutboxMessage) -> dict[str, Any]:
    return {"id": message.id, "object": "message", "channel": message.channel, "recipient": message.recipient,
            "subject": message.subject, "customer_id": message.customer_id, "status": message.status,
            "attempts": message.attempts, "error": message.last_error, "created_at": message.created_at}


# --------------------------------------------------------------------------- the hooks

def on_feed_event(
    session: Session, *, kind: str, organization_id: int, customer_id: int | None, ref_id: int | None,
    lead_id: int | None, data: dict[str, Any] | None,
) -> None:
    """A feed event that is also a webhook event queues it (services/feed.py record_event calls this)."""
    event_type = FEED_EVENTS.get(kind)
    if event_type is None:
        return
    endpoints = subscribed(session, organization_id, event_type)
    if not endpoints:
        return
    if event_type.startswith("customer.") and customer_id is not None:
        obj = customer_objects(session, [customer_id]).get(customer_id, {"id": customer_id})
    elif event_type == "lead.created":
        obj = lead_object(session, lead_id or ref_id or 0)
    else:
        obj = order_object(session, ref_id or 0, data or {})
    enqueue(session, organization_id, event_type, obj, endpoint_ids=endpoints)


def customers_created(session: Session, organization_id: int, ids: list[int]) -> int:
    """customer.created for a batch of new customers (a form's one, an import's batch): one endpoint
    query for the batch; returns how many deliveries were written."""
    return customers_changed(session, organization_id, ids, "customer_created")


def customers_changed(session: Session, organization_id: int, ids: list[int], feed_kind: str) -> int:
    """The webhook event an ordinary change of ``feed_kind`` (customer_updated, customer_deleted...) sends,
    for a batch of customers (a bulk action's): one endpoint query for the batch; returns how many
    deliveries were written (none for a kind that is no webhook event)."""
    event_type = FEED_EVENTS.get(feed_kind)
    endpoints = subscribed(session, organization_id, event_type) if ids and event_type else []
    if not endpoints:
        return 0
    objects = customer_objects(session, ids)
    rows = [row for customer_id in ids
            for row in delivery_rows(endpoints, organization_id, event_type, objects[customer_id])]
    return _insert(session, rows)


def customer_merged(
    session: Session, organization_id: int, merge_id: int, survivor_id: int, merged_ids: list[int]
) -> int:
    """customer.merged: the survivor as he is after the merge, the merged customers' ids (their
    addresses now lead to him) and the merge's id."""
    endpoints = subscribed(session, organization_id, "customer.merged")
    if not endpoints:
        return 0
    survivor = customer_objects(session, [survivor_id]).get(survivor_id, {"id": survivor_id})
    obj = {"id": merge_id, "object": "customer_merge", "survivor_id": survivor_id,
           "merged_ids": list(merged_ids), "survivor": survivor}
    return enqueue(session, organization_id, "customer.merged", obj, endpoint_ids=endpoints)


def message_failed(session: Session, message_id: int) -> int:
    """message.failed for an outbox message that will not be retried any more."""
    message = session.get(OutboxMessage, message_id)
    if message is None:
        return 0
    endpoints = subscribed(session, message.organization_id, "message.failed")
    if not endpoints:
        return 0
    return enqueue(session, message.organization_id, "message.failed", message_object(message),
                   endpoint_ids=endpoints)
