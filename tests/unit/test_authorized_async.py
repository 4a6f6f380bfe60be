"""``@authorized`` guards async handlers (uploads) exactly like sync ones: no session, no call."""

from __future__ import annotations

import asyncio
import inspect
from concurrent.futures import ThreadPoolExecutor

from crm_app.domain.dto import Actor
from crm_app.domain.errors import NotFound
from crm_app.states.customer_files import CustomerFilesState


def run(coroutine):
    """Run a coroutine on its own loop in another thread: the e2e tests' sync Playwright may have left
    an event loop running in this one (asyncio.run refuses to nest)."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class _Stub:
    """Just what the guard reads from a state."""

    def __init__(self, actor: Actor | None) -> None:
        self.actor, self.ended = actor, False

    def _actor(self):
        return self.actor

    def _session_ended(self):
        self.ended = True
        return "to sign-in"

    def _err(self, error):
        return error.code


ACTOR = Actor(user_id=1, organization_id=1, role="sales", name="Ana", email="ana@example.test",
              language="es")


def test_async_upload_handler_stays_async_and_hides_the_actor_parameter():
    fn = CustomerFilesState.upload.fn
    assert inspect.iscoroutinefunction(fn)
    assert list(inspect.signature(fn).parameters) == ["self", "files"]


def test_signed_out_upload_is_refused_before_reading_anything():
    stub = _Stub(None)

    class Exploding(list):
        def __iter__(self):
            raise AssertionError("files read without a session")

    assert run(CustomerFilesState.upload.fn(stub, files=Exploding())) == "to sign-in"
    assert stub.ended


def test_not_found_inside_an_async_handler_becomes_a_message(monkeypatch):
    import crm_app.states.customer_files as module

    def refuse(*_args, **_kwargs):
        raise NotFound("customer")

    monkeypatch.setattr(module, "_store_all", refuse)
    stub = _Stub(ACTOR)
    stub._customer_id, stub.lang = 999, "es"
    result = run(CustomerFilesState.upload.fn(stub, files=[]))
    assert result is not None and not stub.ended
