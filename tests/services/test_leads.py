"""Leads on SQLite and PostgreSQL: the form's checks, the owner by default, a lost lead's reason, stale
saves, who may delete; converting one into a customer (the customer form's rules, one transaction, the
event in both feeds), a duplicate phone refused with the existing customer's id and nothing written,
linking to that customer instead; another organization's lead, owner or channel refused; the list."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
from sqlalchemy import select

from crm_app.domain.customers import CustomerInput, EmailInput, PhoneInput
from crm_app.domain.documents import DocumentQuery
from crm_app.domain.errors import Conflict, Forbidden, NotFound, ValidationFailed
from crm_app.domain.leads import LeadInput, customer_names
from crm_app.models import Customer, FeedEvent, Lead
from crm_app.services import customers, feed, lead_conversion, leads
from crm_app.services import form_config as forms
from tests.db import row_counts, run_like_app
from tests.factories import make_org, make_user
from tests.isolation import assert_not_found_for_other_org, column_snapshot


def create(session, actor, name="María Torres", **fields):
    return run_like_app(session, leads.create_lead, actor=actor, data=LeadInput(name=name, **fields))


def customer(session, actor, first="Ana", last="Vera", phone="", email=""):
    data = CustomerInput(client_type="person", first_name=first, last_name=last,
                         phones=(PhoneInput(phone, primary=True),) if phone else (),
                         emails=(EmailInput(email, primary=True),) if email else ())
    return run_like_app(session, customers.create_customer, actor=actor, data=data)


def as_person(lead, **extra) -> CustomerInput:
    """The conversion dialog's customer: the lead's fields carried over."""
    return CustomerInput(**{
        "client_type": "person", **customer_names(lead.name, "person"),
        "phones": (PhoneInput(lead.phone_raw, primary=True),) if lead.phone_raw else (),
        "emails": (EmailInput(lead.email, primary=True),) if lead.email else (),
        "channel_id": lead.channel_id, "notes": lead.notes, **extra,
    })


def convert(session, actor, lead, data):
    return run_like_app(session, lead_conversion.convert_lead, actor=actor, lead_id=lead.id,
                        version=lead.version, data=data)


def codes(refused) -> dict[str, str]:
    return {key: error.code for key, error in refused.value.errors.items()}


def events(session, lead_id):
    return [(e.kind, e.customer_id, e.lead_id, json.loads(e.data)) for e in session.execute(
        select(FeedEvent).where(FeedEvent.lead_id == lead_id).order_by(FeedEvent.id)).scalars()]


def channel_of(session, actor, index=0):
    return customers.list_channels(session=session, actor=actor)[index][0]


# --------------------------------------------------------------------------- create, edit, status


def test_a_lead_keeps_its_phone_as_typed_and_in_e164_and_belongs_to_its_creator(session):
    _, admin = make_org(session)  # Ecuador
    _, sales, _ = make_user(session, admin)
    lead = create(session, sales, phone="099 123 4567", email="  Maria@Example.COM ",
                  channel_id=channel_of(session, sales), next_step_on="2030-05-02", notes="Quiere 3 equipos")
    assert (lead.phone_raw, lead.phone_e164) == ("099 123 4567", "+593991234567")
    assert lead.email == "maria@example.com"
    assert lead.owner_id == sales.user_id and lead.status == "new"
    assert lead.next_step_on == date(2030, 5, 2) and lead.channel_name
    assert events(session, lead.id) == [("lead_created", None, lead.id, {"name": "María Torres"})]


def test_bad_input_is_refused_next_to_each_field_and_nothing_is_saved(session):
    _, admin = make_org(session)
    before = row_counts(session)
    with pytest.raises(ValidationFailed) as refused:
        create(session, admin, name="  ", phone="12", email="no-at", next_step_on="mañana")
    assert codes(refused) == {"name": "required", "phone": "phone_invalid", "email": "email_invalid",
                              "next_step_on": "date_invalid"}
    assert row_counts(session) == before


def test_an_edit_is_saved_once_and_a_stale_one_is_refused(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin, name="Sofía Ruiz")
    lead = create(session, admin)
    edited = run_like_app(session, leads.update_lead, actor=sales, lead_id=lead.id, version=lead.version,
                          data=LeadInput(name="María Torres Vega", owner_id=sales.user_id))
    assert (edited.name, edited.owner_name, edited.version) == ("María Torres Vega", "Sofía Ruiz", 2)
    with pytest.raises(Conflict) as stale:
        run_like_app(session, leads.update_lead, actor=admin, lead_id=lead.id, version=lead.version,
                     data=LeadInput(name="Otra"))
    assert stale.value.code == "lead_stale_version" and stale.value.params["by"] == "Sofía Ruiz"
    assert session.get(Lead, lead.id).name == "María Torres Vega"
    assert [e[0] for e in events(session, lead.id)] == ["lead_created", "lead_updated"]


def test_lost_needs_a_reason_and_won_is_the_conversions(session):
    _, admin = make_org(session)
    lead = create(session, admin)

    def move(status, reason="", version=None):
        return run_like_app(session, leads.change_status, actor=admin, lead_id=lead.id,
                            version=version or session.get(Lead, lead.id).version, status=status,
                            lost_reason=reason)

    with pytest.raises(ValidationFailed) as refused:
        move("lost", "   ")
    assert codes(refused) == {"lost_reason": "lead_lost_reason_required"}
    with pytest.raises(ValidationFailed) as refused:
        move("won")
    assert codes(refused) == {"status": "lead_status_invalid"}
    assert move("contacted").status == "contacted"
    lost = move("lost", "Compró en otra tienda")
    assert (lost.status, lost.lost_reason) == ("lost", "Compró en otra tienda")
    assert move("qualified").lost_reason == ""  # reopened: the reason goes with the status
    changes = [e[3] for e in events(session, lead.id) if e[0] == "lead_status_changed"]
    assert [(c["before"], c["after"]) for c in changes] == [
        ("new", "contacted"), ("contacted", "lost"), ("lost", "qualified")]
    assert all(c["name"] == "María Torres" for c in changes)


def test_deleting_is_for_admins_and_leaves_the_list(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin)
    lead = create(session, sales)
    with pytest.raises(Forbidden):
        run_like_app(session, leads.delete_lead, actor=sales, lead_id=lead.id)
    assert run_like_app(session, leads.delete_lead, actor=admin, lead_id=lead.id) == "María Torres"
    assert session.get(Lead, lead.id).deleted_at is not None
    assert leads.list_leads(session=session, actor=admin, query=DocumentQuery()).rows == ()
    with pytest.raises(NotFound):
        leads.get_lead(session=session, actor=admin, lead_id=lead.id)


# --------------------------------------------------------------------------- conversion


def test_conversion_creates_the_customer_and_records_it_in_both_feeds(session):
    _, admin = make_org(session)
    channel = channel_of(session, admin, 1)
    lead = create(session, admin, phone="0991234567", email="maria@example.com", channel_id=channel,
                  notes="Referida por Ana")
    won, created = convert(session, admin, lead, as_person(lead))
    assert (created.first_name, created.last_name, created.source) == ("María", "Torres", "lead")
    assert created.phones[0].e164 == "+593991234567" and created.emails[0].address == "maria@example.com"
    assert (created.channel_id, created.notes) == (channel, "Referida por Ana")
    assert (won.status, won.customer_id, won.customer_name) == ("won", created.id, "María Torres")
    assert won.converted_at is not None
    kind, customer_id, lead_id, data = events(session, lead.id)[-1]
    assert (kind, customer_id, lead_id) == ("lead_converted", created.id, lead.id)
    assert data == {"name": "María Torres", "customer": "María Torres", "linked": False}
    in_customer_feed = feed.list_feed(session=session, actor=admin, customer_id=created.id)
    assert "lead_converted" in [e.kind for e in in_customer_feed.entries]
    history = feed.list_lead_feed(session=session, actor=admin, lead_id=lead.id)
    assert [e.kind for e in history.entries] == ["lead_converted", "lead_created"]
    with pytest.raises(Conflict) as again:
        convert(session, admin, session.get(Lead, lead.id), as_person(lead))
    assert again.value.code == "lead_already_converted"


def test_a_company_takes_the_leads_name_as_its_legal_name(session):
    _, admin = make_org(session)
    lead = create(session, admin, name="Ferretería Norte")
    _, created = convert(session, admin, lead, CustomerInput(client_type="company",
                                                           **customer_names(lead.name, "company")))
    assert (created.client_type, created.legal_name) == ("company", "Ferretería Norte")


def test_what_the_form_requires_is_asked_and_nothing_is_half_saved(session):
    _, admin = make_org(session)
    config = forms.get_form_config(session=session, actor=admin, client_type="person")
    run_like_app(session, forms.save_builtin_fields, actor=admin, client_type="person", fields=[
        dataclasses.replace(f, required=True) if f.key == "city" else f for f in config.builtin])
    lead = create(session, admin, name="Rosa")  # one word: no last name
    before = row_counts(session)
    with pytest.raises(ValidationFailed) as refused:
        convert(session, admin, lead, as_person(lead))
    assert codes(refused) == {"last_name": "required", "city": "required"}
    assert row_counts(session) == before and session.get(Lead, lead.id).status == "new"
    _, created = convert(session, admin, lead, as_person(lead, last_name="Paz", city="Quito"))
    assert (created.last_name, created.city) == ("Paz", "Quito")


def test_a_duplicate_phone_is_refused_with_the_existing_customer_and_nothing_written(session):
    _, admin = make_org(session)
    ana = customer(session, admin, phone="0991234567")
    lead = create(session, admin, phone="+593 99 123 4567")
    before, lead_row = row_counts(session), column_snapshot(session, Lead, lead.id)()
    with pytest.raises(ValidationFailed) as refused:
        convert(session, admin, lead, as_person(lead))
    error = refused.value.errors["phones.0.number"]
    assert (error.code, error.params["customer_id"], error.params["name"]) == (
        "duplicate_phone", ana.id, "Ana Vera")
    assert row_counts(session) == before
    assert column_snapshot(session, Lead, lead.id)() == lead_row


def test_link_to_the_existing_customer_instead(session):
    _, admin = make_org(session)
    ana = customer(session, admin, phone="0991234567")
    lead = create(session, admin, phone="0991234567")
    linked = run_like_app(session, lead_conversion.link_lead, actor=admin, lead_id=lead.id,
                          version=lead.version, customer_id=ana.id)
    assert (linked.status, linked.customer_id, linked.customer_name) == ("won", ana.id, "Ana Vera")
    kind, customer_id, lead_id, data = events(session, lead.id)[-1]
    assert (kind, customer_id, lead_id, data["linked"]) == ("lead_converted", ana.id, lead.id, True)
    assert "lead_converted" in [e.kind for e in feed.list_feed(
        session=session, actor=admin, customer_id=ana.id).entries]
    # No customer was created for it.
    assert session.execute(select(Customer.id).where(Customer.source == "lead")).first() is None


# --------------------------------------------------------------------------- other organizations


def test_another_organizations_lead_is_not_found(session):
    _, admin_a = make_org(session, "A")
    theirs = create(session, admin_a)
    ana_a = customer(session, admin_a, phone="0991234567")
    _, admin_b = make_org(session, "B")
    ours = create(session, admin_b, name="Luis Mora")
    snapshot = column_snapshot(session, Lead, theirs.id)
    calls = [
        lambda: leads.get_lead(session=session, actor=admin_b, lead_id=theirs.id),
        lambda: leads.update_lead(session=session, actor=admin_b, lead_id=theirs.id, version=1,
                                  data=LeadInput(name="x")),
        lambda: leads.change_status(session=session, actor=admin_b, lead_id=theirs.id, version=1,
                                    status="contacted"),
        lambda: leads.delete_lead(session=session, actor=admin_b, lead_id=theirs.id),
        lambda: lead_conversion.convert_lead(session=session, actor=admin_b, lead_id=theirs.id, version=1,
                                             data=as_person(theirs)),
        lambda: lead_conversion.link_lead(session=session, actor=admin_b, lead_id=theirs.id, version=1,
                                          customer_id=ana_a.id),
        lambda: feed.list_lead_feed(session=session, actor=admin_b, lead_id=theirs.id),
    ]
    for call in calls:
        assert_not_found_for_other_org(session, call, snapshot, what="lead")
    # Their customer is no customer of ours to link to.
    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, lead_conversion.link_lead, actor=admin_b, lead_id=ours.id, version=ours.version,
                     customer_id=ana_a.id)
    assert codes(refused) == {"customer_id": "lead_customer_unknown"}


def test_another_organizations_owner_or_channel_is_refused_next_to_its_field(session):
    _, admin_a = make_org(session, "A")
    _, sales_a, _ = make_user(session, admin_a)
    _, admin_b = make_org(session, "B")
    before = row_counts(session)
    with pytest.raises(ValidationFailed) as refused:
        create(session, admin_b, owner_id=sales_a.user_id, channel_id=channel_of(session, admin_a))
    assert codes(refused) == {"owner_id": "lead_owner_unknown", "channel_id": "channel_unknown"}
    assert row_counts(session) == before


# --------------------------------------------------------------------------- the list


def test_the_list_filters_and_searches_by_name_email_or_phone(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin)
    web = channel_of(session, admin, 1)
    maria = create(session, admin, phone="0991234567", channel_id=web)
    luis = create(session, sales, name="Luis Mora", email="luis@mora.ec")
    rosa = create(session, sales, name="Rosa_50%")

    def names(**query):
        page = leads.list_leads(session=session, actor=admin, query=DocumentQuery(**query))
        return [r.name for r in page.rows]

    assert names() == ["Rosa_50%", "Luis Mora", "María Torres"]
    assert names(owner_id=sales.user_id) == ["Rosa_50%", "Luis Mora"]
    assert names(type_id=web) == ["María Torres"]
    assert names(search="maría") == names(search="MARÍA") == ["María Torres"]
    assert names(search="099 123 45") == ["María Torres"]
    assert names(search="mora.ec") == ["Luis Mora"]
    assert names(search="_50%") == ["Rosa_50%"] and names(search="%") == ["Rosa_50%"]
    run_like_app(session, leads.change_status, actor=admin, lead_id=luis.id, version=luis.version,
                 status="lost", lost_reason="Sin presupuesto")
    assert names(status="lost") == ["Luis Mora"]
    page = leads.list_leads(session=session, actor=admin, query=DocumentQuery(limit=2))
    assert [r.id for r in page.rows] == [rosa.id, luis.id] and page.next_cursor
    rest = leads.list_leads(session=session, actor=admin,
                            query=DocumentQuery(limit=2, after=page.next_cursor))
    assert [r.id for r in rest.rows] == [maria.id]
    with pytest.raises(ValidationFailed):
        leads.list_leads(session=session, actor=admin, query=DocumentQuery(status="open"))


def test_a_search_ignores_accents_and_case_and_needs_every_word(session):
    _, admin = make_org(session)
    for name in ("María José Vera", "Mario Vera", "Rosa Paz"):
        create(session, admin, name=name)

    def found(text):
        query = DocumentQuery(search=text)
        return [r.name for r in leads.list_leads(session=session, actor=admin, query=query).rows]

    assert found("maria") == found("MARÍA") == ["María José Vera"]
    assert found("jose vera") == ["María José Vera"]
    assert found("vera") == ["Mario Vera", "María José Vera"]
    assert found("vieja") == []


def test_a_lead_about_an_existing_customer_is_won_without_converting(session):
    _, admin = make_org(session)
    ana = customers.create_customer(session=session, actor=admin,
                                    data=CustomerInput(first_name="Ana", last_name="Paz"))
    session.commit()
    lead = run_like_app(session, leads.create_lead, actor=admin,
                        data=LeadInput(name="Ana Paz: renovar plan", customer_id=ana.id))
    assert lead.customer_id == ana.id and lead.status == "new"
    won = run_like_app(session, leads.change_status, actor=admin, lead_id=lead.id, version=lead.version,
                       status="won")
    assert won.status == "won"
    feed_kinds = [e.kind for e in feed.list_feed(session=session, actor=admin, customer_id=ana.id).entries]
    assert feed_kinds[:2] == ["lead_status_changed", "lead_created"]
    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, leads.create_lead, actor=admin, data=LeadInput(name="X", customer_id=10**9))
    assert set(refused.value.errors) == {"customer_id"}



def test_a_leads_history_pages_back_to_its_first_event(session):
    _, admin = make_org(session)
    lead = run_like_app(session, leads.create_lead, actor=admin, data=LeadInput(name="Rosa Paz"))
    for status in ("contacted", "qualified") * 15:
        lead = run_like_app(session, leads.change_status, actor=admin, lead_id=lead.id, version=lead.version,
                            status=status)
    first = feed.list_lead_feed(session=session, actor=admin, lead_id=lead.id)
    rest = feed.list_lead_feed(session=session, actor=admin, lead_id=lead.id, before=first.next_before)
    assert len(first.entries) == 25 and rest.next_before is None
    assert [e.kind for e in rest.entries][-1] == "lead_created" and len(rest.entries) == 6
