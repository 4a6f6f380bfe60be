"""The client picker: one way to choose a customer, for every form that needs one (an order, a sale, a
lead; the account page's "add member", the template preview's "render for").

How a document form embeds it::

    # states/order_form.py: the mixin before the other bases, SessionState last
    class OrderFormState(ClientPicker, SessionState):
        def _client_chosen(self, actor: Actor, client: ClientChoice):
            self.discount = str(client.discount_percent)  # his personal discount; may return events

        @authorized()
        def load(self, actor):  # "New order" from a profile: /orders/new?customer=12
            return self._preselect_client(actor, self._client_id_in_url())

        @authorized()
        def save(self, actor):
            ...create_order(..., customer_id=self._client_id)  # 0: none chosen; the service checks it

    # pages/order_form.py
    client_picker(OrderFormState)        # components/client_picker.py
    customer_form_dialog(quick=True)     # once per page (the list and the profile have the full one)

What the browser sees: the typed text (``client_query``), up to 8 ``client_results`` (the customer
list's own search: names without accents, phone digits, tax IDs), the chosen client (``client_chosen``,
``client_name``, ``client_is_supplier``, ``client_is_conflictive``) and a conflictive client waiting for
the user's yes (``client_pending_id`` / ``client_pending_name``). The chosen id itself stays on the
server (``_client_id``) and is checked against the actor's organization every time it is set: another
organization's id is NotFound, like a missing one.

"+ Nuevo cliente" (``new_client``) opens the quick customer form with this state as its return target
(``QUICK_RETURNS``, filled here as each state is defined, never named by the browser); a successful save
closes it and calls ``take_new_client(id)``, which picks him. A refused save keeps the form open with its
errors, and nothing of this state changes.
"""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.customers import ClientChoice, CustomerQuery, CustomerRow
from crm_app.domain.dto import Actor
from crm_app.domain.errors import NotFound
from crm_app.domain.ids import parse_id
from crm_app.services import customer_choices
from crm_app.services import customers as customer_service
from crm_app.states.customer_form import QUICK_RETURNS, CustomerFormState
from crm_app.states.dialogs import dialog_flags
from crm_app.states.session import authorized

RESULTS = 8
MAX_QUERY = 100


@dataclasses.dataclass
class ClientOption:
    """One customer the search found: what tells namesakes apart, and his flags."""

    id: int
    name: str
    detail: str  # primary phone, else tax ID, else e-mail
    is_supplier: bool
    is_conflictive: bool


def _option(row: CustomerRow) -> ClientOption:
    detail = row.primary_phone or row.tax_id_formatted or row.primary_email
    return ClientOption(row.id, row.display_name, detail, row.is_supplier, row.is_conflictive)


def find_clients(actor: Actor, text: str) -> list[ClientOption]:
    """The first customers the customer list's search finds for ``text`` (none for a blank one)."""
    if not text.strip():
        return []
    with session_scope() as session:
        page = customer_service.list_customers(
            session=session, actor=actor, query=CustomerQuery(search=text, limit=RESULTS)
        )
    return [_option(row) for row in page.rows]


def _choice(actor: Actor, customer_id: int) -> ClientChoice:
    with session_scope() as session:
        return customer_choices.client_choice(session=session, actor=actor, customer_id=customer_id)


class ClientPicker(rx.State, mixin=True):
    """Mixin of a SessionState that chooses a customer; see the module's docstring."""

    client_query: str = ""
    client_results: list[ClientOption] = []
    client_chosen: bool = False
    client_name: str = ""
    client_is_supplier: bool = False
    client_is_conflictive: bool = False
    # A conflictive client waiting for the user's yes: the confirmation is open while the id is set.
    client_pending_id: int = 0
    client_pending_name: str = ""
    # The chosen customer (0 = none), always one of the actor's organization when set.
    _client_id: int = 0
    # Where a customer created here through "+ Nuevo cliente" came from (his "source": an order, a sale).
    client_source: ClassVar[str] = "form"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls._mixin:
            QUICK_RETURNS[cls.get_full_name()] = cls
            dialog_flags("client_pending_id")(cls)

    # -- for the state that embeds it -------------------------------------------------------------
    def _client_chosen(self, actor: Actor, client: ClientChoice):
        """Called once a client is picked (chosen, confirmed, created or preselected); override it to
        apply his terms. May return events (a toast...). ``self._client_id`` is his id already."""
        return None

    def _preselect_client(self, actor: Actor, customer_id: int):
        """Choose ``customer_id`` as if the user had (a conflictive one asks first); 0 leaves the picker
        as it is. Another organization's or an unknown id chooses nobody and says it was not found."""
        if not customer_id:
            return None
        try:
            return self._choose(actor, customer_id)
        except NotFound as exc:
            self._forget_client()
            return rx.toast.error(self._err(exc))

    def _client_id_in_url(self, param: str = "customer") -> int:
        """The id in the page's ``?customer=`` (0 when absent or not an id)."""
        return parse_id(self.router.url.query_parameters.get(param, "")) or 0

    def _forget_client(self) -> None:
        """No client chosen, none waiting for confirmation."""
        self._client_id, self.client_chosen, self.client_name = 0, False, ""
        self.client_is_supplier = self.client_is_conflictive = False
        self.client_pending_id, self.client_pending_name = 0, ""

    def _reset_client_picker(self) -> None:
        """Back to an empty picker (another record was opened)."""
        self._forget_client()
        self.client_query, self.client_results = "", []

    # -- inside -------------------------------------------------------------------------------------
    def _choose(self, actor: Actor, customer_id: int):
        client = _choice(actor, customer_id)
        if client.is_conflictive:
            self.client_pending_id, self.client_pending_name = client.id, client.name
            return None
        return self._pick(actor, client)

    def _pick(self, actor: Actor, client: ClientChoice):
        self._forget_client()
        self._client_id, self.client_chosen, self.client_name = client.id, True, client.name
        self.client_is_supplier, self.client_is_conflictive = client.is_supplier, client.is_conflictive
        self.client_query, self.client_results = "", []
        return self._client_chosen(actor, client)

    # -- events -------------------------------------------------------------------------------------
    @authorized()
    def search_clients(self, actor, text: str):
        self.client_query = text[:MAX_QUERY]
        self.client_results = find_clients(actor, self.client_query)

    @authorized()
    def choose_client(self, actor, customer_id: int):
        """A result was clicked: picked, or a conflictive one waits for ``confirm_client``."""
        return self._choose(actor, customer_id)

    @authorized()
    def confirm_client(self, actor):
        """Yes to the conflictive client waiting: checked again, then picked."""
        customer_id = self.client_pending_id
        self.client_pending_id, self.client_pending_name = 0, ""
        if not customer_id:
            return None
        return self._pick(actor, _choice(actor, customer_id))

    @rx.event
    def cancel_client(self):
        self.client_pending_id, self.client_pending_name = 0, ""

    @rx.event
    def clear_client(self):
        """"Change": the choice is dropped and the search shows again."""
        self._forget_client()

    @authorized()
    async def new_client(self, actor):
        """The quick customer form, which gives the customer it saves back to this picker."""
        form = await self.get_state(CustomerFormState)
        form._open_blank(actor, quick=True, return_to=self.get_full_name(), source=self.client_source)

    @authorized()
    async def take_new_client(self, actor, customer_id: int):
        """The quick form saved ``customer_id`` (only the one it saved last in this tab): picked, no
        confirmation asked (the user has just created him)."""
        form = await self.get_state(CustomerFormState)
        if customer_id != form.last_saved_id:
            raise NotFound("customer")
        return self._pick(actor, _choice(actor, customer_id))
