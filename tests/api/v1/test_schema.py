"""schemathesis against /api/v1/openapi.json through the ASGI app: for every operation, requests made from
the schema never get a 5xx, and every answer matches what the schema documents. An organization with one
of everything is there, so ids can hit real rows.

- Fuzzing (random valid and invalid requests) on SQLite and PostgreSQL, a few examples an operation.
- The schema's coverage cases (each boundary of each valid field: longest strings, largest ids...) once,
  on SQLite: they are many, and what they catch does not depend on the database.

Kept to about a minute on CI's two cores; locally ``SCHEMATHESIS_EXAMPLES=200`` fuzzes harder.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance
from sqlmodel import Session

from crm_app import api as api_app
from crm_app.api.auth import db_session
from tests.api.v1.api_world import ALL_SCOPES, bearer, make_world

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "5"))
CHECKS = [not_a_server_error, response_schema_conformance]
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)

APP = api_app.build()
fuzzed = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)
fuzzed.config.phases.update(phases=["examples", "fuzzing"])
covered = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)
covered.config.phases.update(phases=["coverage"])
# Every boundary of every valid field; the invalid ones stop at FastAPI's validation, which fuzzing tries.
covered.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE])


@pytest.fixture
def world_key(engine, org_key, session) -> Iterator[str]:
    """A key of an organization with one of everything; APP's requests use the test database meanwhile."""

    def test_db() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as db:
            yield db
            db.commit()

    v1 = next(route.app for route in APP.routes if getattr(route, "path", "") == "/api/v1")
    v1.dependency_overrides[db_session] = test_db
    keyed = org_key(ALL_SCOPES)
    make_world(session, keyed.admin)
    yield keyed.key
    v1.dependency_overrides.clear()


@fuzzed.parametrize()
@SETTINGS
def test_fuzzed_requests_get_no_server_error_and_documented_answers(case, world_key):
    case.call_and_validate(headers=bearer(world_key), checks=CHECKS)


@pytest.fixture
def sqlite_world_key(db_url, request) -> str:
    if not db_url.startswith("sqlite"):
        pytest.skip("the coverage cases run once, on SQLite")
    return request.getfixturevalue("world_key")


@covered.parametrize()
@SETTINGS
def test_the_schemas_edge_cases_get_no_server_error_and_documented_answers(case, sqlite_world_key):
    case.call_and_validate(headers=bearer(sqlite_world_key), checks=CHECKS)
