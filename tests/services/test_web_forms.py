"""Website forms on SQLite and PostgreSQL: admins only; origins checked one per line; a submission makes
a lead (consent time recorded, the form's channel and owner, "via web form") or a customer (source
web_form, the e-mail's consent with its time); a bot's honeypot stores nothing; a bad field or a
duplicate is refused per field, without the existing customer's name, and leaves nothing behind; the
rate limit per address."""

from __future__ import annotations

import dataclasses
import json

import pytest
from sqlalchemy import func, select

from crm_app.domain.errors import Forbidden, NotFound, ValidationFailed
from crm_app.domain.web_form_input import clean_origins, form_fields, normalize_origin
from crm_app.models import Customer, FeedEvent, Lead
from crm_app.models.customer import CustomerEmail
from crm_app.models.integrations import WebForm
from crm_app.services import web_forms
from crm_app.services.web_forms import FormDraft
from tests.db import run_like_app
from tests.factories import make_org, make_user

ORIGIN = "https://shop.example.com"


def new_form(session, admin, **fields):
    draft = FormDraft(**{"name": "Contacto", "allowed_origins": ORIGIN, **fields})
    return run_like_app(session, web_forms.create_form, actor=admin, draft=draft)


def post(session, dto, language="es", **fields):
    form = session.get(WebForm, dto.id)
    try:
        done = web_forms.submit(session, form, form_fields(fields), language)
    except BaseException:
        session.rollback()
        raise
    session.commit()
    return done


def count(session, model, org_id):
    query = select(func.count()).select_from(model).where(model.organization_id == org_id)
    return session.execute(query).scalar_one()


def test_origins_are_exact_scheme_host_port():
    typed = " https://Shop.example.com/\n\nhttp://localhost:8080\nhttps://shop.example.com:443"
    assert clean_origins(typed) == (
        "https://shop.example.com", "http://localhost:8080")
    for bad in ("shop.example.com", "https://shop.example.com/contact", "ftp://x.com", "https://*.x.com",
                "https://user@x.com"):
        assert normalize_origin(bad) is None, bad


def test_only_admins_manage_forms(session):
    _org, admin = make_org(session, "Forms")
    _, seller, _ = make_user(session, admin, "sales")
    with pytest.raises(Forbidden):
        web_forms.create_form(session=session, actor=seller,
                              draft=FormDraft(name="X", allowed_origins=ORIGIN))
    with pytest.raises(ValidationFailed) as refused:
        web_forms.create_form(session=session, actor=admin,
                              draft=FormDraft(name="", target="deal", allowed_origins="example.com/path"))
    assert set(refused.value.errors) == {"name", "target", "allowed_origins"}
    assert refused.value.errors["allowed_origins"].code == "webform_origin_invalid"
    dto = new_form(session, admin)
    assert dto.public_key.startswith("wf_") and dto.allowed_origins == (ORIGIN,)
    _other_org, other_admin = make_org(session, "Other")
    with pytest.raises(NotFound):
        web_forms.get_form(session=session, actor=other_admin, form_id=dto.id)
    assert [f.name for f in web_forms.list_forms(session=session, actor=admin)] == ["Contacto"]


def test_a_submission_makes_a_lead_with_consent_time_channel_owner_and_via(session):
    org, admin = make_org(session, "Leads")
    _, seller, _ = make_user(session, admin, "sales", name="Sara")
    dto = new_form(session, admin, owner_id=seller.user_id)
    done = post(session, dto, name="Ana Vera", email="ana@example.com", phone="0991234567",
                message="Quiero una cotización", consent="on")
    lead = session.get(Lead, done.record_id)
    assert (lead.name, lead.email, lead.owner_id, lead.notes) == (
        "Ana Vera", "ana@example.com", seller.user_id, "Quiero una cotización")
    assert lead.consent_at is not None
    events = session.execute(select(FeedEvent).where(FeedEvent.organization_id == org.id)).scalars().all()
    assert any(json.loads(e.data).get("via") == {"kind": "web_form", "name": "Contacto"} for e in events)
    no_consent = post(session, dto, name="Luis")
    assert session.get(Lead, no_consent.record_id).consent_at is None


