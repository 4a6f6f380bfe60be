"""The bulk actions of the customer list: the dialog of each action (components/bulk_dialog.py), the
result banner with Undo, and the progress of an action that runs as a job (with Cancel).

Which customers: the list's selection (states/bulk_selection.py, a mixin of ``CustomersState``), read on
the server from the list's state at the moment of the confirmation, never sent by the browser. What:
``domain.bulk.KINDS``; the admin-only ones (``ADMIN_KINDS``) are refused here and again by
``services.bulk.start``, which checks the organization, the role and every id. A selection of up to
``INLINE_LIMIT`` customers is done at once; a larger one is a job, followed by :meth:`watch` (a background
event reading the action and its job about once a second, like the import page's), which reloads the list
when it ends. The banner stays until dismissed, so the Undo is not lost like a toast's.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.accounts import MEMBER_ROLES, AccountQuery
from crm_app.domain.bulk import ADMIN_KINDS, FLAGS, KINDS, BulkActionDTO, BulkRequest, Selection
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, ValidationFailed
from crm_app.domain.ids import parse_id
from crm_app.domain.jobs import JobDTO
from crm_app.domain.local_time import number
from crm_app.i18n import t
from crm_app.services import bulk as bulk_service
from crm_app.services import jobs
from crm_app.services.account_list import list_accounts
from crm_app.services.accounts import get_account
from crm_app.services.customer_choices import list_channels, list_tags
from crm_app.services.templates import list_templates
from crm_app.states.customers import CustomersState
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.forms import text
from crm_app.states.job_progress import follow, progress_text
from crm_app.states.session import SessionState, authorized
from crm_app.states.threads import in_thread

ACTIVE = ("running", "undoing")  # the action (or its undo) is a job still at work
ACCOUNT_RESULTS = 8
# The dialog's fields per action: a service error on another key is said at the top of the dialog.
FIELDS = {"tag_add": ("tag",), "tag_remove": ("tag",), "set_channel": ("channel_id",),
          "set_flag": ("flag", "value"), "add_to_account": ("account_id", "role"),
          "send_template": ("template_id",)}


@dataclasses.dataclass
class AccountOption:
    id: int
    name: str


def outcome_text(dto: BulkActionDTO, lang: str) -> str:
    """What the action did, in words: "Etiqueta «VIP» añadida a 120 clientes." (the banner and the
    history say the same); after an undo, a failure or a cancel, the service's summary of the counts."""
    count = number(dto.changed, lang)
    if dto.status in ACTIVE:
        return t(f"bulkui_{dto.status}", lang, what=dto.description, count=number(dto.matched, lang))
    if dto.status == "done":
        said = t(f"bulkui_done_{dto.kind}", lang, count=count, what=dto.description,
                 tag=str(dto.params.get("tag", "")))
        unchanged = dto.matched - dto.changed
        if unchanged > 0:
            key = "bulkui_no_consent" if dto.kind == "send_template" else "bulkui_unchanged"
            said += " " + t(key, lang, count=number(unchanged, lang))
        return said
    # failed (the job's own error stays in the server's log), cancelled, undone
    return f"{t(f'bulkui_{dto.status}', lang, what=dto.description)} {dto.summary}".strip()


def read_action(actor: Actor, action_id: int, lang: str) -> tuple[BulkActionDTO, JobDTO | None]:
    with session_scope() as session:
        dto = bulk_service.get(session=session, actor=actor, bulk_action_id=action_id, lang=lang)
        job = jobs.get_job(session, actor.organization_id, dto.job_id) if dto.job_id else None
    return dto, job


