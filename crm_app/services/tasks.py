"""Tasks about a customer: title, due date and time, assignee; done/undone; "My tasks".

Due times are stored in UTC; the state turns the user's local date and time (the organization's time
zone) into UTC before calling, and back for display.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, ValidationFailed
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


def my_tasks(*, session: Session, actor: Actor, include_done: bool = False) -> list[TaskDTO]:
    """The actor's tasks, open ones first by due date (no due date last); at most one page."""
    query = (
        select(Task, Customer.display_name)
        .outerjoin(Customer, Customer.id == Task.customer_id)
        .where(Task.organization_id == actor.organization_id, Task.assignee_id == actor.user_id)
    )
    if not include_done:
        query = query.where(Task.done_at.is_(None))
    query = query.order_by(Task.done_at.is_not(None), Task.due_at.is_(None), Task.due_at, Task.id)
    rows = session.execute(query.limit(MY_TASKS_PAGE)).all()
    return [
        TaskDTO(
            id=task.id, title=task.title, due_at=task.due_at, assignee_id=task.assignee_id,
            assignee_name=actor.name, done_at=task.done_at, customer_id=task.customer_id,
            customer_name=name or "",
        )
        for task, name in rows
    ]


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
