"""The scan: started by an admin as a background job (jobs/duplicates.py runs :func:`run_scan`).

- "full": every active customer is read a batch at a time (progress after each) and put under his
  blocking keys; the blocks' pairs are scored, dismissed pairs left out, and the result replaces the
  organization's pairs and groups in one transaction at the end, so the review page never shows a
  half-written scan (the old groups stay until then).
- "changed": the customers changed since the last finished scan *started* (a change during that scan
  is seen again rather than missed) are compared with the whole base through indexed lookups
  (compare.pairs_around), a batch at a time, each batch's pairs merged into the groups in its own
  transaction; those trashed since leave the groups. Without a finished scan, a "changed" scan is a
  full one.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.duplicates import SCAN_MODES, ScanStatus
from crm_app.domain.errors import FieldError, ValidationFailed
from crm_app.models import DuplicateGroup, Job
from crm_app.services.admin_settings import admin_only
from crm_app.services.duplicates import reading, store
from crm_app.services.duplicates.compare import Blocks, pairs_around
from crm_app.services.jobs import enqueue, request_cancel

SCAN_JOB = "duplicate_scan"
CHANGED_BATCH = 500
OpenSession = Callable[[], AbstractContextManager[Session]]
Progress = Callable[..., None]


def _jobs(org_id: int):
    return select(Job).where(Job.organization_id == org_id, Job.kind == SCAN_JOB)


def _running(session: Session, org_id: int) -> Job | None:
    query = _jobs(org_id).where(Job.status.in_(("queued", "running"))).order_by(Job.id.desc()).limit(1)
    return session.execute(query).scalars().first()


def _last_finished(session: Session, org_id: int, before_id: int | None = None) -> Job | None:
    query = _jobs(org_id).where(Job.status == "done")
    if before_id is not None:
        query = query.where(Job.id < before_id)
    return session.execute(query.order_by(Job.id.desc()).limit(1)).scalars().first()


def start_scan(*, session: Session, actor: Actor, mode: str) -> int:
    """Queue a scan (admins); while one is queued or running, its id instead of a second one."""
    admin_only(actor)
    if mode not in SCAN_MODES:
        raise ValidationFailed({"mode": FieldError("invalid_choice")})
    running = _running(session, actor.organization_id)
    if running is not None:
        return running.id
    return enqueue(session, organization_id=actor.organization_id, owner_id=actor.user_id, kind=SCAN_JOB,
                   payload={"mode": mode})


def cancel_scan(*, session: Session, actor: Actor) -> None:
    """Ask the organization's queued or running scan to stop (admins); a cancelled full scan writes
    nothing, a changed one keeps the batches it merged. Nothing to do when none runs."""
    admin_only(actor)
    running = _running(session, actor.organization_id)
    if running is not None:
        request_cancel(session, actor.organization_id, running.id)


def scan_status(*, session: Session, actor: Actor) -> ScanStatus:
    admin_only(actor)
    org_id = actor.organization_id
    last = _last_finished(session, org_id)
    current = _running(session, org_id)
    if current is None:
        current = session.execute(_jobs(org_id).order_by(Job.id.desc()).limit(1)).scalars().first()
    groups = session.execute(select(func.count()).select_from(DuplicateGroup)
                             .where(DuplicateGroup.organization_id == org_id)).scalar_one()
    return ScanStatus(
        last_scan_at=last.started_at if last else None,
        last_mode=json.loads(last.result or "{}").get("mode", "") if last else "",
        job_id=current.id if current else None,
        groups=groups,
    )


def run_scan(job_id: int, open_session: OpenSession, progress: Progress) -> dict[str, Any]:
    """The job's work; returns its result (mode, customers read, pairs and groups written)."""
    with open_session() as session:
        job = session.get(Job, job_id)
        org_id, mode = job.organization_id, json.loads(job.payload or "{}").get("mode", "full")
        last = _last_finished(session, org_id, before_id=job_id)
        since: datetime | None = last.started_at if last is not None else None
    if mode == "changed" and since is not None:
        return {"mode": "changed", **_changed(org_id, since, open_session, progress)}
    return {"mode": "full", **_full(org_id, open_session, progress)}


def _full(org_id: int, open_session: OpenSession, progress: Progress) -> dict[str, int]:
    blocks, done = Blocks(), 0
    with open_session() as session:
        total = reading.count_active(session, org_id)
        progress(0, total)
        for batch in reading.walk(session, org_id):
            blocks.add(batch)
            done += len(batch)
            progress(done, total)
        dismissed = store.dismissed_all(session, org_id)
    pairs = blocks.pairs(dismissed, tick=lambda: progress(done, total))
    del blocks
    with open_session() as session:
        groups = store.replace_all(session, org_id, pairs)
    return {"customers": done, "pairs": len(pairs), "groups": groups}


def _changed(org_id: int, since: datetime, open_session: OpenSession, progress: Progress) -> dict[str, int]:
    with open_session() as session:
        # Whoever was trashed or merged since leaves the groups (the merge already did so for its own).
        store.forget(session, org_id, reading.gone_since(session, org_id, since))
        ids = reading.changed_since(session, org_id, since)
    progress(0, len(ids))
    found = 0
    for start in range(0, len(ids), CHANGED_BATCH):
        batch = ids[start:start + CHANGED_BATCH]
        with open_session() as session:
            found += merge_pairs(session, org_id, batch, reading.profiles_of(session, org_id, batch))
        progress(start + len(batch), len(ids))
    with open_session() as session:
        groups = session.execute(select(func.count()).select_from(DuplicateGroup)
                                 .where(DuplicateGroup.organization_id == org_id)).scalar_one()
    return {"customers": len(ids), "pairs": found, "groups": groups}


def merge_pairs(session: Session, org_id: int, ids: list[int], profiles) -> int:
    """Compare customers ``ids`` with the base and put their pairs in place of their old ones."""
    pairs = pairs_around(session, org_id, profiles,
                         lambda candidates: store.dismissed_among(session, org_id, candidates),
                         partners=store.partners_of(session, org_id, ids))
    touched = set(ids) | {x for a, b, _, _ in pairs for x in (a, b)}
    keys = store.group_keys_of(session, org_id, touched)
    store.delete_pairs_of(session, org_id, ids)
    store.add_pairs(session, org_id, pairs)
    store.regroup(session, org_id, keys)
    return len(pairs)


def job_ended(session: Session, job: Job, status: str) -> None:
    """Nothing to put back: a full scan writes only at its end, a changed scan's batches stand."""

