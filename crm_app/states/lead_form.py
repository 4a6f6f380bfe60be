"""A lead's page: /leads/new and /leads/[lead_id], the form, its status actions, its history, delete.

The form's inputs are uncontrolled and read from the submitted form; the owner select starts on the
one who creates the lead. Marking a lead lost asks its reason in a small dialog. Which lead is open,
and the version it was read at, stay on the server. Converting it is ``states/lead_conversion``.
"""

from __future__ import annotations

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from crm_app.domain.ids import parse_id
from crm_app.domain.leads import LeadDTO, LeadInput
from crm_app.domain.local_time import input_date
from crm_app.i18n import error_text
from crm_app.services import customers as customer_service
from crm_app.services import feed as feed_service
from crm_app.services import leads as lead_service
from crm_app.services import tasks as task_service
from crm_app.states.clock import clock_for
from crm_app.states.customer_feed import reader_for
from crm_app.states.dialogs import dialog_flags
from crm_app.states.feed_items import FeedItem, feed_item
from crm_app.states.forms import text
from crm_app.states.record_form import RecordForm
from crm_app.states.session import SessionState, authorized

# The form's fields and the service's names for them (the error keys).
FIELDS = ("name", "phone", "email", "channel_id", "owner_id", "next_step_on", "notes")