@dialog_flags("dialog_kind")
class BulkActionState(Refusals, SessionState):
    dialog_kind: str = ""  # the action whose dialog is open ("" closed)
    dialog_title: str = ""
    dialog_text: str = ""  # names how many customers it applies to
    generation: int = 0  # the dialog's fields start empty at each opening
    errors: dict[str, str] = {}
    form_error: str = ""
    tag_options: list[str] = []
    channels: list[list[str]] = []  # [[id, name], ...]
    templates: list[list[str]] = []  # [[id, "name (channel)"], ...]
    account_query: str = ""
    account_results: list[AccountOption] = []
    account_id: int = 0  # chosen in the dialog; checked against the organization when chosen and by start
    account_name: str = ""
    # the last action of this tab
    result_id: int = 0
    result_text: str = ""
    result_status: str = ""
    result_can_undo: bool = False
    job_percent: int = 0
    job_text: str = ""
    _watching: bool = False

    @rx.var
    def result_active(self) -> bool:
        return self.result_status in ACTIVE

    # -- the dialog ------------------------------------------------------------------------------
    @authorized()
    async def open_action(self, actor: Actor, kind: str):
        listing = await self.get_state(CustomersState)
        if kind not in KINDS or (kind in ADMIN_KINDS and not actor.is_admin):
            return None
        if listing.trash != (kind == "restore"):  # the trash restores; the list does the rest
            return None
        count = listing.selected_count
        if count <= 0:
            return rx.toast.info(self._t("bulkui_nothing_selected"))
        with session_scope() as session:
            self._load_choices(session, actor, kind)
        self.dialog_title = self._t(f"bulkui_title_{kind}")
        self.dialog_text = self._t("bulkui_applies_to", count=number(count, self.lang))
        self.errors, self.form_error, self.generation = {}, "", self.generation + 1
        self.account_query, self.account_results, self.account_id, self.account_name = "", [], 0, ""
        self.dialog_kind = kind
        return None

    def _load_choices(self, session, actor: Actor, kind: str) -> None:
        if kind in ("tag_add", "tag_remove"):
            self.tag_options = list_tags(session=session, actor=actor, limit=100)
        elif kind == "set_channel":
            self.channels = [["", self._t("bulkui_no_channel")],
                             *([str(i), n] for i, n in list_channels(session=session, actor=actor))]
        elif kind == "send_template":
            self.templates = [["", "—"], *([str(x.id), f"{x.name} ({self._t('channel_' + x.channel)})"]
                                           for x in list_templates(session=session, actor=actor))]

    @rx.event
    def set_dialog_open(self, value: bool):
        if value is not True:
            self.dialog_kind = ""

    @authorized()
    def search_accounts(self, actor: Actor, value: str):
        self.account_query = str(value)[:100]
        if not self.account_query.strip():
            self.account_results = []
            return
        with session_scope() as session:
            page = list_accounts(session=session, actor=actor,
                                 query=AccountQuery(search=self.account_query, limit=ACCOUNT_RESULTS))
        self.account_results = [AccountOption(r.id, r.name) for r in page.rows]

    @authorized()
    def choose_account(self, actor: Actor, account_id: int):
        with session_scope() as session:  # another organization's account is NotFound, like a missing one
            account = get_account(session=session, actor=actor, account_id=int(account_id))
        self.account_id, self.account_name = account.id, account.name
        self.errors.pop("account_id", None)

    @rx.event
    def clear_account(self):
        self.account_id, self.account_name = 0, ""

    def _params(self, kind: str, form: dict) -> tuple[dict[str, Any], dict[str, str]]:
        """The action's parameters from the dialog's fields; a blank one is refused here, with its label,
        the rest is the service's to check."""
        if kind in ("tag_add", "tag_remove"):
            tag = text(form, "tag").strip()[:60]
            return {"tag": tag}, {} if tag else {"tag": self._t("bulkui_tag_required")}
        if kind == "set_channel":
            return {"channel_id": parse_id(text(form, "channel_id")) or None}, {}
        if kind == "set_flag":
            flag = text(form, "flag")
            return ({"flag": flag, "value": text(form, "value") == "1"},
                    {} if flag in FLAGS else {"flag": self._t("bulkui_flag_required")})
        if kind == "add_to_account":
            role = text(form, "role") if text(form, "role") in MEMBER_ROLES else "member"
            return ({"account_id": self.account_id, "role": role},
                    {} if self.account_id else {"account_id": self._t("bulkui_account_required")})
        if kind == "send_template":
            template_id = parse_id(text(form, "template_id"))
            return ({"template_id": template_id},
                    {} if template_id else {"template_id": self._t("bulkui_template_required")})
        return {}, {}

    def _refuse(self, kind: str, errors: dict[str, str]) -> None:
        fields = FIELDS.get(kind, ())
        self.errors = {k: v for k, v in errors.items() if k in fields}
        self.form_error = " ".join(v for k, v in errors.items() if k not in fields)
        self._refused()

    @authorized()
    async def confirm(self, actor: Actor, form: dict):
        kind = self.dialog_kind
        if kind not in KINDS:
            return None
        listing = await self.get_state(CustomersState)
        if listing.selected_count <= 0:
            self.dialog_kind = ""
            return rx.toast.info(self._t("bulkui_nothing_selected"))
        params, errors = self._params(kind, form if isinstance(form, dict) else {})
        if errors:
            return self._refuse(kind, errors)
        selection = Selection(ids=tuple(listing.selected_ids), query=listing.export_query,
                              all_matching=listing.all_matching)
        try:
            dto = await in_thread(bulk_service.start, actor=actor, selection=selection,
                                  request=BulkRequest(kind=kind, params=params), lang=self.lang)
        except ValidationFailed as exc:
            return self._refuse(kind, {k: self._err(e) for k, e in exc.errors.items()})
        except Conflict as exc:
            return self._refuse(kind, {"": self._err(exc)})
        self.dialog_kind = ""
        listing._clear_selection()
        listing._forget_count()
        listing.select_mode = False
        return self._after(actor, listing, dto)

    def _after(self, actor: Actor, listing: CustomersState, dto: BulkActionDTO):
        """Show what the action did; a job is followed until it ends, else the list shows the change now."""
        self._show(dto, None)
        if dto.status in ACTIVE:
            return self._watch_if_active()
        listing._fetch(actor)
        return None

    # -- the result banner -----------------------------------------------------------------------
    def _show(self, dto: BulkActionDTO, job: JobDTO | None) -> None:
        self.result_id, self.result_status = dto.id, dto.status
        self.result_can_undo = dto.can_undo and dto.status not in ACTIVE
        self.result_text = outcome_text(dto, self.lang)
        if job is not None and dto.status in ACTIVE:
            self.job_percent, self.job_text = job.percent, progress_text(job, self.lang)
        else:
            self.job_percent, self.job_text = 0, ""

    def _watch_if_active(self):
        if self.result_status in ACTIVE and not self._watching:
            self._watching = True
            return BulkActionState.watch
        return None

    @authorized()
    def load(self, actor: Actor):
        """/customers' on_load: an action of this tab still at work is followed again (after a reload)."""
        return self._watch_if_active() if self.result_id else None

    @authorized()
    async def undo(self, actor: Actor):
        if not self.result_id:
            return None
        try:
            dto = await in_thread(bulk_service.undo, actor=actor, bulk_action_id=self.result_id,
                                  lang=self.lang)
        except Conflict as exc:
            self.result_can_undo, self.result_text = False, self._err(exc)
            return None
        listing = await self.get_state(CustomersState)
        return self._after(actor, listing, dto)

    @authorized()
    async def cancel_job(self, actor: Actor):
        if self.result_id and self.result_status in ACTIVE:
            await in_thread(bulk_service.cancel, actor=actor, bulk_action_id=self.result_id)
            self.job_text = self._t("bulkui_cancelling")

    @rx.event
    def dismiss_result(self):
        if self.result_status not in ACTIVE:
            self.result_id, self.result_text, self.result_status, self.result_can_undo = 0, "", "", False

    @rx.event(background=True)
    async def watch(self):
        """Follow the action's job until it ends (or the tab's user signs out, or starts another)."""
        await follow(self, self._watched, lambda actor, key: read_action(actor, *key), self._show_read)

    def _watched(self) -> tuple[Actor, tuple[int, str]] | None:
        actor = self._actor()
        return (actor, (self.result_id, self.lang)) if actor is not None and self.result_id else None

    async def _show_read(self, actor: Actor, key: tuple[int, str], read: tuple) -> bool:
        if self.result_id != key[0]:
            return True
        dto, job = read
        self._show(dto, job)
        if dto.status in ACTIVE:
            return False
        listing = await self.get_state(CustomersState)
        listing._fetch(actor)
        return True
