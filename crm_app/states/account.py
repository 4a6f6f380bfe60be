"""One account's page: Information, Members, Activity and Summary sections.

Members are added from a search picker (one page of matching customers) or created right there with
the quick customer form: ``start_new_member`` remembers the form's ``last_saved_id`` at opening; the
form's save re-opens this address, and ``load`` adds the customer it saved since then.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.accounts import MEMBER_ROLES, AccountDTO, MemberDTO
from crm_app.domain.customers import CustomerRow
from crm_app.domain.errors import Conflict, NotFound, ValidationFailed
from crm_app.domain.local_time import Clock
from crm_app.services import account_members as member_service
from crm_app.services import accounts as account_service
from crm_app.services import feed as feed_service
from crm_app.services.feed import FeedEntry
from crm_app.states.clock import clock_for
from crm_app.states.customer_form import CustomerFormState
from crm_app.states.customer_picker import PickerRow, picker_rows
from crm_app.states.dialogs import dialog_flags
from crm_app.states.record_page import RecordPage
from crm_app.states.session import SessionState, authorized

SECTIONS = ("information", "members", "activity", "summary")
ACTIVITY_PAGE = 25


def _member_detail(row: CustomerRow) -> str:
    """What tells namesakes apart in the member picker: phone, e-mail, tax ID."""
    return " · ".join(x for x in (row.primary_phone, row.primary_email, row.tax_id_formatted) if x)


@dataclasses.dataclass
class MemberView:
    customer_id: int
    name: str
    role: str
    phone: str
    email: str


@dataclasses.dataclass
class ActivityView:
    id: int
    when: str
    who: str
    text: str
    customer_id: int
    customer_name: str


def _member(m: MemberDTO) -> MemberView:
    return MemberView(customer_id=m.customer_id, name=m.name, role=m.role, phone=m.phone, email=m.email)


@dialog_flags("confirm_delete")
class AccountState(RecordPage, SessionState):
    account_id: int = 0
    section: str = "information"
    members: list[MemberView] = []
    members_next: str = ""
    picker_query: str = ""
    picker_results: list[PickerRow] = []
    add_role: str = "member"
    activity: list[ActivityView] = []
    activity_next: int = 0
    summary_members: int = 0
    summary_credit: str = ""
    summary_credit_members: int = 0
    summary_tags: list[list[str]] = []
    # The quick customer form's last_saved_id when "create a new customer" was pressed; -1 = not waiting.
    _new_member_baseline: int = -1

    # -- loading ----------------------------------------------------------------------------
    def _path_id(self) -> int:
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        return int(raw) if raw.isdigit() and len(raw) < 12 else 0

    def _show(self, a: AccountDTO, clock: Clock) -> None:
        self.found, self.account_id, self.name, self.tags = True, a.id, a.name, list(a.tags)
        candidates = [
            ("account_tax_id", a.tax_id_formatted),
            ("account_phone", a.phone_international),
            ("account_email", a.email),
            ("account_address", ", ".join(x for x in (a.address, a.city) if x)),
            ("account_industry", a.industry),
            ("account_owner", a.owner_name),
            ("notes", a.notes),
            ("updated", clock.exact(a.updated_at)),
        ]
        self.fields = [[self._t(key), value] for key, value in candidates if value]

    def _load_section(self, actor) -> None:
        with session_scope() as session:
            if self.section == "members":
                page = member_service.list_members(session=session, actor=actor, account_id=self.account_id)
                self.members, self.members_next = [_member(m) for m in page.members], page.next_cursor
            elif self.section == "activity":
                page = feed_service.list_account_feed(
                    session=session, actor=actor, account_id=self.account_id, limit=ACTIVITY_PAGE
                )
                clock = clock_for(actor, self.lang)
                self.activity = [self._activity(e, clock) for e in page.entries]
                self.activity_next = page.next_before or 0
            elif self.section == "summary":
                summary = member_service.account_summary(
                    session=session, actor=actor, account_id=self.account_id
                )
                self.summary_members = summary.member_count
                self.summary_credit = f"{summary.credit_limit_total:,.2f}"
                self.summary_credit_members = summary.members_with_credit
                self.summary_tags = [[name, str(count)] for name, count in summary.tags]

    @authorized()
    async def load(self, actor):
        self.confirm_delete = False
        account_id = self._path_id()
        if account_id != self.account_id:  # another account: start at its Information
            self.section, self.picker_query, self.picker_results = "information", "", []
            self._new_member_baseline = -1
        try:
            with session_scope() as session:
                account = account_service.get_account(session=session, actor=actor, account_id=account_id)
        except NotFound:
            self._not_found()
            return None
        self._show(account, clock_for(actor, self.lang))
        message = await self._adopt_new_customer(actor)
        self._load_section(actor)
        self.loaded = True
        return message

    async def _adopt_new_customer(self, actor):
        """After the quick form saved a customer opened from Members, make him a member."""
        if self._new_member_baseline < 0:
            return None
        form = await self.get_state(CustomerFormState)
        if form.open:  # still filling it in
            return None
        baseline, self._new_member_baseline = self._new_member_baseline, -1
        if form.last_saved_id in (0, baseline):  # closed without saving
            return None
        return self._add(actor, form.last_saved_id)

    # -- sections ---------------------------------------------------------------------------
    @authorized()
    def show_section(self, actor, section: str):
        if section in SECTIONS and self.found:
            self.section = section
            self._load_section(actor)

    @authorized()
    def more_members(self, actor):
        if not self.members_next:
            return
        with session_scope() as session:
            page = member_service.list_members(
                session=session, actor=actor, account_id=self.account_id, after=self.members_next
            )
        self.members += [_member(m) for m in page.members]
        self.members_next = page.next_cursor

    @authorized()
    def more_activity(self, actor):
        if not self.activity_next:
            return
        with session_scope() as session:
            page = feed_service.list_account_feed(
                session=session,
                actor=actor,
                account_id=self.account_id,
                before=self.activity_next,
                limit=ACTIVITY_PAGE,
            )
        clock = clock_for(actor, self.lang)
        self.activity += [self._activity(e, clock) for e in page.entries]
        self.activity_next = page.next_before or 0

    def _activity(self, e: FeedEntry, clock: Clock) -> ActivityView:
        data = e.data or {}

        def role(key: str) -> str:
            return self._t(f"member_role_{data.get(key, 'member')}")

        if e.kind.startswith("member_"):
            text = self._t(
                f"activity_{e.kind}",
                customer=data.get("customer_name", ""),
                role=role("role"),
                before=role("before"),
                after=role("after"),
            )
            if data.get("account_name") not in (None, self.name):  # a member's change in another account
                text += f" · {data['account_name']}"
        elif e.kind.startswith("account_"):
            text = self._t(f"activity_{e.kind}")
        else:
            text = self._t(
                "activity_customer_event", customer=e.customer_name, kind=self._t(f"activity_kind_{e.kind}")
            )
        changes = data.get("changes") or []
        fields = sorted({str(c.get("field", "")) for c in changes if isinstance(c, dict)} - {""})
        if fields and e.kind.endswith("_updated"):
            text += " · " + self._t("activity_changed_fields", fields=", ".join(fields))
        return ActivityView(
            id=e.id,
            when=clock.exact(e.created_at),
            who=e.actor_name,
            text=text,
            customer_id=e.customer_id or 0,
            customer_name=e.customer_name,
        )

    # -- members ----------------------------------------------------------------------------
    @authorized()
    def search_customers(self, actor, value: str):
        self.picker_query = str(value)[:100]
        self.picker_results = picker_rows(actor, self.picker_query, _member_detail)

    @rx.event
    def set_add_role(self, role: str):
        self.add_role = role if role in MEMBER_ROLES else "member"

    def _add(self, actor, customer_id: int):
        try:
            with session_scope() as session:
                name = member_service.add_member(
                    session=session,
                    actor=actor,
                    account_id=self.account_id,
                    customer_id=int(customer_id),
                    role=self.add_role,
                )
        except (Conflict, ValidationFailed) as exc:
            error = next(iter(exc.errors.values())) if isinstance(exc, ValidationFailed) else exc
            return rx.toast.error(self._err(error))
        self.section = "members"
        self._load_section(actor)
        return rx.toast.success(self._t("member_added", name=name))

    @authorized()
    def add_member(self, actor, customer_id: int):
        result = self._add(actor, customer_id)
        self.picker_results = [r for r in self.picker_results if r.id != customer_id]
        return result

    @authorized()
    async def start_new_member(self, actor):
        form = await self.get_state(CustomerFormState)
        self._new_member_baseline = form.last_saved_id
        return CustomerFormState.open_create(True)

    @authorized()
    def set_member_role(self, actor, customer_id: int, role: str):
        try:
            with session_scope() as session:
                member_service.set_member_role(
                    session=session,
                    actor=actor,
                    account_id=self.account_id,
                    customer_id=int(customer_id),
                    role=role,
                )
        except ValidationFailed as exc:
            return rx.toast.error(self._err(next(iter(exc.errors.values()))))
        name = next((m.name for m in self.members if m.customer_id == customer_id), "")
        self._load_section(actor)
        return rx.toast.success(self._t("member_role_saved", name=name))

    @authorized()
    def remove_member(self, actor, customer_id: int):
        with session_scope() as session:
            member_service.remove_member(
                session=session, actor=actor, account_id=self.account_id, customer_id=int(customer_id)
            )
        name = next((m.name for m in self.members if m.customer_id == customer_id), "")
        self._load_section(actor)
        return rx.toast.success(self._t("member_removed", name=name))

    # -- delete -----------------------------------------------------------------------------
    @rx.event
    @authorized()
    def delete(self, actor):
        self.confirm_delete = False
        with session_scope() as session:
            name = account_service.delete_account(session=session, actor=actor, account_id=self.account_id)
        return [rx.toast.success(self._t("account_deleted", name=name)), rx.redirect("/accounts")]
