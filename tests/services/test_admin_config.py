"""Admin configuration (issue 6): the customer form per client type, custom fields and their values,
duplicate rules, lists, tags and the admin activity log; SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import func, select

from crm_app.domain.customers import CustomerInput, CustomerQuery, EmailInput, PhoneInput
from crm_app.domain.errors import Conflict, Forbidden, ValidationFailed
from crm_app.domain.form_edits import CustomFieldInput
from crm_app.models import ActivityLog, CustomerFieldValue, CustomField, Tag
from crm_app.services import admin_settings as admin
from crm_app.services import customers, tag_admin
from crm_app.services import form_config as forms
from crm_app.services.customers import DuplicatePolicy
from crm_app.services.organizations import OrganizationInput
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.isolation import assert_not_found_for_other_org, column_snapshot


def person(first="Ana", last="Paz", **extra) -> CustomerInput:
    return CustomerInput(client_type="person", first_name=first, last_name=last, **extra)


def company(name="Ferretería Norte", **extra) -> CustomerInput:
    return CustomerInput(client_type="company", legal_name=name, **extra)


def errors_of(refused) -> dict[str, str]:
    return {key: error.code for key, error in refused.value.errors.items()}


def require_birthday(session, actor) -> None:
    config = forms.get_form_config(session=session, actor=actor, client_type="person")
    fields = [dataclasses.replace(f, required=True) if f.key == "birthday" else f for f in config.builtin]
    run_like_app(session, forms.save_builtin_fields, actor=actor, client_type="person", fields=fields)


def branch_field(session, actor, client_type="person", **extra):
    data = CustomFieldInput(kind="choice", label_es="Sucursal", label_en="Branch",
                            options=((None, "Norte", "North"), (None, "Sur", "South")), **extra)
    return run_like_app(session, forms.create_custom_field, actor=actor, client_type=client_type, data=data)


# --------------------------------------------------------------------------- form: built-in fields


def test_required_birthday_applies_to_persons_only(session):
    _, owner = make_org(session)
    require_birthday(session, owner)

    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, customers.create_customer, actor=owner, data=person())
    assert errors_of(refused) == {"birthday": "required"}

    saved = run_like_app(session, customers.create_customer, actor=owner,
                         data=person(birthday=date(1990, 1, 2)))
    assert saved.birthday == date(1990, 1, 2)
    # The company form is its own: no birthday needed there.
    assert run_like_app(session, customers.create_customer, actor=owner, data=company()).legal_name


def test_names_stay_required_and_one_contact_stays_shown(session):
    _, owner = make_org(session)
    config = forms.get_form_config(session=session, actor=owner, client_type="person")
    hide = {"first_name", "phones", "emails"}
    fields = [dataclasses.replace(f, visible=f.key not in hide, required=False) for f in config.builtin]
    with pytest.raises(ValidationFailed) as refused:
        forms.save_builtin_fields(session=session, actor=owner, client_type="person", fields=fields)
    assert errors_of(refused) == {"first_name.visible": "field_locked", "last_name.visible": "field_locked",
                                  "phones.visible": "contact_field_needed"}


def test_order_labels_and_hidden_fields_keep_their_values(session):
    _, owner = make_org(session)
    created = run_like_app(session, customers.create_customer, actor=owner,
                           data=person(loyalty_id="L-7", tags=("vip",)))
    config = forms.get_form_config(session=session, actor=owner, client_type="person")
    keys = [f.key for f in config.builtin]
    keys.insert(0, keys.pop(keys.index("notes")))  # notes first
    by_key = {f.key: f for f in config.builtin}
    fields = [dataclasses.replace(by_key[k], visible=k not in {"loyalty_id", "tags"},
                                  label_es="Observaciones" if k == "notes" else "") for k in keys]
    after = run_like_app(session, forms.save_builtin_fields, actor=owner, client_type="person", fields=fields)
    assert after.builtin[0].key == "notes" and after.builtin[0].label_es == "Observaciones"
    assert not after.visible("loyalty_id") and not after.visible("tags")

    # The form no longer shows the loyalty ID and tags, so an edit sends none: they are kept.
    edited = run_like_app(session, customers.update_customer, actor=owner, customer_id=created.id,
                          version=created.version, data=person(last="Paz Ruiz"))
    assert (edited.last_name, edited.loyalty_id, edited.tags) == ("Paz Ruiz", "L-7", ("vip",))


# --------------------------------------------------------------------------- form: custom fields


def test_choice_field_values_are_validated_stored_and_filtered(session):
    _, owner = make_org(session)
    branch = branch_field(session, owner, required=True)
    north, south = branch.options

    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, customers.create_customer, actor=owner, data=person())
    assert errors_of(refused) == {f"custom.{branch.id}": "required"}
    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, customers.create_customer, actor=owner, data=person(custom={branch.id: "999"}))
    assert errors_of(refused) == {f"custom.{branch.id}": "option_invalid"}

    ana = run_like_app(session, customers.create_customer, actor=owner,
                       data=person(custom={branch.id: str(north.id)}))
    assert ana.custom == ((branch.id, ((north.id, ""),)),)
    run_like_app(session, customers.create_customer, actor=owner,
                 data=person("Luis", "Mora", custom={branch.id: south.id}))
    # The company form has no Branch field: a company needs none and cannot be given one.
    run_like_app(session, customers.create_customer, actor=owner, data=company())
    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, customers.create_customer, actor=owner,
                     data=company("Otra", custom={branch.id: north.id}))
    assert errors_of(refused) == {f"custom.{branch.id}": "field_unknown"}

    page = customers.list_customers(session=session, actor=owner,
                                    query=CustomerQuery(options=((branch.id, north.id),)))
    assert [r.display_name for r in page.rows] == ["Ana Paz"]


@pytest.mark.parametrize(("kind", "raw", "stored", "error"), [
    ("integer", " 42 ", "42", None), ("integer", "4.2", None, "integer_invalid"),
    ("decimal", "1.234,50", "1234.5", None), ("decimal", "abc", None, "decimal_invalid"),
    ("date", "2024-02-29", "2024-02-29", None), ("date", "2023-02-29", None, "date_invalid"),
    ("boolean", "on", "true", None), ("text", "x" * 201, None, "too_long"),
    ("long_text", "línea 1\nlínea 2", "línea 1\nlínea 2", None),
])
def test_typed_custom_values(session, kind, raw, stored, error):
    _, owner = make_org(session)
    field = run_like_app(session, forms.create_custom_field, actor=owner, client_type="person",
                         data=CustomFieldInput(kind=kind, label_es="Dato"))
    data = person(custom={field.id: raw})
    if error:
        with pytest.raises(ValidationFailed) as refused:
            customers.create_customer(session=session, actor=owner, data=data)
        assert errors_of(refused) == {f"custom.{field.id}": error}
    else:
        saved = customers.create_customer(session=session, actor=owner, data=data)
        assert saved.custom == ((field.id, ((None, stored),)),)


def test_an_admin_writes_the_forms_texts_in_portuguese(session):
    """A Brazilian admin's field, help and options in Portuguese only: the Spanish texts other languages
    fall back to get them; a built-in field renamed in Portuguese keeps the catalogue's other names."""
    _, owner = make_org(session)
    options = ((None, "", "", "Centro"), (None, "Norte", "", "Zona Norte"))
    data = CustomFieldInput(kind="choice", label_es="", label_pt="Filial", help_pt="Onde compra",
                            options=options)
    field = run_like_app(session, forms.create_custom_field, actor=owner, client_type="person", data=data)
    assert (field.label("pt"), field.label("es"), field.label("en")) == ("Filial", "Filial", "Filial")
    assert (field.help("pt"), field.help("es")) == ("Onde compra", "Onde compra")
    assert [o.label("pt") for o in field.active_options] == ["Centro", "Zona Norte"]
    assert [o.label("es") for o in field.active_options] == ["Centro", "Norte"]

    with pytest.raises(ValidationFailed) as refused:
        run_like_app(session, forms.create_custom_field, actor=owner, client_type="person",
                     data=CustomFieldInput(kind="text", label_es=" ", label_en="", label_pt=" "))
    assert errors_of(refused) == {"label_es": "label_needed"}
    session.rollback()

    config = forms.get_form_config(session=session, actor=owner, client_type="person")
    renamed = [dataclasses.replace(f, label_pt="Observações") if f.key == "notes" else f
               for f in config.builtin]
    config = run_like_app(session, forms.save_builtin_fields, actor=owner, client_type="person",
                          fields=renamed)
    notes = config.field("notes")
    # Spanish and English readers keep the catalogue's "Notas" / "Notes".
    assert (notes.own_label("pt"), notes.own_label("es"), notes.own_label("en")) == ("Observações", "", "")


