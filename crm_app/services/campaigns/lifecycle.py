"""A campaign once it leaves the draft: start (now or at a time), pause, resume, cancel.

Starting now queues the "campaign_send" job (prepare.py): it fixes the recipients and queues their
messages at the organization's pace. A scheduled campaign waits for the job runner's tick
(jobs/campaigns.py). Pausing parks its queued messages ("paused"); resuming queues the same job again,
which spaces them from now and, if the preparation was cut short, finishes it. Cancelling drops every
message not yet sent.
"""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, ValidationFailed
from crm_app.models import Campaign, Job
from crm_app.models.types import utcnow
from crm_app.services import jobs
from crm_app.services.activity import record_activity
from crm_app.services.campaigns.drafts import email_template, scheduled_moment
from crm_app.services.campaigns.records import campaign_row, set_message_status

SEND_JOB = "campaign_send"


def queue_send(session: Session, campaign: Campaign, owner_id: int, *, prepared: bool = False) -> None:
    """The campaign is being prepared (or prepared further) from now on by a new job; a ``prepared`` one
    (its recipients all queued before a pause) only has its paused messages spaced again: who gets it
    was fixed when it started, a customer who joined the segment since is not added."""
    campaign.status, campaign.updated_at = "preparing", utcnow()
    campaign.started_at = campaign.started_at or utcnow()
    campaign.job_id = jobs.enqueue(session, organization_id=campaign.organization_id, owner_id=owner_id,
                                   kind=SEND_JOB, payload={"campaign_id": campaign.id, "prepared": prepared})
    session.add(campaign)


def _log(session: Session, actor: Actor, campaign: Campaign, *, kind: str) -> None:
    record_activity(session, organization_id=actor.organization_id, actor_id=actor.user_id,
                    kind=kind, detail={"campaign_id": campaign.id, "name": campaign.name})


def start(*, session: Session, actor: Actor, campaign_id: int, scheduled_at: datetime | None = None) -> None:
    campaign = campaign_row(session, actor, campaign_id, lock=True)
    if campaign.status != "draft":
        raise Conflict("camp_not_draft")
    template = email_template(session, actor.organization_id, campaign.template_id)
    if template is None:
        raise ValidationFailed({"template_id": FieldError("required")})
    campaign.subject, campaign.body = template.subject, template.body  # what goes is what was approved
    campaign.scheduled_at = scheduled_moment(scheduled_at)
    if campaign.scheduled_at is None:
        queue_send(session, campaign, actor.user_id)
    else:
        campaign.status, campaign.updated_at = "scheduled", utcnow()
        session.add(campaign)
    scheduled = campaign.scheduled_at is not None
    _log(session, actor, campaign, kind="campaign.scheduled" if scheduled else "campaign.started")


def pause(*, session: Session, actor: Actor, campaign_id: int) -> None:
    """Hold back what is not sent yet (a message already with the mail server still goes)."""
    campaign = campaign_row(session, actor, campaign_id, lock=True)
    if campaign.status not in ("sending", "preparing"):
        raise Conflict("camp_not_sending")
    if campaign.status == "preparing" and campaign.job_id:
        jobs.request_cancel(session, actor.organization_id, campaign.job_id)  # stops between batches
    campaign.status, campaign.updated_at = "paused", utcnow()
    session.add(campaign)
    set_message_status(session, campaign.id, ("queued",), "paused")
    _log(session, actor, campaign, kind="campaign.paused")


def _job_status(session: Session, job_id: int | None) -> str:
    return session.execute(select(Job.status).where(Job.id == job_id)).scalar_one_or_none() or ""


def _prepared(session: Session, job_id: int | None) -> bool:
    """Its last preparation walked the whole segment (it ended done, not stopped by a pause)."""
    row = session.execute(select(Job.status, Job.result).where(Job.id == job_id)).first()
    return row is not None and row[0] == "done" and not json.loads(row[1] or "{}").get("stopped")


def resume(*, session: Session, actor: Actor, campaign_id: int) -> None:
    campaign = campaign_row(session, actor, campaign_id, lock=True)
    if campaign.status != "paused":
        raise Conflict("camp_not_paused")
    if _job_status(session, campaign.job_id) in ("queued", "running"):
        raise Conflict("camp_still_stopping")  # the paused preparation has not stopped yet: a moment
    queue_send(session, campaign, actor.user_id, prepared=_prepared(session, campaign.job_id))
    _log(session, actor, campaign, kind="campaign.resumed")


def cancel(*, session: Session, actor: Actor, campaign_id: int) -> None:
    """Nothing more goes: queued and paused messages are cancelled; what was sent stays sent."""
    campaign = campaign_row(session, actor, campaign_id, lock=True)
    if campaign.status not in ("scheduled", "preparing", "sending", "paused"):
        raise Conflict("camp_not_live")
    if campaign.job_id and _job_status(session, campaign.job_id) in ("queued", "running"):
        jobs.request_cancel(session, actor.organization_id, campaign.job_id)
    set_message_status(session, campaign.id, ("queued", "paused"), "cancelled", "campaign cancelled")
    campaign.status, campaign.finished_at, campaign.updated_at = "cancelled", utcnow(), utcnow()
    session.add(campaign)
    _log(session, actor, campaign, kind="campaign.cancelled")


def start_due(session: Session, now: datetime) -> int:
    """The runner's tick: scheduled campaigns whose time came start preparing; returns how many."""
    due = list(session.execute(
        select(Campaign).where(Campaign.status == "scheduled", Campaign.scheduled_at <= now)
        .order_by(Campaign.scheduled_at).limit(20).with_for_update(skip_locked=True)).scalars())
    for campaign in due:
        queue_send(session, campaign, campaign.created_by)
    return len(due)
