"""/settings (admins): organization, duplicate rules, lists, tags and the admin activity log.

Each list is short by nature (a few dozen entries); tags and the log can grow and are keyset paged.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.errors import ValidationFailed
from crm_app.domain.log_changes import change_lines
from crm_app.services import admin_settings as admin
from crm_app.services import auth as auth_service
from crm_app.services import tag_admin, transfer_access
from crm_app.services.customer_duplicates import DuplicatePolicy
from crm_app.services.organizations import OrganizationInput
from crm_app.states.clock import clock_for
from crm_app.states.dialogs import dialog_flags
from crm_app.states.forms import field_errors, text
from crm_app.states.page_trail import PageTrail
from crm_app.states.session import SessionState, ShellState, authorized

TAG_PAGE = 25
LOG_PAGE = admin.LOG_PAGE


@dataclasses.dataclass
class EntryRow:
    id: int
    name: str
    color: str
    active: bool
    walk_in: bool = False  # order types: their orders may have no client


@dataclasses.dataclass
class TagRow:
    id: int
    name: str
    customers: int


@dataclasses.dataclass
class LogRow:
    id: int
    at: str
    who: str
    kind: str
    before: str
    after: str
    changes: list[str]  # "country: EC → PE", one per changed value


def _whole(raw: str) -> int | None:
    """A whole number typed in a field, or None (which the service refuses with its range)."""
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


@dialog_flags("confirm_text")
class SettingsState(SessionState):
    org: dict[str, str] = {}
    org_errors: dict[str, str] = {}
    org_generation: int = 0
    duplicates: dict[str, bool] = {}
    sales_transfer: bool = False  # sales users may import and export customers
    campaign_pace: str = ""  # campaign e-mails a minute, as the field shows it
    pace_errors: dict[str, str] = {}
    lists: dict[str, list[EntryRow]] = {}
    list_errors: dict[str, str] = {}
    # Tags: one page, the search, the selection for merging.
    tags: list[TagRow] = []
    tag_search: str = ""
    tag_next: str = ""
    tag_page: int = 1
    selected_tags: list[int] = []
    merge_name: str = ""
    tag_errors: dict[str, str] = {}
    confirm_text: str = ""
    _tags_at: PageTrail[str] = PageTrail("")
    _delete_tag: int = 0
    # Activity log: one page, newest first.
    log: list[LogRow] = []
    log_has_next: bool = False
    log_page: int = 1
    _log_at: PageTrail[int] = PageTrail(0)

    # -- loading ----------------------------------------------------------------------------
    @authorized("admin")
    def load(self, actor):
        with session_scope() as session:
            org = auth_service.organization_of(session, actor)
            policy = admin.get_duplicate_policy(session=session, actor=actor)
        self.org = {
            "name": org.name,
            "country": org.country,
            "currency": org.currency,
            "language": org.language,
            "timezone": org.timezone,
        }
        self.org_errors, self.org_generation = {}, self.org_generation + 1
        self.duplicates = {"phone": policy.phone, "email": policy.email, "tax_id": policy.tax_id}
        self.sales_transfer = org.sales_import_export
        self.campaign_pace, self.pace_errors = str(org.campaign_per_minute), {}
        self.list_errors, self.tag_errors, self.selected_tags, self.confirm_text = {}, {}, [], ""
        self._load_lists(actor)
        self._fetch_tags(actor, PageTrail(""))
        self._fetch_log(actor, PageTrail(0))

    def _load_lists(self, actor: Actor) -> None:
        with session_scope() as session:
            self.lists = {
                name: [
                    EntryRow(e.id, e.name, e.color, e.active, e.walk_in)
                    for e in admin.list_entries(session=session, actor=actor, list_name=name)
                ]
                for name in admin.LISTS
            }

    def _fetch_tags(self, actor: Actor, at: PageTrail[str] | None = None) -> None:
        self._tags_at = at or self._tags_at
        self.tag_page = self._tags_at.number
        with session_scope() as session:
            found, self.tag_next = tag_admin.list_tag_page(
                session=session, actor=actor, search=self.tag_search, after=self._tags_at.cursor,
                limit=TAG_PAGE,
            )
        self.tags = [TagRow(t.id, t.name, t.customers) for t in found]

    def _fetch_log(self, actor: Actor, at: PageTrail[int] | None = None) -> None:
        self._log_at = at or self._log_at
        self.log_page = self._log_at.number
        with session_scope() as session:
            found = admin.list_activity(
                session=session, actor=actor, before_id=self._log_at.cursor, limit=LOG_PAGE + 1
            )
        self.log_has_next = len(found) > LOG_PAGE
        clock = clock_for(actor, self.lang)
        self.log = [
            LogRow(e.id, clock.exact(e.at), e.who, e.kind, e.before, e.after,
                   change_lines(e.before, e.after))
            for e in found[:LOG_PAGE]
        ]

    def _done(self, actor: Actor, key: str = "settings_saved"):
        self._fetch_log(actor, PageTrail(0))
        return rx.toast.success(self._t(key))

    # -- organization and duplicates --------------------------------------------------------
    @authorized("admin")
    async def save_organization(self, actor, form: dict):
        data = OrganizationInput(
            name=text(form, "org_name"),
            country=text(form, "country"),
            currency=text(form, "currency"),
            language=text(form, "language"),
            timezone=text(form, "timezone"),
        )
        try:
            with session_scope() as session:
                saved = admin.update_organization(session=session, actor=actor, data=data)
        except ValidationFailed as exc:
            self.org_errors = field_errors(exc, self.lang)
            return None
        self.org_errors = {}
        self.org = {
            "name": saved.name,
            "country": saved.country,
            "currency": saved.currency,
            "language": saved.language,
            "timezone": saved.timezone,
        }
        (await self.get_state(ShellState)).org_name = saved.name  # the shell's header
        return self._done(actor)

    @authorized("admin")
    def toggle_duplicate(self, actor, rule: str):
        """Turn one rule on or off (the opposite of what this page shows)."""
        if rule not in {"phone", "email", "tax_id"}:
            return None
        rules = {**self.duplicates, rule: not self.duplicates.get(rule, False)}
        with session_scope() as session:
            saved = admin.set_duplicate_rules(session=session, actor=actor, policy=DuplicatePolicy(**rules))
        self.duplicates = {"phone": saved.phone, "email": saved.email, "tax_id": saved.tax_id}
        return self._done(actor)

    @authorized("admin")
    def allow_sales_transfer(self, actor, allowed: bool):
        """Let sales users import and export customers, or not (written to the activity log)."""
        with session_scope() as session:
            self.sales_transfer = transfer_access.set_sales_transfer(
                session=session, actor=actor, allowed=bool(allowed))
        return self._done(actor)

    @authorized("admin")
    def save_campaign_pace(self, actor, form: dict):
        """The campaigns' pace (messages a minute); a value out of 1..600 is refused next to the field."""
        raw = text(form, "campaign_per_minute").strip()
        self.campaign_pace = raw[:12]
        try:
            with session_scope() as session:
                saved = admin.set_campaign_pace(session=session, actor=actor, per_minute=_whole(raw))
        except ValidationFailed as exc:
            self.pace_errors = field_errors(exc, self.lang)
            return None
        self.campaign_pace, self.pace_errors = str(saved), {}
        return self._done(actor)

    # -- lists ------------------------------------------------------------------------------
    def _list_call(self, actor: Actor, list_name: str, call, **kwargs):
        try:
            with session_scope() as session:
                call(session=session, actor=actor, list_name=list_name, **kwargs)
        except ValidationFailed as exc:
            self.list_errors = {list_name: self._err(next(iter(exc.errors.values())))}
            return None
        self.list_errors = {}
        self._load_lists(actor)
        return self._done(actor)

    @authorized("admin")
    def add_entry(self, actor, list_name: str, form: dict):
        return self._list_call(
            actor, list_name, admin.add_entry, name=text(form, "name"), color=text(form, "color")
        )

    @authorized("admin")
    def rename_entry(self, actor, list_name: str, entry_id: int, name: str):
        row = next((e for e in self.lists.get(list_name, []) if e.id == int(entry_id)), None)
        if row is None or row.name == name.strip():
            return None
        return self._list_call(
            actor, list_name, admin.edit_entry, entry_id=int(entry_id), name=name, color=row.color
        )

    @authorized("admin")
    def recolor_entry(self, actor, list_name: str, entry_id: int, color: str):
        row = next((e for e in self.lists.get(list_name, []) if e.id == int(entry_id)), None)
        if row is None:
            return None
        return self._list_call(
            actor, list_name, admin.edit_entry, entry_id=int(entry_id), name=row.name, color=color
        )

    @authorized("admin")
    def set_walk_in(self, actor, entry_id: int, allowed: bool):
        row = next((e for e in self.lists.get("order_types", []) if e.id == int(entry_id)), None)
        if row is None:
            return None
        return self._list_call(actor, "order_types", admin.edit_entry, entry_id=row.id, name=row.name,
                               color=row.color, walk_in=bool(allowed))

    @authorized("admin")
    def move_entry(self, actor, list_name: str, entry_id: int, offset: int):
        return self._list_call(actor, list_name, admin.move_entry, entry_id=int(entry_id), offset=int(offset))

    @authorized("admin")
    def set_entry_active(self, actor, list_name: str, entry_id: int, active: bool):
        return self._list_call(
            actor, list_name, admin.set_entry_active, entry_id=int(entry_id), active=bool(active)
        )

    # -- tags -------------------------------------------------------------------------------
    @authorized("admin")
    def search_tags(self, actor, value: str):
        self.tag_search = value[:60]
        self._fetch_tags(actor, PageTrail(""))

    @authorized("admin")
    def next_tags(self, actor):
        if self.tag_next:
            self._fetch_tags(actor, self._tags_at.forward(self.tag_next))

    @authorized("admin")
    def previous_tags(self, actor):
        if self._tags_at.has_previous:
            self._fetch_tags(actor, self._tags_at.back())

    @rx.event
    def toggle_tag(self, tag_id: int):
        chosen = [i for i in self.selected_tags if i != int(tag_id)]
        self.selected_tags = chosen if int(tag_id) in self.selected_tags else [*chosen, int(tag_id)]

    @rx.event
    def set_merge_name(self, value: str):
        self.merge_name = value[:60]

    def _tag_call(self, actor: Actor, call, message: str, **kwargs):
        try:
            with session_scope() as session:
                result = call(session=session, actor=actor, **kwargs)
        except ValidationFailed as exc:
            self.tag_errors = field_errors(exc, self.lang)
            return None
        self.tag_errors, self.selected_tags, self.merge_name = {}, [], ""
        self._fetch_tags(actor)
        self._done(actor)
        return rx.toast.success(
            self._t(
                message,
                name=getattr(result, "name", ""),
                count=result if isinstance(result, int) else getattr(result, "customers", 0),
            )
        )

    @authorized("admin")
    def merge_selected(self, actor):
        return self._tag_call(
            actor, tag_admin.merge_tags, "tags_merged", tag_ids=list(self.selected_tags), name=self.merge_name
        )

    @authorized("admin")
    def rename_tag(self, actor, tag_id: int, name: str):
        current = next((t for t in self.tags if t.id == int(tag_id)), None)
        if current is None or current.name == name.strip():
            return None
        return self._tag_call(actor, tag_admin.rename_tag, "tag_renamed", tag_id=int(tag_id), name=name)

    @authorized("admin")
    def ask_delete_tag(self, actor, tag_id: int):
        with session_scope() as session:
            count = tag_admin.tag_customer_count(session=session, actor=actor, tag_id=int(tag_id))
        name = next((t.name for t in self.tags if t.id == int(tag_id)), "")
        self._delete_tag, self.confirm_text = (
            int(tag_id),
            self._t("confirm_delete_tag", name=name, count=count),
        )

    @rx.event
    def cancel_delete_tag(self):
        self._delete_tag, self.confirm_text = 0, ""

    @authorized("admin")
    def confirm_delete_tag(self, actor):
        tag_id, self._delete_tag, self.confirm_text = self._delete_tag, 0, ""
        if not tag_id:
            return None
        return self._tag_call(actor, tag_admin.delete_tag, "tag_deleted", tag_id=tag_id)

    # -- activity log -----------------------------------------------------------------------
    @authorized("admin")
    def next_log(self, actor):
        if self.log_has_next and self.log:
            self._fetch_log(actor, self._log_at.forward(self.log[-1].id))

    @authorized("admin")
    def previous_log(self, actor):
        if self._log_at.has_previous:
            self._fetch_log(actor, self._log_at.back())