def test_rename_keeps_values_remove_hides_them_purge_deletes_them(session):
    _, owner = make_org(session)
    field = branch_field(session, owner)
    north = field.options[0]
    ana = run_like_app(session, customers.create_customer, actor=owner,
                       data=person(custom={field.id: [north.id]}))

    renamed = run_like_app(session, forms.update_custom_field, actor=owner, field_id=field.id,
                           data=CustomFieldInput(kind="text", label_es="Local", label_en="Store",
                                                 options=((north.id, "Norte 1", ""), (None, "Centro", ""))))
    assert renamed.kind == "choice" and renamed.label_es == "Local"  # a kind never changes
    assert [o.label_es for o in renamed.active_options] == ["Norte 1", "Centro"]
    assert customers.get_customer(session=session, actor=owner, customer_id=ana.id).custom == (
        (field.id, ((north.id, ""),)),)

    with pytest.raises(Conflict):  # only a removed field can be purged
        forms.purge_custom_field(session=session, actor=owner, field_id=field.id)
    session.rollback()
    run_like_app(session, forms.set_custom_field_active, actor=owner, field_id=field.id, active=False)
    # Removed: not on the form any more, the customer saves without it and keeps the stored value.
    config = forms.get_form_config(session=session, actor=owner, client_type="person")
    assert config.active_custom == ()
    current = customers.get_customer(session=session, actor=owner, customer_id=ana.id)
    edited = run_like_app(session, customers.update_customer, actor=owner, customer_id=ana.id,
                          version=current.version, data=person(last="Paz"))
    assert edited.custom == ((field.id, ((north.id, ""),)),)

    assert forms.count_values(session=session, actor=owner, field_id=field.id) == 1
    assert run_like_app(session, forms.purge_custom_field, actor=owner, field_id=field.id) == 1
    assert session.execute(select(func.count()).select_from(CustomerFieldValue)
                           .where(CustomerFieldValue.field_id == field.id)).scalar_one() == 0
    assert customers.get_customer(session=session, actor=owner, customer_id=ana.id).custom == ()


