"""Accessibility end to end (issue 19): axe-core on every page and the main dialogs, touch targets on a
phone, and the document's language and title following the UI language.

axe-core 4.12 comes from axe-playwright-python (its bundled axe.min.js, injected into the page). Every
page must show 0 serious and 0 critical violations at 1280x900 and at 390x844 (a touch phone), in light
mode, and in dark mode for the home and customer pages. A few structural rules of lower impact
(one <main>, headings in order, the document's language and title) must pass too: the issue names them.

One organization with data is made once for the module; one signed-in browser context per size serves
every page of that size, so the production build and the sign-in are paid once.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect

from crm_app.domain.accounts import AccountInput
from crm_app.services import comments, tasks
from crm_app.services.account_members import add_member
from crm_app.services.accounts import create_account
from crm_app.services.file_store import FileStore
from crm_app.services.files import store_file
from crm_app.services.invitations import InvitationInput, invite
from crm_app.services.templates import TemplateInput, save_template
from tests.e2e.conftest import AppServer, Person, db_session, make_org_with_admin, sign_in, wait_hydrated
from tests.e2e.test_messaging import customer_email
from tests.e2e.test_messaging import make_customer as make_messaging_customer

pytestmark = pytest.mark.e2e

SIZES: dict[str, dict] = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}
BLOCKING_IMPACTS = {"serious", "critical"}
# Lower-impact rules the issue names explicitly: they must pass as well.
REQUIRED_RULES = {"landmark-one-main", "heading-order", "html-has-lang", "html-lang-valid", "document-title",
                  "page-has-heading-one"}
_axe = Axe()


# --- the data every page shows ----------------------------------------------------------------------------


@dataclass(frozen=True)
class World:
    admin: Person
    customer_id: int
    customer_name: str
    account_id: int
    account_name: str
    template_name: str
    invitee: str
    register_path: str


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (20, 120, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def world(app_server: AppServer) -> World:
    admin = make_org_with_admin(app_server.db_url)
    db = app_server.db_url
    email = customer_email("a11y")
    customer_id = make_messaging_customer(db, admin, "Rosa", emails=((email, True),), phone="0987654321")
    invitee = customer_email("invitado")
    with db_session(db) as session:
        comments.add_comment(session=session, actor=admin.actor, customer_id=customer_id,
                             body="Llamar el lunes por la cotización de la vitrina.")
        tasks.create_task(session=session, actor=admin.actor, customer_id=customer_id,
                          data=tasks.TaskInput("Enviar cotización"))
        store_file(session=session, actor=admin.actor, customer_id=customer_id, stream=io.BytesIO(_png()),
                   filename="fachada-del-local.png", store=FileStore(app_server.log_path.parent / "files"))
        account = create_account(session=session, actor=admin.actor,
                                 data=AccountInput(name="Ferretería Andina"))
        add_member(session=session, actor=admin.actor, account_id=account.id, customer_id=customer_id)
        save_template(session=session, actor=admin.actor,
                      data=TemplateInput(channel="email", name="Bienvenida", subject="Hola",
                                         body="Hola {{ first_name }}"))
        _, token = invite(session=session, actor=admin.actor, data=InvitationInput(
            email=invitee, subject="Regístrate", body="Hola: {{ invitation_link }}"))
    return World(admin=admin, customer_id=customer_id, customer_name="Rosa Prueba", account_id=account.id,
                 account_name="Ferretería Andina", template_name="Bienvenida", invitee=invitee,
                 register_path=f"/register/{token}")


# --- one browser context per size -------------------------------------------------------------------------


def _context(browser: Browser, size: str) -> BrowserContext:
    context = browser.new_context(locale="es-EC", color_scheme="light", **SIZES[size])
    context.set_default_timeout(15_000)
    return context


@pytest.fixture(scope="module")
def tabs(browser: Browser, app_server: AppServer, world: World) -> Iterator[Callable[[str, bool], Page]]:
    """``tabs(size, signed_in)``: one page per size and sign-in state, made on first use."""
    made: dict[tuple[str, bool], Page] = {}
    contexts: list[BrowserContext] = []

    def get(size: str, signed_in: bool) -> Page:
        if (size, signed_in) not in made:
            context = _context(browser, size)
            contexts.append(context)
            tab = context.new_page()
            if signed_in:
                sign_in(tab, app_server.base_url, world.admin.email, world.admin.password)
            made[(size, signed_in)] = tab
        return made[(size, signed_in)]

    yield get
    for context in contexts:
        context.close()


# --- pages and dialogs -----------------------------------------------------------------------------------


def _ready(tab: Page, text: str | None = None) -> None:
    """The page is hydrated, its guard let it in (its h1 is there) and, if given, its data is shown."""
    wait_hydrated(tab)
    expect(tab.locator("main h1").first).to_be_visible()
    if text:
        expect(tab.get_by_text(text, exact=False).first).to_be_visible()


@dataclass(frozen=True)
class Screen:
    name: str
    path: Callable[[World], str]
    text: Callable[[World], str | None] = lambda w: None


SIGNED_IN: list[Screen] = [
    Screen("home", lambda w: "/"),
    Screen("customers", lambda w: "/customers", lambda w: w.customer_name),
    Screen("customer", lambda w: f"/customers/{w.customer_id}", lambda w: w.customer_name),
    # On a phone the profile shows one tab at a time (the URL names it); a wide screen shows them all.
    Screen("customer_activity", lambda w: f"/customers/{w.customer_id}?tab=activity", lambda w: "vitrina"),
    Screen("customer_messages", lambda w: f"/customers/{w.customer_id}?tab=messages"),
    Screen("customer_files", lambda w: f"/customers/{w.customer_id}?tab=files",
           lambda w: "fachada-del-local.png"),
    Screen("accounts", lambda w: "/accounts", lambda w: w.account_name),
    Screen("account", lambda w: f"/accounts/{w.account_id}", lambda w: w.account_name),
    Screen("tasks", lambda w: "/tasks", lambda w: "Enviar cotización"),
    Screen("templates", lambda w: "/templates", lambda w: w.template_name),
    Screen("invitations", lambda w: "/invitations", lambda w: w.invitee),
    Screen("settings", lambda w: "/settings"),
    Screen("form_editor", lambda w: "/settings/form"),
    Screen("users", lambda w: "/settings/users", lambda w: w.admin.email),
    Screen("my_account", lambda w: "/account"),
]
SIGNED_OUT: list[Screen] = [
    Screen("login", lambda w: "/login"),
    Screen("register", lambda w: w.register_path),
    Screen("404", lambda w: "/no-such-page"),
]
SCREENS = {s.name: s for s in [*SIGNED_IN, *SIGNED_OUT]}


def _open(tab: Page, server: AppServer, world: World, screen: Screen) -> None:
    tab.goto(server.url(screen.path(world)))
    _ready(tab, screen.text(world))
    if screen.name == "register":  # the invitation's own form, filled in from the link
        expect(tab.get_by_label("Correo electrónico")).to_have_value(world.invitee)


def _open_template_dialog(tab: Page) -> None:
    tab.get_by_role("button", name="Nueva plantilla").click()
    tab.get_by_role("menuitem", name="Correo").click()


def _open_invite_dialog(tab: Page) -> None:
    """A button on a wide screen; on a phone, an item of the list's "Más" menu."""
    if tab.viewport_size["width"] < 768:
        tab.get_by_role("button", name="Más acciones de la lista").click()
        tab.get_by_role("menuitem", name="Invitar cliente").click()
    else:
        tab.get_by_role("button", name="Invitar cliente").click()


