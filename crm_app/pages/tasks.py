""""My tasks": the signed-in user's tasks, linked to their customers, ticked done here too; an admin's
view of a colleague's or the team's (``?assignee=&status=``, from the panel) under a heading saying whose."""

import reflex as rx

from crm_app.components.empty_state import empty_state
from crm_app.components.feed import task_line
from crm_app.pages.base import loading, page
from crm_app.states.my_tasks import MyTasksState, TaskRow

S = MyTasksState
T = S.tr


def _row(row: TaskRow) -> rx.Component:
    return rx.el.li(
        rx.vstack(
            task_line(row, lambda done: S.set_done(row.id, done)),
            rx.cond(
                row.customer_id != 0,
                rx.link(row.customer_name, href="/customers/" + row.customer_id.to_string(), size="2"),
            ),
            spacing="1",
        ),
        class_name="crm-feed-item",
    )


def _title():
    """Whose tasks, and which, when the address says (from the panel); else "My tasks"."""
    return rx.cond(S.heading != "", S.heading, T["my_tasks_title"])


@page("/tasks", "title_tasks", on_load=[MyTasksState.load])
def my_tasks() -> rx.Component:
    return rx.vstack(
        rx.heading(_title(), size="7", as_="h1"),
        rx.cond(S.notice != "", rx.callout(S.notice, icon="info", color_scheme="amber", role="status")),
        rx.cond(
            S.status == "",  # open or overdue ones are never done
            rx.checkbox(T["my_tasks_show_done"], checked=S.include_done, on_change=S.set_include_done),
        ),
        rx.cond(
            S.loaded,
            rx.cond(
                S.rows.length() > 0,
                rx.el.ol(rx.foreach(S.rows, _row), class_name="crm-feed", aria_label=_title()),
                empty_state("list_checks", T["my_tasks_empty"], T["my_tasks_empty_hint"]),
            ),
            loading(),
        ),
        spacing="4",
        width="100%",
        max_width="48em",
    )
