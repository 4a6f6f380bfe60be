"""The customer's event feed: an event for each kind of change, comments, tasks, paging, isolation."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.errors import Forbidden, NotFound, ValidationFailed
from crm_app.models import Comment, FeedEvent, Task
from crm_app.models.types import utcnow
from crm_app.services import comments, customers, feed, tasks
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.isolation import assert_not_found_for_other_org, column_snapshot


def person(**extra) -> CustomerInput:
    return CustomerInput(client_type="person", first_name="Ana", last_name="Vera", **extra)


def create(session, actor, data=None):
    return run_like_app(session, customers.create_customer, actor=actor, data=data or person())


def update(session, actor, customer, data):
    return run_like_app(
        session, customers.update_customer, actor=actor, customer_id=customer.id, version=customer.version,
        data=data,
    )


def entries(session, actor, customer_id, **kw):
    return feed.list_feed(session=session, actor=actor, customer_id=customer_id, **kw).entries


def test_creation_records_its_source_and_consent(session):
    _, admin = make_org(session)
    data = person(source="import", emails=(EmailInput("ana@example.com", accepts_email=True),))
    created = create(session, admin, data)
    (event,) = entries(session, admin, created.id)
    assert (event.kind, event.actor_id, event.actor_name) == ("customer_created", admin.user_id, "Admin Acme")
    assert event.data == {
        "source": "import",
        "changes": [{"field": "email", "op": "consent_given", "value": "ana@example.com"}],
    }


def test_each_changed_field_is_recorded_before_and_after_discounts_highlighted(session):
    _, admin = make_org(session)
    channel_id, channel = customers.list_channels(session=session, actor=admin)[0]
    created = create(
        session, admin,
        person(discount_percent=Decimal("5"), phones=(PhoneInput("0991234567"),),
               emails=(EmailInput("ana@example.com", accepts_email=True),), tags=("VIP",)),
    )
    update(
        session, admin, created,
        person(discount_percent=Decimal("10"), credit_limit=Decimal("250.50"), is_conflictive=True,
               channel_id=channel_id, phones=(PhoneInput("0987654321"),),
               emails=(EmailInput("ana@example.com", accepts_email=False),), tags=("Crédito",)),
    )
    event = entries(session, admin, created.id)[0]
    assert event.kind == "customer_updated"
    changes = event.data["changes"]
    assert {"field": "discount_percent", "before": "5", "after": "10", "highlight": True} in changes
    assert {"field": "credit_limit", "before": "", "after": "250.50", "highlight": True} in changes
    assert {"field": "is_conflictive", "before": "false", "after": "true"} in changes
    assert {"field": "channel", "before": "", "after": channel} in changes
    assert {"field": "phone", "op": "added", "value": "+593987654321"} in changes
    assert {"field": "phone", "op": "removed", "value": "+593991234567"} in changes
    assert {"field": "email", "op": "consent_withdrawn", "value": "ana@example.com"} in changes
    assert {"field": "tags", "op": "added", "value": "Crédito"} in changes
    assert {"field": "tags", "op": "removed", "value": "VIP"} in changes


def test_a_save_without_changes_adds_no_line(session):
    _, admin = make_org(session)
    created = create(session, admin)
    update(session, admin, created, person())
    assert [e.kind for e in entries(session, admin, created.id)] == ["customer_created"]


def test_delete_and_restore_are_recorded(session):
    _, admin = make_org(session)
    created = create(session, admin)
    run_like_app(session, customers.delete_customer, actor=admin, customer_id=created.id)
    run_like_app(session, customers.restore_customer, actor=admin, customer_id=created.id)
    kinds = [e.kind for e in entries(session, admin, created.id)]
    assert kinds == ["customer_restored", "customer_deleted", "customer_created"]


def test_a_failed_save_leaves_no_event(session):
    _, admin = make_org(session)
    created = create(session, admin)
    with pytest.raises(ValidationFailed):
        update(session, admin, created, person(tax_id="123"))
    assert len(entries(session, admin, created.id)) == 1


def test_comments_add_edit_delete_own_admins_any(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin, "sales", name="Sofía")
    _, other, _ = make_user(session, admin, "sales", name="Otro")
    customer = create(session, admin)
    comment_id = run_like_app(session, comments.add_comment, actor=sales, customer_id=customer.id,
                              body="  Llamar el lunes ")
    event = entries(session, admin, customer.id, category="comments")[0]
    assert (event.kind, event.actor_name, event.ref["body"], event.ref["edited_at"], event.ref_id) == (
        "comment", "Sofía", "Llamar el lunes", None, comment_id)
    with pytest.raises(Forbidden):
        comments.edit_comment(session=session, actor=other, comment_id=comment_id, body="mine now")
    run_like_app(session, comments.edit_comment, actor=sales, comment_id=comment_id, body="Llamar el martes")
    ref = entries(session, admin, customer.id, category="comments")[0].ref
    assert ref["body"] == "Llamar el martes" and ref["edited_at"] is not None
    with pytest.raises(ValidationFailed) as refused:
        comments.add_comment(session=session, actor=sales, customer_id=customer.id, body="   ")
    assert refused.value.errors["body"].code == "required"
    run_like_app(session, comments.delete_comment, actor=admin, comment_id=comment_id)
    assert entries(session, admin, customer.id, category="comments") == ()
    assert session.get(Comment, comment_id) is None


def test_tasks_create_done_undone_and_my_tasks(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin, "sales", name="Sofía")
    customer = create(session, admin)
    tomorrow = utcnow() + timedelta(days=1)
    task_id = run_like_app(
        session, tasks.create_task, actor=admin, customer_id=customer.id,
        data=tasks.TaskInput("Enviar cotización", due_at=tomorrow, assignee_id=sales.user_id),
    )
    later = run_like_app(
        session, tasks.create_task, actor=sales, customer_id=customer.id,
        data=tasks.TaskInput("Sin fecha"),
    )
    event = entries(session, admin, customer.id, category="tasks")[-1]
    assert event.ref["title"] == "Enviar cotización" and event.ref["assignee_name"] == "Sofía"
    assert [t.id for t in tasks.my_tasks(session=session, actor=sales)] == [task_id, later]
    assert tasks.my_tasks(session=session, actor=admin) == []
    run_like_app(session, tasks.set_task_done, actor=sales, task_id=task_id, done=True)
    assert [t.id for t in tasks.my_tasks(session=session, actor=sales)] == [later]
    assert entries(session, admin, customer.id, category="tasks")[-1].ref["done_at"] is not None
    run_like_app(session, tasks.set_task_done, actor=sales, task_id=task_id, done=False)
    assert session.get(Task, task_id).done_at is None


def test_task_validation(session):
    _, admin = make_org(session)
    _, admin_b = make_org(session, "Other")
    customer = create(session, admin)
    with pytest.raises(ValidationFailed) as refused:
        tasks.create_task(session=session, actor=admin, customer_id=customer.id,
                          data=tasks.TaskInput(" ", assignee_id=admin_b.user_id))
    assert set(refused.value.errors) == {"title", "assignee_id"}


def test_feed_pages_newest_first_with_a_cursor(session):
    _, admin = make_org(session)
    customer = create(session, admin)
    for n in range(30):
        comments.add_comment(session=session, actor=admin, customer_id=customer.id, body=f"nota {n}")
    session.commit()
    first = feed.list_feed(session=session, actor=admin, customer_id=customer.id, limit=25)
    assert [e.ref["body"] for e in first.entries[:2]] == ["nota 29", "nota 28"]
    second = feed.list_feed(session=session, actor=admin, customer_id=customer.id, before=first.next_before)
    assert [e.kind for e in second.entries][-1] == "customer_created"
    assert len(first.entries) + len(second.entries) == 31 and second.next_before is None
    only_changes = entries(session, admin, customer.id, category="changes")
    assert [e.kind for e in only_changes] == ["customer_created"]


def test_another_organizations_feed_comment_and_task_are_not_found(session):
    _, admin_a = make_org(session, "A")
    customer = create(session, admin_a)
    comment_id = run_like_app(session, comments.add_comment, actor=admin_a, customer_id=customer.id, body="x")
    task_id = run_like_app(session, tasks.create_task, actor=admin_a, customer_id=customer.id,
                           data=tasks.TaskInput("t"))
    _, admin_b = make_org(session, "B")

    def count() -> int:
        return session.execute(select(func.count()).select_from(FeedEvent)).scalar_one()

    for call in (
        lambda: feed.list_feed(session=session, actor=admin_b, customer_id=customer.id),
        lambda: comments.add_comment(session=session, actor=admin_b, customer_id=customer.id, body="y"),
        lambda: tasks.create_task(session=session, actor=admin_b, customer_id=customer.id,
                                  data=tasks.TaskInput("t")),
    ):
        assert_not_found_for_other_org(session, call, count, what="customer")
    assert_not_found_for_other_org(
        session,
        lambda: comments.edit_comment(session=session, actor=admin_b, comment_id=comment_id, body="y"),
        column_snapshot(session, Comment, comment_id), what="comment",
    )
    assert_not_found_for_other_org(
        session, lambda: comments.delete_comment(session=session, actor=admin_b, comment_id=comment_id),
        column_snapshot(session, Comment, comment_id), what="comment",
    )
    assert_not_found_for_other_org(
        session, lambda: tasks.set_task_done(session=session, actor=admin_b, task_id=task_id, done=True),
        column_snapshot(session, Task, task_id), what="task",
    )
    with pytest.raises(NotFound):
        feed.list_feed(session=session, actor=admin_b, customer_id=customer.id)
