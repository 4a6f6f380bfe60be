"""A sale's page: /sales/new (record one at the counter) and /sales/[sale_id] (its receipt, "Marcar
pagada" for an open credit sale, cancel and delete for admins).

The client is chosen with the client picker (``ClientPicker``: optional, ``?customer=<id>`` preselects
him, and picking one makes his personal discount the sale's), the lines with the line editor
(``DocumentLines``: live totals). Cash is preselected, so a counter sale is its lines and "Registrar
venta". A credit sale past the client's limit is refused to a sales user next to the payment method;
an admin is asked to confirm the very sale he sent (kept on the server, ``_pending``), naming the
amounts. Which sale is open, and the version it was read at, stay on the server.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import ClassVar

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain import local_time
from crm_app.domain.customers import ClientChoice
from crm_app.domain.documents import PAYMENT_METHODS, Line, document_number
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from crm_app.domain.ids import parse_id
from crm_app.domain.locale_format import format_money
from crm_app.domain.sales import SaleDTO, SaleInput
from crm_app.i18n import t
from crm_app.services import sales as sale_service
from crm_app.states.client_picker import ClientPicker
from crm_app.states.clock import clock_for, organization_locale
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.document_lines import DocumentLines, is_line_error
from crm_app.states.forms import text
from crm_app.states.session import SessionState, authorized

CONFIRM_CODE = "sale_credit_confirm"  # an admin's credit sale past the limit: asked, not refused


@dataclasses.dataclass
class ReceiptLine:
    description: str
    quantity: str
    unit_price: str
    discount: str  # "10 %", "" for none
    total: str


def _focus_first_line(key: str) -> rx.event.EventSpec:
    # The first line's description takes the keyboard: a counter sale starts by typing, not by a tap.
    # Only when the keyboard is still free: someone already typing in another field (the client's, say)
    # keeps his focus and his text.
    return rx.call_script(
        "setTimeout(() => { const free = !document.activeElement || document.activeElement === document.body;"
        f" if (free) document.getElementById('line-{key}-description')?.focus(); }}, 100)")


@dialog_flags("credit_question", "confirm_cancel", "confirm_delete")
class SaleFormState(ClientPicker, DocumentLines, Refusals, SessionState):
    client_source: ClassVar[str] = "sale"
    mode: str = "create"  # create | view
    found: bool = False
    loaded: bool = False
    method: str = "cash"
    credit_hint: str = ""  # the chosen client's credit, shown when credit is the method
    errors: dict[str, str] = {}
    form_error: str = ""
    credit_question: str = ""  # an admin's confirmation of a credit sale past the limit; open when set
    generation: int = 0  # bumped when the page is (re)read: the uncontrolled notes remount
    # The receipt
    number: str = ""  # "#1024"
    status: str = ""
    status_label: str = ""
    created: str = ""
    customer_id: int = 0
    customer_name: str = ""
    seller_name: str = ""
    method_label: str = ""
    credit_unpaid: bool = False  # a credit sale not settled yet
    paid: str = ""  # when a credit sale was settled
    approver_name: str = ""
    notes: str = ""
    receipt_lines: list[ReceiptLine] = []
    subtotal: str = ""
    discount: str = ""  # "10 % (minus $5.00)", "" for none
    total: str = ""
    confirm_cancel: bool = False
    confirm_delete: bool = False
    _sale_id: int = 0
    _version: int = 0
    _pending: SaleInput | None = None  # the sale an admin is asked to confirm

    # -- loading ---------------------------------------------------------------------------------
    def _path_id(self) -> int | None:
        """The sale's id in the address; None on /sales/new."""
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        return None if raw == "new" else parse_id(raw) or 0

    def _fresh(self) -> None:
        self.errors, self.form_error, self.credit_question, self._pending = {}, "", "", None
        self.confirm_cancel = self.confirm_delete = False
        self.loaded, self.found, self.generation = True, True, self.generation + 1

    def _receipt_line(self, line: Line) -> ReceiptLine:
        discount = self._percent(line.discount_percent) if line.discount_percent else ""
        return ReceiptLine(line.description, local_time.number(line.quantity.normalize(), self.lang),
                           self._money(line.unit_price), discount, self._money(line.line_total))

    def _show(self, actor: Actor, sale: SaleDTO) -> None:
        """The sale as saved, in every part of its receipt (after a load or an action)."""
        self.mode, self._sale_id, self._version = "view", sale.id, sale.version
        clock = clock_for(actor, self.lang)
        self._currency, self._country = sale.currency, clock.country
        self.number, self.status = document_number(sale.number), sale.status
        self.status_label = self._t(f"sale_status_{sale.status}")
        self.created = clock.exact(sale.created_at)
        self.customer_id, self.customer_name = sale.customer_id or 0, sale.customer_name
        self.seller_name, self.approver_name, self.notes = sale.seller_name, sale.approver_name, sale.notes
        self.method, self.method_label = sale.payment_method, self._t(f"payment_method_{sale.payment_method}")
        self.credit_unpaid = sale.credit_open
        self.paid = clock.exact(sale.paid_at) if sale.paid_at else ""
        self.receipt_lines = [self._receipt_line(line) for line in sale.lines]
        self.subtotal, self.total = self._money(sale.subtotal), self._money(sale.total)
        self.discount = (f"{self._percent(sale.discount_percent)} (\u2212{self._money(sale.discount_amount)})"
                         if sale.discount_amount else "")
        self._fresh()

    def _start_new(self, actor: Actor):
        self.mode, self._sale_id, self._version, self.number = "create", 0, 0, ""
        self.method, self.credit_hint = "cash", ""
        self._reset_client_picker()
        org = organization_locale(actor)
        self._start_lines(org.currency, country=org.country)
        self._fresh()
        preselected = self._preselect_client(actor, self._client_id_in_url())
        return [_focus_first_line(self.lines[0].key), *([preselected] if preselected else [])]

    @authorized()
    def load(self, actor):
        sale_id = self._path_id()
        if sale_id is None:
            return self._start_new(actor)
        try:
            with session_scope() as session:
                sale = sale_service.get_sale(session=session, actor=actor, sale_id=sale_id)
        except NotFound:
            self.reset()  # nothing of a sale shown before stays in the tab
            self.loaded = True
            return None
        self._show(actor, sale)
        return None

    # -- the client picker's hook -----------------------------------------------------------------
    def _client_chosen(self, actor: Actor, client: ClientChoice):
        """His personal discount becomes the sale's, said beside it (the user may change it)."""
        self.errors.pop("customer_id", None)
        discount = client.discount_percent
        hint = self._t("document_client_discount", name=client.name, percent=self._percent(discount))
        self._apply_discount(discount, hint if discount else "")
        self._read_credit(actor)

    def _read_credit(self, actor: Actor) -> None:
        """What the chosen client may still buy on credit, once credit is the method."""
        self.credit_hint = ""
        if self.method != "credit" or not self._client_id:
            return
        with session_scope() as session:
            credit = sale_service.credit_status(session=session, actor=actor, customer_id=self._client_id)
        if credit.limit is None:
            self.credit_hint = self._t("sale_credit_hint_none", owed=self._money(credit.owed))
        else:
            self.credit_hint = self._t("sale_credit_hint", limit=self._money(credit.limit),
                                       owed=self._money(credit.owed), available=self._money(credit.available))

    # -- events: recording -----------------------------------------------------------------------
    @authorized()
    def set_method(self, actor, method: str):
        if method in PAYMENT_METHODS and self.mode == "create":
            self.method = method
            self.errors.pop("payment_method", None)
            self.errors.pop("customer_id", None)
            self._read_credit(actor)

    @authorized()
    def submit(self, actor, form: dict):
        if self.mode != "create":
            return None
        data = SaleInput(
            customer_id=self._client_id or None, lines=tuple(self._line_inputs()),
            discount_percent=self.discount_percent, payment_method=self.method, notes=text(form, "notes"),
        )
        return self._record(actor, data, confirmed=False)

    @authorized()
    def confirm_credit(self, actor):
        """The admin's yes to the credit sale past the limit he was asked about (that very sale)."""
        data, self._pending, self.credit_question = self._pending, None, ""
        if data is None or self.mode != "create":
            return None
        return self._record(actor, data, confirmed=True)

    @rx.event
    def cancel_credit(self):
        self._pending, self.credit_question = None, ""

    def _record(self, actor: Actor, data: SaleInput, *, confirmed: bool):
        self.errors, self.form_error, self.line_errors = {}, "", {}
        try:
            with session_scope() as session:
                sale = sale_service.create_sale(session=session, actor=actor, data=data,
                                                confirm_over_limit=confirmed)
        except ValidationFailed as exc:
            asked = exc.errors.get("payment_method")
            if asked is not None and asked.code == CONFIRM_CODE and len(exc.errors) == 1:
                self._pending, self.credit_question = data, self._error(asked)
                return None
            self._show_errors(exc)
            self._refused()
            return None
        number = document_number(sale.number)
        return [rx.toast.success(self._t("sale_recorded", number=number, total=self._money(sale.total))),
                rx.redirect(f"/sales/{sale.id}")]

    # -- events: the receipt -----------------------------------------------------------------------
    @authorized()
    def mark_paid(self, actor):
        if self.mode != "view":
            return None
        return self._act(actor, "sale_marked_paid", lambda session: sale_service.mark_paid(
            session=session, actor=actor, sale_id=self._sale_id, version=self._version))

    @rx.event
    def set_confirm_cancel(self, value: bool):
        self.confirm_cancel = bool(value) and self.mode == "view"

    @authorized("admin")
    def cancel_sale(self, actor):
        self.confirm_cancel = False
        if self.mode != "view":
            return None
        return self._act(actor, "sale_cancelled_toast", lambda session: sale_service.cancel_sale(
            session=session, actor=actor, sale_id=self._sale_id, version=self._version))

    @rx.event
    def set_confirm_delete(self, value: bool):
        self.confirm_delete = bool(value) and self.mode == "view"

    @authorized("admin")
    def delete(self, actor):
        self.confirm_delete = False
        if self.mode != "view":
            return None
        with session_scope() as session:
            number = sale_service.delete_sale(session=session, actor=actor, sale_id=self._sale_id)
        return [rx.toast.success(self._t("sale_deleted", number=document_number(number))),
                rx.redirect("/sales")]

    def _act(self, actor: Actor, done_key: str, change):
        """Run a change of the sale shown; a refusal or a stale view is said above the receipt."""
        try:
            with session_scope() as session:
                sale = change(session)
        except (ValidationFailed, Conflict) as exc:
            errors = exc.errors if isinstance(exc, ValidationFailed) else {}
            self.form_error = self._error(next(iter(errors.values()))) if errors else self._err(exc)
            return None
        self._show(actor, sale)
        return rx.toast.success(self._t(done_key, number=self.number))

    # -- helpers ---------------------------------------------------------------------------------
    def _error(self, error: FieldError) -> str:
        """An error's message; amounts it names are written in the sale's currency, for the reader."""
        params = dict(error.params)
        currency = str(params.pop("currency", "") or self._currency or "USD")
        shown = {k: format_money(v, currency, self.lang, self._country) if isinstance(v, Decimal) else v
                 for k, v in params.items()}
        return t(error.code, self.lang, **shown)

    def _show_errors(self, exc: ValidationFailed) -> None:
        """Each refusal next to its field: the lines' in the line editor, the others here."""
        self._show_line_errors({k: e for k, e in exc.errors.items() if is_line_error(k)})
        self.errors = {k: self._error(e) for k, e in exc.errors.items() if not is_line_error(k)}
        self.form_error = self._t("validation_failed")
