"""The feed on a customer's profile: one or a few pages of rows, comments and tasks written from it.

The customer comes from the page's address and the organization from the session on every event;
the services refuse another organization's customer, comment or task as "not found". At most
MAX_ITEMS rows are held: "load more" past that drops the newest ones (a button brings them back).
"""

from __future__ import annotations

import contextlib

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain import local_time
from crm_app.domain.dto import Actor
from crm_app.domain.errors import FieldError, NotFound, ValidationFailed
from crm_app.domain.ids import parse_id
from crm_app.models.types import utcnow
from crm_app.services import comments as comment_service
from crm_app.services import feed as feed_service
from crm_app.services import tasks as task_service
from crm_app.states.clock import OrgLocale, organization_locale
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.feed_items import FeedItem, Reader, feed_item
from crm_app.states.session import SessionState, authorized

MAX_ITEMS = 100


def customer_id_from_path(path: str) -> int:
    """/customers/42 -> 42; anything else -> 0 (which no customer has)."""
    raw = (path or "").rstrip("/").rsplit("/", 1)[-1]
    return int(raw) if raw.isdigit() and len(raw) < 12 else 0


def reader_for(actor: Actor, lang: str, org_locale: tuple[str, str, str] | None = None) -> Reader:
    """How ``actor`` reads times and amounts now: his language, his organization's zone, currency and
    country."""
    org = OrgLocale(*org_locale) if org_locale else organization_locale(actor)
    return Reader(lang=lang, tz=org.tz, currency=org.currency, country=org.country, now=utcnow(),
                  user_id=actor.user_id, is_admin=actor.is_admin)


