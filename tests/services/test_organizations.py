"""First-run setup and organizations (tenants), on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import select

from crm_app.domain.errors import Conflict, ValidationFailed
from crm_app.models import ActivityLog, Organization, User
from crm_app.services import auth, users
from crm_app.services.organizations import (
    AdminInput,
    OrganizationInput,
    create_organization,
    setup_first_organization,
)
from tests.db import row_counts, run_like_app, wipe
from tests.factories import make_org, make_user

ORG = OrganizationInput(name=" Ferretería Quito ", country="EC", currency="usd", language="es",
                        timezone="America/Guayaquil")
ADMIN = AdminInput(name="María Andrade", email="Maria@Ferreteria.example", password="una clave segura")


@pytest.fixture
def empty(session):
    """First-run setup needs a database without any user: start from one (the session fixture
    cleans after each test, this makes the precondition explicit)."""
    wipe(session.get_bind())
    return session


def test_first_setup_creates_the_organization_and_its_admin(empty):
    session = empty
    assert not auth.has_any_user(session)
    org = run_like_app(session, setup_first_organization, org=ORG, admin=ADMIN)
    assert (org.name, org.country, org.currency, org.language, org.timezone) == \
        ("Ferretería Quito", "EC", "USD", "es", "America/Guayaquil")
    assert auth.has_any_user(session)

    signed = run_like_app(session, auth.sign_in, email="maria@ferreteria.example",
                          password="una clave segura")
    assert signed.actor.is_admin
    assert signed.actor.organization_id == org.id
    assert signed.actor.name == "María Andrade"
    assert not signed.actor.must_change_password
    assert auth.organization_of(session, signed.actor).name == "Ferretería Quito"
    entry = session.exec(select(ActivityLog).where(ActivityLog.kind == "organization_created")).one()
    assert entry.organization_id == org.id


def test_first_setup_works_only_once(empty):
    session = empty
    run_like_app(session, setup_first_organization, org=ORG, admin=ADMIN)
    other = AdminInput(name="Intruso", email="intruso@example.test", password="otra clave segura")
    with pytest.raises(Conflict) as refused:
        run_like_app(session, setup_first_organization, org=dataclasses.replace(ORG, name="Otra"),
                     admin=other)
    assert refused.value.code == "setup_done"
    assert len(session.exec(select(Organization)).all()) == 1
    assert session.exec(select(User).where(User.email == "intruso@example.test")).first() is None


@pytest.mark.parametrize(("changes", "field", "code"), [
    ({"name": "   "}, "org_name", "required"),
    ({"name": "x" * 201}, "org_name", "too_long"),
    ({"country": "XX"}, "country", "country_unknown"),
    ({"country": "ec"}, "country", "country_unknown"),
    ({"currency": "US"}, "currency", "currency_invalid"),
    ({"currency": "U$D"}, "currency", "currency_invalid"),
    ({"language": "fr"}, "language", "language_invalid"),
    ({"timezone": "Mars/Olympus_Mons"}, "timezone", "timezone_invalid"),
    ({"timezone": ""}, "timezone", "timezone_invalid"),
])
def test_organization_fields_are_validated(empty, changes, field, code):
    with pytest.raises(ValidationFailed) as refused:
        setup_first_organization(session=empty, org=dataclasses.replace(ORG, **changes), admin=ADMIN)
    assert {name: error.code for name, error in refused.value.errors.items()} == {field: code}
    empty.rollback()
    assert not auth.has_any_user(empty)


@pytest.mark.parametrize(("changes", "field", "code"), [
    ({"name": ""}, "admin_name", "required"),
    ({"email": "maria.example"}, "admin_email", "email_invalid"),
    ({"email": ""}, "admin_email", "required"),
    ({"password": "corta"}, "admin_password", "password_too_short"),
    ({"password": "x" * 257}, "admin_password", "password_too_long"),
])
def test_admin_fields_are_validated(empty, changes, field, code):
    with pytest.raises(ValidationFailed) as refused:
        setup_first_organization(session=empty, org=ORG, admin=dataclasses.replace(ADMIN, **changes))
    assert {name: error.code for name, error in refused.value.errors.items()} == {field: code}


def test_all_errors_are_reported_at_once(empty):
    bad_org = dataclasses.replace(ORG, country="XX", timezone="Nowhere/Else")
    bad_admin = dataclasses.replace(ADMIN, password="short")
    with pytest.raises(ValidationFailed) as refused:
        setup_first_organization(session=empty, org=bad_org, admin=bad_admin)
    assert set(refused.value.errors) == {"country", "timezone", "admin_password"}
    assert refused.value.errors["admin_password"].params == {"min": 8}


def test_refused_setup_writes_nothing(empty):
    before = row_counts(empty)
    with pytest.raises(ValidationFailed):
        run_like_app(empty, setup_first_organization, org=dataclasses.replace(ORG, country="XX"), admin=ADMIN)
    assert row_counts(empty) == before


def test_an_admin_email_already_used_is_refused(session):
    make_org(session, "A", admin_email="boss@example.test")
    with pytest.raises(ValidationFailed) as refused:
        create_organization(session=session, org=ORG,
                            admin=dataclasses.replace(ADMIN, email="BOSS@example.test"))
    assert refused.value.errors["admin_email"].code == "email_taken"


def test_two_organizations_in_one_database_are_separate(session):
    org_a, admin_a = make_org(session, "Andes", country="PE")
    org_b, admin_b = make_org(session, "Bahía", country="MX")
    assert org_a.id != org_b.id
    assert (org_a.currency, org_a.timezone) == ("PEN", "America/Lima")
    assert (org_b.currency, org_b.timezone) == ("MXN", "America/Mexico_City")
    user_a, _, _ = make_user(session, admin_a)
    user_b, _, _ = make_user(session, admin_b)

    assert {u.id for u in users.list_users(session=session, actor=admin_a)} == {admin_a.user_id, user_a.id}
    assert {u.id for u in users.list_users(session=session, actor=admin_b)} == {admin_b.user_id, user_b.id}
    assert auth.organization_of(session, admin_a).id == org_a.id
    assert auth.organization_of(session, admin_b).id == org_b.id
    logged = session.exec(select(ActivityLog.organization_id, ActivityLog.kind)).all()
    assert sorted(logged) == sorted([(org_a.id, "organization_created"), (org_a.id, "user_created"),
                                     (org_b.id, "organization_created"), (org_b.id, "user_created")])
