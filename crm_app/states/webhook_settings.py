"""The webhooks section of /settings/api: the endpoints with their status, "Añadir webhook", the signing
secret shown once, deleting (asked first), re-enabling, a test event, and an endpoint's delivery log.

Every handler re-checks that an admin is signed in (``authorized("admin")``); the services check it
again. A new secret lives in ``new_secret`` only while its dialog is open (``@dialog_flags``).
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, ValidationFailed
from crm_app.domain.local_time import Clock
from crm_app.i18n import error_text
from crm_app.models.integrations import WEBHOOK_EVENTS
from crm_app.services import webhooks as webhooks_service
from crm_app.services.webhooks import DeliveryDTO, EndpointDTO
from crm_app.states.clock import clock_for
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.forms import field_errors, text
from crm_app.states.session import SessionState, authorized

LOG_PAGE = 25
EVENTS = WEBHOOK_EVENTS  # the form's check boxes, in this order


def event_field(event: str) -> str:
    """The form field of an event's check box ("customer.created" -> "event_customer_created")."""
    return "event_" + event.replace(".", "_")


@dataclasses.dataclass
class EndpointRow:
    id: int
    url: str
    description: str
    events: list[str]
    active: bool
    reason: str  # why it is disabled, "" when active


@dataclasses.dataclass
class DeliveryRow:
    id: int
    event: str
    status: str  # queued | sending | delivered | failed
    status_text: str
    code: str  # "" when no answer came
    duration: str  # "" when not tried yet
    time: str  # in the organization's zone
    error: str