# name -> (screen it opens on, how to open it, the dialog's accessible name)
DIALOGS: dict[str, tuple[str, Callable[[Page], None], str]] = {
    "new_customer": ("customers", lambda t: t.get_by_role("button", name="Nuevo cliente").click(),
                     "Nuevo cliente"),
    "invite": ("customers", _open_invite_dialog, "Invitar cliente"),
    "edit_customer": ("customer", lambda t: t.get_by_role("button", name="Editar", exact=True).click(),
                      "Editar cliente"),
    "send_message": ("customer_messages",
                     lambda t: t.get_by_role("button", name=re.compile("^Enviar correo")).click(),
                     "Enviar correo"),
    "account": ("accounts", lambda t: t.get_by_role("button", name="Nueva cuenta").first.click(),
                "Nueva cuenta"),
    "template": ("templates", _open_template_dialog, "Nueva plantilla"),
    "field_editor": ("form_editor", lambda t: t.get_by_role("button", name="Nuevo campo").click(),
                     "Nuevo campo"),
}


def _open_dialog(tab: Page, server: AppServer, world: World, name: str) -> Locator:
    screen, open_it, title = DIALOGS[name]
    _open(tab, server, world, SCREENS[screen])
    open_it(tab)
    dialog = tab.get_by_role("dialog").filter(has=tab.get_by_role("heading", name=title))
    expect(dialog).to_be_visible()
    tab.wait_for_timeout(300)  # the opening animation: axe measures colours of the settled dialog
    return dialog


def _close_dialog(tab: Page) -> None:
    tab.keyboard.press("Escape")
    expect(tab.get_by_role("dialog")).to_have_count(0)


# --- axe -------------------------------------------------------------------------------------------------


