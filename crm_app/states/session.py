"""The signed-in user, the language, and the server-side guard every handler goes through.

The browser keeps only our random session token, in an HttpOnly cookie the server reads from the
websocket handshake (states/browser_session.py); who the user is, his organization and his role are
looked up in the database on every guarded event, never taken from the client.

A browser tab outlives its user (shared counters): signing in, signing out and a session that ends
reset every state of the tab, so the next user receives nothing of the last one.
"""

from __future__ import annotations

import functools
import inspect
import json
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.errors import DomainError, Forbidden, NotFound
from crm_app.i18n import LANGUAGES, error_text, t
from crm_app.i18n.browser import browser_catalogue
from crm_app.services import auth as auth_service
from crm_app.services import users as users_service
from crm_app.settings import get_settings
from crm_app.states import browser_session
from crm_app.states.payloads import checked_payload

log = logging.getLogger("crm_app.states")
_settings = get_settings()

ACCOUNT_ROUTE = "/account"


@dataclass(frozen=True)
class PageAccess:
    """What a signed-in page requires, kept on the server: the browser never says which role applies."""

    route: str
    role: str
    loads: tuple  # the page's own on_load handlers, run only once access is granted
    pattern: re.Pattern


_PAGES: list[PageAccess] = []


def register_page(route: str, role: str | None, loads: Sequence) -> None:
    # "/customers/[customer_id]" -> ^/customers/[^/]+/?$
    regex = "^" + re.sub(r"\\\[[^/]+?\\\]", "[^/]+", re.escape(route.rstrip("/") or "/")) + "/?$"
    _PAGES.append(PageAccess(route=route, role=role or "", loads=tuple(loads), pattern=re.compile(regex)))


def page_access(path: str) -> PageAccess | None:
    """The page of ``path``: a fixed route before a route with an argument ("/customers/import" is the
    import page, not the customer "import"), as the browser's router picks them."""
    matches = [p for p in _PAGES if p.pattern.match(path or "/")]
    return min(matches, key=lambda p: "[" in p.route, default=None)


def is_signed_in_page(path: str) -> bool:
    """Whether ``path`` is a page for signed-in users (served the SPA shell, by the app and by nginx)."""
    return page_access(path) is not None


LANGUAGE_COOKIE = "crm_lang"


