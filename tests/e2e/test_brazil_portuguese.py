"""A Brazilian organization in Portuguese end to end (issue 21): created without a language it gets
Portuguese, reais and São Paulo's time; its admin works in Portuguese (``<html lang="pt-BR">``); a
customer created through the form with a CPF and a +55 mobile shows them formatted, and his credit limit
as Brazilians write money ("R$ 1.234,56"); the Portuguese list, profile and form pass the same axe and
44 px touch checks as the Spanish pages (the helpers of test_accessibility.py).

Labels are read from the Portuguese catalogue, so the test follows the translators' wording.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, expect
from sqlmodel import select

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.locale_format import format_money
from crm_app.i18n import catalogue
from crm_app.models import AcquisitionChannel, Organization
from crm_app.services.customers import create_customer
from crm_app.services.invitations import InvitationInput, default_texts, invite
from tests.e2e.conftest import AppServer, Person, db_session, make_org_with_admin, sign_in, wait_hydrated
from tests.e2e.test_accessibility import SIZES, _assert_clean, _small_targets

pytestmark = pytest.mark.e2e

PT = catalogue("pt")
PROFILE_URL = re.compile(r".*/customers/(\d+)/?$")


@dataclass(frozen=True)
class Loja:
    admin: Person
    customer_id: int
    customer_name: str


@pytest.fixture(scope="module")
def loja(app_server: AppServer) -> Loja:
    """A Brazilian organization made without naming a language, and one customer of it."""
    admin = make_org_with_admin(app_server.db_url, country="BR", language="", org_name="Loja Paulista")
    data = CustomerInput(client_type="person", first_name="Ana", last_name="Souza", tax_id_type="cpf_br",
                         tax_id="529.982.247-25", credit_limit=Decimal("2500"),
                         phones=(PhoneInput(number="(21) 99876-5432", primary=True, whatsapp=True),),
                         emails=(EmailInput(address="ana.souza@example.com", primary=True),))
    with db_session(app_server.db_url) as session:
        customer = create_customer(session=session, actor=admin.actor, data=data)
    return Loja(admin=admin, customer_id=customer.id, customer_name="Ana Souza")


def test_a_brazilian_organization_starts_in_portuguese(app_server: AppServer, loja: Loja) -> None:
    with db_session(app_server.db_url) as session:
        org = session.get(Organization, loja.admin.organization_id)
        assert (org.language, org.currency, org.timezone) == ("pt", "BRL", "America/Sao_Paulo")
        channels = list(session.exec(select(AcquisitionChannel.name).where(
            AcquisitionChannel.organization_id == org.id).order_by(AcquisitionChannel.position)))
    assert channels[0] == PT["default_channel_referral"]


def _open_new_customer(page: Page) -> Locator:
    page.get_by_role("button", name=PT["new_customer"]).click()
    dialog = page.get_by_role("dialog", name=PT["new_customer"])
    expect(dialog.get_by_label(PT["first_name"], exact=True)).to_be_visible()
    return dialog


def test_a_customer_with_a_cpf_and_a_mobile_through_the_portuguese_form(
    app_server: AppServer, page: Page, loja: Loja,
) -> None:
    sign_in(page, app_server.base_url, loja.admin.email, loja.admin.password)
    expect(page.locator("html")).to_have_attribute("lang", "pt-BR")
    page.goto(app_server.url("/customers"))
    wait_hydrated(page)
    expect(page.get_by_role("heading", name=PT["title_customers"], exact=True)).to_be_visible()
    expect(page.get_by_role("combobox", name=PT["language"])).to_have_value("pt")

    dialog = _open_new_customer(page)
    expect(dialog.get_by_label(PT["client_type_person"])).to_be_checked()
    dialog.get_by_label(PT["first_name"], exact=True).fill("João")
    dialog.get_by_label(PT["last_name"], exact=True).fill("Pereira")
    expect(dialog.get_by_label(PT["tax_id_type"], exact=True)).to_have_value("cpf_br")
    dialog.get_by_label(PT["tax_id"], exact=True).fill("39053344705")
    dialog.get_by_label(f"{PT['phone']} 1", exact=True).fill("(11) 91234-5678")
    dialog.get_by_label(PT["credit_limit"], exact=True).fill("1234,56")
    dialog.get_by_role("button", name=PT["save"], exact=True).click()

    expect(page).to_have_url(PROFILE_URL)
    expect(page.get_by_role("heading", name="João Pereira", level=1)).to_be_visible()
    main = page.get_by_role("main")
    expect(main.get_by_text("390.533.447-05")).to_be_visible()
    expect(page.get_by_role("link", name=f"{PT['call']} +55 11 91234-5678")).to_have_attribute(
        "href", "tel:+5511912345678")
    # Money as a Brazilian writes it: the symbol first, a dot for thousands and a comma for cents.
    assert format_money(Decimal("1234.56"), "BRL", "pt", "BR") == "R$\xa01.234,56"
    expect(main.get_by_text("R$\xa01.234,56")).to_be_visible()

    page.goto(app_server.url("/customers?q=390.533.447-05"))
    expect(page.get_by_role("link", name=re.compile("João Pereira")).first).to_be_visible()


def test_an_invited_customer_registers_in_portuguese(app_server: AppServer, new_page, loja: Loja) -> None:
    with db_session(app_server.db_url) as session:
        subject, body = default_texts(session=session, actor=loja.admin.actor)
        _id, token = invite(session=session, actor=loja.admin.actor, data=InvitationInput(
            email="convidada@example.com", subject=subject, body=body))
    visitor = new_page()  # no language picked: the organization's
    visitor.goto(app_server.url(f"/register/{token}"))
    wait_hydrated(visitor)
    expect(visitor.locator("html")).to_have_attribute("lang", "pt-BR")
    expect(visitor.get_by_text(PT["register_intro"])).to_be_visible()
    expect(visitor.get_by_label(PT["first_name"], exact=True)).to_be_visible()
    _assert_clean(visitor, "the Portuguese registration page")


# --- the Portuguese pages: axe and touch targets ------------------------------------------------------


@pytest.fixture(scope="module")
def tabs(browser: Browser, app_server: AppServer, loja: Loja) -> Iterator[Callable[[str], Page]]:
    """``tabs(size)``: a signed-in Portuguese page per size, made on first use."""
    made: dict[str, Page] = {}
    contexts: list[BrowserContext] = []

    def get(size: str) -> Page:
        if size not in made:
            context = browser.new_context(locale="pt-BR", color_scheme="light", **SIZES[size])
            context.set_default_timeout(15_000)
            contexts.append(context)
            tab = context.new_page()
            sign_in(tab, app_server.base_url, loja.admin.email, loja.admin.password)
            made[size] = tab
        return made[size]

    yield get
    for context in contexts:
        context.close()


def _open(tab: Page, server: AppServer, loja: Loja, screen: str) -> Locator | None:
    """The screen, ready; for the form, its dialog."""
    path = f"/customers/{loja.customer_id}" if screen == "profile" else "/customers"
    tab.goto(server.url(path))
    wait_hydrated(tab)
    expect(tab.locator("main h1").first).to_be_visible()
    expect(tab.get_by_text(loja.customer_name).first).to_be_visible()
    expect(tab.locator("html")).to_have_attribute("lang", "pt-BR")
    if screen != "form":
        return None
    dialog = _open_new_customer(tab)
    tab.wait_for_timeout(300)  # the opening animation: axe measures colours of the settled dialog
    return dialog


def _close(tab: Page, dialog: Locator | None) -> None:
    if dialog is not None:
        tab.keyboard.press("Escape")
        expect(tab.get_by_role("dialog")).to_have_count(0)


SCREENS = ("list", "profile", "form")


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("screen", SCREENS)
def test_portuguese_pages_pass_axe(app_server: AppServer, loja: Loja, tabs, size: str, screen: str) -> None:
    tab = tabs(size)
    dialog = _open(tab, app_server, loja, screen)
    try:
        _assert_clean(tab, f"{screen} in Portuguese at {size}")
    finally:
        _close(tab, dialog)


@pytest.mark.parametrize("screen", SCREENS)
def test_portuguese_touch_targets_on_a_phone_are_44px(app_server: AppServer, loja: Loja, tabs,
                                                      screen: str) -> None:
    tab = tabs("phone")
    dialog = _open(tab, app_server, loja, screen)
    try:
        small = _small_targets(tab, dialog)
        assert not small, (f"targets under 44x44 px on the Portuguese {screen} at 390 px:\n  "
                           + "\n  ".join(small))
    finally:
        _close(tab, dialog)


def test_the_profile_shows_the_credit_limit_in_reais(app_server: AppServer, loja: Loja, tabs) -> None:
    tab = tabs("desktop")
    _open(tab, app_server, loja, "profile")
    limit = format_money(Decimal("2500"), "BRL", "pt", "BR")  # R$ 2.500,00
    expect(tab.get_by_role("main").get_by_text(limit)).to_be_visible()


def test_the_admin_writes_a_field_in_portuguese_only(app_server: AppServer, page: Page, loja: Loja) -> None:
    """The form editor has Portuguese texts beside Spanish and English: a Brazilian admin's field,
    written only in Portuguese, is on the form staff fill in."""
    sign_in(page, app_server.base_url, loja.admin.email, loja.admin.password)
    page.goto(app_server.url("/settings/form"))
    wait_hydrated(page)
    expect(page.get_by_role("heading", name=PT["title_form_editor"], level=1)).to_be_visible()
    page.get_by_role("button", name=PT["new_field"]).click()
    dialog = page.get_by_role("dialog", name=PT["new_field"])
    dialog.get_by_label(PT["field_kind"]).select_option("choice")
    dialog.get_by_role("button", name=PT["save"], exact=True).click()  # no label in any language
    expect(dialog.get_by_text(PT["label_needed"])).to_be_visible()
    dialog.get_by_label(PT["label_pt"], exact=True).fill("Filial")
    dialog.get_by_label(f"{PT['option_label_pt']} 1", exact=True).fill("Centro")
    dialog.get_by_label(f"{PT['option_label_pt']} 2", exact=True).fill("Zona Norte")
    dialog.get_by_role("button", name=PT["save"], exact=True).click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("group", name=PT["form_preview"]).get_by_label("Filial")).to_be_visible()

    page.goto(app_server.url("/customers"))
    wait_hydrated(page)
    branch = _open_new_customer(page).get_by_label("Filial", exact=True)
    expect(branch.locator("option")).to_have_text([PT["choose_option"], "Centro", "Zona Norte"])