def _why(node: dict) -> str:
    """axe's own explanation of one failing element (e.g. the contrast ratio it measured)."""
    checks = node.get("any") or node.get("all") or node.get("none") or []
    return f"  [{checks[0]['message'][:160]}]" if checks else ""


def _axe_problems(tab: Page) -> list[str]:
    results = _axe.run(tab)
    problems = []
    for violation in results.response["violations"]:
        if violation["impact"] not in BLOCKING_IMPACTS and violation["id"] not in REQUIRED_RULES:
            continue
        nodes = [" ".join(map(str, node["target"])) + _why(node) for node in violation["nodes"]]
        more = f"\n      (+{len(nodes) - 8} more)" if len(nodes) > 8 else ""
        problems.append(f"{violation['id']} ({violation['impact']}): {violation['help']}\n      "
                        + "\n      ".join(nodes[:8]) + more)
    return problems


def _assert_clean(tab: Page, where: str) -> None:
    problems = _axe_problems(tab)
    assert not problems, f"axe on {where} ({tab.url}):\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("screen", [s.name for s in SIGNED_OUT])
def test_signed_out_pages_pass_axe(app_server: AppServer, world: World, tabs, size: str, screen: str) -> None:
    tab = tabs(size, False)
    _open(tab, app_server, world, SCREENS[screen])
    _assert_clean(tab, f"{screen} at {size}")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("screen", [s.name for s in SIGNED_IN])
def test_signed_in_pages_pass_axe(app_server: AppServer, world: World, tabs, size: str, screen: str) -> None:
    tab = tabs(size, True)
    _open(tab, app_server, world, SCREENS[screen])
    _assert_clean(tab, f"{screen} at {size}")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("screen", ["home", "customers", "customer"])
def test_dark_mode_pages_pass_axe(app_server: AppServer, world: World, tabs, size: str, screen: str) -> None:
    tab = tabs(size, True)
    tab.emulate_media(color_scheme="dark")  # the app follows the system's colour scheme by default
    try:
        _open(tab, app_server, world, SCREENS[screen])
        tab.wait_for_function("() => document.documentElement.classList.contains('dark')")
        _assert_clean(tab, f"{screen} in dark mode at {size}")
    finally:
        tab.emulate_media(color_scheme="light")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("dialog", list(DIALOGS))
def test_dialogs_pass_axe(app_server: AppServer, world: World, tabs, size: str, dialog: str) -> None:
    tab = tabs(size, True)
    _open_dialog(tab, app_server, world, dialog)
    try:
        _assert_clean(tab, f"the {dialog} dialog at {size}")
    finally:
        _close_dialog(tab)


# --- touch targets ---------------------------------------------------------------------------------------

# The rule, measured with getBoundingClientRect on the phone layout (390x844):
# - every visible interactive element (links, buttons, form controls, ARIA widgets, focusable elements)
#   is at least 44x44 CSS px (WCAG 2.5.5), or
# - it sits inside a <label> that is at least that large (the whole label activates the control), or
# - it is a link inside a sentence (an <a> displayed inline next to text of its parent): WCAG 2.5.8's
#   inline exception, since making it taller would space out the lines of the text it belongs to.
# Elements that are not pointer targets are skipped: hidden, visually hidden (1px "sr-only"), inside
# aria-hidden/inert content (behind an open dialog).
INTERACTIVE = ", ".join([
    "a[href]", "button", "input:not([type=hidden])", "select", "textarea", "summary", "[role=button]",
    "[role=checkbox]", "[role=radio]", "[role=switch]", "[role=tab]", "[role=menuitem]", "[role=option]",
    "[role=combobox]", "[role=link]", "[tabindex]:not([tabindex='-1'])",
])
MIN_TARGET = 44
# Measured once the scope's opening animations (a dialog's zoom) are over: mid-way a 44 px button is 43.
_MEASURE = """async ([root, selector, min]) => {
  const scope = root || document;
  const running = (root ? root.getAnimations({subtree: true}) : document.getAnimations())
    .filter((a) => a.effect && a.effect.getComputedTiming().endTime !== Infinity);
  await Promise.all(running.map((a) => a.finished.catch(() => null)));
  const describe = (el) => {
    const name = (el.getAttribute('aria-label') || el.innerText || el.value || el.getAttribute('title')
                  || el.getAttribute('name') || '').trim().replace(/\\s+/g, ' ').slice(0, 40);
    const role = el.getAttribute('role') || el.tagName.toLowerCase()
                 + (el.type && el.tagName === 'INPUT' ? '[' + el.type + ']' : '');
    return `${role} "${name}"`;
  };
  const inlineInText = (el) => {
    if (el.tagName !== 'A' || getComputedStyle(el).display !== 'inline') return false;
    const parent = el.parentElement;
    return [...parent.childNodes].some(
      (n) => n !== el && n.nodeType === Node.TEXT_NODE && n.textContent.trim());
  };
  const small = [];
  for (const el of scope.querySelectorAll(selector)) {
    if (el.closest('[aria-hidden="true"], [inert]')) continue;
    if (!el.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    if (inlineInText(el)) continue;
    const label = el.tagName === 'LABEL' ? null : el.closest('label');
    const hit = label && label.contains(el) ? label.getBoundingClientRect() : box;
    const w = Math.max(box.width, hit.width), h = Math.max(box.height, hit.height);
    if (w + 0.5 < min || h + 0.5 < min) small.push(`${describe(el)} ${Math.round(w)}x${Math.round(h)}`);
  }
  return [...new Set(small)];
}"""


