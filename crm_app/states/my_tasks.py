"""The task list (``/tasks?assignee=<user id>|all&status=open|overdue``): the signed-in user's tasks (open
first, by due date), ticked done from the list; an admin may look at a colleague's or the team's (the
panel's workload figures link here). The service refuses a sales user another's tasks: his own are shown,
with a note saying why."""

from __future__ import annotations

import dataclasses

from crm_app.db import session_scope
from crm_app.domain.errors import Forbidden, NotFound
from crm_app.domain.ids import parse_id
from crm_app.services import tasks as task_service
from crm_app.states.customer_feed import reader_for
from crm_app.states.feed_items import TaskParts, task_fields
from crm_app.states.session import SessionState, authorized


@dataclasses.dataclass
class TaskRow(TaskParts):
    id: int = 0
    customer_id: int = 0
    customer_name: str = ""
    past_due: bool = False  # due time passed: overdue again if unticked


def read_assignee(raw: str) -> int | None:
    """``assignee=``: "all" (EVERYONE), a user id, else None (the signed-in user)."""
    if raw == "all":
        return task_service.EVERYONE
    return int(raw) if parse_id(raw) else None


class MyTasksState(SessionState):
    rows: list[TaskRow] = []
    include_done: bool = False
    loaded: bool = False
    assignee: str = ""  # as the address gives it, once read: "" (mine), "all", a user id
    status: str = ""  # "" | "open" | "overdue"
    heading: str = ""  # "Tareas de Ana · Vencidas"; "" = the page's own title
    notice: str = ""  # why the address's assignee is not the one shown

    def _fetch(self, actor) -> None:
        wanted = read_assignee(self.assignee)
        try:
            with session_scope() as session:
                found = task_service.list_tasks(session=session, actor=actor, assignee_id=wanted,
                                                status=self.status, include_done=self.include_done)
                name = self._whose(session, actor, wanted)
        except (Forbidden, NotFound) as refused:
            # Never another's tasks: the user's own, and why.
            self.notice = self._t("listf_tasks_own_only" if isinstance(refused, Forbidden)
                                  else "listf_tasks_unknown_user")
            self.assignee = ""
            with session_scope() as session:
                found = task_service.list_tasks(session=session, actor=actor, status=self.status,
                                                include_done=self.include_done)
                name = self._whose(session, actor, None)
        status = self._t(f"listf_tasks_status_{self.status}") if self.status else ""
        self.heading = " · ".join(part for part in (name, status) if part)
        reader = reader_for(actor, self.lang)
        self.rows = [
            TaskRow(id=t.id, customer_id=t.customer_id or 0, customer_name=t.customer_name,
                    past_due=t.due_at is not None and t.due_at < reader.now,
                    **task_fields(dataclasses.asdict(t), reader))
            for t in found
        ]
        self.loaded = True

    def _whose(self, session, actor, wanted: int | None) -> str:
        """The heading's first part: "Tareas de Ana", "Tareas del equipo", or "" for one's own."""
        if wanted is None or wanted == actor.user_id:
            return self._t("listf_tasks_my_tasks") if self.status else ""
        if wanted == task_service.EVERYONE:
            return self._t("listf_tasks_team")
        name = task_service.staff_name(session=session, actor=actor, user_id=wanted) or ""
        return self._t("listf_tasks_of", name=name)

    @authorized()
    def load(self, actor):
        params = self.router.url.query_parameters
        self.assignee = str(params.get("assignee", ""))[:20]
        status = params.get("status", "")
        self.status = status if status in task_service.TASK_STATUSES else ""
        self.notice = ""
        self._fetch(actor)

    @authorized()
    def set_include_done(self, actor, value: bool):
        self.include_done = bool(value)
        self._fetch(actor)

    @authorized()
    def set_done(self, actor, task_id: int, done: bool):
        """Tick or untick; the row stays where it is (struck through) until the list is reloaded."""
        with session_scope() as session:
            task_service.set_task_done(session=session, actor=actor, task_id=int(task_id), done=bool(done))
        for row in self.rows:
            if row.id == int(task_id):
                row.task_done, row.task_overdue = bool(done), row.past_due and not done
        self.rows = list(self.rows)
