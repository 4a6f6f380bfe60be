"""The one bounded render (services/template_render.py) and the live check of the editor and the send
dialog (states/template_check.py): off the event loop, time-limited, size-capped per channel, and
every problem a field error in the user's language (issue 19, findings 1 and 6).
"""

from __future__ import annotations

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from crm_app.domain.dto import Actor
from crm_app.domain.errors import ValidationFailed
from crm_app.domain.templating import MAX_RENDERED
from crm_app.services import template_render
from crm_app.services.template_render import SAMPLE_CONTEXT, render_bounded, render_message
from crm_app.states import template_check
from crm_app.states.send_message import SendMessageState
from crm_app.states.templates import TemplatesState

NESTED_LOOP = "{% for i in range(100000) %}{% for j in range(3000) %}x{% endfor %}{% endfor %}"
ACTOR = Actor(user_id=1, organization_id=1, role="admin", name="Ana", email="ana@example.test", language="es")
CUSTOMER = {"first_name": "Lucía", "full_name": "Lucía Prueba", "organization": "Andina"}


def run(coroutine):
    """Run a coroutine on its own loop in another thread (sync Playwright may have left one running)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_the_size_cap_depends_on_the_channel():
    for channel in ("sms", "whatsapp"):
        limit = MAX_RENDERED[channel]
        assert render_message(channel, "", "x" * limit, SAMPLE_CONTEXT).body == "x" * limit
        with pytest.raises(ValidationFailed) as refused:
            render_message(channel, "", "x" * (limit + 1), SAMPLE_CONTEXT)
        error = refused.value.errors["body"]
        assert (error.code, error.params["detail"]) == ("template_output_too_long", str(limit))
    with pytest.raises(ValidationFailed) as refused:
        render_message("email", "{{ full_name }}" * 6, "Hola", {"full_name": "x" * 200})
    assert refused.value.errors["subject"].code == "template_output_too_long"


def test_a_refused_template_is_a_field_error_on_its_own_field():
    with pytest.raises(ValidationFailed) as refused:
        run(render_bounded("email", "{{ 'a' * 300000000 }}", NESTED_LOOP, SAMPLE_CONTEXT))
    errors = refused.value.errors
    assert (errors["subject"].code, errors["body"].code) == ("template_no_operator", "template_no_loop")
    assert errors["body"].params == {"line": 1, "detail": "for"}


def test_a_render_past_the_time_limit_is_stopped_as_a_template_problem(monkeypatch):
    def slow(*_args):
        time.sleep(0.5)

    monkeypatch.setattr(template_render, "_render_now", slow)
    monkeypatch.setattr(template_render, "_limit", lambda: 0.01)
    with pytest.raises(ValidationFailed) as refused:
        render_message("sms", "", "Hola", SAMPLE_CONTEXT)
    assert refused.value.errors["body"].code == "template_too_slow"
    with pytest.raises(ValidationFailed) as refused:
        run(render_bounded("sms", "", "Hola", SAMPLE_CONTEXT))
    assert refused.value.errors["body"].code == "template_too_slow"


def test_the_event_loop_keeps_running_while_a_template_renders(monkeypatch):
    real = template_render._render_now
    ticks: list[int] = []

    def slow(*args):
        time.sleep(0.3)
        return real(*args)

    async def ticker():
        for n in range(1000):
            ticks.append(n)
            await asyncio.sleep(0.01)

    async def scenario():
        beat = asyncio.create_task(ticker())
        rendered = await render_bounded("sms", "", "Hola {{ first_name }}", {"first_name": "Ana"})
        beat.cancel()
        return rendered

    monkeypatch.setattr(template_render, "_render_now", slow)
    assert run(scenario()).body == "Hola Ana"
    assert len(ticks) > 1  # other coroutines ran while the render was in its thread


# --------------------------------------------------------------------------- the states' live check


class _Tab:
    """Just what the editor's and the send dialog's handlers read and write, with a lock."""

    def __init__(self, lang: str, **fields) -> None:
        self.lang, self._check_seq, self._checking = lang, 0, False
        self.errors, self.preview_subject, self.preview_body, self.sms_info = {}, "", "", ""
        self.__dict__.update(fields)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *_exc):
        return False

    def _actor(self):
        return ACTOR

    def _err(self, error):
        from crm_app.i18n import error_text

        return error_text(error, self.lang)

    def _t(self, key, **params):
        from crm_app.i18n import t

        return t(key, self.lang, **params)


class _EditorTab(_Tab):
    _draft_changed = TemplatesState._draft_changed
    _show_check = TemplatesState._show_check
    _check_request = TemplatesState._check_request
    live_check = TemplatesState.live_check


class _SendTab(_Tab):
    _draft_changed = SendMessageState._draft_changed
    _show_check = SendMessageState._show_check
    _check_request = SendMessageState._check_request
    live_check = SendMessageState.live_check


@pytest.fixture
def customer_context(monkeypatch):
    asked: list[int] = []

    def context(actor, customer_id):
        asked.append(customer_id)
        return {**SAMPLE_CONTEXT, **CUSTOMER}

    monkeypatch.setattr(template_check, "_context", context)
    return asked


@pytest.mark.parametrize(
    "lang, message",
    [("es", "Las repeticiones ({% for %}) no están permitidas en una plantilla (línea 1)."),
     ("en", "Loops ({% for %}) are not allowed in a template (line 1).")],
)
def test_the_editor_refuses_the_nested_loop_body_next_to_the_body(lang, message, customer_context):
    tab = _EditorTab(lang, editor_open=True, channel="email", subject="Hola", body="", name="Promo",
                     preview_customer_id=7)
    check = TemplatesState.set_body.fn(tab, NESTED_LOOP)
    assert check is TemplatesState.live_check and tab.body == NESTED_LOOP  # the keystroke only stores
    assert TemplatesState.set_subject.fn(tab, "Hola {{ first_name }}") is None  # one check is running
    run(TemplatesState.live_check.fn(tab))
    assert tab.errors == {"body": message}
    assert (tab.preview_subject, tab.preview_body, tab._checking) == ("", "", False)

    TemplatesState.set_body.fn(tab, "Hola {{ first_name }}")
    run(TemplatesState.live_check.fn(tab))
    assert tab.errors == {}
    assert (tab.preview_subject, tab.preview_body) == ("Hola Lucía", "Hola Lucía")


@pytest.mark.parametrize("lang, word", [("es", "línea 1"), ("en", "line 1")])
def test_the_send_dialog_preview_refuses_the_nested_loop_body(lang, word, customer_context):
    tab = _SendTab(lang, open=True, customer_id=7, channel="sms", subject="", body="")
    assert SendMessageState.set_body.fn(tab, NESTED_LOOP) is SendMessageState.live_check
    run(SendMessageState.live_check.fn(tab))
    assert set(tab.errors) == {"body"} and "{% for %}" in tab.errors["body"] and word in tab.errors["body"]
    assert tab.preview_body == "" and customer_context == [7]

    SendMessageState.set_body.fn(tab, "Hola {{ first_name }}")
    run(SendMessageState.live_check.fn(tab))
    assert (tab.errors, tab.preview_body) == ({}, "Hola Lucía")
    assert tab.sms_info.startswith("10 ")  # the length of what is sent, not of the template


def test_a_check_started_for_an_old_text_goes_round_again(customer_context):
    tab = _EditorTab("es", editor_open=True, channel="sms", subject="", body="", name="x",
                     preview_customer_id=0)
    real_check = template_check.check

    async def typed_meanwhile(request):
        outcome = await real_check(request)
        if tab.body == NESTED_LOOP:
            tab.body, tab._check_seq = "Hola {{ first_name }}", tab._check_seq + 1
        return outcome

    TemplatesState.set_body.fn(tab, NESTED_LOOP)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(template_check, "check", typed_meanwhile)
        run(TemplatesState.live_check.fn(tab))
    assert tab.errors == {} and not tab._checking  # the loop's error, now stale, was never shown
