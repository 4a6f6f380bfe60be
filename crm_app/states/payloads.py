"""Event payloads are checked against the handler's annotations before the handler runs.

Any handler can be called from the websocket with any JSON. Reflex converts what it can ("42" for an
``int``) and, when it cannot, logs a warning and passes the raw value on, so a forged event reached
the handler with an object where it expected text (a comment stored as ``{'nested': [1, 2]}``), or
failed inside it with Reflex's generic English toast. Here a payload that does not fit is refused
with a message in the user's language, and the details go to the server log.

What an annotation admits: ``int`` a 64-bit integer (never a bool), ``float`` a number, ``str`` text,
``bool`` true/false, ``list[X]`` / ``dict[str, X]`` their items, unions any arm. A bare ``dict``
parameter is a submitted form: text, booleans, numbers or lists of text, never a nested object.
"""

import functools
import inspect
import logging
import math
import types
import typing
from collections.abc import Callable
from http.cookies import CookieError, SimpleCookie

import redis.exceptions
import reflex as rx
from reflex.event import EventSpec
from reflex_base.event.context import EventContext

from crm_app.db import database_unavailable
from crm_app.domain.ids import MAX_INT64
from crm_app.i18n import LANGUAGES, t
from crm_app.settings import get_settings

log = logging.getLogger("crm_app.states.payloads")

_FORM_VALUE = str | bool | int | float | list[str | bool | int | float] | None


def fits(value: object, hint: object) -> bool:
    """Whether ``value`` (decoded JSON, or what Reflex made of it) is of type ``hint``."""
    if hint is typing.Any or hint is inspect.Parameter.empty:
        return True
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is typing.Union or origin is types.UnionType:
        return any(fits(value, arm) for arm in args)
    if hint is None or hint is type(None):
        return value is None
    if hint is bool:
        return isinstance(value, bool)
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool) and -MAX_INT64 - 1 <= value <= MAX_INT64
    if hint is float:
        return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
    if origin in (list, tuple, set, frozenset) or hint in (list, tuple, set, frozenset):
        item = args[0] if args else typing.Any
        return isinstance(value, list | tuple | set | frozenset) and all(fits(v, item) for v in value)
    if origin is dict or hint is dict:
        key, item = args if args else (str, typing.Any)
        return isinstance(value, dict) and all(fits(k, key) and fits(v, item) for k, v in value.items())
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True  # a Literal, a TypeVar...: left to the handler


@functools.cache
def _parameters(fn: Callable) -> list[tuple[str, object]]:
    """(name, hint) of the parameters a client fills: not ``self`` nor ``actor``. A bare ``dict`` at
    the top level is a form."""
    hints = typing.get_type_hints(fn)
    names = [n for n in inspect.signature(fn).parameters if n not in ("self", "actor")]
    return [(n, dict[str, _FORM_VALUE] if hints.get(n) is dict else hints.get(n, typing.Any)) for n in names]


def payload_problem(fn: Callable, args: tuple, kwargs: dict) -> str | None:
    """None when the arguments fit ``fn(self, actor, ...)``, else what is wrong (for the log)."""
    try:
        bound = inspect.signature(fn).bind(None, None, *args, **kwargs)
    except TypeError as exc:  # a missing or an unknown key
        return str(exc)
    for name, hint in _parameters(fn):
        if name in bound.arguments and not fits(bound.arguments[name], hint):
            return f"{name}={bound.arguments[name]!r:.200} is not {hint}"
    return None


def checked_payload(fn: Callable) -> Callable:
    """``fn(self, actor, ...)`` that first refuses arguments its annotations do not admit."""

    def refuse(self, problem: str) -> EventSpec:
        log.warning("refused %s: %s", fn.__qualname__, problem)
        return rx.toast.error(self._t("payload_invalid"))

    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def checked(self, actor, *args, **kwargs):
            problem = payload_problem(fn, args, kwargs)
            return refuse(self, problem) if problem else await fn(self, actor, *args, **kwargs)

    else:

        @functools.wraps(fn)
        def checked(self, actor, *args, **kwargs):
            problem = payload_problem(fn, args, kwargs)
            return refuse(self, problem) if problem else fn(self, actor, *args, **kwargs)

    return checked


def _event_language() -> str:
    """The UI language of the event being handled, from the connection's ``crm_lang`` cookie."""
    try:
        cookie = EventContext.get().router_data.get("headers", {}).get("cookie", "")
        morsel = SimpleCookie(cookie).get("crm_lang")
    except (LookupError, AttributeError, CookieError):
        morsel = None
    lang = morsel.value if morsel is not None else ""
    return lang if lang in LANGUAGES else get_settings().default_language


def backend_exception(exception: Exception) -> EventSpec:
    """rx.App's backend_exception_handler: whatever a handler did not catch (a public handler called
    with a missing key...) is logged with its traceback and shown as a message in the user's language,
    never Reflex's English "An error occurred. Contact the website administrator.".

    A database that cannot be reached (down, restarting, no free connection) is not a bug: the user
    is told to try again in a few seconds (what he was doing was rolled back by session_scope), and
    one log line says so without a traceback. One toast id, so repeated clicks do not pile them up."""
    lang = _event_language()
    first_line = str(exception).strip().splitlines()[0] if str(exception).strip() else ""
    if database_unavailable(exception):
        log.warning("event failed, database unavailable: %s: %.200s", type(exception).__name__, first_line)
        return rx.toast.error(t("database_unavailable", lang), id="database-unavailable")
    if isinstance(exception, redis.exceptions.ConnectionError | redis.exceptions.TimeoutError):
        # The tabs' state store (CRM_STATE_MANAGER=redis) is restarting: the client reconnects by itself,
        # and a tab whose state was lost is loaded again on its page by Reflex (still signed in).
        log.warning("event failed, state store unavailable: %s: %.200s", type(exception).__name__, first_line)
        return rx.toast.error(t("state_store_unavailable", lang), id="state-store-unavailable")
    log.error("event handler failed", exc_info=exception)
    return rx.toast.error(t("server_error", lang))