@dialog_flags("confirm_comment_id")
class CustomerFeedState(Refusals, SessionState):
    items: list[FeedItem] = []
    category: str = ""
    next_before: int = 0  # 0: no older page
    trimmed: bool = False  # newer rows were dropped to keep the state small
    loaded: bool = False
    comment_error: str = ""
    comment_generation: int = 0  # bumped to remount (empty) the uncontrolled comment box
    editing_id: int = 0  # the comment being edited
    edit_error: str = ""
    confirm_comment_id: int = 0
    task_errors: dict[str, str] = {}
    task_generation: int = 0
    assignees: list[list[str]] = []
    me: str = ""  # the signed-in user's id: the task form's default assignee
    _customer_id: int = 0
    _org_locale: tuple[str, str, str] = ("", "", "")  # time zone, currency, country: once per page load

    # -- reading ----------------------------------------------------------------------------
    def _page(self, actor: Actor, before: int | None) -> feed_service.FeedPage:
        with session_scope() as session:
            return feed_service.list_feed(session=session, actor=actor, customer_id=self._customer_id,
                                          category=self.category, before=before)

    def _reader(self, actor: Actor) -> Reader:
        # Read once per page load; a tab saved before the country was kept holds a pair: read again.
        if len(self._org_locale) != len(OrgLocale._fields) or not all(self._org_locale):
            self._org_locale = organization_locale(actor)
        return reader_for(actor, self.lang, self._org_locale)

    def _views(self, actor: Actor, page: feed_service.FeedPage) -> list[FeedItem]:
        reader = self._reader(actor)
        return [feed_item(entry, reader) for entry in page.entries]

    def _first_page(self, actor: Actor) -> None:
        page = self._page(actor, None)
        self.items = self._views(actor, page)
        self.next_before, self.trimmed, self.loaded = page.next_before or 0, False, True
        self.editing_id = self.confirm_comment_id = 0

    @authorized()
    def load(self, actor):
        """on_load of the profile (after CustomerState.load): the newest page, every category."""
        self._customer_id = customer_id_from_path(self.router.url.path)
        self.me = str(actor.user_id)
        self._org_locale = organization_locale(actor)
        self.category, self.items, self.loaded = "", [], False
        self.comment_error, self.edit_error, self.task_errors = "", "", {}
        with session_scope() as session:
            self.assignees = [
                [str(uid), name] for uid, name in task_service.assignees(session=session, actor=actor)
            ]
        with contextlib.suppress(NotFound):  # the profile itself says "customer not found"; no second message
            self._first_page(actor)

    @authorized()
    def refresh(self, actor):
        self._first_page(actor)

    @authorized()
    def set_category(self, actor, category: str):
        self.category = category if category in feed_service.CATEGORIES else ""
        self._first_page(actor)

    @authorized()
    def load_more(self, actor):
        if not self.next_before:
            return
        page = self._page(actor, self.next_before)
        items = self.items + self._views(actor, page)
        if len(items) > MAX_ITEMS:
            items, self.trimmed = items[-MAX_ITEMS:], True
        self.items, self.next_before = items, page.next_before or 0

    # -- comments ---------------------------------------------------------------------------
    @authorized()
    def add_comment(self, actor, form: dict):
        try:
            with session_scope() as session:
                comment_service.add_comment(session=session, actor=actor, customer_id=self._customer_id,
                                            body=str(form.get("body", "")))
        except ValidationFailed as exc:
            self.comment_error = self._first_error(exc)
            self._refused()
            return
        self.comment_error, self.comment_generation = "", self.comment_generation + 1
        self._show_new(actor, "comments")
        return rx.toast.success(self._t("comment_posted"))

    @rx.event
    def start_edit(self, comment_id: int):
        self.editing_id, self.edit_error = int(comment_id), ""

    @rx.event
    def cancel_edit(self):
        self.editing_id, self.edit_error = 0, ""

    @authorized()
    def save_edit(self, actor, form: dict):
        comment_id = self.editing_id
        try:
            with session_scope() as session:
                comment_service.edit_comment(session=session, actor=actor, comment_id=comment_id,
                                             body=str(form.get("body", "")))
        except ValidationFailed as exc:
            self.edit_error = self._first_error(exc)
            return
        self.editing_id, self.edit_error = 0, ""
        self._reload_rows(actor)

    @rx.event
    def ask_delete_comment(self, comment_id: int):
        self.confirm_comment_id = int(comment_id)

    @rx.event
    def cancel_delete_comment(self):
        self.confirm_comment_id = 0

    @authorized()
    def delete_comment(self, actor):
        comment_id, self.confirm_comment_id = self.confirm_comment_id, 0
        with session_scope() as session:
            comment_service.delete_comment(session=session, actor=actor, comment_id=comment_id)
        self.items = [i for i in self.items if not (i.kind == "comment" and i.ref_id == comment_id)]
        return rx.toast.success(self._t("comment_deleted"))

    # -- tasks ------------------------------------------------------------------------------
    @authorized()
    def create_task(self, actor, form: dict):
        try:
            due = local_time.utc_from_local(str(form.get("due_date", "")), str(form.get("due_time", "")),
                                            self._reader(actor).tz)
        except ValueError:
            self.task_errors = {"due_date": self._err(FieldError("invalid_datetime"))}
            self._refused()
            return
        assignee = str(form.get("assignee_id", ""))
        data = task_service.TaskInput(title=str(form.get("title", "")), due_at=due,
                                      assignee_id=parse_id(assignee))
        try:
            with session_scope() as session:
                task_service.create_task(session=session, actor=actor, customer_id=self._customer_id,
                                         data=data)
        except ValidationFailed as exc:
            renamed = {"due_at": "due_date"}
            self.task_errors = {renamed.get(k, k): self._err(e) for k, e in exc.errors.items()}
            self._refused()
            return
        self.task_errors, self.task_generation = {}, self.task_generation + 1
        self._show_new(actor, "tasks")
        return rx.toast.success(self._t("task_created"))

    @authorized()
    def set_task_done(self, actor, task_id: int, done: bool):
        with session_scope() as session:
            task_service.set_task_done(session=session, actor=actor, task_id=int(task_id), done=bool(done))
        self._reload_rows(actor)

    # -- helpers ----------------------------------------------------------------------------
    def _first_error(self, exc: ValidationFailed) -> str:
        return self._err(next(iter(exc.errors.values())))

    def _show_new(self, actor: Actor, category: str) -> None:
        """A row just written is newest: show the first page (if the filter hides it, drop the filter)."""
        if self.category not in ("", category):
            self.category = ""
        self._first_page(actor)

    def _reload_rows(self, actor: Actor) -> None:
        """Re-read the loaded rows in place (an edited comment, a ticked task), same window and filter."""
        if not self.items:
            return self._first_page(actor)
        newest = self.items[0].id
        with session_scope() as session:
            page = feed_service.list_feed(session=session, actor=actor, customer_id=self._customer_id,
                                          category=self.category, before=newest + 1, limit=len(self.items))
        self.items = self._views(actor, page)

