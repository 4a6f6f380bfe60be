"""The HTTP layer seen from a browser: security headers and a CSP the production build runs under,
the app reached through another address, the websocket refused to other sites, forged uploads."""

from __future__ import annotations

import base64
import os
import socket
import uuid
from decimal import Decimal

import httpx
import pytest
from playwright.sync_api import Page, expect
from sqlmodel import select

from crm_app.domain.accounts import AccountInput
from crm_app.domain.customers import CustomerInput
from crm_app.models import StoredFile
from crm_app.services.accounts import create_account
from crm_app.services.customers import create_customer
from tests.e2e.conftest import (
    PASSWORD,
    AppServer,
    db_session,
    make_org_with_admin,
    make_user,
    path_is,
    sign_in,
    wait_hydrated,
)

HEADERS = ("content-security-policy", "x-frame-options", "x-content-type-options", "referrer-policy")

# Every securitypolicyviolation of every document the page loads, reported to the test.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  const where = `${e.sourceFile}:${e.lineNumber}`;
  window.reportCspViolation(`${e.violatedDirective} blocked ${e.blockedURI} (${where})`);
});
"""


class CspWatch:
    """Collects CSP violations (event and console) and the security headers of each page load."""

    def __init__(self, page: Page) -> None:
        self.violations: list[str] = []
        self.missing_headers: list[str] = []
        self.documents = 0
        page.context.expose_function("reportCspViolation", lambda text: self.violations.append(text))
        page.add_init_script(REPORT_VIOLATIONS)
        page.on("console", self._console)
        page.on("response", self._response)

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def _response(self, response) -> None:
        if response.request.resource_type != "document":
            return
        self.documents += 1
        missing = [h for h in HEADERS if h not in response.headers]
        if missing:
            self.missing_headers.append(f"{response.url}: {missing}")


def _visit(page: Page, url: str) -> None:
    page.goto(url)
    wait_hydrated(page)
    expect(page.locator("h1, h2").first).to_be_visible()
    page.wait_for_load_state("networkidle")


def test_every_page_runs_under_the_csp_and_sends_the_security_headers(app_server: AppServer, page: Page):
    admin = make_org_with_admin(app_server.db_url)
    with db_session(app_server.db_url) as session:
        customer = create_customer(session=session, actor=admin.actor, data=CustomerInput(
            client_type="person", first_name="Marta", last_name="Mapa",
            latitude=Decimal("-0.180653"), longitude=Decimal("-78.467834")))
        account = create_account(session=session, actor=admin.actor, data=AccountInput(name="Andes SA"))
    second_admin = make_user(app_server.db_url, admin, "admin")
    watch = CspWatch(page)

    for path in ("/login", "/setup", "/register/not-a-real-invitation", "/no-such-page"):
        _visit(page, app_server.url(path))

    # A temporary password: the change answers with a toast, which Reflex runs with eval.
    sign_in(page, app_server.base_url, second_admin.email, second_admin.password, landing="/account")
    wait_hydrated(page)
    page.get_by_label("Contraseña actual").fill(second_admin.password)
    page.get_by_label("Nueva contraseña").fill(PASSWORD)
    page.get_by_label("Repite la contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Cambiar contraseña").click()
    expect(page).to_have_url(path_is("/"))
    expect(page.get_by_text("Contraseña cambiada")).to_be_visible()

    for path in ("/", "/customers", "/accounts", f"/accounts/{account.id}", "/templates", "/invitations",
                 "/tasks", "/account", "/settings", "/settings/users", "/settings/form"):
        _visit(page, app_server.url(path))
    _visit(page, app_server.url(f"/customers/{customer.id}"))
    expect(page.locator("#customer-map .leaflet-container")).to_be_visible()
    _visit(page, app_server.url("/customers"))
    page.get_by_role("button", name="Nuevo cliente").first.click()
    expect(page.locator("#customer-form-map .leaflet-container")).to_be_visible()
    page.wait_for_load_state("networkidle")

    assert watch.documents >= 16
    assert watch.missing_headers == []
    assert watch.violations == []


@pytest.mark.parametrize("path", ["/", "/customers/", "/login/", "/ping", "/api/files/1"])
def test_pages_and_routes_answer_with_the_security_headers(app_server: AppServer, path: str):
    response = httpx.get(app_server.url(path))
    for header in HEADERS:
        assert header in response.headers, (path, header)
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0]
    assert response.headers["x-frame-options"] == "DENY"
    assert "strict-transport-security" not in response.headers  # not production


# Workplace network rule: tests send traffic only to loopback addresses, never to the machine's LAN
# address. 127.0.0.1 and 127.0.0.2 stand in for "another address a visitor used" (a phone typing the
# LAN address): the server listens on 0.0.0.0, and every 127/8 address reaches it.
@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2"])
def test_the_app_works_opened_through_another_address(app_server: AppServer, new_page, host: str):
    admin = make_org_with_admin(app_server.db_url)
    page = new_page()
    base = f"http://{host}:{app_server.port}"
    sign_in(page, base, admin.email, admin.password)  # sign-in is a websocket event
    page.goto(base + "/customers")
    expect(page.get_by_role("heading", name="Clientes")).to_be_visible()
    expect(page.get_by_text("No se puede conectar")).to_have_count(0)


def _handshake(host: str, port: int, origin: str) -> int:
    """The HTTP status a websocket handshake to /_event gets (101 accepted, 403 refused)."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (f"GET /_event/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}:{port}\r\n"
               f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
               f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n")
    with socket.create_connection((host, port), timeout=10) as sock:
        sock.sendall(request.encode())
        status_line = sock.recv(4096).split(b"\r\n", 1)[0]
    return int(status_line.split()[1])


