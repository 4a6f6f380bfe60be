"""/api/v1/form-config/{client_type} on SQLite and PostgreSQL: an integrator reads which fields the
organization requires or does not use, and its custom fields with their options, in his language."""

from __future__ import annotations

import dataclasses

from crm_app.domain.form_edits import CustomFieldInput
from crm_app.services import form_config
from tests.api.v1.api_world import bearer
from tests.db import run_like_app


def _configure(session, admin) -> int:
    """The admin requires the e-mails, hides the loyalty number and adds a choice field, then retires one
    of its options; returns the choice field's id."""
    config = form_config.get_form_config(session=session, actor=admin, client_type="person")
    fields = [
        dataclasses.replace(f, required=True)
        if f.key == "emails"
        else dataclasses.replace(f, visible=False)
        if f.key == "loyalty_id"
        else f
        for f in config.builtin
    ]
    run_like_app(session, form_config.save_builtin_fields, actor=admin, client_type="person", fields=fields)
    field = run_like_app(
        session,
        form_config.create_custom_field,
        actor=admin,
        client_type="person",
        data=CustomFieldInput(
            kind="choice",
            label_es="Talla",
            label_en="Size",
            required=True,
            options=((None, "Pequeña", "Small"), (None, "Grande", "Large")),
        ),
    )
    run_like_app(
        session,
        form_config.update_custom_field,
        actor=admin,
        field_id=field.id,
        data=CustomFieldInput(
            kind="choice",
            label_es="Talla",
            label_en="Size",
            required=True,
            options=((field.options[0].id, "Pequeña", "Small"),),
        ),
    )
    return field.id


def test_the_form_says_what_is_required_hidden_and_the_custom_fields_with_their_options(
    api, org_key, session
):
    org = org_key(("customers:read",))
    key = org.key
    field_id = _configure(session, org.admin)
    answer = api.get("/api/v1/form-config/person", headers=bearer(key, "en"))
    assert answer.status_code == 200, answer.text
    form = answer.json()
    builtin = {f["key"]: f for f in form["builtin"]}
    assert builtin["first_name"]["required"] and builtin["emails"]["required"]
    assert not builtin["loyalty_id"]["visible"]
    assert builtin["flags"]["attributes"] == ["is_supplier", "is_conflictive"]
    [size] = form["custom"]
    assert (size["id"], size["kind"], size["label"], size["required"]) == (field_id, "choice", "Size", True)
    assert [o["label"] for o in size["options"]] == ["Small"]

    in_spanish = api.get("/api/v1/form-config/person", headers=bearer(key, "es")).json()
    assert in_spanish["custom"][0]["label"] == "Talla"


def test_each_client_type_has_its_own_form_and_an_unknown_one_is_a_422(api, org_key):
    key = org_key(("customers:read",)).key
    company = api.get("/api/v1/form-config/company", headers=bearer(key)).json()
    assert company["client_type"] == "company"
    assert {"legal_name", "trade_name"} <= {f["key"] for f in company["builtin"]}
    assert company["custom"] == []
    assert api.get("/api/v1/form-config/alien", headers=bearer(key)).status_code == 422


def test_without_accept_language_the_labels_are_in_the_organizations_language(api, org_key, session):
    org = org_key(("customers:read",), language="en")
    _configure(session, org.admin)
    form = api.get("/api/v1/form-config/person", headers={"Authorization": f"Bearer {org.key}"}).json()
    assert [f["label"] for f in form["custom"]] == ["Size"]
    assert form["custom"][0]["help"] == ""
