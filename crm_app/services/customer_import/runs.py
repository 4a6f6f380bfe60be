"""The long parts of an import, run by the job runner (crm_app/jobs/customer_import.py): the dry run,
the write and the revert. Each works in batches, one transaction a batch, and reports its progress
between batches (``progress(done, total)``, which raises when the user cancelled).

The write records each customer it created or updated (``CustomerImportChange``) and how far it got
(``next_row``) in the same transaction as the customers: after a ``kill -9`` no customer is
half-written, and a resume goes on from the first row not written.
"""

from __future__ import annotations

import collections
import contextlib
import itertools
import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy import select, text
from sqlmodel import Session

from crm_app.domain.customers import CLIENT_TYPES
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, DomainError, Forbidden, NotFound, ValidationFailed
from crm_app.domain.form_config import input_from_dto
from crm_app.domain.import_check import read_and_check, start_worker
from crm_app.domain.import_columns import header_key
from crm_app.domain.import_rows import ImportPlan
from crm_app.domain.input_json import input_from_json, input_to_json
from crm_app.domain.sheet_reading import iter_rows
from crm_app.models import Customer, CustomerImport, CustomerImportChange, Organization, User
from crm_app.models.types import utcnow
from crm_app.services import account_members, customers
from crm_app.services.auth import actor_for
from crm_app.services.customer_dto import to_dto
from crm_app.services.customer_import.judge import Judge, Outcome, Problem, load_accounts
from crm_app.services.customer_import.judged import JudgedWriter, judged_batches
from crm_app.services.customer_import.records import file_path, mapping_of, report_path
from crm_app.services.customer_import.report import ErrorReport
from crm_app.services.customer_import.vocabulary import forms, vocabulary
from crm_app.services.customer_rows import insert_customers, insert_rows
from crm_app.services.transfer_access import check_transfer

BATCH = 500
SHOWN_PROBLEMS = 100  # on screen; the report file has them all

Sessions = Callable[[], AbstractContextManager[Session]]
Progress = Callable[[int, int], None]


def owner(session: Session, row: CustomerImport) -> Actor:
    """The user the import works for, as he is now: a disabled user's or a demoted one's job stops."""
    user = session.get(User, row.created_by)
    if user is None or not user.is_active or user.organization_id != row.organization_id:
        raise Forbidden()
    actor = actor_for(user)
    check_transfer(session, actor)
    return actor


def judge_for(session: Session, row: CustomerImport, actor: Actor) -> Judge:
    org = session.get(Organization, row.organization_id)
    configs = forms(session, org.id)
    columns, defaults = mapping_of(row)
    plan = ImportPlan(columns=columns, defaults=defaults,
                      client_type=row.client_type if row.client_type in CLIENT_TYPES else "person")
    return Judge(org=org, actor=actor, configs=configs, vocabulary=vocabulary(session, actor, org, configs),
                 plan=plan, mode=row.mode, match_by=row.match_by, file_name=row.file_name,
                 import_id=row.id, today=customers.today_in(org), accounts=load_accounts(session, org.id))


def _batches(row: CustomerImport, start: int = 0) -> Iterator[list[tuple[int, tuple[str, ...]]]]:
    rows = ((n, cells) for n, cells in iter_rows(file_path(row), row.file_name) if n >= start)
    while batch := list(itertools.islice(rows, BATCH)):
        yield batch


def _problem_json(problem: Problem) -> dict[str, Any]:
    return {"row": problem.row, "column": problem.column, "value": problem.value, "code": problem.code,
            "params": problem.params}


# --------------------------------------------------------------------------- the dry run


# Below this many rows the dry run checks them itself: starting worker processes takes about a second.
POOL_FROM = 3000
AHEAD = 4  # batches the workers read and check before the job judges them against the base


@contextlib.contextmanager
def _workers(judge: Judge, rows: int) -> Iterator[ProcessPoolExecutor | None]:
    """Processes that read and check rows on the machine's other cores (spawned: the app's threads
    are not copied into them), or None for a small file."""
    if rows < POOL_FROM or (os.cpu_count() or 1) < 2:
        yield None
        return
    with ProcessPoolExecutor(max_workers=os.cpu_count(), mp_context=multiprocessing.get_context("spawn"),
                             initializer=start_worker, initargs=(judge.context(),)) as pool:
        yield pool


