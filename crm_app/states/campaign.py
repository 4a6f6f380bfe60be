"""/campaigns/new and /campaigns/[campaign_id] (admins): a draft campaign's form, and its header.

The segment is a saved one, or the customer list's filters the page was opened with
(``/campaigns/new?tags=vip&consent=1``, read as the list reads them). How many addresses it reaches is a
count query: it runs in a background event (``count_audience``), after a change of segment or on demand,
and never holds up the tab. Starting asks first, naming the count. Once started, the same address shows
the report (states/campaign_report.py). Which campaign is open stays on the server; the services check
the organization and the role on every call.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlencode

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.campaigns import CampaignInput
from crm_app.domain.dto import Actor
from crm_app.domain.errors import Conflict, FieldError, NotFound, ValidationFailed
from crm_app.domain.ids import parse_id
from crm_app.domain.local_time import exact, number, utc_from_local
from crm_app.models.types import utcnow
from crm_app.services import campaigns as campaign_service
from crm_app.services import templates as template_service
from crm_app.states.campaign_names import segment_names
from crm_app.states.campaign_segment import customers_link, segment_query, segment_summary
from crm_app.states.campaigns import when_text
from crm_app.states.clock import clock_for, organization_locale
from crm_app.states.dialogs import Refusals, dialog_flags
from crm_app.states.session import SessionState, authorized
from crm_app.states.threads import in_thread

SEND_MODES = ("now", "later")


@dialog_flags("confirm_start", "confirm_delete")
class CampaignState(Refusals, SessionState):
    loaded: bool = False
    found: bool = False
    campaign_id: int = 0  # 0 until the draft is first saved
    status: str = "draft"
    status_label: str = ""
    title: str = ""  # the name as saved
    subtitle: str = ""  # template, segment and times of a started campaign
    name: str = ""
    template_id: str = ""
    templates: list[list[str]] = []  # [id, name] of the organization's e-mail templates
    segment_id: str = ""  # "" = the list's filters in ``query``
    segments: list[list[str]] = []  # [id, name]
    has_filters: bool = False  # opened with the list's filters (or a draft saved with them)
    segment_text: str = ""
    segment_link: str = ""
    audience_text: str = ""
    counting: bool = False
    test_sent_to: str = ""
    send_mode: str = "now"
    schedule_day: str = ""
    schedule_time: str = ""
    zone_hint: str = ""
    errors: dict[str, str] = {}
    form_error: str = ""
    confirm_start: bool = False
    confirm_text: str = ""
    confirm_delete: bool = False
    _query: str = ""  # the list's filters, when no saved segment is chosen
    _segment_queries: dict[str, str] = {}
    _tz: str = "UTC"
    _currency: str = "USD"
    _country: str = ""
    _scheduled_at: datetime | None = None

    # -- loading ---------------------------------------------------------------------------------
    def _path_id(self) -> int | None:
        raw = self.router.url.path.rstrip("/").rsplit("/", 1)[-1]
        return None if raw == "new" else parse_id(raw) or 0

    def _options(self, session, actor: Actor) -> None:
        templates = template_service.list_templates(session=session, actor=actor, channel="email")
        self.templates = [[str(t.id), t.name] for t in templates]
        found = campaign_service.list_segments(session=session, actor=actor)
        self.segments = [[str(s.id), s.name] for s in found]
        self._segment_queries = {str(s.id): s.query for s in found}

    def _fresh(self) -> None:
        self.errors, self.form_error, self.confirm_start, self.confirm_delete = {}, "", False, False
        self.confirm_text, self.test_sent_to, self.audience_text, self.counting = "", "", "", False
        self.loaded, self.found = True, True

    @authorized("admin")
    async def load(self, actor):
        campaign_id = self._path_id()
        self._tz, self._currency, self._country = organization_locale(actor)
        self.zone_hint = self._t("campaign_zone_hint", zone=self._tz)
        try:
            with session_scope() as session:
                campaign = None if campaign_id is None else campaign_service.get_campaign(
                    session=session, actor=actor, campaign_id=campaign_id)
                self._options(session, actor)
        except NotFound:
            self.reset()  # nothing of a campaign shown before stays in the tab
            self.loaded = True
            return None
        if campaign is None:
            return self._start_new(actor)
        return self._show(actor, campaign)

    def _start_new(self, actor: Actor):
        """/campaigns/new, its segment from the list's filters in the address (or ``?segment=<id>``)."""
        params = dict(self.router.url.query_parameters)
        self.campaign_id, self.status, self.title, self.subtitle = 0, "draft", "", ""
        self.name, self.template_id, self.send_mode = "", "", "now"
        self.schedule_day, self.schedule_time, self._scheduled_at = "", "", None
        chosen = str(params.pop("segment", ""))
        self._query = segment_query(urlencode({k: v for k, v in params.items() if isinstance(v, str)}))
        self.has_filters = bool(self._query)
        self.segment_id = chosen if chosen in self._segment_queries and not self.has_filters else ""
        self._fresh()
        return self._segment_changed(actor)

    def _show(self, actor: Actor, campaign):
        """The campaign as saved: its form while a draft, else the header of its report (the report
        itself is states/campaign_report.py, loaded beside this one)."""
        self.campaign_id, self.status, self.title = campaign.id, campaign.status, campaign.name
        self.status_label = self._t(f"campaign_status_{campaign.status}")
        self.name, self.template_id = campaign.name, str(campaign.template_id or "")
        self.segment_id = str(campaign.segment_id or "")
        self._query = "" if campaign.segment_id else segment_query(campaign.query)
        self.has_filters = not campaign.segment_id
        if campaign.segment_id and self.segment_id not in self._segment_queries:  # deleted since
            self.segment_id, self._query, self.has_filters = "", segment_query(campaign.query), True
        self._fresh()
        if campaign.status == "draft":
            return self._segment_changed(actor)
        self._describe_segment(actor)
        self._describe(actor, campaign)
        return None

    def _describe(self, actor: Actor, campaign) -> None:
        """One line under a started campaign's name: its template, its segment, when it starts or started."""
        template = next((t[1] for t in self.templates if t[0] == str(campaign.template_id)), "")
        parts = [self._t("campaign_template_is", name=template or campaign.template_name),
                 self._t("campaign_segment_is", segment=campaign.segment_name or self.segment_text),
                 when_text(self, campaign, clock_for(actor, self.lang))]
        self.subtitle = " · ".join(p for p in parts if p)

    # -- the segment and its audience ------------------------------------------------------------
    def _current_query(self) -> str:
        return self._segment_queries.get(self.segment_id, "") if self.segment_id else self._query

    def _describe_segment(self, actor: Actor) -> None:
        """The chosen segment in words, and the link to its list."""
        query = self._current_query()
        with session_scope() as session:
            names = segment_names(session, actor, query)
        self.segment_text = segment_summary(query, self._t, self.lang, names=names, currency=self._currency,
                                            country=self._country)
        self.segment_link = customers_link(query)

    def _segment_changed(self, actor: Actor):
        """The segment in words, and a new count."""
        self._describe_segment(actor)
        self.audience_text = ""
        return CampaignState.count_audience

    @authorized("admin")
    def set_segment(self, actor, segment_id: str):
        with session_scope() as session:  # the organization's segments now, not what the tab held
            self._options(session, actor)
        if segment_id and segment_id not in self._segment_queries:
            return None
        self.segment_id = segment_id
        self.errors.pop("segment", None)
        return self._segment_changed(actor)

    def _audience_line(self, audience) -> str:
        """The count said in full; "at least" when the count stopped early (a very large segment)."""
        key = "campaign_audience" if audience.complete else "campaign_audience_at_least"
        return self._t(key, count=number(audience.addresses, self.lang),
                       excluded=number(audience.excluded, self.lang))

    @rx.event(background=True)
    async def count_audience(self):
        """Count the segment's addresses with consent, off the tab's event queue."""
        async with self:
            actor = self._actor()
            if actor is None or not actor.is_admin or self.counting or self.status != "draft":
                return
            query = self._current_query()
            self.counting, self.audience_text = True, self._t("campaign_counting")
        try:
            audience = await in_thread(campaign_service.audience, actor=actor, query=query)
        except (NotFound, ValidationFailed):
            audience = None
        async with self:
            self.counting = False
            if query == self._current_query():
                self.audience_text = self._audience_line(audience) if audience is not None else ""

    # -- the draft -------------------------------------------------------------------------------
    @rx.event
    def set_name(self, value: str):
        self.name = str(value)[:100]
        self.errors.pop("name", None)

    @rx.event
    def set_template(self, value: str):
        self.template_id = str(value) if any(t[0] == value for t in self.templates) else ""
        self.errors.pop("template_id", None)

    @rx.event
    def set_send_mode(self, value: str):
        self.send_mode = value if value in SEND_MODES else "now"
        self.errors.pop("scheduled_at", None)

    @rx.event
    def set_schedule_day(self, value: str):
        self.schedule_day = str(value)[:10]
        self.errors.pop("scheduled_at", None)

    @rx.event
    def set_schedule_time(self, value: str):
        self.schedule_time = str(value)[:5]
        self.errors.pop("scheduled_at", None)

    def _input(self) -> CampaignInput:
        return CampaignInput(
            name=self.name, template_id=parse_id(self.template_id) if self.template_id else None,
            segment_id=parse_id(self.segment_id) if self.segment_id else None,
            query="" if self.segment_id else self._query,
        )

    def _refuse(self, errors: dict[str, FieldError]) -> None:
        self.errors = {k: self._err(e) for k, e in errors.items()}
        self.form_error = self._t("validation_failed")
        self._refused()

    async def _save(self, actor: Actor) -> bool:
        """Create or update the draft; False (the errors shown) when refused."""
        self.errors, self.form_error = {}, ""
        data = self._input()
        try:
            if self.campaign_id:
                saved = await in_thread(campaign_service.update_campaign, actor=actor,
                                        campaign_id=self.campaign_id, data=data)
            else:
                saved = await in_thread(campaign_service.create_campaign, actor=actor, data=data)
        except ValidationFailed as exc:
            self._refuse(exc.errors)
            return False
        except Conflict as exc:  # started meanwhile (another tab)
            self.form_error = self._err(exc)
            return False
        self.campaign_id, self.title = saved.id, saved.name
        return True

    @authorized("admin")
    async def save(self, actor):
        new = not self.campaign_id
        if not await self._save(actor):
            return None
        toast = rx.toast.success(self._t("campaign_saved", name=self.title))
        return [toast, rx.redirect(f"/campaigns/{self.campaign_id}", replace=True)] if new else toast

    @authorized("admin")
    async def send_test(self, actor):
        """Send the campaign's e-mail to the admin himself (saving the draft first)."""
        self.test_sent_to = ""
        if not await self._save(actor):
            return None
        try:
            address = await in_thread(campaign_service.send_test, actor=actor, campaign_id=self.campaign_id)
        except ValidationFailed as exc:
            self._refuse(exc.errors)
            return None
        self.test_sent_to = self._t("campaign_test_sent", address=address)
        return rx.toast.success(self.test_sent_to)

    # -- starting --------------------------------------------------------------------------------
    def _schedule(self) -> bool:
        """The moment chosen, in UTC (None: now); False with the field's error when it does not read."""
        self._scheduled_at = None
        if self.send_mode == "now":
            return True
        try:
            moment = utc_from_local(self.schedule_day, self.schedule_time, self._tz)
        except ValueError:
            moment = None
        if moment is None or not self.schedule_time:
            self._refuse({"scheduled_at": FieldError("campaign_schedule_required")})
            return False
        if moment <= utcnow():
            self._refuse({"scheduled_at": FieldError("campaign_schedule_past")})
            return False
        self._scheduled_at = moment
        return True

    @authorized("admin")
    async def ask_start(self, actor):
        """Save, count, then ask: "It will go to N addresses…"."""
        if not self._schedule() or not await self._save(actor):
            return None
        try:
            audience = await in_thread(campaign_service.audience, actor=actor, query=self._current_query())
        except ValidationFailed as exc:
            self._refuse(exc.errors)
            return None
        self.audience_text = self._audience_line(audience)
        if audience.addresses == 0:
            self._refuse({"segment": FieldError("campaign_audience_empty")})
            return None
        count = number(audience.addresses, self.lang)
        if self._scheduled_at is None:
            self.confirm_text = self._t("campaign_confirm_now", count=count)
        else:
            when = exact(self._scheduled_at, self._tz, self.lang)
            self.confirm_text = self._t("campaign_confirm_later", count=count, when=when, zone=self._tz)
        self.confirm_start = True
        return None

    @rx.event
    def cancel_start(self):
        self.confirm_start = False

    @authorized("admin")
    async def start(self, actor):
        if not self.confirm_start or not self.campaign_id:
            return None
        self.confirm_start = False
        try:
            await in_thread(campaign_service.start, actor=actor, campaign_id=self.campaign_id,
                            scheduled_at=self._scheduled_at)
        except ValidationFailed as exc:
            self._refuse(exc.errors)
            return None
        except Conflict as exc:
            self.form_error = self._err(exc)
            return None
        key = "campaign_started" if self._scheduled_at is None else "campaign_scheduled"
        return [rx.toast.success(self._t(key, name=self.title)),
                rx.redirect(f"/campaigns/{self.campaign_id}", replace=True)]

    # -- deleting a draft ------------------------------------------------------------------------
    @rx.event
    def set_confirm_delete(self, value: bool):
        self.confirm_delete = bool(value) and self.campaign_id != 0

    @authorized("admin")
    async def delete(self, actor):
        self.confirm_delete = False
        if not self.campaign_id:
            return None
        try:
            await in_thread(campaign_service.delete_campaign, actor=actor, campaign_id=self.campaign_id)
        except Conflict as exc:
            return rx.toast.error(self._err(exc))
        return [rx.toast.success(self._t("campaign_deleted", name=self.title)), rx.redirect("/campaigns")]
