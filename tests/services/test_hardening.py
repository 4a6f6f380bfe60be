"""Issue 19, finding 6, on SQLite and PostgreSQL: ids past 64 bits are "not found" (never a database
overflow), free text is stored without control or bidi-override characters, another organization's
staff e-mail is not confirmed, and a forged channel is a field error."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from crm_app.domain.customers import CustomerInput
from crm_app.domain.errors import NotFound, ValidationFailed
from crm_app.i18n import t
from crm_app.models import Comment, Customer, MessageTemplate, Task, User
from crm_app.services import comments, customers, tag_admin, tasks, templates, users
from tests.db import run_like_app
from tests.factories import make_org, make_user

HUGE = [2**63, 2**64 + 1, 10**30]
BIDI = "\u202eRTL\x00x\u2066"


def customer_of(session, actor, **fields):
    data = CustomerInput(first_name="Ana", last_name="Vera", **fields)
    return run_like_app(session, customers.create_customer, actor=actor, data=data)


@pytest.mark.parametrize("huge", HUGE)
def test_ids_past_64_bits_are_not_found_in_every_service(session, huge):
    _, admin = make_org(session, "A")
    calls = [
        lambda: customers.get_customer(session=session, actor=admin, customer_id=huge),
        lambda: comments.edit_comment(session=session, actor=admin, comment_id=huge, body="x"),
        lambda: comments.add_comment(session=session, actor=admin, customer_id=huge, body="x"),
        lambda: tasks.set_task_done(session=session, actor=admin, task_id=huge, done=True),
        lambda: users.set_role(session=session, actor=admin, user_id=huge, role="admin"),
        lambda: templates.get_template(session=session, actor=admin, template_id=huge),
        lambda: tag_admin.rename_tag(session=session, actor=admin, tag_id=huge, name="x"),
    ]
    for call in calls:
        with pytest.raises(NotFound):
            call()
        session.rollback()


def test_a_channel_past_64_bits_or_negative_is_a_field_error(session):
    _, admin = make_org(session, "A")
    for channel_id in (2**63, -1):
        with pytest.raises(ValidationFailed) as refused:
            customer_of(session, admin, channel_id=channel_id)
        assert set(refused.value.errors) == {"channel_id"}
    assert session.execute(select(Customer.id)).first() is None


def test_free_text_is_stored_without_controls_or_bidi_overrides(session):
    _, admin = make_org(session, "A")
    customer = customer_of(session, admin, notes=f"nota {BIDI}")
    run_like_app(session, comments.add_comment, actor=admin, customer_id=customer.id, body=f"hola {BIDI}")
    run_like_app(session, tasks.create_task, actor=admin, customer_id=customer.id,
                 data=tasks.TaskInput(title=f"llamar {BIDI}"))
    run_like_app(session, templates.save_template, actor=admin,
                 data=templates.TemplateInput(channel="sms", name=f"plantilla {BIDI}", body=f"Hola {BIDI}"))
    run_like_app(session, users.create_user, actor=admin, name=f"Luis {BIDI}", email="luis@example.test",
                 role="sales")
    run_like_app(session, customers.create_channel, actor=admin, name=f"Feria {BIDI}")
    stored = [
        *session.execute(select(Customer.first_name, Customer.notes, Customer.display_name)).one(),
        session.execute(select(Comment.body)).scalar_one(),
        session.execute(select(Task.title)).scalar_one(),
        *session.execute(select(MessageTemplate.name, MessageTemplate.body)).one(),
        session.execute(select(User.name).where(User.email == "luis@example.test")).scalar_one(),
        *[name for _, name in customers.list_channels(session=session, actor=admin) if "Feria" in name],
    ]
    assert len(stored) == 9
    for text in stored:
        assert not any(ch in text for ch in "\u202e\x00\u2066"), repr(text)
    assert "hola RTLx" in stored


def test_another_organizations_staff_email_is_not_confirmed(session):
    _, admin_a = make_org(session, "A")
    _, admin_b = make_org(session, "B")
    make_user(session, admin_a, email="ana@andina.example")
    with pytest.raises(ValidationFailed) as refused:
        users.create_user(session=session, actor=admin_b, name="Ana", email="ana@andina.example",
                          role="sales")
    message = t(refused.value.errors["email"].code, "es")
    assert message == "Este correo no se puede usar; usa otro."
    assert "existe" not in message and "usuario" not in message
