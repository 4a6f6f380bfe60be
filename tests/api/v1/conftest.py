"""Fixtures for /api/v1 tests: the real app on the test database and organizations with API keys.

api       a TestClient over crm_app.api.build() (the whole app, middleware included), its requests
          served from the test database (crm_app.api.auth.db_session overridden, one transaction
          per request like production); the database is emptied after the test.
org_key   a factory: ``org_key(("customers:read",))`` -> KeyedOrg with a new organization, its admin
          and a fresh API key (its Authorization header in ``.headers``). ``org_key(scopes, of=other)``
          adds a key to ``other``'s organization; ``rate_limit``, ``expires_at``, ``revoked``,
          ``name``, ``country``, ``language`` (the organization's) are keyword options.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session
from starlette.routing import Mount

from crm_app import api as api_module
from crm_app.api.auth import db_session
from crm_app.domain.api_keys import api_key_hash, new_api_key, shown_prefix
from crm_app.domain.dto import Actor, OrganizationDTO
from crm_app.models.integrations import ApiKey
from crm_app.models.types import utcnow
from tests.factories import make_org

ALL_SCOPES = ("customers:read", "customers:write", "documents:write", "webhooks")


@dataclass(frozen=True)
class KeyedOrg:
    org: OrganizationDTO
    admin: Actor
    key: str
    key_id: int
    key_name: str
    headers: dict[str, str] = field(default_factory=dict)

    def with_headers(self, **extra: str) -> dict[str, str]:
        """The Authorization header and ``extra`` (underscores become dashes: If_Match -> If-Match)."""
        return {**self.headers, **{name.replace("_", "-"): value for name, value in extra.items()}}


@pytest.fixture
def api(engine, session: Session) -> Iterator[TestClient]:
    app = api_module.build()

    def test_db() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as db:
            try:
                yield db
                db.commit()
            except BaseException:
                db.rollback()
                raise

    # /api/v1 is a FastAPI app of its own, mounted: it keeps its own dependency overrides.
    for mounted in [app, *(r.app for r in app.routes if isinstance(r, Mount) and r.path == "/api/v1")]:
        mounted.dependency_overrides[db_session] = test_db
    with TestClient(app, base_url="http://localhost", raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def org_key(session: Session) -> Callable[..., KeyedOrg]:
    def make(
        scopes: tuple[str, ...] | list[str] = ("customers:read", "customers:write"), *,
        of: KeyedOrg | None = None, name: str = "Web", rate_limit: int = 120,
        expires_at: datetime | None = None, revoked: bool = False, country: str = "EC",
        language: str = "es",
    ) -> KeyedOrg:
        if of is None:
            org, admin = make_org(session, f"Org {name}", country=country, language=language)
        else:
            org, admin = of.org, of.admin
        key = new_api_key()
        row = ApiKey(
            organization_id=org.id, name=name, prefix=shown_prefix(key), key_hash=api_key_hash(key),
            scopes=" ".join(scopes), rate_limit=rate_limit, expires_at=expires_at, created_by=admin.user_id,
            revoked_at=utcnow() if revoked else None, revoked_by=admin.user_id if revoked else None,
        )
        session.add(row)
        session.commit()
        return KeyedOrg(org, admin, key, row.id, name, {"Authorization": f"Bearer {key}"})

    return make
