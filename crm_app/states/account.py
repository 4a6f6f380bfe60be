"""One account's page: Information, Members, Activity and Summary sections.

Members are added through the client picker (states/client_picker.py): the customer picked there,
found by the search or created right there with the quick customer form, becomes a member with the
role chosen beside it (``_client_chosen``), and the picker is ready for the next one.
"""

from __future__ import annotations

import dataclasses

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.accounts import MEMBER_ROLES, AccountDTO, MemberDTO
from crm_app.domain.customers import ClientChoice
from crm_app.domain.errors import Conflict, NotFound, ValidationFailed
from crm_app.domain.local_time import Clock
from crm_app.services import account_members as member_service
from crm_app.services import accounts as account_service
from crm_app.services import feed as feed_service
from crm_app.services.feed import FeedEntry
from crm_app.states.client_picker import ClientPicker
from crm_app.states.clock import clock_for
from crm_app.states.dialogs import dialog_flags
from crm_app.states.record_page import RecordPage
from crm_app.states.session import SessionState, authorized

SECTIONS = ("information", "members", "activity", "summary")
ACTIVITY_PAGE = 25


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
class AccountState(ClientPicker, RecordPage, SessionState):
    account_id: int = 0
    section: str = "information"
    members: list[MemberView] = []
    members_next: str = ""
    add_role: str = "member"
    activity: list[ActivityView] = []
    activity_next: int = 0
    summary_members: int = 0
    summary_credit: str = ""
    summary_credit_members: int = 0
    summary_tags: list[list[str]] = []

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
    def load(self, actor):
        self.confirm_delete = False
        account_id = self._path_id()
        if account_id != self.account_id:  # another account: start at its Information
            self.section = "information"
            self._reset_client_picker()
        try:
            with session_scope() as session:
                account = account_service.get_account(session=session, actor=actor, account_id=account_id)
        except NotFound:
            self._not_found()
            return
        self._show(account, clock_for(actor, self.lang))
        self._load_section(actor)
        self.loaded = True

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

    def _client_chosen(self, actor, client: ClientChoice):
        """The client picked becomes a member; the picker empties for the next one."""
        self._forget_client()
        return self._add(actor, client.id)

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
