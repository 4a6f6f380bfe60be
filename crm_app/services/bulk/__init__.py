"""Bulk actions on a selection of customers (the list's ticked rows, or every customer its filters
select): start one, follow it, cancel it, undo it within 24 hours, and list the recent ones.

CONTRACT (issue 16, the list's bulk bar and the history page code against it):
``start``, ``undo``, ``cancel``, ``get``, ``list_recent``, ``count_matching``.

Roles: trash and restore are the admins' (domain.bulk.ADMIN_KINDS), the rest any staff user's; every
id is checked against the actor's organization (another organization's customers are left out of a
selection, its tags/channels/accounts/templates refused as unknown). Up to INLINE_LIMIT ticked customers
are changed in the caller's transaction; more, or "all that match", run as the "bulk_action" job. The
pieces: kinds (each kind on a batch), run (batches, records, the job), undo, records (rows and DTOs).
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.bulk import INLINE_LIMIT, UNDO_HOURS, BulkActionDTO, BulkRequest, Selection, validate
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, ValidationFailed
from crm_app.domain.search_text import normalize
from crm_app.models import AcquisitionChannel, BulkAction, MessageTemplate, Tag
from crm_app.models.types import utcnow
from crm_app.services import customer_selection, jobs
from crm_app.services.accounts import active_account
from crm_app.services.bulk import reverting as undoing
from crm_app.services.bulk import run
from crm_app.services.bulk.records import action_row, dumps, require_role, to_dto
from crm_app.services.tags import resolve_tags
from crm_app.services.tenancy import org_ref, staff_organization
from crm_app.services.versioned import user_names

__all__ = ["cancel", "count_matching", "get", "list_recent", "start", "undo"]


def _resolve(session: Session, actor: Actor, kind: str, params: dict) -> dict:
    """The params as stored: the ids they name checked against the organization, with their names (the
    history describes the action by them even once renamed)."""
    org_id = actor.organization_id
    if kind == "tag_add":
        params["tag_id"] = resolve_tags(session, org_id, (params["tag"],))[0]
    elif kind == "tag_remove":
        params["tag_id"] = session.execute(select(Tag.id).where(
            Tag.organization_id == org_id, Tag.normalized == normalize(params["tag"]))).scalar()
    elif kind == "set_channel" and params["channel_id"] is not None:
        channel = org_ref(session, AcquisitionChannel, params["channel_id"], org_id)
        if channel is None:
            raise ValidationFailed({"channel_id": FieldError("invalid_choice")})
        params["channel"] = channel.name
    elif kind == "add_to_account":
        params["account"] = active_account(session, actor, params["account_id"]).name
    elif kind == "send_template":
        template = org_ref(session, MessageTemplate, params["template_id"], org_id)
        if template is None:
            raise ValidationFailed({"template_id": FieldError("invalid_choice")})
        params.update(template=template.name, channel=template.channel)
    return params


def start(*, session: Session, actor: Actor, selection: Selection, request: BulkRequest,
          lang: str = "es") -> BulkActionDTO:
    """Validate and record the action; up to INLINE_LIMIT ticked customers are changed now (status done),
    more or "all that match" queue the "bulk_action" job (status running, ``job_id`` set)."""
    params = validate(selection, request)
    require_role(session, actor, request.kind)
    params = _resolve(session, actor, request.kind, params)
    row = BulkAction(organization_id=actor.organization_id, actor_id=actor.user_id, kind=request.kind,
                     params=dumps(params), selection=run.selection_record(selection), status="running")
    ids: list[int] = []
    if not selection.all_matching:
        ids = customer_selection.organization_ids(session, actor.organization_id, selection.ids)
        row.matched = len(ids)
    session.add(row)
    session.flush()
    if not selection.all_matching and len(ids) <= INLINE_LIMIT:
        run.run_inline(session, row, ids)
    else:
        row.job_id = jobs.enqueue(session, organization_id=actor.organization_id, owner_id=actor.user_id,
                                  kind=run.JOB_KIND, payload={"bulk_action_id": row.id}, total=len(ids))
        session.add(row)
        session.flush()
    return to_dto(session, row, lang)


def undo(*, session: Session, actor: Actor, bulk_action_id: int, lang: str = "es") -> BulkActionDTO:
    """Put back each changed customer's value before, where he still holds the value the action set
    (the summary says "N restored; M changed since and left"). Within UNDO_HOURS of the action; up to
    INLINE_LIMIT changed customers now, more as the "bulk_undo" job (status undoing)."""
    row = action_row(session, actor, bulk_action_id)
    require_role(session, actor, row.kind)
    if row.undone_at is not None or row.status == "undone":
        raise Conflict("bulk_undone")
    if row.status in ("running", "undoing"):
        raise Conflict("bulk_not_finished")
    if utcnow() >= row.created_at + timedelta(hours=UNDO_HOURS):
        raise Conflict("bulk_undo_expired")
    row.undone_by, row.error = actor.user_id, ""
    if undoing.item_count(session, row.id) <= INLINE_LIMIT:
        undoing.run_inline(session, row)
    else:
        row.status = "undoing"
        row.undo_job_id = jobs.enqueue(session, organization_id=actor.organization_id, owner_id=actor.user_id,
                                       kind=undoing.JOB_KIND, payload={"bulk_action_id": row.id},
                                       total=undoing.item_count(session, row.id))
    session.add(row)
    session.flush()
    return to_dto(session, row, lang)


def cancel(*, session: Session, actor: Actor, bulk_action_id: int) -> None:
    """Ask the action's running job (or its undo's) to stop before its next batch; what is done stays
    done (and can be undone). Nothing to do for an action that ended."""
    row = action_row(session, actor, bulk_action_id)
    job_id = row.job_id if row.status == "running" else row.undo_job_id if row.status == "undoing" else None
    if job_id is not None:
        jobs.request_cancel(session, actor.organization_id, job_id)


def get(*, session: Session, actor: Actor, bulk_action_id: int, lang: str = "es") -> BulkActionDTO:
    row = action_row(session, actor, bulk_action_id)
    session.refresh(row)  # a job in another process writes it
    return to_dto(session, row, lang)


def list_recent(*, session: Session, actor: Actor, before_id: int | None = None, limit: int = 25,
                lang: str = "es") -> list[BulkActionDTO]:
    """The newest first, keyset paged on the id: an admin sees the organization's, a sales user his own."""
    staff_organization(session, actor)
    query = select(BulkAction).where(BulkAction.organization_id == actor.organization_id)
    if actor.role != "admin":
        query = query.where(BulkAction.actor_id == actor.user_id)
    if before_id is not None:
        query = query.where(BulkAction.id < int(before_id))
    rows = list(session.execute(query.order_by(BulkAction.id.desc()).limit(max(1, min(int(limit), 100))))
                .scalars())
    names = user_names(session, (r.actor_id for r in rows))
    return [to_dto(session, r, lang, names) for r in rows]


def count_matching(*, session: Session, actor: Actor, query: str) -> int:
    """How many customers the list's filters select (active, or trashed with trash=1)."""
    return customer_selection.count_matching(session=session, actor=actor, query=query)
