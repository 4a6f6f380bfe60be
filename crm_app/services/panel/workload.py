"""The team's workload: per active user (an admin sees everyone, a sales user himself) and for the whole
organization (user_id 0), open and overdue tasks, customers created this month, leads owned and orders
assigned by status. Each figure links to the list behind it. Grouped counts over indexed columns; the
month's customers come from the summary plus today's live count."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import case, func, select
from sqlmodel import Session

from crm_app.domain.documents import LEAD_STATUSES, ORDER_STATUSES
from crm_app.domain.dto import Actor
from crm_app.domain.panel import Count, WorkloadRow, WorkloadTile
from crm_app.i18n import t
from crm_app.models import Lead, Order, Task, User
from crm_app.services.panel.context import Reader, href, month_start, reader
from crm_app.services.panel.counts import range_counts, summary_of

TOTAL = 0  # the organization's row


def _tasks(session: Session, who: Reader) -> dict[int, tuple[int, int]]:
    rows = session.execute(
        select(Task.assignee_id, func.count(), func.sum(case((Task.due_at < who.now, 1), else_=0)))
        .where(Task.organization_id == who.organization_id, Task.done_at.is_(None))
        .group_by(Task.assignee_id))
    found: dict[int, tuple[int, int]] = {}
    open_all = overdue_all = 0
    for user_id, opened, overdue in rows:
        opened, overdue = int(opened), int(overdue or 0)
        open_all, overdue_all = open_all + opened, overdue_all + overdue
        if user_id is not None:
            found[user_id] = (opened, overdue)
    found[TOTAL] = (open_all, overdue_all)
    return found


def _by_status(session: Session, owner, model, org_id: int) -> dict[int, dict[str, int]]:
    """{user id (TOTAL for all): {status: count}} of the organization's active leads or orders."""
    rows = session.execute(select(owner, model.status, func.count())
                           .where(model.organization_id == org_id, model.deleted_at.is_(None))
                           .group_by(owner, model.status))
    found: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for user_id, status, count in rows:
        found[TOTAL][status] += count
        if user_id is not None:
            found[user_id][status] += count
    return found


def _statuses(counts: dict[str, int], statuses: tuple[str, ...], kind: str, path: str, owner: int,
              lang: str) -> tuple[Count, ...]:
    return tuple(Count(status, t(f"{kind}_status_{status}", lang), counts.get(status, 0),
                       href(path, owner=owner or "", status=status)) for status in statuses)


def workload(*, session: Session, actor: Actor, now: datetime | None = None) -> WorkloadTile:
    who = reader(session, actor, now)
    users = select(User.id, User.name).where(User.organization_id == who.organization_id, User.is_active)
    if not who.is_admin:
        users = users.where(User.id == who.user_id)
    people = session.execute(users.order_by(User.name, User.id)).all()
    tasks = _tasks(session, who)
    first = month_start(who.today)
    made = range_counts(session, who, first, who.today, ("creator",), summary=summary_of(
        session, who.organization_id), per_day=False).per_key
    made_all = sum(count for (dimension, _), count in made.items() if dimension == "creator")
    leads = _by_status(session, Lead.owner_id, Lead, who.organization_id)
    orders = _by_status(session, Order.assignee_id, Order, who.organization_id)
    has_orders = bool(orders.get(TOTAL))

    def row(user_id: int, name: str) -> WorkloadRow:
        opened, overdue = tasks.get(user_id, (0, 0))
        assignee = user_id or ""
        # /tasks without an assignee is "my tasks": the organization's are "all" (a sales user gets his own).
        tasks_of = user_id or "all"
        customers = made_all if user_id == TOTAL else made.get(("creator", str(user_id)), 0)
        return WorkloadRow(
            user_id=user_id, name=name,
            open_tasks=Count("open", t("pdata_open_tasks", who.lang), opened,
                             href("/tasks", assignee=tasks_of, status="open")),
            overdue_tasks=Count("overdue", t("pdata_overdue_tasks", who.lang), overdue,
                                href("/tasks", assignee=tasks_of, status="overdue")),
            customers_this_month=Count("customers", t("pdata_customers_this_month", who.lang), customers,
                                       href("/customers", created_from=first, created_to=who.today,
                                            sort="-created", created_by=assignee)),
            leads=_statuses(leads.get(user_id, {}), LEAD_STATUSES, "lead", "/leads", user_id, who.lang),
            orders=_statuses(orders.get(user_id, {}), ORDER_STATUSES, "order", "/orders", user_id, who.lang)
            if has_orders else (),
        )

    return WorkloadTile(rows=tuple(row(user_id, name) for user_id, name in people),
                        totals=row(TOTAL, t("pdata_team_total", who.lang)),
                        has_leads=bool(leads.get(TOTAL)), has_orders=has_orders)