def _checked_batches(pool: ProcessPoolExecutor | None, batches: Iterator[list]) -> Iterator[tuple[list, Any]]:
    """(batch, its rows read and checked) in file order, the workers a few batches ahead."""
    if pool is None:
        yield from ((batch, None) for batch in batches)
        return
    ahead: collections.deque = collections.deque()
    for batch in batches:
        ahead.append((batch, pool.submit(read_and_check, batch)))
        if len(ahead) > AHEAD:
            batch, future = ahead.popleft()
            yield batch, future.result()
    while ahead:
        batch, future = ahead.popleft()
        yield batch, future.result()


def run_check(import_id: int, sessions: Sessions, progress: Progress) -> dict[str, Any]:
    """Judge every row; the counts, the first problems, and the report file with an error column."""
    with sessions() as session:
        row = session.get(CustomerImport, import_id)
        actor = owner(session, row)
        judge = judge_for(session, row, actor)
    counts: Counter[str] = Counter()
    problems: list[dict[str, Any]] = []
    done = 0
    with (ErrorReport(report_path(row), row, actor.language) as report, JudgedWriter(row) as judged,
          _workers(judge, row.row_count) as pool):
        for batch, prepared in _checked_batches(pool, _batches(row)):
            with sessions() as session:
                outcomes = judge.batch(session, batch, prepared)
                session.rollback()  # a dry run: nothing of it stays
            judged.add(outcomes)
            for (number, cells), outcome in zip(batch, outcomes, strict=True):
                counts[outcome.action] += 1
                report.add(number, cells, outcome.problems)
                problems.extend(_problem_json(p) for p in outcome.problems[:SHOWN_PROBLEMS - len(problems)])
            done += len(batch)
            progress(done, row.row_count)
    return {"counts": {k: counts.get(k, 0) for k in ("create", "update", "unchanged", "error")},
            "problems": problems, "problem_count": report.problem_count}


# --------------------------------------------------------------------------- the write


def _join_account(session: Session, judge: Judge, actor: Actor, outcome: Outcome, customer_id: int) -> None:
    account_id = judge.accounts.get(header_key(outcome.account))
    if account_id is None:
        return
    with contextlib.suppress(Conflict):  # already a member
        account_members.add_member(session=session, actor=actor, account_id=account_id,
                                   customer_id=customer_id)


def _change(row: CustomerImport, outcome: Outcome, customer_id: int, action: str, before: str = "",
            version: int = 1) -> dict[str, Any]:
    return {"import_id": row.id, "organization_id": row.organization_id, "row_number": outcome.row,
            "customer_id": customer_id, "action": action, "before": before, "version_after": version,
            "reverted": False}


def _write_batch(session: Session, row: CustomerImport, judge: Judge, actor: Actor,
                 outcomes: list[Outcome]) -> Counter[str]:
    """Write a judged batch, and record each change for the revert, in the caller's transaction."""
    written: Counter[str] = Counter()
    creates = [o for o in outcomes if o.action == "create"]
    ids = insert_customers(session, judge.org, actor, [o.new for o in creates])
    changes = [_change(row, o, customer_id, "created") for o, customer_id in zip(creates, ids, strict=True)]
    for outcome, customer_id in zip(creates, ids, strict=True):
        if outcome.account:
            _join_account(session, judge, actor, outcome, customer_id)
    written["created"] += len(ids)
    for outcome in (o for o in outcomes if o.action == "update"):
        before = input_from_dto(to_dto(session, judge.org, session.get(Customer, outcome.customer_id)))
        try:
            after = customers.update_customer(session=session, actor=actor, customer_id=outcome.customer_id,
                                              version=outcome.version, data=outcome.data)
        except (ValidationFailed, Conflict):  # changed since it was judged: left as it is
            written["error"] += 1
            continue
        changes.append(_change(row, outcome, outcome.customer_id, "updated", input_to_json(before),
                               after.version))
        if outcome.account:
            _join_account(session, judge, actor, outcome, outcome.customer_id)
        written["updated"] += 1
    insert_rows(session, {CustomerImportChange: changes})
    written["unchanged"] += sum(o.action == "unchanged" for o in outcomes)
    written["error"] += sum(o.action == "error" for o in outcomes)
    return written


