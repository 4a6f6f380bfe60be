"""The task list behind the panel's workload figures (``/tasks?assignee=&status=open|overdue``), on SQLite
and PostgreSQL: an admin sees a colleague's or the team's open or overdue tasks, counted as the panel
counts them; a sales user only ever his own; another organization's tasks and users never."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qsl, urlsplit

import pytest

from crm_app.domain.errors import Forbidden, NotFound, ValidationFailed
from crm_app.models.types import utcnow
from crm_app.services import panel, tasks
from crm_app.states.my_tasks import read_assignee
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.services.test_feed import create


def _task(session, actor, customer_id, title, assignee, due_in_hours=None):
    due = utcnow() + timedelta(hours=due_in_hours) if due_in_hours is not None else None
    return run_like_app(session, tasks.create_task, actor=actor, customer_id=customer_id,
                        data=tasks.TaskInput(title, due_at=due, assignee_id=assignee.user_id))


@pytest.fixture
def team(session):
    _, admin = make_org(session)
    _, ana, _ = make_user(session, admin, "sales", name="Ana")
    _, luis, _ = make_user(session, admin, "sales", name="Luis")
    customer = create(session, admin)
    made = {
        "ana_late": _task(session, admin, customer.id, "Llamar", ana, -30),
        "ana_soon": _task(session, admin, customer.id, "Cotizar", ana, 5),
        "ana_undated": _task(session, admin, customer.id, "Visitar", ana),
        "ana_done": _task(session, admin, customer.id, "Hecha", ana, -50),
        "luis_late": _task(session, admin, customer.id, "Cobrar", luis, -2),
        "admin_soon": _task(session, admin, customer.id, "Revisar", admin, 1),
    }
    run_like_app(session, tasks.set_task_done, actor=admin, task_id=made["ana_done"], done=True)
    _, stranger = make_org(session, name="Other")
    other_customer = create(session, stranger)
    made["stranger_late"] = _task(session, stranger, other_customer.id, "Ajena", stranger, -3)
    return admin, ana, luis, stranger, made


def _ids(session, actor, **query) -> list[int]:
    return [t.id for t in tasks.list_tasks(session=session, actor=actor, **query)]


def test_an_admin_sees_a_colleagues_and_the_teams_open_and_overdue_tasks(session, team):
    admin, ana, luis, _, made = team
    assert _ids(session, admin, assignee_id=ana.user_id, status="open") == [
        made["ana_late"], made["ana_soon"], made["ana_undated"]]
    assert _ids(session, admin, assignee_id=ana.user_id, status="overdue") == [made["ana_late"]]
    assert _ids(session, admin, assignee_id=tasks.EVERYONE, status="overdue") == [
        made["ana_late"], made["luis_late"]]
    assert _ids(session, admin, assignee_id=tasks.EVERYONE, status="open") == [
        made["ana_late"], made["luis_late"], made["admin_soon"], made["ana_soon"], made["ana_undated"]]
    assert _ids(session, admin) == [made["admin_soon"]]  # no assignee: his own, as before
    rows = tasks.list_tasks(session=session, actor=admin, assignee_id=luis.user_id)
    assert [t.assignee_name for t in rows] == ["Luis"]


def test_the_lists_hold_what_the_panels_workload_counts(session, team):
    """Each figure of the workload tile (each staff member's, the team's) links to its list, followed as
    the page reads the address: the list holds as many tasks as the figure says."""
    admin, ana, _, _, _ = team
    tile = panel.workload(session=session, actor=admin)
    for row in (*tile.rows, tile.totals):
        for figure in (row.open_tasks, row.overdue_tasks):
            params = dict(parse_qsl(urlsplit(figure.href).query))
            listed = _ids(session, admin, assignee_id=read_assignee(params.get("assignee", "")),
                          status=params["status"])
            assert figure.count == len(listed), (row.name, figure.href)
    assert tile.totals.overdue_tasks.count == 2
    assert any(row.user_id == ana.user_id and row.overdue_tasks.count == 1 for row in tile.rows)


def test_a_sales_user_sees_only_his_own(session, team):
    admin, ana, luis, _, made = team
    assert _ids(session, ana, assignee_id=ana.user_id, status="overdue") == [made["ana_late"]]
    assert _ids(session, ana, status="open") == [made["ana_late"], made["ana_soon"], made["ana_undated"]]
    for other in (luis.user_id, admin.user_id, tasks.EVERYONE):
        with pytest.raises(Forbidden):
            tasks.list_tasks(session=session, actor=ana, assignee_id=other, status="open")


def test_another_organization_is_never_listed(session, team):
    admin, _, _, stranger, made = team
    with pytest.raises(NotFound):
        tasks.list_tasks(session=session, actor=admin, assignee_id=stranger.user_id, status="overdue")
    assert made["stranger_late"] not in _ids(session, admin, assignee_id=tasks.EVERYONE, status="overdue")
    assert _ids(session, stranger, assignee_id=tasks.EVERYONE, status="overdue") == [made["stranger_late"]]
    with pytest.raises(ValidationFailed):
        tasks.list_tasks(session=session, actor=admin, status="late")
    assert tasks.staff_name(session=session, actor=admin, user_id=stranger.user_id) is None
