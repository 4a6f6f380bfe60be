"""The bulk seed of staff work (services/seed_activity.py) writes what the services would: a task or a
comment with its feed event pointing at it, feeds the profile reads, tasks of every state, customers spread
over the staff, and a database the services keep writing to afterwards."""

from collections import Counter
from datetime import UTC, datetime
from itertools import pairwise

from sqlalchemy import func, select

from crm_app.domain.documents import LEAD_STATUSES
from crm_app.models import Comment, Customer, FeedEvent, Lead, Task
from crm_app.services import comments, feed, tasks
from crm_app.services.seed_activity import seed_activity, seed_spread_customers
from crm_app.services.tasks import TaskInput
from tests.factories import make_org, make_user

CUSTOMERS, TASKS, EVENTS, LEADS = 3_000, 1_500, 6_000, 300


def _seeded(session, engine):
    org, admin = make_org(session, country="EC")
    sales = [make_user(session, admin)[1] for _ in range(3)]
    users = [admin.user_id, *(s.user_id for s in sales)]
    seed_spread_customers(engine, org.id, CUSTOMERS, users=users, country="EC", seed_value=1)
    done = seed_activity(engine, org.id, tasks=TASKS, events=EVENTS, leads=LEADS, seed_value=2)
    assert (done.tasks, done.events, done.leads) == (TASKS, EVENTS, LEADS)
    session.expire_all()
    return admin, sales, users


def test_each_task_and_comment_has_its_feed_event_and_the_profile_reads_them(session, engine):
    admin, _, _ = _seeded(session, engine)
    assert session.execute(select(func.count()).select_from(FeedEvent)).scalar() == EVENTS
    events = session.execute(select(FeedEvent).order_by(FeedEvent.id)).scalars().all()
    by_kind = Counter(e.kind for e in events)
    assert by_kind["task"] == TASKS and by_kind["comment"] > EVENTS // 5 and by_kind["customer_updated"]
    # Ids grow with time, as in a running app.
    assert all(a.created_at <= b.created_at for a, b in pairwise(events))
    rows = {("task", t.id): t.customer_id for t in session.execute(select(Task)).scalars()}
    rows |= {("comment", c.id): c.customer_id for c in session.execute(select(Comment)).scalars()}
    assert len(rows) == TASKS + by_kind["comment"]
    assert all(rows[(e.kind, e.ref_id)] == e.customer_id for e in events if e.kind in ("task", "comment"))
    # The busiest customer's feed pages through the services, comments and tasks shown with their rows.
    busiest = Counter(e.customer_id for e in events).most_common(1)[0][0]
    page = feed.list_feed(session=session, actor=admin, customer_id=busiest, limit=100)
    assert page.entries and {e.kind for e in page.entries} <= {"task", "comment", "customer_updated"}


def test_tasks_are_done_overdue_and_ahead_for_every_user(session, engine):
    _, sales, users = _seeded(session, engine)
    now = datetime.now(UTC)
    found = session.execute(select(Task)).scalars().all()
    done = [t for t in found if t.done_at is not None]
    overdue = [t for t in found if t.done_at is None and t.due_at is not None and t.due_at < now]
    ahead = [t for t in found if t.done_at is None and t.due_at is not None and t.due_at > now]
    assert done and overdue and ahead and len(done) > len(found) / 2
    assert all(t.done_at >= t.created_at for t in done)
    assert {t.assignee_id for t in overdue} >= set(users)
    # His list shows his open tasks, the most overdue first.
    mine = tasks.my_tasks(session=session, actor=sales[0])
    assert mine and all(t.done_at is None and t.assignee_id == sales[0].user_id for t in mine)
    assert mine[0].due_at < now


def test_customers_are_spread_over_the_staff_sources_and_the_whole_calendar(session, engine):
    _, _, users = _seeded(session, engine)
    customers = session.execute(select(Customer)).scalars().all()
    assert {c.created_by for c in customers} == set(users)
    sources = Counter(c.source for c in customers)
    assert sources.most_common(1)[0][0] == "form" and len(sources) >= 6
    birthdays = [c.birthday for c in customers if c.birthday]
    assert len(birthdays) > CUSTOMERS / 5 and max(b.day for b in birthdays) == 31
    leads = session.execute(select(Lead)).scalars().all()
    assert {lead.status for lead in leads} == set(LEAD_STATUSES)
    assert all(lead.customer_id and lead.converted_at for lead in leads if lead.status == "won")


def test_the_services_carry_on_after_the_seed(session, engine):
    admin, _, _ = _seeded(session, engine)
    customer_id = session.execute(select(func.min(Customer.id))).scalar()
    last_task = session.execute(select(func.max(Task.id))).scalar()
    last_comment = session.execute(select(func.max(Comment.id))).scalar()
    task_id = tasks.create_task(session=session, actor=admin, customer_id=customer_id,
                                data=TaskInput(title="Llamar", due_at=None, assignee_id=admin.user_id))
    comment_id = comments.add_comment(session=session, actor=admin, customer_id=customer_id, body="Hola")
    session.commit()
    assert task_id > last_task and comment_id > last_comment
    page = feed.list_feed(session=session, actor=admin, customer_id=customer_id, limit=2)
    assert [e.kind for e in page.entries] == ["comment", "task"]