@dialog_flags("confirm_delete", "lost_open")
class LeadFormState(RecordForm, SessionState):
    mode: str = "create"  # create | edit
    shown_id: int = 0  # the open lead (the services check it is the organization's on every call)
    found: bool = False
    loaded: bool = False
    name: str = ""
    status: str = "new"
    status_label: str = ""
    created: str = ""
    moves: list[list[str]] = []  # [status, label] of the status changes offered
    channels: list[list[str]] = []
    owners: list[list[str]] = []
    values: dict[str, str] = {}  # the form's fields as the lead has them
    lost_reason: str = ""  # a lost lead's reason, shown under its status
    customer_id: int = 0  # the customer it became or was linked to
    customer_name: str = ""
    converted: str = ""  # when, for the reader
    history: list[FeedItem] = []
    history_more: bool = False  # older events to load
    _history_before: int = 0
    errors: dict[str, str] = {}
    form_error: str = ""
    lost_open: bool = False
    generation: int = 0  # bumped when the lead is (re)read: the uncontrolled inputs remount
    confirm_delete: bool = False
    _lead_id: int = 0
    _version: int = 0

    # -- loading ---------------------------------------------------------------------------------
    def _path_id(self) -> int | None:
        """The lead's id in the address; None on /leads/new."""
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        return None if raw == "new" else parse_id(raw) or 0

    def _options(self, actor: Actor, session) -> None:
        self.channels = [[str(i), n] for i, n in customer_service.list_channels(session=session, actor=actor)]
        self.owners = [[str(i), n] for i, n in task_service.assignees(session=session, actor=actor)]

    def _at_status(self, lead: LeadDTO) -> None:
        self.status, self._version, self.lost_reason = lead.status, lead.version, lead.lost_reason
        self.status_label = self._t(f"lead_status_{lead.status}")
        # A won lead stays won. A lead about an existing customer is won by a button, not a conversion.
        self.moves = [] if lead.status == "won" else [
            [s, self._t(f"lead_status_{s}")] for s in lead_service.statuses_for(lead.customer_id)
            if s != lead.status]

    def _show(self, actor: Actor, lead: LeadDTO) -> None:
        """The lead as saved, in every part of the page (after a load, a save or a status change)."""
        clock = clock_for(actor, self.lang)
        self.mode, self._lead_id, self.shown_id, self.name = "edit", lead.id, lead.id, lead.name
        self._at_status(lead)
        self.created = clock.exact(lead.created_at)
        self.customer_id, self.customer_name = lead.customer_id or 0, lead.customer_name
        self.converted = clock.exact(lead.converted_at) if lead.converted_at else ""
        if lead.channel_id and all(c[0] != str(lead.channel_id) for c in self.channels):
            self.channels = [*self.channels, [str(lead.channel_id), lead.channel_name]]  # disabled since
        if lead.owner_id and all(o[0] != str(lead.owner_id) for o in self.owners):
            self.owners = [*self.owners, [str(lead.owner_id), lead.owner_name]]  # deactivated since
        self.values = {
            "name": lead.name, "phone": lead.phone_raw, "email": lead.email,
            "channel_id": str(lead.channel_id or ""), "owner_id": str(lead.owner_id or ""),
            "next_step_on": input_date(lead.next_step_on), "notes": lead.notes,
        }
        self._read_history(actor)
        self._fresh()

    def _read_history(self, actor: Actor, *, older: bool = False) -> None:
        """The history's newest page, or (``older``) the next page after the one shown, keyset paged."""
        before = self._history_before if older else None
        with session_scope() as session:
            page = feed_service.list_lead_feed(session=session, actor=actor, lead_id=self._lead_id,
                                               before=before)
        reader = reader_for(actor, self.lang)
        items = [feed_item(entry, reader) for entry in page.entries]
        self.history = [*self.history, *items] if older else items
        self._history_before = page.next_before or 0
        self.history_more = page.next_before is not None

    @authorized()
    def more_history(self, actor):
        if self.mode == "edit" and self.history_more:
            self._read_history(actor, older=True)

    def _fresh(self) -> None:
        self.errors, self.form_error, self.confirm_delete = {}, "", False
        self.lost_open = False
        self.loaded, self.found, self.generation = True, True, self.generation + 1

    @authorized()
    def load(self, actor):
        lead_id = self._path_id()
        try:
            with session_scope() as session:
                lead = None if lead_id is None else lead_service.get_lead(
                    session=session, actor=actor, lead_id=lead_id)
                self._options(actor, session)
        except NotFound:
            self.reset()  # nothing of a lead shown before stays in the tab
            self.loaded = True
            return
        if lead is not None:
            self._show(actor, lead)
            return
        self.mode, self._lead_id, self.shown_id, self._version = "create", 0, 0, 0
        self.name, self.status = "", "new"
        self.values = {"owner_id": str(actor.user_id)}
        self.created, self.moves, self.history, self.lost_reason = "", [], [], ""
        self.history_more, self._history_before = False, 0
        self.customer_id, self.customer_name, self.converted = 0, "", ""
        self._fresh()
        return self._start_from_customer(actor)

    def _start_from_customer(self, actor: Actor):
        """/leads/new?customer=<id> (the profile's "Nuevo lead"): a new opportunity with an existing
        customer, his name and contacts filled in."""
        customer_id = parse_id(self.router.url.query_parameters.get("customer", ""))
        if not customer_id:
            return None
        try:
            with session_scope() as session:
                customer = customer_service.get_customer(
                    session=session, actor=actor, customer_id=customer_id)
        except NotFound:
            return rx.toast.error(self._t("lead_customer_unknown"))
        phone = next((p for p in customer.phones if p.primary), None)
        email = next((e for e in customer.emails if e.primary), None)
        self.customer_id, self.customer_name = customer.id, customer.display_name
        self.values = {
            **self.values, "name": customer.display_name, "channel_id": str(customer.channel_id or ""),
            "phone": (phone.national or phone.raw) if phone else "", "email": email.address if email else "",
        }
        return None

    # -- saving ----------------------------------------------------------------------------------
    def _input(self, form: dict) -> tuple[LeadInput, dict[str, FieldError]]:
        errors: dict[str, FieldError] = {}
        ids: dict[str, int | None] = {}
        for name, code in (("channel_id", "channel_unknown"), ("owner_id", "lead_owner_unknown")):
            raw = text(form, name).strip()
            ids[name] = parse_id(raw) if raw else None
            if raw and ids[name] is None:
                errors[name] = FieldError(code)
        self.values = {name: text(form, name) for name in FIELDS}
        # The customer a new lead is about was checked when the page opened, and is checked again by the
        # service; an edit never changes it.
        about = self.customer_id if self.mode == "create" and self.customer_id else None
        return LeadInput(name=self.values["name"], phone=self.values["phone"], email=self.values["email"],
                         notes=self.values["notes"], next_step_on=self.values["next_step_on"],
                         customer_id=about, **ids), errors

    def _show_errors(self, exc: ValidationFailed) -> None:
        self.errors = {k: error_text(e, self.lang) for k, e in exc.errors.items()}
        self.form_error = self._t("validation_failed")

    @authorized()
    def submit(self, actor, form: dict):
        data, errors = self._input(form)
        self.errors, self.form_error = {}, ""
        saved = self._save(
            errors, self._show_errors,
            create=lambda session: lead_service.create_lead(session=session, actor=actor, data=data),
            update=lambda session: lead_service.update_lead(
                session=session, actor=actor, lead_id=self._lead_id, version=self._version, data=data),
        )
        if saved is None:
            return None
        if self.mode == "create":
            return [rx.toast.success(self._t("lead_created", name=saved.name)),
                    rx.redirect(f"/leads/{saved.id}")]
        self._show(actor, saved)
        return rx.toast.success(self._t("lead_saved", name=saved.name))

    # -- status ----------------------------------------------------------------------------------
    def _move(self, actor: Actor, status: str, reason: str):
        try:
            with session_scope() as session:
                lead = lead_service.change_status(session=session, actor=actor, lead_id=self._lead_id,
                                                  version=self._version, status=status, lost_reason=reason)
        except ValidationFailed as exc:
            if "lost_reason" in exc.errors:
                self.errors = {"lost_reason": self._err(exc.errors["lost_reason"])}
                self._refused()
            else:
                self._show_errors(exc)
            return None
        except Conflict as exc:
            self.form_error, self.lost_open = self._err(exc), False
            return None
        # Only the status moved: whatever is being typed in the form stays as it is.
        self._at_status(lead)
        self.lost_open = False
        self.errors.pop("lost_reason", None)
        self._read_history(actor)
        return rx.toast.success(
            self._t("lead_status_changed_toast", name=lead.name, status=self.status_label))

    @authorized()
    def change_status(self, actor, status: str):
        """Move the lead to ``status``; "lost" first asks why."""
        if self.mode != "edit":
            return None
        if status == "lost":
            self.lost_open = True
            self.errors.pop("lost_reason", None)
            return None
        return self._move(actor, status, "")

    @authorized()
    def confirm_lost(self, actor, form: dict):
        if self.mode != "edit" or not self.lost_open:
            return None
        return self._move(actor, "lost", text(form, "lost_reason"))

    @rx.event
    def set_lost_open(self, value: bool):
        self.lost_open = bool(value) and self.mode == "edit"

    @rx.event
    def set_confirm_delete(self, value: bool):
        self.confirm_delete = bool(value) and self.mode == "edit"

    @authorized("admin")
    def delete(self, actor):
        self.confirm_delete = False
        if self.mode != "edit":
            return None
        with session_scope() as session:
            name = lead_service.delete_lead(session=session, actor=actor, lead_id=self._lead_id)
        return [rx.toast.success(self._t("lead_deleted", name=name)), rx.redirect("/leads")]