def test_custom_field_definition_errors(session):
    _, owner = make_org(session)
    with pytest.raises(ValidationFailed) as refused:
        forms.create_custom_field(session=session, actor=owner, client_type="person",
                                  data=CustomFieldInput(kind="choice", label_es=" ", options=()))
    assert errors_of(refused) == {"label_es": "label_needed", "options": "options_needed"}
    with pytest.raises(ValidationFailed) as refused:
        forms.create_custom_field(session=session, actor=owner, client_type="person",
                                  data=CustomFieldInput(kind="multi_choice", label_es="Intereses",
                                                        options=((None, "Cine", ""), (None, "cine", ""))))
    assert errors_of(refused) == {"options.1": "option_repeated"}


# --------------------------------------------------------------------------- who may change what


def test_sales_staff_cannot_change_any_setting(session):
    _, owner = make_org(session)
    _, sales, _ = make_user(session, owner, "sales")
    field = branch_field(session, owner)
    config = forms.get_form_config(session=session, actor=sales, client_type="person")  # reading is fine
    before = session.execute(select(func.count()).select_from(ActivityLog)).scalar_one()
    for call in (
        lambda: forms.save_builtin_fields(session=session, actor=sales, client_type="person",
                                          fields=list(config.builtin)),
        lambda: forms.create_custom_field(session=session, actor=sales, client_type="person",
                                          data=CustomFieldInput(kind="text", label_es="X")),
        lambda: forms.set_custom_field_active(session=session, actor=sales, field_id=field.id, active=False),
        lambda: forms.purge_custom_field(session=session, actor=sales, field_id=field.id),
        lambda: admin.set_duplicate_rules(session=session, actor=sales, policy=DuplicatePolicy(False, False,
                                                                                               False)),
        lambda: admin.add_entry(session=session, actor=sales, list_name="channels", name="TikTok"),
        lambda: tag_admin.merge_tags(session=session, actor=sales, tag_ids=[1, 2], name="x"),
        lambda: admin.list_activity(session=session, actor=sales),
    ):
        with pytest.raises(Forbidden):
            call()
        session.rollback()
    assert session.execute(select(func.count()).select_from(ActivityLog)).scalar_one() == before
    assert session.get(CustomField, field.id).is_active


