"""What to call the ids a segment's filters hold (a channel, the user who created the customers, an
account), for its summary in words (states/campaign_segment.py): read only for the ids the filters name,
from the actor's organization (another organization's id stays a bare number)."""

from __future__ import annotations

from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import NotFound
from crm_app.services import accounts as account_service
from crm_app.services import tasks as task_service
from crm_app.services.customer_choices import list_channels
from crm_app.states.campaign_segment import segment_filters


def segment_names(session: Session, actor: Actor, query: str) -> dict[str, str]:
    filters = segment_filters(query)
    names: dict[str, str] = {}
    if filters.channel:
        names.update({f"channel:{i}": n for i, n in list_channels(session=session, actor=actor)})
    if filters.created_by:
        names.update({f"user:{i}": n for i, n in task_service.assignees(session=session, actor=actor)})
    if filters.account:
        try:
            account = account_service.get_account(session=session, actor=actor,
                                                  account_id=int(filters.account))
            names[f"account:{filters.account}"] = account.name
        except NotFound:
            pass
    return names
