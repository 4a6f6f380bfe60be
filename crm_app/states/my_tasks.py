""""My tasks": the signed-in user's tasks (open first, by due date), ticked done from the list."""

from __future__ import annotations

import dataclasses

from crm_app.db import session_scope
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


class MyTasksState(SessionState):
    rows: list[TaskRow] = []
    include_done: bool = False
    loaded: bool = False

    def _fetch(self, actor) -> None:
        with session_scope() as session:
            found = task_service.my_tasks(session=session, actor=actor, include_done=self.include_done)
        reader = reader_for(actor, self.lang)
        self.rows = [
            TaskRow(id=t.id, customer_id=t.customer_id or 0, customer_name=t.customer_name,
                    past_due=t.due_at is not None and t.due_at < reader.now,
                    **task_fields(dataclasses.asdict(t), reader))
            for t in found
        ]
        self.loaded = True

    @authorized()
    def load(self, actor):
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