def safe_next(path: str) -> str:
    """Only local paths are followed after sign-in (no open redirect to another site)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def _all_substates(cls: type[rx.State]) -> list[type[rx.State]]:
    found: list[type[rx.State]] = []
    for sub in cls.get_substates():
        found += [sub, *_all_substates(sub)]
    return found


# Messages shown once on the tab's next page after a full page load (see browser_session.with_notice).
_NOTICES = {"signed_out": "info", "password_changed": "success", "session_expired": "warning"}


class SessionState(rx.State):
    """Base of every page state: identity shown in the shell, language and access decision."""

    lang: str = rx.Cookie(_settings.default_language, name=LANGUAGE_COOKIE, max_age=365 * 24 * 3600)

    # The language cookie held something unknown: the signed-in user's own language replaces it.
    _lang_unknown: bool = False
    # A message for the tab's next page, kept across the full page load that follows sign-in/out.

    def __setattr__(self, name: str, value: object) -> None:
        # The language comes from a cookie the browser may fill with anything: normalized where it is
        # read (hydration, switches, sign-in), so every handler can trust ``self.lang``.
        if name == "lang" and value not in LANGUAGES:
            value = _settings.default_language
            super().__setattr__("_lang_unknown", True)
        super().__setattr__(name, value)

    @rx.var
    def tr(self) -> dict[str, str]:
        """The messages a page may show, in the tab's language (i18n/browser.py): not those only the
        server reads, which every page's first load would otherwise carry."""
        return browser_catalogue(self.lang)

    def __getstate__(self) -> dict:
        # The cached catalogue (about 50 KB of strings, the same for every tab of a language) would be
        # pickled into every tab's state and read from and written to Redis on every event: it is left
        # out, and the next read of ``tr`` takes it again from the module's catalogue (no copy).
        # Every page state inherits this; only SessionState's own instance holds the cached value.
        fields = super().__getstate__()
        cached = SessionState.computed_vars["tr"]._cache_attr
        return {name: value for name, value in fields.items() if name != cached}

    # -- helpers (not events) -------------------------------------------------------------
    def _t(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    def _err(self, error: DomainError) -> str:
        return error_text(error, self.lang)

    def _router_data(self) -> dict:
        return self._get_root_state().router_data

    def _actor(self) -> Actor | None:
        token = browser_session.session_token(self._router_data())
        if not token:
            return None
        with session_scope() as session:
            return auth_service.resolve_session(session=session, token=token)

    def _client_ip(self) -> str:
        return self.router.session.client_ip or ""

    def _user_agent(self) -> str:
        return getattr(self.router.headers, "user_agent", "") or ""

    def _show_identity(self, shell: ShellState, actor: Actor) -> None:
        with session_scope() as session:
            org = auth_service.organization_of(session, actor)
        shell.user_name, shell.user_email, shell.user_role = actor.name, actor.email, actor.role
        shell.org_name = org.name
        if self._lang_unknown:
            self._lang_unknown = False
            self.lang = actor.language

    async def _reset_tab(self) -> None:
        """Every state of this tab back to its defaults (the language stays)."""
        lang = self.lang
        root = await self.get_state(SessionState)
        for cls in _all_substates(SessionState):
            await self.get_state(cls)  # loaded, so that reset() reaches it (redis loads lazily)
        root.reset()
        root.lang = lang

    async def _begin_session(self, code: str, target: str, language: str, notice: str = ""):
        """After a password was checked: a clean tab, then the page trades ``code`` for the cookie and
        loads ``target`` in full (browser_session.exchange_script)."""
        await self._reset_tab()
        self.lang = language
        target = browser_session.with_notice(target, notice)
        script = browser_session.exchange_script(code, self.router.session.client_token, target)
        return rx.call_script(script, callback=SessionState.session_not_opened)

    def _take_notice(self) -> list:
        param = self.router.url.query_parameters.get(browser_session.NOTICE_PARAM, "")
        notice = browser_session.read_notice(param if isinstance(param, str) else "")
        kind = _NOTICES.get(notice)
        if not kind:
            return []
        return [rx.call_script(browser_session.notice_script(kind, self._t(notice)))]

    def _session_ended(self):
        """No valid session behind this event: end it in the tab (the server handles it next)."""
        return SessionState.end_session

    async def _clear_page(self, access: PageAccess) -> None:
        """A refused page keeps nothing it may have held from an earlier visit."""
        for handler in access.loads:
            (await self.get_state(handler.state)).reset()

    # -- events ---------------------------------------------------------------------------
    @rx.event
    async def guard(self):
        """on_load of every shell page: sign-in, password change and role, then the page's loads.

        The route and its role are looked up on the server from the path; nothing the browser
        sends decides access. The page's loads run within this event (not returned to the browser
        to send back): the first rows arrive one websocket round trip sooner.
        """
        shell = await self.get_state(ShellState)
        shell.drawer_open = False
        access = page_access(self.router.url.path)
        if access is None:
            return None
        actor = self._actor()
        if actor is None:
            return self._session_ended()
        self._show_identity(shell, actor)
        notices = self._take_notice()
        if actor.must_change_password and access.route != ACCOUNT_ROUTE:
            return [*notices, rx.redirect(ACCOUNT_ROUTE, replace=True)]
        if access.role and actor.role != access.role:
            shell.granted_route, shell.denied_route = "", access.route
            await self._clear_page(access)
            log.warning("user %s refused page %s (role %s)", actor.user_id, access.route, actor.role)
            return notices or None
        shell.granted_route, shell.denied_route = access.route, ""
        return [*notices, *await self._run_loads(access.loads)]

    async def _run_loads(self, loads: Sequence) -> list:
        """Call the page's on_load handlers on their states; collect the events they return."""
        events: list = []
        for handler in loads:
            state = await self.get_state(handler.state)
            result = handler.fn(state)
            if inspect.isawaitable(result):
                result = await result
            if result is not None:
                events.extend(result if isinstance(result, list | tuple) else [result])
        return events

    @rx.event
    async def end_session(self):
        """The session behind this tab is gone (expired, revoked, or the browser's cookies changed):
        forget everything the tab held, then sign-in, which sends back here after it.

        Only someone who had a session is told it ended; a first-time visitor just sees sign-in.
        Called by any client, it does nothing while the session is valid.
        """
        if self._actor() is not None:
            return None
        shown_user = (await self.get_state(ShellState)).user_email
        had_session = browser_session.had_session_cookie(self._router_data()) or bool(shown_user)
        target = f"/login?next={quote(safe_next(self.router.url.path or '/'))}"
        await self._reset_tab()
        if not had_session:
            return rx.redirect(target, replace=True)
        target = browser_session.with_notice(target, "session_expired")
        # A full load: the new socket's handshake carries whatever cookies the browser has now.
        return rx.call_script(f"window.location.replace({json.dumps(target)})")

    @rx.event
    def session_not_opened(self, opened: bool):
        """Callback of the cookie exchange: the page is leaving when it worked."""
        if opened is not True:
            return rx.toast.error(self._t("sign_in_not_completed"))
        return None

    @rx.event
    def set_language(self, lang: str):
        if lang not in LANGUAGES:
            return
        self.lang = lang
        actor = self._actor()
        if actor is not None:
            with session_scope() as session:
                users_service.set_own_language(session=session, actor=actor, language=lang)

    @rx.event
    async def sign_out(self):
        """Revoke the session, reset the tab, clear the cookies over HTTP, then sign-in in full."""
        with session_scope() as session:
            auth_service.sign_out(session=session, token=browser_session.session_token(self._router_data()))
        await self._reset_tab()
        return rx.call_script(browser_session.end_script(browser_session.with_notice("/login", "signed_out")))


class ShellState(SessionState):
    """What the shell shows of the signed-in user, and the guard's verdict on the page.

    Apart from SessionState, whose catalogue (``tr``) nearly every component reads: React re-renders
    every component that reads a state when any of that state's values changes, so the guard setting
    these on each page load re-rendered the whole page (about 120 ms of script and 100 ms of styles on
    a phone's CPU, before the first rows). Shown only; every decision is made again on the server.
    """

    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    org_name: str = ""
    # The route pattern the last guard let in or refused, so a page never shows another's verdict.
    granted_route: str = ""
    denied_route: str = ""
    drawer_open: bool = False

    @rx.var
    def is_admin(self) -> bool:
        return self.user_role == "admin"

    @rx.event
    def set_drawer_open(self, value: bool):
        self.drawer_open = value


def _refusal(state: SessionState, fn: Callable, role: str | None, allow_temporary_password: bool):
    """(actor, None) when the call may go on, else (None, what to answer instead)."""
    actor = state._actor()
    if actor is None:
        return None, state._session_ended()
    if actor.must_change_password and not allow_temporary_password:
        return None, rx.redirect(ACCOUNT_ROUTE, replace=True)
    if role is not None and actor.role != role:
        log.warning("user %s refused %s (role %s)", actor.user_id, fn.__name__, actor.role)
        return None, rx.toast.error(state._err(Forbidden()))
    return actor, None


def _without_actor(handler: Callable, fn: Callable) -> Callable:
    """Reflex reads the handler's parameters to map event arguments: hide ``actor``."""
    signature = inspect.signature(fn)
    handler.__signature__ = signature.replace(
        parameters=[p for name, p in signature.parameters.items() if name != "actor"]
    )
    handler.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k != "actor"}
    return handler