def test_the_websocket_refuses_other_sites_and_accepts_the_page_own_origin(app_server: AppServer):
    port = app_server.port
    assert _handshake("127.0.0.2", port, "http://evil.example") == 403
    assert _handshake("127.0.0.2", port, f"http://127.0.0.1:{port}") == 403
    assert _handshake("127.0.0.2", port, f"http://127.0.0.2:{port}") == 101
    assert _handshake("localhost", port, f"http://localhost:{port}") == 101


def _multipart(count: int) -> tuple[str, bytes]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="__reflex_event_args"\r\n\r\n{{}}\r\n'
             .encode()]
    for i in range(count):
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="n{i}.txt"\r\n'
                     f"Content-Type: text/plain\r\n\r\nnote {i}\r\n".encode())
    return f"multipart/form-data; boundary={boundary}", b"".join(parts) + f"--{boundary}--\r\n".encode()


def test_forged_uploads_are_refused_before_reflex(app_server: AppServer, page: Page):
    admin = make_org_with_admin(app_server.db_url)
    with db_session(app_server.db_url) as session:
        customer = create_customer(session=session, actor=admin.actor, data=CustomerInput(
            client_type="person", first_name="Ana", last_name="Archivos"))
    sign_in(page, app_server.base_url, admin.email, admin.password)
    page.goto(app_server.url(f"/customers/{customer.id}"))
    wait_hydrated(page)
    token = page.evaluate("() => window.sessionStorage.getItem('token')")
    upload = _upload_handler_name()

    def forged(count: int, handler: str = upload):
        content_type, body = _multipart(count)
        return {"headers": {"content-type": content_type, "reflex-client-token": token,
                            "reflex-event-handler": handler}, "data": body}

    assert page.request.post(app_server.url("/_upload"), **forged(11)).status == 400
    not_an_upload = upload.removesuffix("upload") + "load"
    assert page.request.post(app_server.url("/_upload"), **forged(1, not_an_upload)).status == 400
    signed_out = forged(1)
    assert httpx.post(app_server.url("/_upload"), headers=signed_out["headers"],
                      content=signed_out["data"]).status_code == 401

    with db_session(app_server.db_url) as session:
        assert session.exec(select(StoredFile).where(StoredFile.customer_id == customer.id)).all() == []


def _upload_handler_name() -> str:
    from reflex.utils.format import format_event_handler

    from crm_app.states.customer_files import CustomerFilesState

    return format_event_handler(CustomerFilesState.event_handlers["upload"])