def _small_targets(tab: Page, root: Locator | None = None) -> list[str]:
    # The settled page: parts drawn after the first paint (components/mounted.AfterPaint) are in place.
    tab.evaluate("() => new Promise(done => requestAnimationFrame(() => setTimeout(() => "
                 "requestAnimationFrame(() => setTimeout(done, 100)), 0)))")
    handle = root.element_handle() if root is not None else None
    return tab.evaluate(_MEASURE, [handle, INTERACTIVE, MIN_TARGET])


@pytest.mark.parametrize("screen", [s.name for s in [*SIGNED_IN, *SIGNED_OUT]])
def test_touch_targets_on_a_phone_are_44px(app_server: AppServer, world: World, tabs, screen: str) -> None:
    tab = tabs("phone", SCREENS[screen] in SIGNED_IN)
    _open(tab, app_server, world, SCREENS[screen])
    small = _small_targets(tab)
    assert not small, (f"targets under {MIN_TARGET}x{MIN_TARGET} px on {screen} at 390 px:\n  "
                       + "\n  ".join(small))


@pytest.mark.parametrize("dialog", list(DIALOGS))
def test_touch_targets_in_dialogs_on_a_phone_are_44px(app_server: AppServer, world: World, tabs,
                                                      dialog: str) -> None:
    tab = tabs("phone", True)
    box = _open_dialog(tab, app_server, world, dialog)
    try:
        small = _small_targets(tab, box)
        assert not small, (f"targets under {MIN_TARGET}x{MIN_TARGET} px in the {dialog} dialog at 390 px:\n  "
                           + "\n  ".join(small))
    finally:
        _close_dialog(tab)


# --- the document's language and title -------------------------------------------------------------------


def test_html_lang_and_tab_title_follow_the_ui_language(app_server: AppServer, world: World,
                                                        new_page) -> None:
    tab = new_page(viewport={"width": 1280, "height": 900})
    tab.goto(app_server.url("/login"))
    wait_hydrated(tab)
    expect(tab.locator("html")).to_have_attribute("lang", "es")
    expect(tab.locator("html")).to_have_attribute("dir", "ltr")  # es, en and pt are written left to right
    expect(tab).to_have_title("Iniciar sesión · Clientela")
    tab.get_by_role("combobox", name="Idioma").select_option("en")
    expect(tab.locator("html")).to_have_attribute("lang", "en")
    expect(tab).to_have_title("Sign in · Clientela")
    tab.reload()  # the choice is kept (cookie): signed-out pages open in English
    expect(tab.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(tab.locator("html")).to_have_attribute("lang", "en")
    tab.get_by_role("combobox", name="Language").select_option("es")
    expect(tab.locator("html")).to_have_attribute("lang", "es")

    sign_in(tab, app_server.base_url, world.admin.email, world.admin.password)
    tab.goto(app_server.url(f"/customers/{world.customer_id}"))
    _ready(tab)
    expect(tab).to_have_title("Cliente · Clientela")
    expect(tab.locator("html")).to_have_attribute("lang", "es")
    tab.get_by_role("combobox", name="Idioma").select_option("en")
    expect(tab).to_have_title("Customer · Clientela")
    expect(tab.locator("html")).to_have_attribute("lang", "en")
    tab.get_by_role("tab", name="Task").click()
    expect(tab.locator("input[type=date]").first).to_have_attribute("lang", "en")

    tab.get_by_role("link", name="My tasks").first.click()  # a client-side navigation keeps both
    expect(tab).to_have_title("My tasks · Clientela")
    expect(tab.locator("html")).to_have_attribute("lang", "en")
    tab.goto(app_server.url("/no-such-page"))
    expect(tab).to_have_title("Page not found · Clientela")
    expect(tab.locator("html")).to_have_attribute("lang", "en")
