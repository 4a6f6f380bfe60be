"""The "today" tile: the reader's overdue and due-today tasks, this week's birthdays, the open orders
due, and the latest comments by others on his customers. Each list is one small indexed read with a
limit; times are shown in the organization's zone and the reader's language."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlmodel import Session

from crm_app.domain.documents import OPEN_ORDER_STATUSES
from crm_app.domain.dto import Actor
from crm_app.domain.local_time import exact, local_date
from crm_app.domain.panel import TodayItem, TodayTile, bucket_label
from crm_app.i18n import t
from crm_app.models import Comment, Customer, Order, Task, User
from crm_app.services.panel.birthdays import birthdays_of_week
from crm_app.services.panel.context import Reader, reader

TASKS = 10
BIRTHDAYS = 20
ORDERS = 10
COMMENTS = 10
COMMENT_WORDS = 80  # characters of a comment's start
RECENT_COMMENTS = 2000  # how far back the comments on the reader's customers are looked for


def org_today(*, session: Session, actor: Actor) -> date:
    """The organization's local today (what the panel's range is read against)."""
    return reader(session, actor).today


def shorten(text: str, size: int) -> str:
    """A comment's first words on one line."""
    line = " ".join(text.split())
    return line if len(line) <= size else line[: size - 1].rstrip() + "…"


def _customer_href(customer_id: int | None, fallback: str) -> str:
    return f"/customers/{customer_id}" if customer_id else fallback


def _tasks(session: Session, who: Reader, start: datetime | None, end: datetime) -> tuple[TodayItem, ...]:
    query = (select(Task.id, Task.title, Task.due_at, Task.customer_id, Customer.display_name)
             .outerjoin(Customer, Customer.id == Task.customer_id)
             .where(Task.organization_id == who.organization_id, Task.assignee_id == who.user_id,
                    Task.done_at.is_(None), Task.due_at.is_not(None), Task.due_at < end))
    if start is not None:
        query = query.where(Task.due_at >= start)
    rows = session.execute(query.order_by(Task.due_at, Task.id).limit(TASKS))
    overdue = start is None
    return tuple(
        TodayItem(id=task_id, title=title,
                  detail=" · ".join(part for part in (
                      t("pdata_task_due", who.lang, when=exact(due, who.tz, who.lang)), name or "") if part),
                  href=_customer_href(customer_id, "/tasks"), overdue=overdue, customer_id=customer_id or 0)
        for task_id, title, due, customer_id, name in rows)


def _birthdays(session: Session, who: Reader) -> tuple[TodayItem, ...]:
    return tuple(
        TodayItem(id=customer_id, title=name,
                  detail=t("pdata_birthday_on", who.lang, day=bucket_label(day, "day", who.lang)),
                  href=f"/customers/{customer_id}", customer_id=customer_id)
        for day, customer_id, name in birthdays_of_week(session, who.organization_id, who.today, BIRTHDAYS))


def _orders(session: Session, who: Reader) -> tuple[TodayItem, ...]:
    query = (select(Order.id, Order.number, Order.due_date, Order.customer_id, Customer.display_name)
             .outerjoin(Customer, Customer.id == Order.customer_id)
             .where(Order.organization_id == who.organization_id, Order.deleted_at.is_(None),
                    Order.status.in_(OPEN_ORDER_STATUSES), Order.due_date <= who.today))
    if not who.is_admin:
        query = query.where(Order.assignee_id == who.user_id)
    rows = session.execute(query.order_by(Order.due_date, Order.id).limit(ORDERS))
    return tuple(
        TodayItem(id=order_id, title=t("pdata_order_number", who.lang, number=number),
                  detail=" · ".join(part for part in (
                      t("pdata_order_due", who.lang, day=local_date(due, who.lang)), name or "") if part),
                  href=f"/orders/{order_id}", overdue=due < who.today, customer_id=customer_id or 0)
        for order_id, number, due, customer_id, name in rows)


def _comments(session: Session, who: Reader) -> tuple[TodayItem, ...]:
    """Newest first, among the organization's latest RECENT_COMMENTS: a bounded walk back through the
    comments' ids even for a user whose customers nobody commented on. A sales user's customers are
    those he created; an admin's, all of them."""
    recent = (select(Comment.id, Comment.customer_id, Comment.author_id)
              .where(Comment.organization_id == who.organization_id)
              .order_by(Comment.id.desc()).limit(RECENT_COMMENTS).subquery())
    query = (select(Comment.id, Comment.body, Comment.created_at, Comment.customer_id, Customer.display_name,
                    User.name)
             .select_from(recent)
             .join(Comment, Comment.id == recent.c.id)
             .join(Customer, Customer.id == recent.c.customer_id)
             .outerjoin(User, User.id == recent.c.author_id)
             .where(Customer.deleted_at.is_(None),
                    (recent.c.author_id != who.user_id) | recent.c.author_id.is_(None)))
    if not who.is_admin:
        query = query.where(Customer.created_by == who.user_id)
    rows = session.execute(query.order_by(recent.c.id.desc()).limit(COMMENTS))
    return tuple(
        TodayItem(id=comment_id, title=shorten(body, COMMENT_WORDS),
                  detail=t("pdata_comment_by", who.lang, author=author or "—", customer=name,
                           when=exact(moment, who.tz, who.lang)),
                  href=f"/customers/{customer_id}", customer_id=customer_id)
        for comment_id, body, moment, customer_id, name, author in rows)


def today(*, session: Session, actor: Actor, now: datetime | None = None) -> TodayTile:
    who = reader(session, actor, now)
    tomorrow = who.day_start(who.today + timedelta(days=1))
    has_orders = session.execute(
        select(Order.id).where(Order.organization_id == who.organization_id).limit(1)).first() is not None
    return TodayTile(
        overdue_tasks=_tasks(session, who, None, who.now),
        due_today_tasks=_tasks(session, who, who.now, tomorrow),
        birthdays=_birthdays(session, who),
        orders_due=_orders(session, who) if has_orders else (),
        comments=_comments(session, who),
        has_orders=has_orders,
    )