def test_other_organizations_fields_and_tags_are_not_found(session):
    _, owner_a = make_org(session, "A")
    field = branch_field(session, owner_a)
    run_like_app(session, customers.create_customer, actor=owner_a, data=person(tags=("vip",)))
    tag_id = session.execute(
        select(Tag.id).where(Tag.organization_id == owner_a.organization_id)).scalar_one()
    _, owner_b = make_org(session, "B")
    assert_not_found_for_other_org(
        session, lambda: forms.set_custom_field_active(session=session, actor=owner_b, field_id=field.id,
                                                       active=False),
        column_snapshot(session, CustomField, field.id), what="custom_field")
    assert_not_found_for_other_org(
        session, lambda: tag_admin.delete_tag(session=session, actor=owner_b, tag_id=tag_id),
        column_snapshot(session, Tag, tag_id), what="tag")


# --------------------------------------------------------------------------- settings


def test_tags_merge_into_one_rename_and_delete_with_counts(session):
    _, owner = make_org(session)
    ana = run_like_app(session, customers.create_customer, actor=owner, data=person(tags=("vip", "premium")))
    luis = run_like_app(session, customers.create_customer, actor=owner,
                        data=person("Luis", "Mora", tags=("premium",)))
    eva = run_like_app(session, customers.create_customer, actor=owner,
                       data=person("Eva", "Sol", tags=("vip",)))
    tags, cursor = tag_admin.list_tag_page(session=session, actor=owner)
    assert [(t.name, t.customers) for t in tags] == [("premium", 2), ("vip", 2)] and cursor == ""

    merged = run_like_app(session, tag_admin.merge_tags, actor=owner, tag_ids=[t.id for t in tags],
                          name="VIP")
    assert (merged.name, merged.customers) == ("VIP", 3)
    for who in (ana, luis, eva):
        assert customers.get_customer(session=session, actor=owner, customer_id=who.id).tags == ("VIP",)
    assert [t.name for t in tag_admin.list_tag_page(session=session, actor=owner)[0]] == ["VIP"]

    run_like_app(session, customers.create_customer, actor=owner, data=person("Rosa", "Luz", tags=("nuevo",)))
    nuevo = tag_admin.list_tag_page(session=session, actor=owner, search="nue")[0][0]
    with pytest.raises(ValidationFailed) as refused:
        tag_admin.rename_tag(session=session, actor=owner, tag_id=nuevo.id, name="vip")
    assert errors_of(refused) == {"name": "tag_exists_merge"}
    assert run_like_app(session, tag_admin.delete_tag, actor=owner, tag_id=merged.id) == 3
    assert customers.get_customer(session=session, actor=owner, customer_id=ana.id).tags == ()


def test_tag_pages_are_keyset_paged(session):
    _, owner = make_org(session)
    run_like_app(session, customers.create_customer, actor=owner,
                 data=person(tags=tuple(f"t{i:02}" for i in range(7))))
    first, cursor = tag_admin.list_tag_page(session=session, actor=owner, limit=5)
    second, last = tag_admin.list_tag_page(session=session, actor=owner, after=cursor, limit=5)
    assert [t.name for t in first + second] == [f"t{i:02}" for i in range(7)] and last == ""


