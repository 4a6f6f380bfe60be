"""API keys on /settings/api: created by admins and shown once (only the hash is kept), listed newest first
with who made them, revoked for good; on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from crm_app.domain.api_keys import api_key_hash, looks_like_api_key
from crm_app.domain.errors import Forbidden, NotFound, ValidationFailed
from crm_app.i18n import error_text
from crm_app.models import ActivityLog
from crm_app.models.integrations import ApiKey
from crm_app.models.types import utcnow
from crm_app.services import api_auth, api_keys
from tests.db import run_like_app
from tests.factories import make_org, make_user
from tests.isolation import assert_not_found_for_other_org, column_snapshot

QUITO = ZoneInfo("America/Guayaquil")  # make_org's "EC"


def create(session, actor, name="Sitio web", scopes=("customers:write",), expires_on=None):
    return run_like_app(session, api_keys.create_key, actor=actor, name=name, scopes=list(scopes),
                        expires_on=expires_on)


def refusal(session, actor, **kwargs) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as refused:
        create(session, actor, **kwargs)
    return {field: error.code for field, error in refused.value.errors.items()}


def test_a_new_key_is_shown_once_and_only_its_hash_is_stored(session):
    org, admin = make_org(session)
    dto, key = create(session, admin, name="  Tienda   online ", scopes=["customers:read", "webhooks"])
    assert looks_like_api_key(key)
    assert dto.name == "Tienda online" and dto.prefix == key[:12] and key.startswith(dto.prefix)
    assert dto.scopes == ("customers:read", "webhooks")
    assert dto.status(utcnow()) == "active" and dto.last_used_at is None and dto.expires_at is None

    stored = session.exec(select(ApiKey).where(ApiKey.id == dto.id)).one()
    assert stored.organization_id == org.id and stored.created_by == admin.user_id
    assert stored.key_hash == api_key_hash(key)
    # the key itself is nowhere in the row, nor in the admin log
    assert all(key not in str(value) for value in stored.model_dump().values())
    logs = session.exec(select(ActivityLog).where(ActivityLog.kind == "api_key.created")).all()
    assert len(logs) == 1 and "Tienda online" in logs[0].detail and key not in logs[0].detail


def test_the_key_authenticates_its_use_is_shown_and_a_revoked_one_does_not(session):
    _, admin = make_org(session)
    dto, key = create(session, admin)
    assert authenticated(session, key) == dto.id
    (listed,) = api_keys.list_keys(session=session, actor=admin)
    assert listed.last_used_at is not None  # the list's "Último uso"
    run_like_app(session, api_keys.revoke_key, actor=admin, key_id=dto.id)
    assert authenticated(session, key) is None
    assert authenticated(session, key[:-1] + ("A" if key[-1] != "A" else "B")) is None


def test_an_expired_key_no_longer_authenticates(session):
    _, admin = make_org(session)
    dto, key = create(session, admin, expires_on=datetime.now(QUITO).date() + timedelta(days=1))
    assert authenticated(session, key) == dto.id
    assert authenticated(session, key, now=dto.expires_at) is None


def authenticated(session, key, now=None):
    """The key id services/api_auth accepts a Bearer key as, or None when it refuses it."""
    try:
        return api_auth.authenticate(session, key, now=now).key_id
    except api_auth.KeyRefused:
        return None


def test_each_field_is_checked_and_explained(session):
    _, admin = make_org(session)
    today_in_quito = datetime.now(QUITO).date()
    assert refusal(session, admin, name=" ", scopes=[], expires_on=today_in_quito) == {
        "name": "required", "scopes": "apikeys_scopes_required", "expires_on": "apikeys_expiry_past",
    }
    assert refusal(session, admin, name="x" * 101, scopes=["customers:delete"],
                   expires_on=date(2020, 1, 1)) == {
        "name": "too_long", "scopes": "apikeys_scope_unknown", "expires_on": "apikeys_expiry_past",
    }
    assert refusal(session, admin, expires_on="2026-13-45") == {"expires_on": "apikeys_expiry_invalid"}
    with pytest.raises(ValidationFailed) as refused:
        create(session, admin, name="", scopes=[])
    messages = {f: error_text(e, "en") for f, e in refused.value.errors.items()}
    assert messages == {"name": "This field is required.", "scopes": "Choose at least one permission."}
    assert error_text(refused.value.errors["scopes"], "es") == "Elige al menos un permiso."
    assert session.exec(select(ApiKey)).all() == []


def test_the_expiry_is_the_start_of_that_day_in_the_organizations_zone(session):
    _, admin = make_org(session)
    tomorrow = datetime.now(QUITO).date() + timedelta(days=1)
    dto, _ = create(session, admin, expires_on=tomorrow.isoformat())  # as a date input sends it
    assert dto.expires_at.astimezone(QUITO) == datetime(tomorrow.year, tomorrow.month, tomorrow.day,
                                                        tzinfo=QUITO)
    assert dto.status(dto.expires_at - timedelta(seconds=1)) == "active"
    assert dto.status(dto.expires_at) == "expired"


def test_a_name_is_unique_among_the_live_keys_only(session):
    _, admin = make_org(session)
    _, other_admin = make_org(session, "Otra")
    first, _ = create(session, admin, name="Zapier")
    assert refusal(session, admin, name="zapier ") == {"name": "apikeys_name_taken"}
    create(session, other_admin, name="Zapier")  # another organization's names are its own
    run_like_app(session, api_keys.revoke_key, actor=admin, key_id=first.id)
    second, _ = create(session, admin, name="Zapier")  # the revoked one no longer counts
    assert second.id != first.id


def test_the_list_is_newest_first_with_who_and_what_happened(session):
    _, admin = make_org(session, admin_name="Ana Admin")
    _, colleague, _ = make_user(session, admin, role="admin", name="Beto Admin")
    _, other_admin = make_org(session, "Otra")
    create(session, other_admin, name="De otra organización")
    old, _ = create(session, admin, name="Vieja")
    new, _ = create(session, colleague, name="Nueva")
    run_like_app(session, api_keys.revoke_key, actor=colleague, key_id=old.id)

    listed = api_keys.list_keys(session=session, actor=admin)
    assert [k.name for k in listed] == ["Nueva", "Vieja"]
    assert listed[0].created_by == "Beto Admin" and listed[0].status(utcnow()) == "active"
    assert listed[1].created_by == "Ana Admin" and listed[1].revoked_by == "Beto Admin"
    assert listed[1].status(utcnow()) == "revoked"
    assert [k.name for k in api_keys.list_keys(session=session, actor=admin, limit=1)] == ["Nueva"]
    assert [k.name for k in api_keys.list_keys(session=session, actor=admin, before_id=new.id)] == ["Vieja"]


def test_revoking_is_recorded_once_and_can_be_repeated(session):
    _, admin = make_org(session)
    dto, _ = create(session, admin)
    first = run_like_app(session, api_keys.revoke_key, actor=admin, key_id=dto.id)
    again = run_like_app(session, api_keys.revoke_key, actor=admin, key_id=dto.id)
    assert first.revoked_at is not None and again.revoked_at == first.revoked_at
    stored = session.get(ApiKey, dto.id)
    assert stored.revoked_by == admin.user_id
    kinds = session.exec(select(ActivityLog.kind).where(ActivityLog.kind.like("api_key.%"))).all()
    assert sorted(kinds) == ["api_key.created", "api_key.revoked"]


def test_sales_users_are_refused_everything(session):
    _, admin = make_org(session)
    dto, _ = create(session, admin)
    _, seller, _ = make_user(session, admin, role="sales")
    before = column_snapshot(session, ApiKey, dto.id)()
    for call in (lambda: api_keys.create_key(session=session, actor=seller, name="Mía", scopes=["webhooks"]),
                 lambda: api_keys.list_keys(session=session, actor=seller),
                 lambda: api_keys.revoke_key(session=session, actor=seller, key_id=dto.id)):
        with pytest.raises(Forbidden):
            call()
    session.rollback()
    assert column_snapshot(session, ApiKey, dto.id)() == before
    assert len(session.exec(select(ApiKey)).all()) == 1


def test_another_organizations_key_cannot_be_revoked(session):
    _, admin = make_org(session)
    _, stranger = make_org(session, "Otra")
    dto, _ = create(session, admin)
    assert_not_found_for_other_org(
        session, lambda: api_keys.revoke_key(session=session, actor=stranger, key_id=dto.id),
        column_snapshot(session, ApiKey, dto.id), what="api_key")
    with pytest.raises(NotFound):
        api_keys.revoke_key(session=session, actor=admin, key_id="1; drop table api_key")
