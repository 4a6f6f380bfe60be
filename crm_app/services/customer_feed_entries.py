"""What a customer's change writes in his feed: the event, and for an edit the changed fields."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from crm_app.domain.customer_diff import diff_customers
from crm_app.domain.customers import CustomerDTO
from crm_app.domain.dto import Actor
from crm_app.domain.feed_changes import change_entries, custom_entries
from crm_app.domain.form_config import FormConfig
from crm_app.services import feed


def record_change(
    session: Session,
    actor: Actor,
    kind: str,
    customer_id: int,
    data: dict[str, Any] | None = None,
    *,
    flush: bool = True,
) -> None:
    """The change's feed event, in the same transaction as the change itself."""
    feed.record_event(
        session,
        organization_id=actor.organization_id,
        customer_id=customer_id,
        actor_id=actor.user_id,
        kind=kind,
        data=data,
        flush=flush,
    )


def feed_event_row(actor: Actor, kind: str, customer_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """The change's feed event as a row's values, for a batch's one INSERT (see :func:`record_change`)."""
    return feed.event_values(organization_id=actor.organization_id, customer_id=customer_id,
                             actor_id=actor.user_id, kind=kind, data=data)


def update_entries(before: CustomerDTO, after: CustomerDTO, config: FormConfig | None) -> list[dict]:
    """The feed's change entries for an edit: the channel by name, custom fields one by one by label
    (``config`` is the form the edit was validated with)."""
    changes = [
        ("channel", before.channel_name, after.channel_name) if field == "channel_id" else (field, old, new)
        for field, old, new in diff_customers(before, after)
        if field != "custom"
    ]
    entries = change_entries(changes)
    if config is not None and before.custom != after.custom:
        entries += custom_entries(list(config.custom), dict(before.custom), dict(after.custom))
    return entries