def test_a_customer_form_records_source_and_email_consent(session):
    _org, admin = make_org(session, "Customers")
    dto = new_form(session, admin, target="customer")
    done = post(session, dto, first_name="Ana", last_name="Vera", email="ana.vera@example.com", consent="1")
    customer = session.get(Customer, done.record_id)
    assert customer.source == "web_form"
    query = select(CustomerEmail).where(CustomerEmail.customer_id == customer.id)
    email = session.execute(query).scalar_one()
    assert email.accepts_email and email.consent_at is not None and email.consent_source == "web_form"


def test_a_duplicate_is_refused_per_field_without_the_name_and_nothing_is_left(session):
    org, admin = make_org(session, "Dupes")
    dto = new_form(session, admin, target="customer")
    post(session, dto, first_name="Ana", last_name="Vera", email="dup@example.com")
    with pytest.raises(ValidationFailed) as refused:
        post(session, dto, first_name="Otra", last_name="Persona", email="dup@example.com")
    assert refused.value.errors["email"].code == "webform_duplicate_email"
    assert count(session, Customer, org.id) == 1


def test_bad_fields_are_answered_per_field(session):
    org, admin = make_org(session, "Bad")
    dto = new_form(session, admin)
    with pytest.raises(ValidationFailed) as refused:
        post(session, dto, name="", email="not-an-email")
    assert {"name", "email"} <= set(refused.value.errors)
    assert count(session, Lead, org.id) == 0


def test_the_honeypot_stores_nothing(session):
    org, admin = make_org(session, "Bots")
    dto = new_form(session, admin)
    done = post(session, dto, name="Spam Bot", email="bot@example.com", website="http://spam.example")
    assert not done.stored and count(session, Lead, org.id) == 0


def test_disabled_form_is_not_found_and_rate_limit_per_address(session, monkeypatch):
    _org, admin = make_org(session, "Rate")
    dto = new_form(session, admin)
    run_like_app(session, web_forms.set_enabled, actor=admin, form_id=dto.id, enabled=False)
    assert web_forms.active_form(session, dto.public_key) is None
    monkeypatch.setattr(web_forms, "RATE_LIMIT", 2)
    web_forms.check_rate(session, "203.0.113.9")
    web_forms.check_rate(session, "203.0.113.9")
    with pytest.raises(web_forms.RateLimited) as limited:
        web_forms.check_rate(session, "203.0.113.9")
    assert 0 < limited.value.retry_after <= web_forms.RATE_WINDOW.total_seconds() + 1
    web_forms.check_rate(session, "198.51.100.7")  # another address is counted apart


def test_a_customer_form_lists_the_required_fields_it_does_not_ask(session):
    """The organization's customer form requires the tax ID and a custom field: a website form that
    makes customers is refused without them, and its card says so; a lead form is not concerned."""
    from crm_app.domain.form_edits import CustomFieldInput
    from crm_app.services import form_config

    _org, admin = make_org(session, "Unasked")
    config = form_config.get_form_config(session=session, actor=admin, client_type="person")
    fields = [dataclasses.replace(f, required=True) if f.key in ("tax_id", "channel_id") else f
              for f in config.builtin]
    form_config.save_builtin_fields(session=session, actor=admin, client_type="person", fields=fields)
    form_config.create_custom_field(session=session, actor=admin, client_type="person",
                                    data=CustomFieldInput(kind="text", label_es="Talla", required=True))
    customers_form = new_form(session, admin, target="customer")
    leads_form = new_form(session, admin, target="lead")
    unasked = web_forms.unasked_required(session=session, actor=admin)
    assert [getattr(f, "key", None) or f.label_es for f in unasked.for_form(customers_form)] == [
        "tax_id", "channel_id", "Talla"]
    assert unasked.for_form(leads_form) == ()
    with pytest.raises(ValidationFailed) as refused:
        post(session, customers_form, name="Ana Vera", email="ana.unasked@example.com")
    assert "tax_id" in refused.value.errors
