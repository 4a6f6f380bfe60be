"""A work order's page: /orders/new and /orders/[order_id], the form, its status actions and delete.

The client is chosen with the client picker (``ClientPicker``: ``?customer=<id>`` preselects him, and
picking one makes his personal discount the order's), the lines with the line editor
(``DocumentLines``: live totals). The type select is held here to show the type's colour and whether
it takes walk-in orders; due date, assignee and notes are uncontrolled inputs read from the submitted
form. Which order is open, and the version it was read at, stay on the server.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.customers import ClientChoice
from crm_app.domain.documents import ORDER_STATUSES, document_number
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from crm_app.domain.ids import parse_id
from crm_app.domain.local_time import input_date
from crm_app.domain.orders import OrderDTO, OrderInput
from crm_app.i18n import error_text
from crm_app.services import orders as order_service
from crm_app.services import tasks as task_service
from crm_app.states.client_picker import ClientPicker
from crm_app.states.clock import clock_for, organization_locale
from crm_app.states.dialogs import dialog_flags
from crm_app.states.document_lines import DocumentLines, is_line_error
from crm_app.states.forms import text
from crm_app.states.record_form import RecordForm
from crm_app.states.session import SessionState, authorized


@dataclasses.dataclass
class TypeOption:
    id: str
    name: str
    color: str
    walk_in: bool


@dialog_flags("confirm_delete")
class OrderFormState(ClientPicker, DocumentLines, RecordForm, SessionState):
    client_source: ClassVar[str] = "order"
    mode: str = "create"  # create | edit
    found: bool = False
    loaded: bool = False
    number: str = ""  # "#1024"
    status: str = "open"
    status_label: str = ""
    created: str = ""
    types: list[TypeOption] = []
    type_id: str = ""
    type_name: str = ""
    type_color: str = ""  # the chosen type's, shown beside its select
    type_walk_in: bool = False
    moves: list[list[str]] = []  # [status, label] of the status changes offered
    assignees: list[list[str]] = []
    values: dict[str, str] = {}  # due_date, assignee_id, notes as the order has them
    errors: dict[str, str] = {}
    form_error: str = ""
    generation: int = 0  # bumped when the order is (re)read: the uncontrolled inputs remount
    confirm_delete: bool = False
    _order_id: int = 0
    _version: int = 0
    _saved_client_id: int = 0  # the client the saved order has (the picker may hold another, unsaved)

    # -- loading ---------------------------------------------------------------------------------
    def _path_id(self) -> int | None:
        """The order's id in the address; None on /orders/new."""
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        return None if raw == "new" else parse_id(raw) or 0

    def _options(self, actor: Actor, session) -> None:
        self.types = [TypeOption(str(t.id), t.name, t.color, t.walk_in_allowed)
                      for t in order_service.order_types(session=session, actor=actor)]
        self.assignees = [[str(i), n] for i, n in task_service.assignees(session=session, actor=actor)]

    def _pick_type(self, type_id: str) -> None:
        chosen = next((t for t in self.types if t.id == type_id), None)
        self.type_id = chosen.id if chosen else ""
        self.type_name, self.type_color, self.type_walk_in = (
            (chosen.name, chosen.color, chosen.walk_in) if chosen else ("", "", False))

    def _at_status(self, actor: Actor, status: str, version: int) -> None:
        """The order's status and version as saved, and the moves offered from there (cancelling a
        delivered order is for admins)."""
        self.status, self._version = status, version
        self.status_label = self._t(f"order_status_{status}")
        self.moves = [[s, self._t(f"order_status_{s}")] for s in ORDER_STATUSES
                      if s != status and (actor.is_admin or not (status == "delivered" and s == "cancelled"))]

    def _fresh(self) -> None:
        self.errors, self.form_error, self.confirm_delete = {}, "", False
        self.loaded, self.found, self.generation = True, True, self.generation + 1

    def _show(self, actor: Actor, order: OrderDTO) -> None:
        """The order as saved, in every field of the page (after a load, a save or a status change)."""
        self.mode, self._order_id, self.number = "edit", order.id, document_number(order.number)
        self._at_status(actor, order.status, order.version)
        clock = clock_for(actor, self.lang)
        self.created = clock.exact(order.created_at)
        if all(t.id != str(order.order_type_id) for t in self.types):  # a type deactivated since
            self.types = [*self.types, TypeOption(str(order.order_type_id), order.type_name, order.type_color,
                                                  order.walk_in_allowed)]
        self._pick_type(str(order.order_type_id))
        self.values = {"due_date": input_date(order.due_date),
                       "assignee_id": str(order.assignee_id or ""), "notes": order.notes}
        # The order's own client, shown as chosen without asking again or applying his discount.
        self._reset_client_picker()
        self._saved_client_id = order.customer_id or 0
        if order.customer_id:
            self._client_id, self.client_chosen = order.customer_id, True
            self.client_name = order.customer_name
        self._start_lines(order.currency, list(order.lines), order.discount_percent, country=clock.country)
        self._fresh()

    @authorized()
    def load(self, actor):
        order_id = self._path_id()
        try:
            with session_scope() as session:
                order = None if order_id is None else order_service.get_order(
                    session=session, actor=actor, order_id=order_id)
                self._options(actor, session)
        except NotFound:
            self.reset()  # nothing of an order shown before stays in the tab
            self.loaded = True
            return None
        if order is not None:
            self._show(actor, order)
            return None
        self.mode, self._order_id, self._version, self.number, self.status = "create", 0, 0, "", "open"
        self._pick_type(self.types[0].id if self.types else "")
        self.values, self.created, self.moves = {}, "", []
        self._reset_client_picker()
        org = organization_locale(actor)
        self._start_lines(org.currency, country=org.country)
        self._fresh()
        return self._preselect_client(actor, self._client_id_in_url())

    # -- the client picker's hook -----------------------------------------------------------------
    def _client_chosen(self, actor: Actor, client: ClientChoice):
        """His personal discount becomes the order's, said beside it (the user may change it)."""
        self.errors.pop("customer_id", None)
        discount = client.discount_percent
        hint = self._t("document_client_discount", name=client.name, percent=self._percent(discount))
        self._apply_discount(discount, hint if discount else "")

    # -- events ----------------------------------------------------------------------------------
    @rx.event
    def set_type(self, value: str):
        """Another type from the ones offered (its colour and walk-in rule show at once)."""
        self._pick_type(value)
        self.errors.pop("order_type_id", None)

    @authorized()
    def submit(self, actor, form: dict):
        data, errors = self._input(form)
        self.errors, self.form_error, self.line_errors = {}, "", {}
        saved = self._save(
            errors, self._show_errors,
            create=lambda session: order_service.create_order(session=session, actor=actor, data=data),
            update=lambda session: order_service.update_order(
                session=session, actor=actor, order_id=self._order_id, version=self._version, data=data),
        )
        if saved is None:
            return None
        number = document_number(saved.number)
        if self.mode == "create":
            return [rx.toast.success(self._t("order_created", number=number)),
                    rx.redirect(f"/orders/{saved.id}")]
        self._show(actor, saved)
        return rx.toast.success(self._t("order_saved", number=number))

    @authorized()
    def change_status(self, actor, status: str):
        if self.mode != "edit":
            return None
        if self._client_id != self._saved_client_id:  # the status rules read the saved client
            self.form_error = self._t("order_save_client_first")
            return None
        try:
            with session_scope() as session:
                order = order_service.change_status(session=session, actor=actor, order_id=self._order_id,
                                                    version=self._version, status=status)
        except ValidationFailed as exc:
            self._show_errors(exc)
            return None
        except Conflict as exc:
            self.form_error = self._err(exc)
            return None
        # Only the status moved: whatever is being typed in the form stays as it is.
        self._at_status(actor, order.status, order.version)
        self.errors.pop("customer_id", None)
        self.form_error = ""
        return rx.toast.success(self._t("order_status_changed", number=self.number,
                                        status=self._t(f"order_status_{order.status}")))

    @rx.event
    def set_confirm_delete(self, value: bool):
        self.confirm_delete = bool(value) and self.mode == "edit"

    @authorized("admin")
    def delete(self, actor):
        self.confirm_delete = False
        if self.mode != "edit":
            return None
        with session_scope() as session:
            number = order_service.delete_order(session=session, actor=actor, order_id=self._order_id)
        return [rx.toast.success(self._t("order_deleted", number=document_number(number))),
                rx.redirect("/orders")]

    # -- helpers ---------------------------------------------------------------------------------
    def _input(self, form: dict) -> tuple[OrderInput, dict[str, FieldError]]:
        errors: dict[str, FieldError] = {}
        assignee = text(form, "assignee_id").strip()
        assignee_id = parse_id(assignee) if assignee else None
        if assignee and assignee_id is None:
            errors["assignee_id"] = FieldError("order_assignee_unknown")
        data = OrderInput(
            order_type_id=parse_id(self.type_id), customer_id=self._client_id or None,
            lines=tuple(self._line_inputs()), discount_percent=self.discount_percent,
            due_date=text(form, "due_date"), assignee_id=assignee_id, notes=text(form, "notes"),
        )
        self.values = {"due_date": data.due_date, "assignee_id": assignee, "notes": data.notes}
        return data, errors

    def _show_errors(self, exc: ValidationFailed) -> None:
        """Each refusal next to its field: the lines' in the line editor, the others here."""
        self._show_line_errors({k: e for k, e in exc.errors.items() if is_line_error(k)})
        self.errors = {k: error_text(e, self.lang) for k, e in exc.errors.items() if not is_line_error(k)}
        self.form_error = self._t("validation_failed")
