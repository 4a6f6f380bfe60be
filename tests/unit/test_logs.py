"""crm_app.logs: the lines an operator reads, JSON or text, with the request's or event's id."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace

import pytest
from reflex_base.event.context import EventContext

from crm_app import logs
from crm_app.event_ids import EventIdMiddleware
from crm_app.settings import load_settings
from tests.event_loop import run_coroutine


@contextmanager
def configured(environ: dict[str, str]) -> Iterator[io.StringIO]:
    """The root logger writing to a buffer as configure() sets it; the previous handlers put back after."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    logs.configure(load_settings(environ), stream=stream)
    try:
        yield stream
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in saved[0]:
            root.addHandler(handler)
        root.setLevel(saved[1])


@pytest.fixture
def output() -> Iterator[io.StringIO]:
    with configured({"CRM_LOG_FORMAT": "json"}) as stream:
        yield stream


def lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_a_line_is_one_json_object_with_time_level_logger_and_message(output):
    logging.getLogger("crm_app.test").info("sent %d messages", 3, extra={"campaign_id": 7})
    [line] = lines(output)
    assert line["level"] == "INFO"
    assert line["logger"] == "crm_app.test"
    assert line["message"] == "sent 3 messages"
    assert line["campaign_id"] == 7
    assert line["pid"] == os.getpid()
    assert line["time"].endswith("+00:00")
    assert "request_id" not in line


def test_the_request_id_reaches_every_line_of_the_request_and_stops_with_it(output):
    log = logging.getLogger("crm_app.test")
    with logs.bound(request_id="abc123"):
        log.info("inside")
    log.info("outside")
    inside, outside = lines(output)
    assert inside["request_id"] == "abc123"
    assert "request_id" not in outside


def test_an_exception_is_one_line_with_its_traceback(output):
    try:
        raise ValueError("bad value")
    except ValueError:
        logging.getLogger("crm_app.test").exception("could not save")
    text = output.getvalue()
    assert text.count("\n") == 1
    [line] = lines(output)
    assert line["level"] == "ERROR"
    assert "ValueError: bad value" in line["exception"]
    assert "Traceback" in line["exception"]


def test_text_mode_is_plain_lines_with_the_id():
    with configured({"CRM_LOG_FORMAT": "text", "CRM_LOG_LEVEL": "WARNING"}) as stream, \
            logs.bound(request_id="r-1"):
        logging.getLogger("crm_app.test").warning("slow query")
        logging.getLogger("crm_app.test").info("not shown below WARNING")
    text = stream.getvalue()
    assert text.endswith("WARNING crm_app.test [request_id=r-1]: slow query\n")
    assert "{" not in text
    assert "not shown" not in text


def test_the_web_servers_access_logs_go_through_the_same_lines(output):
    logging.getLogger("uvicorn.access").info("GET /api/health 200")
    [line] = lines(output)
    assert line["logger"] == "uvicorn.access"


def test_each_websocket_event_gets_its_own_id_and_the_tab_only_as_a_hash(output):
    """As Reflex runs them: each event in its own task, the middlewares awaited before the handler."""
    token = "tab-token-0123456789"
    state = SimpleNamespace(router=SimpleNamespace(session=SimpleNamespace(client_token=token)))

    async def event_task(name: str) -> None:
        await EventIdMiddleware().preprocess(None, state, SimpleNamespace(name=name))
        await asyncio.sleep(0)  # the handler, after a suspension
        logging.getLogger("crm_app.handler").info("handled")

    async def two_events() -> None:
        await asyncio.gather(asyncio.create_task(event_task("customers.set_search")),
                             asyncio.create_task(event_task("customers.next_page")))
        logging.getLogger("crm_app.handler").info("after the events")

    run_coroutine(two_events())
    first, second, after = lines(output)
    assert {first["event"], second["event"]} == {"customers.set_search", "customers.next_page"}
    assert first["event_id"] != second["event_id"]
    assert first["tab"] == second["tab"] == logs.token_hash(token)
    assert token not in output.getvalue()
    assert "event_id" not in after


@pytest.mark.parametrize(("incoming", "kept"), [("req-1.a:b", True), ("a" * 64, True), ("a" * 65, False),
                                                 ("two words", False), ("", False), (None, False)])
def test_an_incoming_request_id_is_kept_only_when_short_and_plain(incoming, kept):
    assert (logs.accepted_id(incoming) == incoming) is kept


def test_a_line_written_outside_the_handler_still_names_reflex_s_event(output):
    """Reflex runs the exception handler of an event in another task, with the event's EventContext only."""
    token = "tab-token-abcdef"

    async def exception_handler_task() -> None:
        EventContext._context_var.set(SimpleNamespace(txid="0123456789ab", token=token))
        logging.getLogger("crm_app.states.payloads").error("event handler failed")

    EventIdMiddleware()  # registers the fallback, as the app does when it adds the middleware
    run_coroutine(exception_handler_task())
    [line] = lines(output)
    assert line["event_id"] == "0123456789ab"
    assert line["tab"] == logs.token_hash(token)
    assert token not in output.getvalue()
