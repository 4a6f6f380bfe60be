"""Tasks about a customer: title, due date and time, assignee; done/undone; "My tasks", and (admins) a
colleague's or the team's open or overdue tasks.

Due times are stored in UTC; the state turns the user's local date and time (the organization's time
zone) into UTC before calling, and back for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, Forbidden, NotFound, ValidationFailed
from crm_app.domain.text import clean_line
from crm_app.models import Customer, Task, User
from crm_app.models.types import utcnow
from crm_app.services import feed
from crm_app.services.tenancy import org_row, valid_id

MAX_TITLE = 200
MY_TASKS_PAGE = 50


@dataclass(frozen=True)
class TaskInput:
    title: str
    due_at: datetime | None = None  # aware; None for "no due date"
    assignee_id: int | None = None  # None: the actor himself


@dataclass(frozen=True)
class TaskDTO:
    id: int
    title: str
    due_at: datetime | None
    assignee_id: int | None
    assignee_name: str
    done_at: datetime | None
    customer_id: int | None
    customer_name: str


def _check(session: Session, actor: Actor, data: TaskInput) -> tuple[str, int]:
    errors: dict[str, FieldError] = {}
    title = clean_line(data.title)
    if not title:
        errors["title"] = FieldError("required")
    elif len(title) > MAX_TITLE:
        errors["title"] = FieldError("too_long", max=MAX_TITLE)
    if data.due_at is not None and data.due_at.tzinfo is None:
        errors["due_at"] = FieldError("invalid_datetime")
    assignee_id = data.assignee_id or actor.user_id
    assignee = session.get(User, assignee_id) if valid_id(assignee_id) else None
    if assignee is None or assignee.organization_id != actor.organization_id or not assignee.is_active:
        errors["assignee_id"] = FieldError("assignee_unknown")
    if errors:
        raise ValidationFailed(errors)
    return title, assignee_id


def create_task(*, session: Session, actor: Actor, customer_id: int, data: TaskInput) -> int:
    """A task on the customer's feed; returns its id. Raises NotFound, ValidationFailed."""
    feed.check_customer(session, actor, customer_id)
    title, assignee_id = _check(session, actor, data)
    task = Task(
        organization_id=actor.organization_id, customer_id=customer_id, title=title, due_at=data.due_at,
        assignee_id=assignee_id, created_by=actor.user_id,
    )
    return feed.add_with_event(session, actor, task, "task")


def set_task_done(*, session: Session, actor: Actor, task_id: int, done: bool) -> None:
    """Mark a task done (who and when are kept) or open again. Anyone in the organization."""
    task = org_row(session, Task, task_id, actor, "task")
    if done and task.done_at is None:
        task.done_at, task.done_by = utcnow(), actor.user_id
    elif not done:
        task.done_at, task.done_by = None, None
    session.add(task)
    session.flush()


TASK_STATUSES = ("open", "overdue")  # the task list's ``status=``: not done; not done and due before now
EVERYONE = 0  # the task list's assignee for the whole organization (admins)


def my_tasks(*, session: Session, actor: Actor, include_done: bool = False) -> list[TaskDTO]:
    """The actor's tasks, open ones first by due date (no due date last); at most one page."""
    return list_tasks(session=session, actor=actor, include_done=include_done)


def list_tasks(
    *, session: Session, actor: Actor, assignee_id: int | None = None, status: str = "",
    include_done: bool = False, now: datetime | None = None,
) -> list[TaskDTO]:
    """One page of tasks, open ones first by due date (no due date last), as the panel's figures count
    them: ``assignee_id`` None for the actor's own, a user's id or EVERYONE (the organization); ``status``
    "open" (not done), "overdue" (not done, due before ``now``) or "" (not done, or all with
    ``include_done``). An admin may look at anyone of his organization, a sales user only at himself.

    Raises Forbidden (a sales user asking for another's tasks), NotFound (not a user of the organization).
    """
    if status and status not in TASK_STATUSES:
        raise ValidationFailed({"status": FieldError("listf_status_invalid")})
    wanted = actor.user_id if assignee_id is None else assignee_id
    if wanted != actor.user_id and not actor.is_admin:
        raise Forbidden()
    if wanted != EVERYONE and staff_name(session=session, actor=actor, user_id=wanted) is None:
        raise NotFound("user")
    page = select(Task.id).where(Task.organization_id == actor.organization_id)
    if wanted != EVERYONE:  # ix_task_assignee_open: (organization_id, assignee_id, done_at, due_at)
        page = page.where(Task.assignee_id == wanted)
    if status or not include_done:
        page = page.where(Task.done_at.is_(None))
    if status == "overdue":
        page = page.where(Task.due_at < (now or utcnow()))
    order = (Task.done_at.is_not(None), Task.due_at.is_(None), Task.due_at, Task.id)
    # The page's ids first, then the names of those rows only (the team's 30,000 open tasks are sorted
    # on the task table alone, not joined to their customers and assignees first).
    ids = page.order_by(*order).limit(MY_TASKS_PAGE).subquery()
    rows = session.execute(
        select(Task, Customer.display_name, User.name)
        .join(ids, ids.c.id == Task.id)
        .outerjoin(Customer, Customer.id == Task.customer_id)
        .outerjoin(User, User.id == Task.assignee_id)
        .order_by(*order)
    ).all()
    return [
        TaskDTO(
            id=task.id, title=task.title, due_at=task.due_at, assignee_id=task.assignee_id,
            assignee_name=assignee or "", done_at=task.done_at, customer_id=task.customer_id,
            customer_name=name or "",
        )
        for task, name, assignee in rows
    ]


def staff_name(*, session: Session, actor: Actor, user_id: int) -> str | None:
    """The name of a user of the actor's organization (deactivated ones too: he made customers, has
    tasks); None for anyone else."""
    user = session.get(User, user_id) if valid_id(user_id) else None
    return user.name if user is not None and user.organization_id == actor.organization_id else None


def assignees(*, session: Session, actor: Actor) -> list[tuple[int, str]]:
    """Active staff of the organization a task can be assigned to, by name."""
    return [
        (uid, name)
        for uid, name in session.execute(
            select(User.id, User.name)
            .where(User.organization_id == actor.organization_id, User.is_active.is_(True))
            .order_by(User.name)
            .limit(200)
        ).all()
    ]
