"""/api/v1/customers: what an integrator sees when he creates, reads, edits, deletes and restores."""

from __future__ import annotations

import dataclasses

import pytest

from crm_app.domain.form_edits import CustomFieldInput
from crm_app.models.types import utcnow
from crm_app.services import form_config as forms
from crm_app.services.feed import list_feed
from crm_app.states.feed_items import Reader, feed_item
from tests.db import run_like_app

ANA = {
    "first_name": "Ana", "last_name": "Torres",
    "phones": [{"number": "0991234567", "kind": "mobile", "whatsapp": True, "sms": True, "primary": True}],
    "emails": [{"address": "ana@example.com", "accepts_email": True}],
    "tags": ["vip"], "credit_limit": "1500.50", "birthday": "1990-05-17",
}


def _create(api, keyed, body=None, **headers):
    answer = api.post("/api/v1/customers", json=body or ANA, headers=keyed.with_headers(**headers))
    assert answer.status_code == 201, answer.text
    return answer


def test_create_then_read_a_customer(api, org_key):
    keyed = org_key()
    created = _create(api, keyed)
    body = created.json()
    assert created.headers["location"] == f"/api/v1/customers/{body['id']}"
    assert created.headers["etag"] == f'"{body["version"]}"'
    assert body["display_name"] == "Ana Torres" and body["source"] == "api"
    phone = body["phones"][0]
    assert phone["number"] == "+593991234567" and phone["whatsapp"] and phone["sms"] and not phone["viber"]
    email = body["emails"][0]
    assert email["address"] == "ana@example.com" and email["accepts_email"] and email["consent_at"]
    assert body["tags"] == ["vip"] and body["credit_limit"] == "1500.50" and body["birthday"] == "1990-05-17"

    read = api.get(f"/api/v1/customers/{body['id']}", headers=keyed.headers)
    assert read.status_code == 200 and read.json() == body and read.headers["etag"] == created.headers["etag"]


def test_the_feed_says_the_customer_came_via_the_api_key(api, org_key, session):
    keyed = org_key(name="Tienda web")
    customer_id = _create(api, keyed).json()["id"]
    feed = list_feed(session=session, actor=keyed.admin, customer_id=customer_id)
    created = feed.entries[-1]
    assert created.kind == "customer_created"
    assert created.data["via"] == {"kind": "api_key", "name": "Tienda web"}
    assert created.data["source"] == "api"


def test_the_profile_feed_shows_the_key_by_name(api, org_key, session):
    keyed = org_key(name="Tienda web")
    customer_id = _create(api, keyed).json()["id"]
    entry = list_feed(session=session, actor=keyed.admin, customer_id=customer_id).entries[-1]
    reader = Reader(lang="es", tz="America/Guayaquil", now=utcnow(), currency="USD", user_id=0, is_admin=True)
    assert feed_item(entry, reader).author.endswith("vía clave API «Tienda web»")


@pytest.mark.parametrize(("language", "fragment"), [("es", "obligatorio"), ("en", "required")])
def test_validation_problems_name_each_field_in_the_callers_language(api, org_key, language, fragment):
    keyed = org_key()
    body = {**ANA, "phones": [ANA["phones"][0], {"number": ""}], "emails": [{"address": "nope"}]}
    answer = api.post("/api/v1/customers", json=body, headers=keyed.with_headers(Accept_Language=language))
    assert answer.status_code == 422
    assert answer.headers["content-type"].startswith("application/problem+json")
    errors = {e["path"]: e for e in answer.json()["errors"]}
    assert set(errors) == {"phones[1].number", "emails[0].address"}
    assert fragment in errors["phones[1].number"]["detail"].lower()


def test_bad_json_types_are_problems_with_paths_too(api, org_key):
    keyed = org_key()
    body = {"first_name": "A", "phones": [{"whatsapp": "x"}], "nickname": "x"}
    answer = api.post("/api/v1/customers", json=body, headers=keyed.with_headers(Accept_Language="en"))
    assert answer.status_code == 422
    paths = {e["path"] for e in answer.json()["errors"]}
    assert {"phones[0].number", "phones[0].whatsapp", "nickname"} <= paths


def test_a_duplicate_phone_is_refused_naming_the_holder(api, org_key):
    keyed = org_key()
    _create(api, keyed)
    second = {"first_name": "Otro", "last_name": "Cliente", "phones": [{"number": "+593 99 123 4567"}]}
    answer = api.post("/api/v1/customers", json=second, headers=keyed.with_headers(Accept_Language="es"))
    assert answer.status_code == 422
    (error,) = answer.json()["errors"]
    assert error["path"] == "phones[0].number" and error["code"] == "duplicate_phone"
    assert "Ana Torres" in error["detail"]