def authorized(role: str | None = None, *, allow_temporary_password: bool = False) -> Callable:
    """Make ``fn(self, actor, *args)`` (sync or async) an event handler that first checks the session
    and role.

    Any public handler can be called from the websocket with any arguments, so the check runs
    on the server for every call, whatever the page showed. Service errors become toasts.
    """

    def decorate(fn: Callable) -> Callable:
        fn = checked_payload(fn)  # arguments of the wrong type are refused (states/payloads.py)

        if inspect.iscoroutinefunction(fn):  # upload handlers are async

            @functools.wraps(fn)
            async def handler(self: SessionState, *args, **kwargs):
                actor, refused = _refusal(self, fn, role, allow_temporary_password)
                if actor is None:
                    return refused
                try:
                    return await fn(self, actor, *args, **kwargs)
                except (Forbidden, NotFound) as exc:
                    return rx.toast.error(self._err(exc))

        else:

            @functools.wraps(fn)
            def handler(self: SessionState, *args, **kwargs):
                actor, refused = _refusal(self, fn, role, allow_temporary_password)
                if actor is None:
                    return refused
                try:
                    return fn(self, actor, *args, **kwargs)
                except (Forbidden, NotFound) as exc:
                    return rx.toast.error(self._err(exc))

        return rx.event(_without_actor(handler, fn))

    return decorate
