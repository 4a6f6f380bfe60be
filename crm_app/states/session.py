"""The signed-in user, the language, and the server-side guard every handler goes through.

The browser keeps only our random session token (a cookie); who the user is, his organization
and his role are looked up in the database on every guarded event, never taken from the client.
"""

from __future__ import annotations

import functools
import inspect
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import quote

import reflex as rx

from crm_app.db import session_scope
from crm_app.domain.dto import Actor
from crm_app.domain.errors import DomainError, Forbidden, NotFound
from crm_app.i18n import LANGUAGES, catalogue, error_text, t
from crm_app.services import auth as auth_service
from crm_app.services import users as users_service
from crm_app.settings import get_settings
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
    return next((p for p in _PAGES if p.pattern.match(path or "/")), None)


LANGUAGE_COOKIE = "crm_lang"


def safe_next(path: str) -> str:
    """Only local paths are followed after sign-in (no open redirect to another site)."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


class SessionState(rx.State):
    """Base of every page state: identity shown in the shell, language and access decision."""

    token: str = rx.Cookie(
        "", name="crm_session", same_site="strict", secure=_settings.cookie_secure,
        max_age=_settings.session_max_hours * 3600,
    )
    lang: str = rx.Cookie(_settings.default_language, name=LANGUAGE_COOKIE, max_age=365 * 24 * 3600)

    # Shown in the shell only; every decision is made again on the server.
    user_name: str = ""
    user_email: str = ""
    user_role: str = ""
    org_name: str = ""
    # The route pattern the last guard let in or refused, so a page never shows another's verdict.
    granted_route: str = ""
    denied_route: str = ""
    drawer_open: bool = False

    @rx.var
    def tr(self) -> dict[str, str]:
        return catalogue(self.lang if self.lang in LANGUAGES else "es")

    @rx.var
    def is_admin(self) -> bool:
        return self.user_role == "admin"

    # -- helpers (not events) -------------------------------------------------------------
    def _t(self, key: str, **params: object) -> str:
        return t(key, self.lang, **params)

    def _err(self, error: DomainError) -> str:
        return error_text(error, self.lang)

    def _actor(self) -> Actor | None:
        with session_scope() as session:
            return auth_service.resolve_session(session=session, token=self.token)

    def _client_ip(self) -> str:
        return self.router.session.client_ip or ""

    def _user_agent(self) -> str:
        return getattr(self.router.headers, "user_agent", "") or ""

    def _show_identity(self, actor: Actor) -> None:
        with session_scope() as session:
            org = auth_service.organization_of(session, actor)
        self.user_name, self.user_email, self.user_role = actor.name, actor.email, actor.role
        self.org_name = org.name

    def _forget_identity(self) -> None:
        self.user_name = self.user_email = self.user_role = self.org_name = ""
        self.granted_route = self.denied_route = ""

    def _session_ended(self):
        """The token is unknown, expired or revoked: drop it and go to sign-in, then come back."""
        self.token = ""
        self._forget_identity()
        path = self.router.url.path or "/"
        return [rx.toast.warning(self._t("session_expired")),
                rx.redirect(f"/login?next={quote(safe_next(path))}", replace=True)]

    # -- events ---------------------------------------------------------------------------
    @rx.event
    async def guard(self):
        """on_load of every shell page: sign-in, password change and role, then the page's loads.

        The route and its role are looked up on the server from the path; nothing the browser
        sends decides access. The page's loads run within this event (not returned to the browser
        to send back): the first rows arrive one websocket round trip sooner.
        """
        self.drawer_open = False
        access = page_access(self.router.url.path)
        if access is None:
            return None
        actor = self._actor()
        if actor is None:
            return self._session_ended()
        self._show_identity(actor)
        if actor.must_change_password and access.route != ACCOUNT_ROUTE:
            return rx.redirect(ACCOUNT_ROUTE, replace=True)
        if access.role and actor.role != access.role:
            self.granted_route, self.denied_route = "", access.route
            log.warning("user %s refused page %s (role %s)", actor.user_id, access.route, actor.role)
            return None
        self.granted_route, self.denied_route = access.route, ""
        return await self._run_loads(access.loads)

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
    def set_language(self, lang: str):
        if lang not in LANGUAGES:
            return
        self.lang = lang
        actor = self._actor()
        if actor is not None:
            with session_scope() as session:
                users_service.set_own_language(session=session, actor=actor, language=lang)

    @rx.event
    def sign_out(self):
        with session_scope() as session:
            auth_service.sign_out(session=session, token=self.token)
        self.token = ""
        self._forget_identity()
        return [rx.redirect("/login", replace=True), rx.toast.info(self._t("signed_out"))]

    @rx.event
    def set_drawer_open(self, value: bool):
        self.drawer_open = value


def authorized(role: str | None = None, *, allow_temporary_password: bool = False) -> Callable:
    """Make ``fn(self, actor, *args)`` (sync or async) an event handler that first checks the session
    and role.

    Any public handler can be called from the websocket with any arguments, so the check runs
    on the server for every call, whatever the page showed. Service errors become toasts.
    """

    def decorate(fn: Callable) -> Callable:
        fn = checked_payload(fn)  # arguments of the wrong type are refused (states/payloads.py)

        def refusal(self: SessionState):
            """(actor, None) when the call may go on, else (None, what to answer instead)."""
            actor = self._actor()
            if actor is None:
                return None, self._session_ended()
            if actor.must_change_password and not allow_temporary_password:
                return None, rx.redirect(ACCOUNT_ROUTE, replace=True)
            if role is not None and actor.role != role:
                log.warning("user %s refused %s (role %s)", actor.user_id, fn.__name__, actor.role)
                return None, rx.toast.error(self._err(Forbidden()))
            return actor, None

        if inspect.iscoroutinefunction(fn):  # upload handlers are async

            @functools.wraps(fn)
            async def handler(self: SessionState, *args, **kwargs):
                actor, refused = refusal(self)
                if actor is None:
                    return refused
                try:
                    return await fn(self, actor, *args, **kwargs)
                except (Forbidden, NotFound) as exc:
                    return rx.toast.error(self._err(exc))

        else:

            @functools.wraps(fn)
            def handler(self: SessionState, *args, **kwargs):
                actor, refused = refusal(self)
                if actor is None:
                    return refused
                try:
                    return fn(self, actor, *args, **kwargs)
                except (Forbidden, NotFound) as exc:
                    return rx.toast.error(self._err(exc))

        # Reflex reads the handler's parameters to map event arguments: hide ``actor``.
        signature = inspect.signature(fn)
        handler.__signature__ = signature.replace(
            parameters=[p for name, p in signature.parameters.items() if name != "actor"]
        )
        handler.__annotations__ = {k: v for k, v in fn.__annotations__.items() if k != "actor"}
        return rx.event(handler)

    return decorate
