"""Customers: create/edit/delete/restore, validation, duplicates, versions, tenants; SQLite and PostgreSQL."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import select

from crm_app.domain.customers import CustomerInput, CustomerQuery, EmailInput, PhoneInput
from crm_app.domain.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from crm_app.domain.search_text import customer_search_text
from crm_app.domain.tax_ids import sample_tax_id
from crm_app.models import Customer, CustomerEmail, CustomerTag, Tag
from crm_app.services import customers, feed
from tests.db import row_counts, run_like_app
from tests.factories import make_org, make_user
from tests.isolation import assert_not_found_for_other_org, column_snapshot

CEDULA = "1710034065"  # a valid Ecuadorian cédula
RNG = random.Random(7)


def person(first="José", last="Pérez", **extra) -> CustomerInput:
    return CustomerInput(client_type="person", first_name=first, last_name=last, **extra)


def create(session, actor, data: CustomerInput):
    return run_like_app(session, customers.create_customer, actor=actor, data=data)


def errors_of(refused: pytest.ExceptionInfo[ValidationFailed]) -> dict[str, tuple[str, dict]]:
    return {key: (error.code, error.params) for key, error in refused.value.errors.items()}


# --------------------------------------------------------------------------- create


def test_create_person_with_phones_emails_tags(session):
    org, admin = make_org(session, country="EC")
    data = person(
        "  María José ",
        " Pérez  Gómez ",
        tax_id="171003406-5",
        phones=(
            PhoneInput("099 123 4567", whatsapp=True),
            PhoneInput("+57 321 123 4567", kind="work", primary=True),
        ),
        emails=(EmailInput(" Maria@Example.COM ", accepts_email=True),),
        tags=("VIP", " vip ", "Crédito"),
        birthday=date(1990, 5, 17),
        credit_limit=Decimal("1500.5"),
        discount_percent=Decimal("12.5"),
        latitude=Decimal("-0.180653"),
        longitude=Decimal("-78.467834"),
        city="Quito",
        notes="Prefiere WhatsApp",
    )
    created = create(session, admin, data)
    assert created.version == 1 and created.client_type == "person"
    assert created.display_name == "María José Pérez Gómez"
    assert (created.first_name, created.last_name) == ("María José", "Pérez Gómez")
    assert created.tax_id == CEDULA and created.tax_id_type == "cedula"
    assert [p.e164 for p in created.phones] == ["+593991234567", "+573211234567"]
    assert [p.primary for p in created.phones] == [False, True]
    assert created.phones[0].national == "099 123 4567"
    assert created.phones[1].national == "+57 321 1234567"  # a foreign number stays international
    assert created.phones[0].whatsapp and created.phones[1].kind == "work"
    (email,) = created.emails
    assert email.address == "maria@example.com" and email.primary and email.accepts_email
    assert email.consent_at is not None and email.consent_source == "form"
    assert created.tags == ("Crédito", "VIP")  # one "VIP", ordered by normalized name
    assert created.credit_limit == Decimal("1500.50") and created.discount_percent == Decimal("12.50")
    assert created.latitude == Decimal("-0.180653") and created.longitude == Decimal("-78.467834")
    assert created.birthday == date(1990, 5, 17)
    assert created.created_by_name == admin.name and created.updated_by_name == admin.name
    assert created.deleted_at is None and created.source == "form"

    row = session.get(Customer, created.id)
    assert row.organization_id == org.id
    assert row.sort_name == "maria jose perez gomez"
    assert row.primary_phone_e164 == "+573211234567" and row.primary_email == "maria@example.com"
    assert row.search_text == customer_search_text(
        names=("María José", "Pérez Gómez"),
        tax_id=CEDULA,
        emails=["maria@example.com"],
        phones_e164=["+593991234567", "+573211234567"],
        region="EC",
    )
    assert "0991234567" in row.search_text and "593991234567" in row.search_text
    assert customers.get_customer(session=session, actor=admin, customer_id=created.id) == created


def test_create_company_and_government(session):
    _, admin = make_org(session, country="EC")
    ruc = sample_tax_id("EC", "company", RNG)
    company = create(
        session,
        admin,
        CustomerInput(
            client_type="company",
            legal_name="Ferretería Andina Cía. Ltda.",
            trade_name="Ferretería Andina",
            contact_name="Luis Mora",
            tax_id=ruc,
            emails=(EmailInput("ventas@andina.ec"),),
        ),
    )
    assert (
        company.display_name == "Ferretería Andina" and company.tax_id_type == "ruc" and company.tax_id == ruc
    )
    assert (company.first_name, company.last_name) == ("", "")
    public_ruc = sample_tax_id("EC", "government", RNG)
    government = create(
        session,
        admin,
        CustomerInput(
            client_type="government",
            legal_name="Municipio de Quito",
            tax_id=public_ruc,
        ),
    )
    assert government.display_name == "Municipio de Quito"  # no trade name: the legal name shows
    assert government.phones == () and government.emails == ()  # contact data is optional


def test_a_phone_without_a_type_is_saved_with_the_numbers_own(session):
    """Issue 19: a Quito landline is "home" for a person and "work" for a company, never "mobile"."""
    _, admin = make_org(session, country="EC")
    ana = create(session, admin, person(phones=(PhoneInput("02-234-5678"), PhoneInput("0991234567"))))
    andes = create(session, admin, CustomerInput(client_type="company", legal_name="Andes S.A.",
                                                 phones=(PhoneInput("02-345-6789"),)))
    assert [p.kind for p in ana.phones] == ["home", "mobile"]
    assert [p.kind for p in andes.phones] == ["work"]
    # A chosen type is kept as chosen.
    updated = run_like_app(session, customers.update_customer, actor=admin, customer_id=ana.id,
                           version=ana.version,
                           data=person(phones=(PhoneInput("02-234-5678", kind="mobile"),)))
    assert [p.kind for p in updated.phones] == ["mobile"]


def test_first_phone_and_email_become_primary_when_none_is_marked(session):
    _, admin = make_org(session)
    created = create(
        session,
        admin,
        person(
            phones=(PhoneInput("0991234567"), PhoneInput("0987654321")),
            emails=(EmailInput("a@example.com"), EmailInput("b@example.com", primary=True)),
        ),
    )
    assert [p.primary for p in created.phones] == [True, False]
    assert [e.primary for e in created.emails] == [False, True]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (CustomerInput(client_type="person"), {"first_name": "required", "last_name": "required"}),
        (CustomerInput(client_type="company", trade_name="Solo comercial"), {"legal_name": "required"}),
        (CustomerInput(client_type="alien", first_name="X"), {"client_type": "client_type_invalid"}),
        (person(tax_id="1710034066"), {"tax_id": "tax_id_invalid"}),
        (person(tax_id_type="rif", tax_id="V123"), {"tax_id": "tax_id_type_not_allowed"}),
        (person(phones=(PhoneInput("12345"),)), {"phones.0.number": "phone_invalid"}),
        (
            person(phones=(PhoneInput("0991234567"), PhoneInput("+593 99 123 4567"))),
            {"phones.1.number": "phone_repeated"},
        ),
        (person(phones=(PhoneInput("0991234567", kind="custom"),)), {"phones.0.label": "required"}),
        (person(emails=(EmailInput("ana@"),)), {"emails.0.address": "email_invalid"}),
        (
            person(emails=(EmailInput("a@x.com"), EmailInput("A@X.com"))),
            {"emails.1.address": "email_repeated"},
        ),
        (person(discount_percent=Decimal(150)), {"discount_percent": "discount_range"}),
        (person(discount_percent=Decimal(-1)), {"discount_percent": "discount_range"}),
        (person(credit_limit=Decimal(-5)), {"credit_limit": "credit_limit_invalid"}),
        (person(birthday=date.today() + timedelta(days=2)), {"birthday": "birthday_future"}),
        (person(latitude=Decimal(91), longitude=Decimal(0)), {"latitude": "coordinates_invalid"}),
        (person(latitude=Decimal(1)), {"longitude": "coordinates_invalid"}),
        (person(first="x" * 101), {"first_name": "too_long"}),
        (person(loyalty_id="L" * 65), {"loyalty_id": "too_long"}),
        (person(channel_id=999_999), {"channel_id": "channel_unknown"}),
    ],
)
def test_validation_errors_per_field_and_nothing_written(session, data, expected):
    _, admin = make_org(session)
    session.commit()
    before = row_counts(session)
    with pytest.raises(ValidationFailed) as refused:
        create(session, admin, data)
    assert {key: code for key, (code, _) in errors_of(refused).items()} == expected
    assert row_counts(session) == before


def test_all_field_errors_come_together(session):
    _, admin = make_org(session)
    with pytest.raises(ValidationFailed) as refused:
        create(
            session,
            admin,
            CustomerInput(
                client_type="person",
                tax_id="123",
                phones=(PhoneInput("1"),),
                emails=(EmailInput("@"),),
                discount_percent=Decimal(101),
                birthday=date(2999, 1, 1),
            ),
        )
    assert set(refused.value.errors) == {
        "first_name",
        "last_name",
        "tax_id",
        "phones.0.number",
        "emails.0.address",
        "discount_percent",
        "birthday",
    }


def test_channel_of_another_organization_is_unknown(session):
    _, admin_a = make_org(session, "A")
    _, admin_b = make_org(session, "B")
    (channel_b, _), *_ = customers.list_channels(session=session, actor=admin_b)
    with pytest.raises(ValidationFailed) as refused:
        create(session, admin_a, person(channel_id=channel_b))
    assert errors_of(refused) == {"channel_id": ("channel_unknown", {})}


# --------------------------------------------------------------------------- duplicates


def test_duplicates_name_the_existing_customer(session):
    _, admin = make_org(session)
    first = create(
        session,
        admin,
        person(
            tax_id=CEDULA,
            loyalty_id="FID-1",
            phones=(PhoneInput("0991234567"),),
            emails=(EmailInput("jose@x.com"),),
        ),
    )
    with pytest.raises(ValidationFailed) as refused:
        create(
            session,
            admin,
            person(
                "Otro",
                "Cliente",
                tax_id="1710034065",
                loyalty_id="FID-1",
                phones=(PhoneInput("0987654321"), PhoneInput("+593991234567")),
                emails=(EmailInput("JOSE@x.com"),),
            ),
        )
    owner = {"name": "José Pérez", "customer_id": first.id}
    assert errors_of(refused) == {
        "phones.1.number": ("duplicate_phone", owner),
        "emails.0.address": ("duplicate_email", owner),
        "tax_id": ("duplicate_tax_id", owner),
        "loyalty_id": ("duplicate_loyalty_id", owner),
    }


def test_editing_keeps_own_values_and_policy_off_allows_duplicates(session):
    _, admin = make_org(session)
    data = person(tax_id=CEDULA, phones=(PhoneInput("0991234567"),), emails=(EmailInput("jose@x.com"),))
    first = create(session, admin, data)
    edited = run_like_app(
        session, customers.update_customer, actor=admin, customer_id=first.id, version=1, data=data
    )
    assert edited.version == 2

    run_like_app(
        session,
        customers.set_duplicate_policy,
        actor=admin,
        policy=customers.DuplicatePolicy(phone=False, email=False, tax_id=False),
    )
    second = create(
        session,
        admin,
        person(
            "Otro",
            "José",
            tax_id=CEDULA,
            phones=(PhoneInput("0991234567"),),
            emails=(EmailInput("jose@x.com"),),
        ),
    )
    assert second.tax_id == first.tax_id
    # Loyalty IDs stay unique whatever the policy.
    create(session, admin, person("Con", "Tarjeta", loyalty_id="L1"))
    with pytest.raises(ValidationFailed) as refused:
        create(session, admin, person("Otra", "Tarjeta", loyalty_id="L1"))
    assert errors_of(refused)["loyalty_id"][0] == "duplicate_loyalty_id"


def test_duplicate_policy_is_admin_only(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin, "sales")
    with pytest.raises(Forbidden):
        customers.set_duplicate_policy(
            session=session,
            actor=sales,
            policy=customers.DuplicatePolicy(phone=False, email=True, tax_id=True),
        )
    assert customers.get_duplicate_policy(session=session, actor=sales) == customers.DuplicatePolicy(
        True, True, True
    )


def test_duplicates_ignore_trashed_customers_and_other_organizations(session):
    _, admin_a = make_org(session, "A")
    _, admin_b = make_org(session, "B")
    data = person(tax_id=CEDULA, phones=(PhoneInput("0991234567"),))
    other_org = create(session, admin_b, data)
    trashed = create(session, admin_a, data)
    run_like_app(session, customers.delete_customer, actor=admin_a, customer_id=trashed.id)
    active = create(session, admin_a, data)
    assert active.id not in (other_org.id, trashed.id)


# --------------------------------------------------------------------------- update


def test_update_replaces_children_keeps_consent_and_bumps_version(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin, "sales", name="Sofía Ventas")
    created = create(
        session,
        admin,
        person(
            phones=(PhoneInput("0991234567"),),
            tags=("VIP",),
            emails=(EmailInput("keep@x.com", accepts_email=True), EmailInput("later@x.com")),
        ),
    )
    consent_at = created.emails[0].consent_at
    updated = run_like_app(
        session,
        customers.update_customer,
        actor=sales,
        customer_id=created.id,
        version=1,
        data=person(
            "José",
            "Pérez Ruiz",
            phones=(PhoneInput("0987654321"),),
            tags=("Nuevo",),
            emails=(
                EmailInput("keep@x.com", accepts_email=True),
                EmailInput("later@x.com", accepts_email=True),
            ),
            source="invitation",
        ),
    )
    assert updated.version == 2 and updated.display_name == "José Pérez Ruiz"
    assert [p.e164 for p in updated.phones] == ["+593987654321"] and updated.tags == ("Nuevo",)
    keep, later = updated.emails
    assert keep.consent_at == consent_at and keep.consent_source == "form"
    assert later.accepts_email and later.consent_at is not None and later.consent_source == "invitation"
    assert updated.updated_by_name == "Sofía Ventas" and updated.created_by_name == admin.name
    assert session.execute(select(CustomerTag).where(CustomerTag.customer_id == created.id)).all() != []
    assert (
        len(session.execute(select(CustomerEmail).where(CustomerEmail.customer_id == created.id)).all()) == 2
    )

    withdrawn = run_like_app(
        session,
        customers.update_customer,
        actor=sales,
        customer_id=created.id,
        version=2,
        data=person("José", "Pérez Ruiz", emails=(EmailInput("keep@x.com"),)),
    )
    assert withdrawn.emails[0].consent_at is None and not withdrawn.emails[0].accepts_email
    assert withdrawn.phones == () and withdrawn.tags == ()
    # The unused tag stays available for suggestions.
    assert "VIP" in customers.list_tags(session=session, actor=admin)


def test_update_records_the_change_set_in_the_feed(session):
    _, admin = make_org(session)
    created = create(session, admin, person(city="Quito"))
    run_like_app(
        session,
        customers.update_customer,
        actor=admin,
        customer_id=created.id,
        version=1,
        data=person(city="Cuenca", tags=("VIP",)),
    )
    newest = feed.list_feed(session=session, actor=admin, customer_id=created.id).entries[0]
    assert (newest.kind, newest.actor_id) == ("customer_updated", admin.user_id)
    assert newest.data["changes"] == [
        {"field": "city", "before": "Quito", "after": "Cuenca"},
        {"field": "tags", "op": "added", "value": "VIP"},
    ]


def test_stale_version_is_refused_with_the_other_users_name(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin, "sales", name="Sofía Ventas")
    created = create(session, admin, person())
    run_like_app(
        session,
        customers.update_customer,
        actor=sales,
        customer_id=created.id,
        version=1,
        data=person(city="Quito"),
    )
    with pytest.raises(Conflict) as refused:
        run_like_app(
            session,
            customers.update_customer,
            actor=admin,
            customer_id=created.id,
            version=1,
            data=person(city="Loja"),
        )
    assert refused.value.code == "stale_version" and refused.value.params == {"by": "Sofía Ventas"}
    assert customers.get_customer(session=session, actor=admin, customer_id=created.id).city == "Quito"


def test_sales_users_manage_customers_too(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin, "sales")
    created = create(session, sales, person())
    run_like_app(session, customers.delete_customer, actor=sales, customer_id=created.id)
    restored = run_like_app(session, customers.restore_customer, actor=sales, customer_id=created.id)
    assert restored.deleted_at is None


# --------------------------------------------------------------------------- delete / restore


def test_soft_delete_trash_listing_and_restore(session):
    _, admin = make_org(session)
    kept = create(session, admin, person("Ana", "Activa"))
    gone = create(session, admin, person("Beto", "Borrado"))
    run_like_app(session, customers.delete_customer, actor=admin, customer_id=gone.id)
    run_like_app(session, customers.delete_customer, actor=admin, customer_id=gone.id)  # twice: no-op

    def ids(**query):
        return [
            r.id
            for r in customers.list_customers(session=session, actor=admin, query=CustomerQuery(**query)).rows
        ]

    assert ids() == [kept.id]
    assert ids(trash=True) == [gone.id]
    assert ids(trash=True, search="borr") == [gone.id]
    trashed = customers.get_customer(session=session, actor=admin, customer_id=gone.id)
    assert trashed.deleted_at is not None and trashed.version == 2
    with pytest.raises(Conflict) as refused:
        customers.update_customer(session=session, actor=admin, customer_id=gone.id, version=2, data=person())
    assert refused.value.code == "customer_deleted"
    session.rollback()

    restored = run_like_app(session, customers.restore_customer, actor=admin, customer_id=gone.id)
    assert restored.deleted_at is None and restored.version == 3
    assert sorted(ids()) == sorted([kept.id, gone.id]) and ids(trash=True) == []


def test_restore_refuses_when_an_active_customer_took_the_values(session):
    _, admin = make_org(session)
    data = person(
        tax_id=CEDULA, loyalty_id="L7", phones=(PhoneInput("0991234567"),), emails=(EmailInput("a@x.com"),)
    )
    old = create(session, admin, data)
    run_like_app(session, customers.delete_customer, actor=admin, customer_id=old.id)
    new = create(
        session,
        admin,
        person(
            "Nuevo",
            "Dueño",
            tax_id=CEDULA,
            loyalty_id="L7",
            phones=(PhoneInput("0991234567"),),
            emails=(EmailInput("a@x.com"),),
        ),
    )
    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, customers.restore_customer, actor=admin, customer_id=old.id)
    owner = {"name": "Nuevo Dueño", "customer_id": new.id}
    assert errors_of(refused) == {
        "phones.0.number": ("duplicate_phone", owner),
        "emails.0.address": ("duplicate_email", owner),
        "tax_id": ("duplicate_tax_id", owner),
        "loyalty_id": ("duplicate_loyalty_id", owner),
    }
    assert customers.get_customer(session=session, actor=admin, customer_id=old.id).deleted_at is not None


# --------------------------------------------------------------------------- tenants


def test_other_organizations_customers_are_not_found(session):
    _, admin_a = make_org(session, "A")
    _, admin_b = make_org(session, "B")
    victim = create(session, admin_a, person(tax_id=CEDULA))
    snapshot = column_snapshot(session, Customer, victim.id)
    calls = [
        lambda: customers.get_customer(session=session, actor=admin_b, customer_id=victim.id),
        lambda: customers.update_customer(
            session=session, actor=admin_b, customer_id=victim.id, version=1, data=person("Robado", "X")
        ),
        lambda: customers.delete_customer(session=session, actor=admin_b, customer_id=victim.id),
        lambda: customers.restore_customer(session=session, actor=admin_b, customer_id=victim.id),
        lambda: customers.get_customer(session=session, actor=admin_b, customer_id=10**9),
    ]
    for call in calls:
        assert_not_found_for_other_org(session, call, snapshot, what="customer")
    run_like_app(session, customers.delete_customer, actor=admin_a, customer_id=victim.id)
    assert_not_found_for_other_org(
        session,
        lambda: customers.restore_customer(session=session, actor=admin_b, customer_id=victim.id),
        snapshot,
        what="customer",
    )
    for query in (
        CustomerQuery(),
        CustomerQuery(search="perez"),
        CustomerQuery(search="pe"),
        CustomerQuery(trash=True),
        CustomerQuery(search=CEDULA, trash=True),
    ):
        assert customers.list_customers(session=session, actor=admin_b, query=query).rows == ()


def test_bad_ids_are_not_found(session):
    _, admin = make_org(session)
    for bad in (0, -1, True):
        with pytest.raises(NotFound):
            customers.get_customer(session=session, actor=admin, customer_id=bad)


# --------------------------------------------------------------------------- tags and channels


def test_new_organizations_get_default_channels_and_admins_add_more(session):
    _, admin = make_org(session)
    _, sales, _ = make_user(session, admin, "sales")
    names = [name for _, name in customers.list_channels(session=session, actor=sales)]
    assert names == ["Recomendación", "Redes sociales", "Google", "Pasó por la tienda", "Otro"]
    with pytest.raises(Forbidden):
        customers.create_channel(session=session, actor=sales, name="Feria")
    channel_id, name = customers.create_channel(session=session, actor=admin, name="  Feria   2026 ")
    assert name == "Feria 2026"
    assert customers.list_channels(session=session, actor=admin)[-1] == (channel_id, "Feria 2026")
    with pytest.raises(ValidationFailed) as refused:
        customers.create_channel(session=session, actor=admin, name="feria 2026")
    assert errors_of(refused) == {"name": ("channel_exists", {})}
    created = create(session, admin, person(channel_id=channel_id))
    assert created.channel_id == channel_id and created.channel_name == "Feria 2026"


def test_list_tags_by_prefix(session):
    _, admin = make_org(session)
    _, other = make_org(session, "Otra")
    create(session, admin, person(tags=("Crédito", "Corporativo", "VIP")))
    create(session, other, person(tags=("Cobranza",)))
    assert customers.list_tags(session=session, actor=admin) == ["Corporativo", "Crédito", "VIP"]
    assert customers.list_tags(session=session, actor=admin, prefix="cre") == ["Crédito"]
    assert customers.list_tags(session=session, actor=admin, prefix="C", limit=1) == ["Corporativo"]
    assert customers.list_tags(session=session, actor=admin, prefix="%") == []
    assert session.execute(select(Tag.normalized).where(Tag.name == "Crédito")).scalar_one() == "credito"


def test_field_error_keys_match_the_input_positions(session):
    _, admin = make_org(session)
    create(session, admin, person(phones=(PhoneInput("0991111111"),)))
    with pytest.raises(ValidationFailed) as refused:
        create(
            session,
            admin,
            person("B", "C", phones=(PhoneInput("0992222222"), PhoneInput("0991111111"), PhoneInput("99"))),
        )
    errors = refused.value.errors
    assert set(errors) == {"phones.2.number"}  # field errors first; duplicates once the fields are valid
    assert isinstance(errors["phones.2.number"], FieldError)
