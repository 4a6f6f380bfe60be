"""A forged event whose payload does not fit the handler is refused with a message in the user's
language, before the handler runs; what no handler caught is logged and shown in that language too
(issue 19, finding 6). Before: ``{"body": {"nested": [1, 2]}}`` was stored as its Python repr, and a
string id or a missing key answered Reflex's English "An error occurred. Contact the website
administrator."."""

from __future__ import annotations

import logging
from types import SimpleNamespace

import pytest
from reflex_base.event.context import EventContext

import crm_app.states.customer_feed as feed_module
from crm_app.domain.dto import Actor
from crm_app.i18n import t
from crm_app.states import payloads
from crm_app.states.customer_feed import CustomerFeedState
from crm_app.states.users import UsersState
from tests.unit.test_authorized_async import run

ACTOR = Actor(user_id=1, organization_id=1, role="admin", name="Ana", email="ana@example.test", language="es")


class Stub:
    """What the guard and the refusal read from a state."""

    def __init__(self, lang: str = "es") -> None:
        self.lang, self._customer_id, self.comment_error, self.comment_generation = lang, 7, "", 0

    def _actor(self):
        return ACTOR

    def _t(self, key, **params):
        return t(key, self.lang, **params)

    def _show_new(self, *_args):
        pass


def toast_text(spec) -> str:
    return str(spec)


@pytest.fixture
def no_service(monkeypatch):
    calls = []
    monkeypatch.setattr(feed_module.comment_service, "add_comment", lambda **kw: calls.append(kw))
    return calls


@pytest.mark.parametrize("form", [{"body": {"nested": [1, 2]}}, {"body": [["x"]]}, ["body"], "body"])
def test_a_comment_body_of_the_wrong_type_is_refused_and_never_stored(form, no_service, caplog):
    with caplog.at_level(logging.WARNING, logger="crm_app.states.payloads"):
        answer = CustomerFeedState.add_comment.fn(Stub(), form)
    assert no_service == []
    assert t("payload_invalid", "es") in toast_text(answer)
    assert "add_comment" in caplog.text


def test_the_refusal_speaks_the_users_language(no_service):
    answer = CustomerFeedState.add_comment.fn(Stub("en"), {"body": {}})
    assert t("payload_invalid", "en") in toast_text(answer)


def test_a_well_formed_comment_goes_through(no_service):
    CustomerFeedState.add_comment.fn(Stub(), {"body": "Hola"})
    assert no_service == [{"session": no_service[0]["session"], "actor": ACTOR, "customer_id": 7,
                           "body": "Hola"}]


@pytest.mark.parametrize("args, kwargs", [
    ((), {}),                                       # missing key
    (("7",), {}),                                   # a string id
    (([7],), {}),                                   # a list
    ((True,), {}),                                  # a bool is not an id
    ((2**64,), {}),                                 # past 64 bits
    ((7,), {"extra": 1}),                           # an unknown key
])
def test_an_id_parameter_refuses_everything_but_an_int(args, kwargs):
    calls = []
    stub = Stub()
    stub._forget_secret = lambda: calls.append("ran")
    answer = UsersState.enable.fn(stub, *args, **kwargs)
    assert t("payload_invalid", "es") in toast_text(answer) and calls == []


@pytest.mark.parametrize("value, hint, ok", [
    (1, int, True), (True, int, False), (1.5, int, False), (2**63, int, False), (-(2**63), int, True),
    ("a", str, True), (1, str, False), (None, str | None, True), (None, str, False),
    ([1, 2], list[int], True), ([1, "2"], list[int], False), ({"a": 1}, dict[str, int], True),
    ({1: 1}, dict[str, int], False), (float("nan"), float, False), (2, float, True),
])
def test_fits(value, hint, ok):
    assert payloads.fits(value, hint) is ok


def test_an_async_handler_is_checked_too():
    from crm_app.states.customer_files import CustomerFilesState

    answer = run(CustomerFilesState.upload.fn(Stub(), files="not a list"))
    assert t("payload_invalid", "es") in toast_text(answer)


def test_what_no_handler_caught_is_logged_and_answered_in_the_connections_language(caplog):
    context = SimpleNamespace(router_data={"headers": {"cookie": "a=b; crm_lang=en"}})
    token = EventContext._context_var.set(context)
    try:
        with caplog.at_level(logging.ERROR, logger="crm_app.states.payloads"):
            answer = payloads.backend_exception(TypeError("submit() missing 1 required argument"))
    finally:
        EventContext._context_var.reset(token)
    assert t("server_error", "en") in toast_text(answer)
    assert "An error occurred" not in toast_text(answer)
    assert "missing 1 required argument" in caplog.text


def test_without_a_language_cookie_the_default_language_is_used():
    answer = payloads.backend_exception(ValueError("x"))
    assert t("server_error", "es") in toast_text(answer)


def test_the_app_registers_the_handler():
    from crm_app.crm_app import app

    assert app.backend_exception_handler is payloads.backend_exception