@dialog_flags("create_open", "new_secret", "delete_id", "rotate_id", "log_id")
class WebhookSettingsState(Refusals, SessionState):
    endpoints: list[EndpointRow] = []

    create_open: bool = False
    create_errors: dict[str, str] = {}
    # The secret of the endpoint just registered, shown once; "" closes its dialog.
    new_secret: str = ""
    new_secret_url: str = ""

    delete_id: int = 0
    delete_text: str = ""

    # A new secret stops the old one at once: asked first, naming the endpoint.
    rotate_id: int = 0
    rotate_text: str = ""

    # The endpoint whose delivery log is open (0: none), its rows newest first.
    log_id: int = 0
    log_url: str = ""
    log_rows: list[DeliveryRow] = []
    log_before: int = 0  # the next page's cursor; 0 at the end

    def _row(self, endpoint: EndpointDTO) -> EndpointRow:
        reason = self._t(f"webhook_reason_{endpoint.disabled_reason}") if endpoint.disabled_reason else ""
        return EndpointRow(id=endpoint.id, url=endpoint.url, description=endpoint.description,
                           events=list(endpoint.events), active=endpoint.active,
                           reason=reason if not endpoint.active else "")

    def _fetch(self, actor: Actor) -> None:
        with session_scope() as session:
            found = webhooks_service.list_endpoints(session, actor)
        self.endpoints = [self._row(e) for e in found]

    def _delivery(self, d: DeliveryDTO, clock: Clock) -> DeliveryRow:
        return DeliveryRow(
            id=d.id, event=d.event_type, status=d.status, status_text=self._t(f"webhook_status_{d.status}"),
            code=str(d.response_code) if d.response_code is not None else "",
            duration=f"{d.duration_ms} ms" if d.duration_ms is not None else "",
            time=clock.exact(d.delivered_at or d.created_at), error=d.last_error,
        )

    def _fetch_log(self, actor: Actor, endpoint_id: int, before: int = 0) -> None:
        with session_scope() as session:
            page = webhooks_service.list_deliveries(session, actor, endpoint_id, before=before or None,
                                                    limit=LOG_PAGE)
        clock = clock_for(actor, self.lang)
        rows = [self._delivery(d, clock) for d in page.items]
        self.log_rows = [*self.log_rows, *rows] if before else rows
        self.log_before = page.next_before or 0

    @authorized("admin")
    def load(self, actor):
        self.create_open, self.create_errors, self.new_secret = False, {}, ""
        self.delete_id = self.rotate_id = self.log_id = 0
        self._fetch(actor)

    @authorized("admin")
    def set_create_open(self, actor, value: bool):
        self.create_open, self.create_errors = bool(value), {}

    @authorized("admin")
    def create(self, actor, form: dict):
        events = [e for e in EVENTS if form.get(event_field(e)) in ("on", True, "true", e)]
        try:
            with session_scope() as session:
                endpoint, secret = webhooks_service.create_endpoint(
                    session, actor, text(form, "url"), events, text(form, "description"))
        except ValidationFailed as exc:
            self.create_errors = field_errors(exc, self.lang)
            self._refused()
            return None
        self.create_open, self.create_errors = False, {}
        self.new_secret, self.new_secret_url = secret, endpoint.url
        self._fetch(actor)
        return None

    @rx.event
    def close_secret(self, open_: bool = False):
        """The shown-once dialog closed (its button, Esc, outside click): the secret is forgotten."""
        if not open_:
            self.new_secret = self.new_secret_url = ""

    @authorized("admin")
    def ask_delete(self, actor, endpoint_id: int):
        row = next((r for r in self.endpoints if r.id == int(endpoint_id)), None)
        if row is not None:
            self.delete_id, self.delete_text = row.id, self._t("webhook_delete_confirm", url=row.url)

    @rx.event
    def cancel_delete(self):
        self.delete_id = 0

    @authorized("admin")
    def confirm_delete(self, actor):
        endpoint_id, self.delete_id = self.delete_id, 0
        if not endpoint_id:
            return None
        with session_scope() as session:
            webhooks_service.delete_endpoint(session, actor, endpoint_id)
        self._fetch(actor)
        return rx.toast.success(self._t("webhook_deleted"))

    @authorized("admin")
    def ask_rotate(self, actor, endpoint_id: int):
        row = next((r for r in self.endpoints if r.id == int(endpoint_id)), None)
        if row is not None:
            self.rotate_id, self.rotate_text = row.id, self._t("webhook_rotate_confirm", url=row.url)

    @rx.event
    def cancel_rotate(self):
        self.rotate_id = 0

    @authorized("admin")
    def confirm_rotate(self, actor):
        endpoint_id, self.rotate_id = self.rotate_id, 0
        if not endpoint_id:
            return
        with session_scope() as session:
            endpoint, secret = webhooks_service.rotate_secret(session, actor, endpoint_id)
        self.new_secret, self.new_secret_url = secret, endpoint.url

    @authorized("admin")
    def enable(self, actor, endpoint_id: int):
        with session_scope() as session:
            webhooks_service.enable_endpoint(session, actor, int(endpoint_id))
        self._fetch(actor)
        return rx.toast.success(self._t("webhook_enabled"))

    @authorized("admin")
    def send_test(self, actor, endpoint_id: int):
        try:
            with session_scope() as session:
                webhooks_service.send_test(session, actor, int(endpoint_id))
        except Conflict as exc:
            return rx.toast.error(error_text(exc, self.lang))
        return rx.toast.success(self._t("webhook_test_sent"))

    @authorized("admin")
    def open_log(self, actor, endpoint_id: int):
        row = next((r for r in self.endpoints if r.id == int(endpoint_id)), None)
        if row is None:
            return
        self.log_id, self.log_url, self.log_rows = row.id, row.url, []
        self._fetch_log(actor, row.id)

    @authorized("admin")
    def more_log(self, actor):
        if self.log_id and self.log_before:
            self._fetch_log(actor, self.log_id, before=self.log_before)

    @authorized("admin")
    def refresh_log(self, actor):
        if self.log_id:
            self._fetch_log(actor, self.log_id)

    @rx.event
    def close_log(self, open_: bool = False):
        if not open_:
            self.log_id, self.log_rows, self.log_before = 0, [], 0
