"""The real FastAPI app of crm_app.api, on the test database (one transaction per request)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from crm_app import api
from crm_app.api.auth import db_session


@pytest.fixture
def api_client(engine) -> Iterator[TestClient]:
    app = api.build()

    def test_db() -> Iterator[Session]:
        with Session(engine, expire_on_commit=False) as db:
            yield db
            db.commit()

    app.dependency_overrides[db_session] = test_db
    with TestClient(app, base_url="http://localhost") as test_client:
        yield test_client
