"""What reaches Reflex's upload endpoint: a signed-in user, one of the app's upload handlers, at most 10
files and 201 MB. Everything else is refused by crm_app.api's middleware before Reflex parses a byte."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from reflex.utils.format import format_event_handler
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response

from crm_app import api, db
from crm_app.api.upload_access import UploadAccess, upload_handler_names
from crm_app.api.upload_limit import MAX_UPLOAD_REQUEST, UploadSizeLimit
from crm_app.services import auth
from crm_app.states.customer_files import CustomerFilesState
from tests.db import run_like_app
from tests.factories import ADMIN_PASSWORD, make_org, unique_email

UPLOAD = format_event_handler(CustomerFilesState.event_handlers["upload"])
NOT_AN_UPLOAD = format_event_handler(CustomerFilesState.event_handlers["load_more"])


@pytest.fixture
def reached(engine, session, monkeypatch) -> list[int]:
    """The number of files each request that got through the middleware carried (Reflex's place)."""
    monkeypatch.setattr(db, "get_engine", lambda url=None: engine)  # session_scope() on the test database
    return []


@pytest.fixture
def client(reached) -> Iterator[TestClient]:
    app = api.build()

    async def reflex_upload(request: Request) -> Response:
        try:  # as Reflex's upload endpoint does
            form = await request.form()
        except ClientDisconnect:
            return Response()
        reached.append(len(form.getlist("files")))
        return JSONResponse({})

    app.add_route("/_upload", reflex_upload, methods=["POST"])
    with TestClient(app, base_url="http://localhost") as test_client:
        yield test_client


@pytest.fixture
def token(session) -> str:
    email = unique_email("admin")
    make_org(session, "A", admin_email=email)
    return run_like_app(session, auth.sign_in, email=email, password=ADMIN_PASSWORD, ip="127.0.0.1").token


def files(count: int) -> list[tuple[str, tuple[str, bytes, str]]]:
    return [("files", (f"f{i}.txt", b"hello", "text/plain")) for i in range(count)]


def post(client: TestClient, *, handler: str = UPLOAD, count: int = 1, **kwargs):
    headers = {"reflex-client-token": "tab-token", "reflex-event-handler": handler}
    return client.post("/_upload", files=files(count), data={"__reflex_event_args": "{}"}, headers=headers,
                       **kwargs)


def test_a_signed_in_upload_of_ten_files_reaches_the_handler(client, token, reached):
    client.cookies.set("crm_session", token)
    assert post(client, count=10).status_code == 200
    assert reached == [10]


def test_eleven_files_are_refused_and_the_handler_never_runs(client, token, reached):
    client.cookies.set("crm_session", token)
    response = post(client, count=11)
    assert response.status_code == 400 and "10 files" in response.json()["detail"]
    assert reached == []


@pytest.mark.parametrize("cookie", [None, "", "forged-token"])
def test_without_a_valid_session_the_upload_is_401(client, reached, cookie):
    if cookie is not None:
        client.cookies.set("crm_session", cookie)
    assert post(client).status_code == 401
    assert reached == []


def test_a_signed_out_session_can_no_longer_upload(client, token, reached, session):
    client.cookies.set("crm_session", token)
    run_like_app(session, auth.sign_out, token=token)
    assert post(client).status_code == 401


@pytest.mark.parametrize("handler", [NOT_AN_UPLOAD, "reflex___state____state.nothing", ""])
def test_a_handler_that_takes_no_upload_is_400(client, token, reached, handler):
    client.cookies.set("crm_session", token)
    response = post(client, handler=handler)
    assert response.status_code == 400
    assert reached == []


def test_the_app_upload_handlers_are_exactly_those_taking_files():
    assert UPLOAD in upload_handler_names()
    assert NOT_AN_UPLOAD not in upload_handler_names()


def test_a_signed_out_upload_is_refused_before_its_body_is_read(reached):
    sent: list[dict] = []

    async def receive():
        raise AssertionError("the body was read")

    async def send(message):
        sent.append(message)

    async def app(scope, receive, send):
        raise AssertionError("the request reached Reflex")

    scope = {"type": "http", "method": "POST", "path": "/_upload", "headers": [
        (b"content-type", b"multipart/form-data; boundary=x"), (b"cookie", b"crm_session=forged")]}
    asyncio.run(UploadAccess(app)(scope, receive, send))
    assert sent[0]["status"] == 401


def test_upload_requests_over_the_limit_are_refused_before_reaching_reflex(client, token, reached):
    client.cookies.set("crm_session", token)
    response = client.post("/_upload", headers={"content-length": str(MAX_UPLOAD_REQUEST + 1),
                                                "reflex-event-handler": UPLOAD}, content=b"")
    assert response.status_code == 413
    assert reached == []


def test_a_body_longer_than_announced_is_cut_off_with_413():
    from starlette.applications import Starlette
    from starlette.responses import PlainTextResponse
    from starlette.routing import Route

    async def echo(request: Request) -> PlainTextResponse:
        try:
            return PlainTextResponse(str(len(await request.body())))
        except Exception:
            return PlainTextResponse("")

    app = UploadSizeLimit(Starlette(routes=[Route("/_upload", echo, methods=["POST"])]), limit=10)
    with TestClient(app) as test_client:
        chunks = iter([b"12345", b"67890", b"X"])  # streamed: no Content-Length
        assert test_client.post("/_upload", content=chunks).status_code == 413
        assert test_client.post("/_upload", content=b"small").text == "5"
