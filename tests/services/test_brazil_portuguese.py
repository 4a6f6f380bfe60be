"""A Brazilian organization speaks Portuguese (issue 21): created without a language it gets "pt", its
admin too, its default channels and its messages' amounts are Brazilian; an admin moving the
organization to or from Brazil takes the country's language along unless he had picked another."""

from __future__ import annotations

from decimal import Decimal

from crm_app.domain.customers import CustomerInput
from crm_app.domain.dto import OrganizationInput
from crm_app.domain.templating import check_template
from crm_app.i18n import t
from crm_app.models import User
from crm_app.services import admin_settings, customers, invitations, messaging, users
from crm_app.services.customer_choices import DEFAULT_CHANNELS, list_channels
from crm_app.services.template_render import render_message
from tests.db import run_like_app
from tests.factories import make_org


def test_a_brazilian_organization_made_without_a_language_gets_portuguese(session):
    org, admin = make_org(session, "Loja Paulista", country="BR", language="")
    assert (org.language, org.currency, org.timezone) == ("pt", "BRL", "America/Sao_Paulo")
    assert session.get(User, admin.user_id).language == "pt"
    names = [name for _id, name in list_channels(session=session, actor=admin)]
    assert names == [t(f"default_channel_{key}", "pt") for key in DEFAULT_CHANNELS]
    assert names[0] != t("default_channel_referral", "es")
    # Elsewhere the default stays Spanish; a language named on purpose is kept.
    assert make_org(session, "Ferretería", country="EC", language="")[0].language == "es"
    assert make_org(session, "Loja Bilingue", country="BR", language="es")[0].language == "es"


def test_amounts_in_a_brazilian_organizations_messages(session):
    _org, admin = make_org(session, "Loja Paulista", country="BR", language="")
    customer = run_like_app(session, customers.create_customer, actor=admin, data=CustomerInput(
        first_name="João", last_name="Silva", credit_limit=Decimal("1500.50")))
    context = messaging.customer_context(session=session, actor=admin, customer_id=customer.id)
    assert context["credit_limit"] == "R$\xa01.500,50"
    rendered = render_message("sms", "", "Olá {{ first_name }}, seu limite: {{ credit_limit }} "
                                         "({{ 250 | format_money }}).", context)
    assert rendered.body == "Olá João, seu limite: R$\xa01.500,50 (R$\xa0250,00)."


def _move(session, admin, country: str, currency: str, language: str, timezone: str):
    return run_like_app(session, admin_settings.update_organization, actor=admin, data=OrganizationInput(
        name="Loja", country=country, currency=currency, language=language, timezone=timezone))


def test_moving_to_brazil_brings_portuguese_unless_another_language_was_picked(session):
    _org, admin = make_org(session, "Loja", country="EC", language="es")
    assert _move(session, admin, "BR", "BRL", "es", "America/Sao_Paulo").language == "pt"
    assert _move(session, admin, "PE", "PEN", "pt", "America/Lima").language == "es"
    _org, english = make_org(session, "Shop", country="EC", language="en")
    assert _move(session, english, "BR", "BRL", "en", "America/Sao_Paulo").language == "en"


def test_staff_may_work_in_portuguese(session):
    _org, admin = make_org(session, "Acme")
    dto, _temporary = run_like_app(session, users.create_user, actor=admin, name="Ana", email="ana@acme.test",
                                   role="sales", language="pt")
    assert dto.language == "pt"
    run_like_app(session, users.set_own_language, actor=admin, language="pt")
    assert session.get(User, admin.user_id).language == "pt"


def test_an_invitation_is_written_in_the_organizations_language(session):
    _org, admin = make_org(session, "Loja Paulista", country="BR", language="")
    run_like_app(session, users.set_own_language, actor=admin, language="es")  # the inviter reads Spanish
    subject, body = invitations.default_texts(session=session, actor=admin)
    assert (subject, body) == (t("invitation_default_subject", "pt"), t("invitation_default_body", "pt"))
    assert check_template(subject) == [] and check_template(body, html=True) == []