def _checkpoint(session: Session, import_id: int, next_row: int, written: Counter[str]) -> None:
    """How far the write got and what it did, in the batch's own transaction."""
    current = session.get(CustomerImport, import_id)
    current.next_row = next_row
    current.created_count += written["created"]
    current.updated_count += written["updated"]
    counts = json.loads(current.counts or "{}")
    for key in ("unchanged", "error"):
        counts[f"written_{key}"] = counts.get(f"written_{key}", 0) + written[key]
    current.counts = json.dumps(counts)
    session.add(current)


class Statistics:
    """PostgreSQL plans by its statistics, which autovacuum renews long after a big import began: an
    organization that had no customers still "has none", and a duplicate check of the next batch walks
    all of them. The write renews them itself as the tables grow (after 2,000 new customers, then each
    time they have grown fourfold): an ANALYZE samples a fixed number of rows, a fraction of a second."""

    TABLES = "customer, customer_phone, customer_email"

    def __init__(self) -> None:
        self.created, self.next_at = 0, 2000

    def after(self, session: Session, created: int) -> None:
        self.created += created
        if self.created >= self.next_at and session.get_bind().dialect.name == "postgresql":
            session.execute(text(f"ANALYZE {self.TABLES}"))
            self.next_at *= 4


def run_write(import_id: int, sessions: Sessions, progress: Progress) -> dict[str, Any]:
    """Write the valid rows from ``next_row`` on, batch by batch, each with its changes and checkpoint.
    The dry run's judgement is used when it is complete; else the rows are read and judged again."""
    with sessions() as session:
        row = session.get(CustomerImport, import_id)
        actor = owner(session, row)
        judge = judge_for(session, row, actor)
        if row.started_at is None:
            row.started_at = utcnow()
            session.add(row)
    judged = judged_batches(row, row.next_row)
    statistics = Statistics()
    for batch in judged if judged is not None else _batches(row, row.next_row):
        with sessions() as session:
            if judged is not None:
                outcomes, last = judge.recheck(session, batch), batch[-1].row
            else:
                outcomes, last = judge.batch(session, batch), batch[-1][0]
            written = _write_batch(session, row, judge, actor, outcomes)
            _checkpoint(session, import_id, last + 1, written)
            statistics.after(session, written["created"])
        progress(min(max(last - 1, 0), row.row_count), row.row_count)  # rows are numbered from 2
    progress(row.row_count, row.row_count)
    return {}


# --------------------------------------------------------------------------- the revert


def _revert_change(session: Session, actor: Actor, change: CustomerImportChange) -> dict[str, Any] | None:
    """Undo one change; the customer left alone (edited since) as {"id", "name"}, else None."""
    customer = session.get(Customer, change.customer_id)
    if customer.merged_into_id is not None:  # merged into another since: the merge's undo owns him
        return {"id": customer.id, "name": customer.display_name}
    if change.action == "created":
        if customer.deleted_at is not None:
            return None  # already in the trash
        if customer.version != change.version_after:
            return {"id": customer.id, "name": customer.display_name}
        customers.delete_customer(session=session, actor=actor, customer_id=customer.id)
        return None
    try:
        customers.update_customer(session=session, actor=actor, customer_id=customer.id,
                                  version=change.version_after, data=input_from_json(change.before))
    except (Conflict, ValidationFailed, NotFound, DomainError):
        return {"id": customer.id, "name": customer.display_name}
    return None


def run_revert(import_id: int, sessions: Sessions, progress: Progress) -> dict[str, Any]:
    """Trash the customers the import created and restore the fields it changed, but for those edited
    since: they are listed in ``revert_skipped``."""
    with sessions() as session:
        row = session.get(CustomerImport, import_id)
        actor = owner(session, row)
        total = row.created_count + row.updated_count
    done, last_id = 0, 0
    while True:
        with sessions() as session:
            changes = session.execute(
                select(CustomerImportChange).where(CustomerImportChange.import_id == import_id,
                                                   CustomerImportChange.id > last_id)
                .order_by(CustomerImportChange.id).limit(BATCH)
            ).scalars().all()
            if not changes:
                break
            skipped = []
            for change in changes:
                if not change.reverted:
                    left = _revert_change(session, actor, change)
                    if left is not None:
                        skipped.append(left)
                    change.reverted = True
                    session.add(change)
            current = session.get(CustomerImport, import_id)
            if skipped:
                current.revert_skipped = json.dumps([*json.loads(current.revert_skipped or "[]"), *skipped])
                session.add(current)
            last_id = changes[-1].id
        done += len(changes)
        progress(done, total)
    return {}