def test_updates_need_if_match_and_a_stale_one_is_412(api, org_key):
    keyed = org_key()
    created = _create(api, keyed)
    url = f"/api/v1/customers/{created.json()['id']}"
    change = {**ANA, "last_name": "Vera"}
    missing = api.put(url, json=change, headers=keyed.headers)
    assert missing.status_code == 428 and missing.json()["code"] == "api_if_match_required"

    saved = api.put(url, json=change, headers=keyed.with_headers(If_Match=created.headers["etag"]))
    assert saved.status_code == 200 and saved.json()["display_name"] == "Ana Vera"
    assert saved.headers["etag"] != created.headers["etag"]

    stale = api.put(url, json={**ANA, "last_name": "Ruiz"},
                    headers=keyed.with_headers(If_Match=created.headers["etag"], Accept_Language="en"))
    assert stale.status_code == 412 and stale.json()["code"] == "api_version_stale"
    assert api.get(url, headers=keyed.headers).json()["last_name"] == "Vera"  # nothing overwritten


def test_patch_changes_only_what_is_sent(api, org_key):
    keyed = org_key()
    created = _create(api, keyed)
    url = f"/api/v1/customers/{created.json()['id']}"
    patched = api.patch(url, json={"notes": "Prefers WhatsApp", "tags": ["vip", "mayorista"]},
                        headers=keyed.with_headers(If_Match=created.headers["etag"]))
    assert patched.status_code == 200, patched.text
    body = patched.json()
    assert body["notes"] == "Prefers WhatsApp" and sorted(body["tags"]) == ["mayorista", "vip"]
    assert body["phones"][0]["number"] == "+593991234567" and body["credit_limit"] == "1500.50"
    assert api.patch(url, json={"notes": "x"}, headers=keyed.headers).status_code == 428


def test_delete_to_the_trash_and_restore(api, org_key):
    keyed = org_key()
    created = _create(api, keyed)
    url = f"/api/v1/customers/{created.json()['id']}"
    assert api.delete(url, headers=keyed.headers).status_code == 204
    assert api.get(url, headers=keyed.headers).json()["deleted_at"] is not None
    trashed = api.get("/api/v1/customers?trash=1", headers=keyed.headers).json()["items"]
    assert [c["id"] for c in trashed] == [created.json()["id"]]
    restored = api.post(f"{url}/restore", headers=keyed.headers)
    assert restored.status_code == 200 and restored.json()["deleted_at"] is None


def test_a_read_only_key_may_not_write_and_another_org_sees_nothing(api, org_key):
    writer = org_key()
    reader = org_key(("customers:read",), of=writer, name="Solo lectura")
    stranger = org_key(name="Otra empresa")
    url = f"/api/v1/customers/{_create(api, writer).json()['id']}"
    assert api.get(url, headers=reader.headers).status_code == 200
    assert api.post("/api/v1/customers", json=ANA, headers=reader.headers).status_code == 403
    assert api.delete(url, headers=reader.headers).status_code == 403
    assert api.get(url, headers=stranger.headers).status_code == 404
    assert api.delete(url, headers=stranger.headers).status_code == 404
    assert api.get("/api/v1/customers", headers=stranger.headers).json()["items"] == []


def test_the_organizations_form_applies_custom_fields_and_required_fields(api, org_key, session):
    keyed = org_key()
    branch = run_like_app(session, forms.create_custom_field, actor=keyed.admin, client_type="person",
                          data=CustomFieldInput(kind="choice", label_es="Sucursal", label_en="Branch",
                                                options=((None, "Norte", "North"), (None, "Sur", "South")),
                                                required=True))
    config = forms.get_form_config(session=session, actor=keyed.admin, client_type="person")
    fields = [dataclasses.replace(f, required=True) if f.key == "birthday" else f for f in config.builtin]
    run_like_app(session, forms.save_builtin_fields, actor=keyed.admin, client_type="person", fields=fields)

    missing = api.post("/api/v1/customers", json={"first_name": "Ana", "last_name": "Paz"},
                       headers=keyed.with_headers(Accept_Language="en"))
    assert missing.status_code == 422
    assert {e["path"] for e in missing.json()["errors"]} == {f"custom.{branch.id}", "birthday"}

    south = branch.options[1].id
    body = {"first_name": "Ana", "last_name": "Paz", "birthday": "1990-01-02",
            "custom": {str(branch.id): [south]}}
    created = api.post("/api/v1/customers", json=body, headers=keyed.headers)
    assert created.status_code == 201, created.text
    assert created.json()["custom"] == {str(branch.id): [south]}


def test_a_trashed_customer_is_a_409_until_restored(api, org_key):
    keyed = org_key()
    created = _create(api, keyed)
    url = f"/api/v1/customers/{created.json()['id']}"
    api.delete(url, headers=keyed.headers)
    answer = api.put(url, json=ANA, headers=keyed.with_headers(If_Match=created.headers["etag"]))
    assert answer.status_code == 409 and answer.json()["code"] == "customer_deleted"