def test_lists_duplicates_organization_and_the_activity_log(session):
    _, owner = make_org(session)
    tiktok = run_like_app(session, admin.add_entry, actor=owner, list_name="channels", name="TikTok")
    with pytest.raises(ValidationFailed) as refused:
        admin.add_entry(session=session, actor=owner, list_name="channels", name="tiktok ")
    assert errors_of(refused) == {"name": "name_taken"}
    session.rollback()
    run_like_app(session, admin.move_entry, actor=owner, list_name="channels", entry_id=tiktok.id, offset=-1)
    names = [e.name for e in admin.list_entries(session=session, actor=owner, list_name="channels")]
    assert names[-2] == "TikTok"
    run_like_app(session, admin.set_entry_active, actor=owner, list_name="channels", entry_id=tiktok.id,
                 active=False)
    assert "TikTok" not in [n for _, n in customers.list_channels(session=session, actor=owner)]

    repair = run_like_app(session, admin.add_entry, actor=owner, list_name="order_types", name="Reparación",
                          color="#FF0000")
    assert repair.color == "#ff0000"
    with pytest.raises(ValidationFailed) as refused:
        admin.edit_entry(session=session, actor=owner, list_name="order_types", entry_id=repair.id,
                         name="Reparación", color="red")
    assert errors_of(refused) == {"color": "color_invalid"}
    session.rollback()
    label = run_like_app(session, admin.add_entry, actor=owner, list_name="phone_labels", name="Recepción")
    run_like_app(session, admin.set_entry_active, actor=owner, list_name="phone_labels", entry_id=label.id,
                 active=False)
    assert admin.list_entries(session=session, actor=owner, list_name="phone_labels") == []

    run_like_app(session, admin.set_duplicate_rules, actor=owner, policy=DuplicatePolicy(False, True, True))
    phone = (PhoneInput("0991234567"),)
    run_like_app(session, customers.create_customer, actor=owner, data=person(phones=phone))
    run_like_app(session, customers.create_customer, actor=owner, data=person("Otro", "Más", phones=phone,
                                                                              emails=(EmailInput("a@b.ec"),)))

    with pytest.raises(ValidationFailed) as refused:
        admin.update_organization(session=session, actor=owner, data=OrganizationInput(
            name="", country="XX", currency="US", language="fr", timezone="Mars/Base"))
    assert set(errors_of(refused)) == {"org_name", "country", "currency", "language", "timezone"}
    session.rollback()
    org = run_like_app(session, admin.update_organization, actor=owner, data=OrganizationInput(
        name="Acme Perú", country="PE", currency="pen", language="es", timezone="America/Lima"))
    assert (org.name, org.country, org.currency) == ("Acme Perú", "PE", "PEN")

    log = admin.list_activity(session=session, actor=owner, limit=3)
    assert [e.kind for e in log] == ["settings.organization", "settings.duplicates", "settings.phone_labels"]
    assert log[0].who == owner.name and '"country": "EC"' in log[0].before and '"PE"' in log[0].after
    assert '"phone": true' in log[1].before and '"phone": false' in log[1].after
    older = admin.list_activity(session=session, actor=owner, before_id=log[-1].id, limit=100)
    assert older and all(e.id < log[-1].id for e in older)
    assert older[-1].kind == "organization_created"


def test_custom_value_changes_are_in_the_feed_by_label_in_both_languages(session):
    from crm_app.services import feed

    _, owner = make_org(session)
    branch = branch_field(session, owner)
    north, south = branch.options
    ana = run_like_app(session, customers.create_customer, actor=owner,
                       data=person(custom={branch.id: north.id}))
    run_like_app(session, customers.update_customer, actor=owner, customer_id=ana.id, version=ana.version,
                 data=person(custom={branch.id: south.id}))
    newest = feed.list_feed(session=session, actor=owner, customer_id=ana.id).entries[0]
    assert newest.data["changes"] == [{
        "field": "custom",
        "label": {"es": "Sucursal", "en": "Branch"},
        "before": {"es": "Norte", "en": "North"},
        "after": {"es": "Sur", "en": "South"},
    }]


def test_custom_fields_move_one_step_within_their_form(session):
    _, owner = make_org(session)

    def create(label, client_type="person"):
        return run_like_app(session, forms.create_custom_field, actor=owner, client_type=client_type,
                            data=CustomFieldInput(kind="text", label_es=label))

    a, _, c = create("A"), create("B"), create("C")
    create("Z", client_type="company")  # another form's field is not a sibling

    def labels():
        config = forms.get_form_config(session=session, actor=owner, client_type="person")
        return [f.label_es for f in config.custom]

    run_like_app(session, forms.move_custom_field, actor=owner, field_id=c.id, offset=-1)
    assert labels() == ["A", "C", "B"]
    run_like_app(session, forms.move_custom_field, actor=owner, field_id=a.id, offset=-1)  # already first
    assert labels() == ["A", "C", "B"]
    run_like_app(session, forms.move_custom_field, actor=owner, field_id=a.id, offset=1)
    assert labels() == ["C", "A", "B"]
